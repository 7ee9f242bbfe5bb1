//! An `.xlsx` package made again for the reader from what the checks
//! inflated: its sheets stored as they were inflated (so the reader does
//! not inflate them a second time, and reads exactly the bytes that were
//! checked), every other part copied as it is, without the parts nothing
//! here reads (the theme, which only gives colours, and the document
//! properties, read by [`core_properties`]). The zip crate writes it; on
//! any failure the original file is read instead.

use std::io::{Cursor, Read, Write};

use quick_xml::events::Event;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::container::Archive;
use super::Properties;

/// Parts left out, by lower-case name.
fn left_out(name: &str) -> bool {
    name.starts_with("docprops/") || name.contains("/theme/")
}

/// The package again: `inflated` (entry index, bytes) stored, the rest
/// copied raw; None when it cannot be made (the original is then read).
pub fn repack(archive: &mut Archive<'_>, inflated: Vec<(usize, Vec<u8>)>) -> Option<Vec<u8>> {
    let mut stored: Vec<Option<Vec<u8>>> = vec![None; archive.len()];
    for (i, bytes) in inflated {
        *stored.get_mut(i)? = Some(bytes);
    }
    // What the package will take: each part, its name twice and the headers.
    let mut size = 22usize;
    for (i, keep) in stored.iter().enumerate() {
        let e = archive.by_index_raw(i).ok()?;
        let body = keep.as_ref().map_or(e.compressed_size() as usize, Vec::len);
        size += body + 2 * e.name_raw().len() + 128;
    }
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(size)));
    let stored_options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (i, keep) in stored.into_iter().enumerate() {
        let entry = archive.by_index_raw(i).ok()?;
        let name = entry.name().ok()?.to_string();
        if left_out(&name.replace('\\', "/").to_lowercase()) {
            continue;
        }
        match keep {
            Some(bytes) => {
                drop(entry);
                out.start_file(name, stored_options).ok()?;
                out.write_all(&bytes).ok()?;
            }
            None => out.raw_copy_file(entry).ok()?,
        }
    }
    Some(out.finish().ok()?.into_inner())
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
