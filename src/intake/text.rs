//! Cleaning text cells: legacy encodings (TCVN3, VNI) to Unicode, and
//! decomposed Unicode to NFC, remembering what was converted so one info
//! diagnostic per sheet says so.

use crate::diagnostics::{Diagnostic, Location};
use crate::vi::fold::{is_nfc, nfc};
use crate::vi::legacy::{to_unicode, Legacy};

/// Converts text cells of one sheet and remembers what it did.
pub struct TextFixer {
    file: String,
    sheet: String,
    legacy: Vec<(Legacy, String)>,
    nfd: Vec<String>,
}

impl TextFixer {
    /// A fixer for one sheet.
    pub fn new(file: &str, sheet: &str) -> Self {
        TextFixer {
            file: file.to_string(),
            sheet: sheet.to_string(),
            legacy: Vec::new(),
            nfd: Vec::new(),
        }
    }

    /// Clean one cell's text; `cell` is its A1 reference.
    pub fn fix(&mut self, text: &str, cell: &str) -> String {
        if let Some((t, enc)) = to_unicode(text) {
            self.legacy.push((enc, cell.to_string()));
            return t;
        }
        if !is_nfc(text) {
            self.nfd.push(cell.to_string());
            return nfc(text);
        }
        text.to_string()
    }

    /// The info diagnostics for what was converted.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let loc = |cell: &str| Location {
            file: Some(self.file.clone()),
            sheet: Some(self.sheet.clone()),
            cell: Some(cell.to_string()),
        };
        for enc in [Legacy::Tcvn3, Legacy::Vni] {
            let cells: Vec<&str> = self
                .legacy
                .iter()
                .filter(|(e, _)| *e == enc)
                .map(|(_, c)| c.as_str())
                .collect();
            if let Some(first) = cells.first() {
                let name = match enc {
                    Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
                    Legacy::Vni => "VNI (phông VNI-Times)",
                };
                out.push(Diagnostic::info(
                    loc(first),
                    format!(
                        "{} ô chữ gõ bằng bảng mã {name} ({}); đã chuyển sang Unicode",
                        cells.len(),
                        list(&cells)
                    ),
                ));
            }
        }
        if let Some(first) = self.nfd.first() {
            let cells: Vec<&str> = self.nfd.iter().map(String::as_str).collect();
            out.push(Diagnostic::info(
                loc(first),
                format!(
                    "{} ô chữ Unicode dạng tổ hợp (NFD) ({}); đã chuẩn hóa về dạng dựng sẵn (NFC)",
                    cells.len(),
                    list(&cells)
                ),
            ));
        }
        out
    }
}

fn list(cells: &[&str]) -> String {
    if cells.len() <= 6 {
        cells.join(", ")
    } else {
        format!("{}, …", cells[..6].join(", "))
    }
}
