//! An `.xlsx` package made again for the reader from what the checks
//! inflated: its sheets stored as they were inflated (so the reader does
//! not inflate them a second time, and reads exactly the bytes that were
//! checked), every other part copied as it is, without the parts nothing
//! here reads (the theme, which only gives colours, and the document
//! properties, read by [`core_properties`]). On any failure the original
//! file is read instead.
//!
//! The package is written by [`crate::package`], not by the zip crate's
//! writer: each part's CRC is the one the checks verified, and the zip
//! crate's writer (CRC of every byte again, bookkeeping per entry) was a
//! thirtieth of a check.

use std::io::Read;

use quick_xml::events::Event;

use super::container::Archive;
use super::Properties;
use crate::package::{self, Zip};

/// Parts left out, by lower-case name.
fn left_out(name: &str) -> bool {
    name.starts_with("docprops/") || name.contains("/theme/")
}

/// The package again: `inflated` (entry index, bytes) stored, the rest
/// copied raw from `bytes` (the file `archive` reads); None when it cannot
/// be made (the original is then read).
pub fn repack(
    bytes: &[u8],
    archive: &mut Archive<'_>,
    inflated: Vec<(usize, Vec<u8>)>,
) -> Option<Vec<u8>> {
    let mut stored: Vec<Option<Vec<u8>>> = vec![None; archive.len()];
    for (i, bytes) in inflated {
        *stored.get_mut(i)? = Some(bytes);
    }
    // What the package will take: each part, its name twice and the headers.
    let mut size = 22usize;
    for (i, keep) in stored.iter().enumerate() {
        let e = archive.by_index_raw(i).ok()?;
        let body = keep.as_ref().map_or(e.compressed_size() as usize, Vec::len);
        size += body + 2 * e.name_raw().len() + 76;
    }
    let mut out = Zip::with_capacity(size);
    for (i, keep) in stored.into_iter().enumerate() {
        let e = archive.by_index_raw(i).ok()?;
        if e.encrypted() {
            return None;
        }
        let name = e.name().ok()?.to_string();
        if left_out(&name.replace('\\', "/").to_lowercase()) {
            continue;
        }
        let (method, data, size) = match &keep {
            // Verified against this CRC when it was inflated.
            Some(b) => (0u16, b.as_slice(), b.len() as u64),
            None => {
                let method = package::method(e.compression())?;
                let start = usize::try_from(e.data_start()?).ok()?;
                let len = usize::try_from(e.compressed_size()).ok()?;
                let data = bytes.get(start..start.checked_add(len)?)?;
                (method, data, e.size())
            }
        };
        let sizes = (data.len() as u64, size);
        out.entry(&name, (method, e.crc32()), sizes, std::iter::once(data))
            .ok()?;
    }
    out.finish().ok()
}

/// When the workbook was last saved and its subject, from
/// `docProps/core.xml` (as calamine reads them: each element's text, the
/// last of a name kept); None when the part is missing or broken.
/// The part as the checks inflated it when they kept it (`inflated`).
pub fn core_properties(
    archive: &mut Archive<'_>,
    inflated: Option<&[(usize, Vec<u8>)]>,
) -> Option<Properties> {
    let name = archive
        .file_names()
        .filter_map(|n| n.ok())
        .find(|n| n.replace('\\', "/").to_lowercase() == "docprops/core.xml")?
        .to_string();
    let index = archive.index_for_name(&name);
    let kept = inflated
        .and_then(|v| v.iter().find(|(i, _)| Some(*i) == index))
        .map(|(_, b)| b.as_slice());
    // The part is a few hundred bytes; a larger one is not read past this.
    const MOST: usize = 1 << 20;
    let source: Box<dyn std::io::BufRead + '_> = match kept {
        Some(bytes) => Box::new(&bytes[..bytes.len().min(MOST)]),
        None => Box::new(std::io::BufReader::new(
            archive.by_name(&name).ok()?.take(MOST as u64),
        )),
    };
    let mut xml = quick_xml::Reader::from_reader(source);
    let cfg = xml.config_mut();
    cfg.check_end_names = false;
    let mut props = Properties::default();
    let mut buf = Vec::new();
    let mut current: Option<bool> = None;
    let mut value = String::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                value.clear();
                current = match e.local_name().as_ref() {
                    "modified" => Some(true),
                    "subject" => Some(false),
                    _ => None,
                };
            }
            Event::Text(t) if current.is_some() => {
                value.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if current.is_some() => {
                match quick_xml::escape::resolve_xml_entity(&r) {
                    Some(s) => value.push_str(s),
                    None => {
                        let c = r.resolve_char_ref().ok()??;
                        value.push(c);
                    }
                }
            }
            Event::End(_) => {
                if let Some(modified) = current.take().filter(|_| !value.is_empty()) {
                    let v = std::mem::take(&mut value);
                    if modified {
                        props.modified = Some(v);
                    } else {
                        props.subject = Some(v);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(props)
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    /// Inflated parts come back stored, others as they were (deflated), a
    /// Vietnamese name as it was, the theme and properties left out; the
    /// zip crate reads every part back with its CRC checked.
    #[test]
    fn the_package_reads_back_part_by_part() {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let parts: [(&str, &[u8]); 4] = [
            ("[Content_Types].xml", b"<Types/>"),
            (
                "xl/worksheets/b\u{1ea3}ng 1.xml",
                b"<worksheet>x</worksheet>",
            ),
            ("xl/theme/theme1.xml", b"<theme/>"),
            ("docProps/core.xml", b"<core/>"),
        ];
        for (name, body) in parts {
            w.start_file(name, deflated).unwrap();
            w.write_all(body).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let sheet = (1, parts[1].1.to_vec());
        let out = super::repack(&bytes, &mut archive, vec![sheet]).expect("repacked");
        let mut back = zip::ZipArchive::new(std::io::Cursor::new(out)).unwrap();
        let names: Vec<String> = back.file_names().map(|n| n.unwrap().into_owned()).collect();
        assert_eq!(names, [parts[0].0, parts[1].0]);
        for (i, (method, body)) in [
            (CompressionMethod::Deflated, parts[0].1),
            (CompressionMethod::Stored, parts[1].1),
        ]
        .into_iter()
        .enumerate()
        {
            let mut e = back.by_index(i).unwrap();
            assert_eq!(e.compression(), method);
            let mut read = Vec::new();
            e.read_to_end(&mut read).unwrap();
            assert_eq!(read, body);
        }
    }
}
