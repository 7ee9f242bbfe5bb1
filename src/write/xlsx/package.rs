//! `tong-hop.xlsx`'s package: rust_xlsxwriter's, with the per-unit sheet's
//! data rows (made in `units.rs`) put into that sheet's part.
//!
//! The parts rust_xlsxwriter wrote are copied as they are (still
//! compressed, read with the zip crate); the per-unit sheet's part is its
//! XML before `</sheetData>`, the rows' pieces, and the rest, each
//! deflated on its own and joined into one stream (each piece but the last
//! ends on a byte boundary with a sync flush, so the pieces follow one
//! another as pigz joins its blocks). The zip crate cannot take a part
//! deflated elsewhere, so the archive's headers are written here: the
//! plain ZIP layout of APPNOTE 6.3 (no ZIP64: Excel's row limit keeps a
//! sheet far below 4 GiB, and a larger one is refused, not cut).

use std::io::{Cursor, Read};

use crc32fast::Hasher;
use flate2::{Compress, Compression, FlushCompress, Status};
use zip::CompressionMethod;

use super::units::{UnitRows, DEC_XF, INT_XF};
use super::HEAD_ROW;

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
    let mut out = Zip::default();
    // The rows' pieces are let go as they are copied: the file is held once.
    let pieces: usize = rows.pieces.iter().map(|p| p.data.len()).sum();
    out.bytes.reserve_exact(xlsx.len() + pieces);
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
            out.entry(&rows.part, (8, crc.finalize()), sizes, data)?;
        } else {
            let mut f = archive
                .by_index_raw(i)
                .map_err(|e| format!("gói xlsx: {e}"))?;
            let method = match f.compression() {
                CompressionMethod::Stored => 0,
                CompressionMethod::Deflated => 8,
                m => return Err(format!("{}: nén kiểu {m:?}", f.name().unwrap_or_default())),
            };
            let name = f.name().map_err(|e| e.to_string())?.into_owned();
            let (crc, sizes) = (f.crc32(), (f.compressed_size(), f.size()));
            let mut data = Vec::new();
            f.read_to_end(&mut data)
                .map_err(|e| format!("{name}: {e}"))?;
            out.entry(&name, (method, crc), sizes, std::iter::once(data))?;
        }
    }
    out.finish()
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

/// A ZIP archive written entry by entry, in memory.
#[derive(Default)]
struct Zip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// The date every entry carries, as rust_xlsxwriter's (1980-01-01 00:00):
/// the same inputs give the same bytes.
const DOS_DATE: u16 = (1 << 5) | 1;

fn small(n: u64, what: &str) -> Result<u32, Failed> {
    u32::try_from(n)
        .ok()
        .filter(|&n| n != u32::MAX)
        .ok_or_else(|| format!("tong-hop.xlsx quá lớn ({what} vượt 4 GiB)"))
}

impl Zip {
    /// One entry: its name, (method, CRC), (compressed, full) sizes and
    /// its compressed bytes in pieces.
    fn entry<D: AsRef<[u8]>>(
        &mut self,
        name: &str,
        (method, crc): (u16, u32),
        (csize, size): (u64, u64),
        data: impl Iterator<Item = D>,
    ) -> Result<(), Failed> {
        let offset = small(self.bytes.len() as u64, "vị trí")?;
        let (csize, size) = (small(csize, name)?, small(size, name)?);
        let name_len =
            u16::try_from(name.len()).map_err(|_| format!("tên phần quá dài: {name}"))?;
        self.entries = self
            .entries
            .checked_add(1)
            .filter(|&n| n != u16::MAX)
            .ok_or("tong-hop.xlsx có quá nhiều phần")?;
        // Bit 11: the name is UTF-8.
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        let common = |b: &mut Vec<u8>| {
            for v in [20u16, flags, method, 0, DOS_DATE] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, csize, size] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            b.extend_from_slice(&name_len.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        let b = &mut self.bytes;
        b.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(b);
        b.extend_from_slice(name.as_bytes());
        let start = b.len();
        for d in data {
            b.extend_from_slice(d.as_ref());
        }
        if (b.len() - start) as u64 != u64::from(csize) {
            return Err(format!("{name}: cỡ nén không khớp"));
        }
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes()); // made by: MS-DOS, 2.0
        common(c);
        // Comment length, disk, internal and external attributes.
        for v in [0u16, 0, 0] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<u8>, Failed> {
        let at = small(self.bytes.len() as u64, "vị trí")?;
        let size = small(self.central.len() as u64, "mục lục")?;
        self.bytes.extend_from_slice(&self.central);
        let b = &mut self.bytes;
        b.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0u16, 0, self.entries, self.entries] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&size.to_le_bytes());
        b.extend_from_slice(&at.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes()); // comment
        Ok(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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
        // A size the plain layout cannot hold is refused.
        assert!(small(u64::from(u32::MAX), "x").is_err());
    }
}
