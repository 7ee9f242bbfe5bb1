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
/// `tblHeader` so Word and LibreOffice repeat it on every page.
pub fn mark_header_rows(xml: &str) -> String {
    xml.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .replace("<w:cantSplit/>", "<w:cantSplit/><w:tblHeader/>")
}

/// Rewrite the package: header rows marked, every entry stamped 1980-01-01.
pub fn finish(raw: &[u8]) -> Result<Vec<u8>, WriteError> {
    let mut zin = ZipArchive::new(Cursor::new(raw)).map_err(be)?;
    let mut out = Vec::new();
    {
        let mut zout = ZipWriter::new(Cursor::new(&mut out));
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default());
        for i in 0..zin.len() {
            let mut entry = zin.by_index(i).map_err(be)?;
            let name = entry.name().map_err(be)?.to_string();
            if entry.is_dir() {
                continue;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(be)?;
            if name == "word/document.xml" {
                let text = String::from_utf8(data).map_err(be)?;
                data = mark_header_rows(&text).into_bytes();
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
    fn header_rows_get_tbl_header() {
        let x = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr>";
        assert_eq!(
            mark_header_rows(x),
            "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr>"
        );
    }
}
