//! A zip part read out whole, with one inflater per thread reused from
//! part to part. The zip crate's reader makes a new inflater for every
//! part (a workbook has about ten) and zeroes its 32 KB window each time;
//! here the part's raw bytes are inflated by hand with flate2, under the
//! same rules as that reader: never more than the part declares, and its
//! CRC-32 checked at the end.

use std::cell::RefCell;
use std::io::{Read, Write};

use flate2::{Decompress, FlushDecompress, Status};
use zip::CompressionMethod;

use super::container::Archive;

/// The inflater and its buffers, made once per thread (zeroing fresh
/// buffers for every part cost as much as the inflater saved).
struct Tools {
    inflater: Decompress,
    input: Vec<u8>,
    output: Vec<u8>,
}

thread_local! {
    static TOOLS: RefCell<Tools> = RefCell::new(Tools {
        inflater: Decompress::new(false),
        input: vec![0; 16 * 1024],
        output: vec![0; 16 * 1024],
    });
}

/// Why a part could not be read as it declares (the zip crate's words,
/// which messages quote).
#[derive(Debug)]
pub struct Broken(pub String);

/// Write part `i` into `out`, stopping once more than `limit` bytes came
/// out; gives how many bytes it wrote (`limit + 1` means more than the
/// limit). `Ok(None)`: not a plain stored or deflated part, which the zip
/// crate's own reader is left to read.
pub fn read_part(
    archive: &mut Archive<'_>,
    i: usize,
    limit: u64,
    out: &mut dyn Write,
) -> Result<Option<u64>, Broken> {
    let broken = |e: &dyn std::fmt::Display| Broken(e.to_string());
    let mut entry = archive.by_index_raw(i).map_err(|e| broken(&e))?;
    let method = entry.compression();
    if entry.encrypted()
        || !matches!(
            method,
            CompressionMethod::Stored | CompressionMethod::Deflated
        )
    {
        return Ok(None);
    }
    let (declared, crc) = (entry.size(), entry.crc32());
    let mut sum = crc32fast::Hasher::new();
    let mut written: u64 = 0;
    let mut give = |piece: &[u8], written: &mut u64| -> Result<bool, Broken> {
        let room = (limit + 1).saturating_sub(*written);
        let piece = &piece[..piece.len().min(usize::try_from(room).unwrap_or(usize::MAX))];
        *written += piece.len() as u64;
        if *written > declared {
            return Err(Broken(
                "File is larger than its declared uncompressed size".into(),
            ));
        }
        sum.update(piece);
        out.write_all(piece).map_err(|e| broken(&e))?;
        Ok(*written <= limit)
    };
    let ended = TOOLS.with(|cell| -> Result<Option<u64>, Broken> {
        let tools = &mut *cell.borrow_mut();
        let (d, input, buf) = (&mut tools.inflater, &mut tools.input, &mut tools.output);
        if method == CompressionMethod::Stored {
            loop {
                let n = entry.read(buf).map_err(|e| broken(&e))?;
                if n == 0 {
                    return Ok(None);
                }
                if !give(&buf[..n], &mut written)? {
                    return Ok(Some(written));
                }
            }
        }
        d.reset(false);
        let (mut start, mut end) = (0usize, 0usize);
        let mut at_end = false;
        loop {
            if start == end && !at_end {
                end = entry.read(input).map_err(|e| broken(&e))?;
                start = 0;
                at_end = end == 0;
            }
            let (before_in, before_out) = (d.total_in(), d.total_out());
            let status = d
                .decompress(&input[start..end], buf, FlushDecompress::None)
                .map_err(|e| broken(&e))?;
            let used = (d.total_in() - before_in) as usize;
            start += used;
            let made = (d.total_out() - before_out) as usize;
            if made > 0 && !give(&buf[..made], &mut written)? {
                return Ok(Some(written));
            }
            if status == Status::StreamEnd {
                return Ok(None);
            }
            // No step forward: the part stops short (its CRC then tells
            // whether what came is all of it), or its bytes cannot go on
            // (never a loop: each turn takes input, gives output, reads
            // more of the part, or ends).
            if made == 0 && used == 0 {
                if start < end {
                    return Err(Broken("corrupt deflate stream".into()));
                }
                if at_end {
                    return Ok(None);
                }
            }
        }
    })?;
    if let Some(w) = ended {
        return Ok(Some(w));
    }
    if sum.finalize() != crc {
        return Err(Broken("Invalid checksum".into()));
    }
    Ok(Some(written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use zip::write::SimpleFileOptions;

    fn archive_of(parts: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, m) in parts {
            z.start_file(*name, SimpleFileOptions::default().compression_method(*m))
                .unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    /// Every part reads back as the zip crate reads it, at any limit.
    #[test]
    fn reads_parts_as_the_zip_crate_does() {
        let text: Vec<u8> = (0..50_000u32)
            .flat_map(|i| format!("<c r=\"A{i}\"><v>{}</v></c>", i * 7 % 1000).into_bytes())
            .collect();
        let bytes = archive_of(&[
            ("a.xml", &text, CompressionMethod::Deflated),
            ("b.xml", &text[..3000], CompressionMethod::Stored),
            ("empty.xml", b"", CompressionMethod::Deflated),
        ]);
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        for i in 0..archive.len() {
            let mut want = Vec::new();
            archive.by_index(i).unwrap().read_to_end(&mut want).unwrap();
            let mut got = Vec::new();
            let n = read_part(&mut archive, i, u64::MAX - 1, &mut got).unwrap();
            assert_eq!((n, &got), (Some(want.len() as u64), &want), "part {i}");
            // Stopped past a limit: one byte more than it.
            if want.len() > 10 {
                let mut cut = Vec::new();
                let n = read_part(&mut archive, i, 10, &mut cut).unwrap();
                assert_eq!((n, cut.as_slice()), (Some(11), &want[..11]));
            }
        }
    }

    /// A part whose bytes do not match its CRC, or that stops short, is broken.
    #[test]
    fn a_damaged_part_is_broken() {
        let text = vec![b'x'; 20_000];
        let bytes = archive_of(&[("a.xml", &text, CompressionMethod::Deflated)]);
        // The deflated data starts after the local header (30 bytes + name).
        for (at, cut) in [(40usize, false), (45, true)] {
            let mut b = bytes.clone();
            if cut {
                // Its compressed size still says the whole: the data ends early.
                let end = b.len() - 100;
                b.truncate(end);
                b.extend(std::iter::repeat_n(0u8, 100));
            } else {
                b[at] ^= 0x55;
            }
            let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(b.as_slice())) else {
                continue;
            };
            let r = read_part(&mut archive, 0, u64::MAX - 1, &mut Vec::new());
            assert!(r.is_err(), "{at} {cut}: {r:?}");
        }
    }

    /// Whatever the bytes of a deflated part, reading it ends, within the
    /// limit: thousands of parts with bytes of their compressed data
    /// changed (their sizes as written), each read to an answer.
    #[test]
    fn any_bytes_end() {
        let text: Vec<u8> = (0..4000u32)
            .flat_map(|i| format!("<c r=\"B{i}\"><v>{}</v></c>", i % 97).into_bytes())
            .collect();
        let bytes = archive_of(&[("a.xml", &text, CompressionMethod::Deflated)]);
        let data = 30 + "a.xml".len();
        let (len, mut seed) = (bytes.len(), 0x9E37_79B9_7F4A_7C15u64);
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut read, mut refused) = (0, 0);
        for _ in 0..3000 {
            let mut b = bytes.clone();
            for _ in 0..1 + next() % 8 {
                let at = data + (next() as usize) % (len / 2 - data);
                b[at] = next() as u8;
            }
            let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(b.as_slice())) else {
                continue;
            };
            let mut out = Vec::new();
            match read_part(&mut archive, 0, 50_000, &mut out) {
                Ok(n) => {
                    read += 1;
                    assert!(n.unwrap_or(0) <= 50_001 && out.len() <= 50_001);
                }
                Err(_) => refused += 1,
            }
        }
        assert!(refused > 1000, "{read} read, {refused} refused");
    }
}
