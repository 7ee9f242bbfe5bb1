//! `tong-hop.xlsx`'s package: rust_xlsxwriter's, with the per-unit sheet's
//! data rows (made in `units.rs`) put into that sheet's part.
//!
//! The parts rust_xlsxwriter wrote are copied as they are (still
//! compressed, read with the zip crate); the per-unit sheet's part is its
//! XML before `</sheetData>`, the rows' pieces, and the rest, each
//! deflated on its own and joined into one stream (each piece but the last
//! ends on a byte boundary with a sync flush, so the pieces follow one
//! another as pigz joins its blocks). The zip crate cannot take a part
//! deflated elsewhere, so the archive is written by [`crate::package`]:
//! the plain ZIP layout (no ZIP64: Excel's row limit keeps a sheet far
//! below 4 GiB, and a larger one is refused, not cut).

use std::io::{Cursor, Read};

use crc32fast::Hasher;
use flate2::{Compress, Compression, FlushCompress, Status};

use super::units::{UnitRows, DEC_XF, INT_XF};
use super::HEAD_ROW;
use crate::package::{TooBig, Zip};

/// XML deflated as blocks that end on a byte and do not end the stream,
/// with the XML's checksum and length.
pub(super) struct Piece {
    data: Vec<u8>,
    crc: Hasher,
    len: u64,
}

/// `xml` as a [`Piece`].
pub(super) fn deflate_piece(xml: &[u8]) -> std::io::Result<Piece> {
    let mut crc = Hasher::new();
    crc.update(xml);
    Ok(Piece {
        data: deflate(xml, FlushCompress::Sync)?,
        crc,
        len: xml.len() as u64,
    })
}

/// Raw deflate of `data` at the fastest level (as rust_xlsxwriter's
/// parts), ending with `flush`: `Sync` (more follows) or `Finish`.
fn deflate(data: &[u8], flush: FlushCompress) -> std::io::Result<Vec<u8>> {
    let mut c = Compress::new(Compression::fast(), false);
    let mut out: Vec<u8> = Vec::with_capacity(data.len() / 4 + 64);
    loop {
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        let (was_in, was_out) = (c.total_in(), c.total_out());
        let done = (was_in as usize).min(data.len());
        let status = c
            .compress_vec(&data[done..], &mut out, flush)
            .map_err(std::io::Error::other)?;
        let all_in = c.total_in() as usize >= data.len();
        match flush {
            FlushCompress::Finish if status == Status::StreamEnd => break,
            // A flush is whole once it leaves room unused (zlib's rule).
            FlushCompress::Sync if all_in && out.len() < out.capacity() => break,
            // With room to write, a turn that does nothing never ends.
            _ if (c.total_in(), c.total_out()) == (was_in, was_out) => {
                return Err(std::io::Error::other("deflate không tiến triển"));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Why the package could not be made.
pub(super) type Failed = String;

/// rust_xlsxwriter's package `xlsx` with `rows` put into their sheet.
pub(super) fn put_rows(xlsx: &[u8], mut rows: UnitRows) -> Result<Vec<u8>, Failed> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(xlsx)).map_err(|e| format!("gói xlsx: {e}"))?;
    // The rows' pieces are let go as they are copied: the file is held once.
    let pieces: usize = rows.pieces.iter().map(|p| p.data.len()).sum();
    let mut out = Zip::with_capacity(xlsx.len() + pieces);
    for i in 0..archive.len() {
        let is_sheet = matches!(archive.name_for_index(i), Some(Ok(n)) if n == rows.part);
        if is_sheet {
            let mut xml = String::new();
            archive
                .by_index(i)
                .and_then(|mut f| Ok(f.read_to_string(&mut xml)?))
                .map_err(|e| format!("{}: {e}", rows.part))?;
            let (head, tail) = split(&xml, &rows)?;
            let mut crc = Hasher::new();
            crc.update(head.as_bytes());
            let mut len = head.len() as u64;
            let first = deflate(head.as_bytes(), FlushCompress::Sync).map_err(|e| e.to_string())?;
            let last =
                deflate(tail.as_bytes(), FlushCompress::Finish).map_err(|e| e.to_string())?;
            let mut data_len = (first.len() + last.len()) as u64;
            for p in &rows.pieces {
                crc.combine(&p.crc);
                len += p.len;
                data_len += p.data.len() as u64;
            }
            let mut tail_crc = Hasher::new();
            tail_crc.update(tail.as_bytes());
            crc.combine(&tail_crc);
            len += tail.len() as u64;
            let data = std::iter::once(first)
                .chain(rows.pieces.drain(..).map(|p| p.data))
                .chain(std::iter::once(last));
            let sizes = (data_len, len);
            out.entry(&rows.part, (8, crc.finalize()), sizes, data)
                .map_err(too_big)?;
        } else {
            let mut f = archive
                .by_index_raw(i)
                .map_err(|e| format!("gói xlsx: {e}"))?;
            let method = crate::package::method(f.compression()).ok_or_else(|| {
                let m = f.compression();
                format!("{}: nén kiểu {m:?}", f.name().unwrap_or_default())
            })?;
            let name = f.name().map_err(|e| e.to_string())?.into_owned();
            let (crc, sizes) = (f.crc32(), (f.compressed_size(), f.size()));
            let mut data = Vec::new();
            f.read_to_end(&mut data)
                .map_err(|e| format!("{name}: {e}"))?;
            out.entry(&name, (method, crc), sizes, std::iter::once(data))
                .map_err(too_big)?;
        }
    }
    out.finish().map_err(too_big)
}

/// The sheet's XML before its rows go in (its dimension made theirs) and
/// after; its two number formats checked against the rows' style indices.
fn split<'x>(xml: &'x str, rows: &UnitRows) -> Result<(String, &'x str), Failed> {
    let part = &rows.part;
    for (col, xf) in [("G", INT_XF), ("H", DEC_XF)] {
        let witness = format!("<c r=\"{col}{HEAD_ROW}\" s=\"{xf}\"/>");
        if !xml.contains(&witness) {
            return Err(format!("{part}: không thấy định dạng số {witness}"));
        }
    }
    let end = xml
        .find("</sheetData>")
        .ok_or_else(|| format!("{part}: không có </sheetData>"))?;
    let mut head = xml[..end].to_string();
    if let Some(last) = rows.last {
        const DIM: &str = "<dimension ref=\"";
        let at = head
            .find(DIM)
            .map(|p| p + DIM.len())
            .ok_or_else(|| format!("{part}: không có <dimension>"))?;
        let close = head[at..]
            .find('"')
            .map(|p| at + p)
            .ok_or_else(|| format!("{part}: <dimension> hỏng"))?;
        head.replace_range(at..close, &format!("A1:J{last}"));
    }
    Ok((head, &xml[end..]))
}

/// What the plain ZIP layout could not hold, in the user's words.
fn too_big(e: TooBig) -> Failed {
    let over = |what: &str| format!("tong-hop.xlsx quá lớn ({what} vượt 4 GiB)");
    match e {
        TooBig::Size(name) => over(&name),
        TooBig::Offset => over("vị trí"),
        TooBig::Directory => over("mục lục"),
        TooBig::Name(name) => format!("tên phần quá dài: {name}"),
        TooBig::Entries => "tong-hop.xlsx có quá nhiều phần".into(),
        TooBig::Mismatch(name) => format!("{name}: cỡ nén không khớp"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::CompressionMethod;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn pieces_join_into_one_stream() {
        let parts: Vec<Vec<u8>> = (0..5)
            .map(|i| {
                (0..20_000 * i)
                    .map(|n| format!("<row r=\"{n}\">{}</row>", n % 97))
                    .collect::<String>()
                    .into_bytes()
            })
            .collect();
        let mut joined = Vec::new();
        let mut crc = Hasher::new();
        for p in &parts {
            let piece = deflate_piece(p).unwrap();
            assert_eq!(piece.len, p.len() as u64);
            crc.combine(&piece.crc);
            joined.extend_from_slice(&piece.data);
        }
        joined.extend_from_slice(&deflate(b"</sheetData>", FlushCompress::Finish).unwrap());
        let whole: Vec<u8> = parts.concat().into_iter().chain(*b"</sheetData>").collect();
        assert_eq!(inflate(&joined), whole);
        crc.combine(&{
            let mut h = Hasher::new();
            h.update(b"</sheetData>");
            h
        });
        assert_eq!(crc.finalize(), crc32fast::hash(&whole));
    }

    #[test]
    fn the_archive_reads_back() {
        // Parts as another writer made them, copied raw, and one of ours.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("a.xml", opts).unwrap();
        w.write_all(&b"<a/>".repeat(1000)).unwrap();
        w.start_file("b.bin", opts.compression_method(CompressionMethod::Stored))
            .unwrap();
        w.write_all(b"raw").unwrap();
        let src = w.finish().unwrap().into_inner();
        let mut archive = zip::ZipArchive::new(Cursor::new(&src[..])).unwrap();
        let mut out = Zip::default();
        for i in 0..archive.len() {
            let mut f = archive.by_index_raw(i).unwrap();
            let method = if f.compression() == CompressionMethod::Stored {
                0
            } else {
                8
            };
            let (name, crc, sizes) = (
                f.name().unwrap().into_owned(),
                f.crc32(),
                (f.compressed_size(), f.size()),
            );
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            out.entry(&name, (method, crc), sizes, std::iter::once(&data[..]))
                .unwrap();
        }
        let body = b"<sheetData>x&amp;y</sheetData>";
        let piece = deflate_piece(body).unwrap();
        let end = deflate(b"", FlushCompress::Finish).unwrap();
        let csize = (piece.data.len() + end.len()) as u64;
        let data = [&piece.data[..], &end[..]];
        out.entry(
            "xl/ơ.xml",
            (8, crc32fast::hash(body)),
            (csize, body.len() as u64),
            data.into_iter(),
        )
        .unwrap();
        let bytes = out.finish().unwrap();
        let mut back = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut s = Vec::new();
            back.by_name(name).unwrap().read_to_end(&mut s).unwrap();
            s
        };
        assert_eq!(read("a.xml"), b"<a/>".repeat(1000));
        assert_eq!(read("b.bin"), b"raw");
        assert_eq!(read("xl/ơ.xml"), body);
        // A size the plain layout cannot hold is refused, in words.
        let mut z = Zip::default();
        let big = (u64::from(u32::MAX), 0);
        let e = z.entry("x", (0, 0), big, std::iter::empty::<&[u8]>());
        assert_eq!(
            e.map_err(too_big),
            Err("tong-hop.xlsx quá lớn (x vượt 4 GiB)".into())
        );
    }
}
