//! Finishing the package docx-rs wrote, in the two places it falls short:
//! the repeated table header row (`w:tblHeader`, absent from docx-rs 0.4.22)
//! and deterministic zip entries (fixed timestamps, stable order).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::write::WriteError;

fn be(e: impl std::fmt::Display) -> WriteError {
    WriteError::Backend(e.to_string())
}

/// Header rows are the rows the writer marks `cantSplit`; each also gets
/// `tblHeader` so Word and LibreOffice repeat it on every page. Then every
/// other row gets `cantSplit` too: a row is never split across pages, as
/// in the PDF.
pub fn mark_header_rows(xml: &str) -> String {
    xml.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .replace("<w:cantSplit/>", "<w:cantSplit/><w:tblHeader/>")
        .replace("<w:trPr />", "<w:trPr><w:cantSplit /></w:trPr>")
        .replace("<w:trPr/>", "<w:trPr><w:cantSplit/></w:trPr>")
}

/// docx-rs numbers images from a process-wide counter, so a second build
/// in one process names them differently: renumber `rIdImageN` in order
/// of first appearance, everywhere (part names, relationships, drawing ids).
fn renumber(text: &str, prefix: &str, map: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        out.push_str(&rest[..i]);
        out.push_str(prefix);
        if digits.is_empty() {
            rest = after;
            continue;
        }
        let n = match map.iter().position(|d| *d == digits) {
            Some(p) => p + 1,
            None => {
                map.push(digits.clone());
                map.len()
            }
        };
        out.push_str(&n.to_string());
        rest = &after[digits.len()..];
    }
    out.push_str(rest);
    out
}

/// docx-rs always writes an empty `Normal` style before ours; Word and
/// python-docx take the first, so drop the empty one when ours follows.
pub fn drop_empty_normal(xml: &str) -> String {
    const EMPTY: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;
    if xml.matches(r#"w:styleId="Normal""#).count() > 1 {
        xml.replacen(EMPTY, "", 1)
    } else {
        xml.to_string()
    }
}

/// Rewrite the package: header rows marked, images renumbered, every entry
/// stamped 1980-01-01.
pub fn finish(raw: &[u8]) -> Result<Vec<u8>, WriteError> {
    let mut zin = ZipArchive::new(Cursor::new(raw)).map_err(be)?;
    // Image numbers in document order.
    let mut images = Vec::new();
    let mut drawing_ids = Vec::new();
    if let Ok(mut doc) = zin.by_name("word/document.xml") {
        let mut text = String::new();
        doc.read_to_string(&mut text).map_err(be)?;
        renumber(&text, "rIdImage", &mut images);
        renumber(&text, "docPr id=\"", &mut drawing_ids);
    }
    let mut out = Vec::new();
    {
        let mut zout = ZipWriter::new(Cursor::new(&mut out));
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default());
        for i in 0..zin.len() {
            let mut entry = zin.by_index(i).map_err(be)?;
            let name = renumber(
                entry.name().map_err(be)?.as_ref(),
                "rIdImage",
                &mut images.clone(),
            );
            if entry.is_dir() {
                continue;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(be)?;
            if name.ends_with(".xml") || name.ends_with(".rels") {
                if let Ok(text) = String::from_utf8(data.clone()) {
                    // The one place text leaves for Word: characters XML
                    // cannot hold never reach it (they never appear in
                    // markup, so removing them from the part is exact).
                    let text = crate::write::safe::xml(&text);
                    let mut text = renumber(&text, "rIdImage", &mut images.clone());
                    if name == "word/styles.xml" {
                        text = drop_empty_normal(&text);
                    }
                    if name == "word/document.xml" {
                        text = mark_header_rows(&text);
                        text = renumber(&text, "docPr id=\"", &mut drawing_ids.clone());
                        text = renumber(&text, "cNvPr id=\"", &mut drawing_ids.clone());
                    }
                    data = text.into_bytes();
                }
            }
            zout.start_file(name, opts).map_err(be)?;
            zout.write_all(&data).map_err(be)?;
        }
        zout.finish().map_err(be)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_ids_renumber_in_order() {
        let mut m = Vec::new();
        assert_eq!(
            renumber("a rIdImage7 b rIdImage3 c rIdImage7", "rIdImage", &mut m),
            "a rIdImage1 b rIdImage2 c rIdImage1"
        );
    }

    #[test]
    fn header_rows_get_tbl_header() {
        let x = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr>";
        assert_eq!(
            mark_header_rows(x),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr>"
        );
        assert_eq!(
            mark_header_rows("<w:tr><w:trPr /></w:tr>"),
            "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>"
        );
    }
}
