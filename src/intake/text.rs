//! Cleaning a sheet's text cells before anything reads them: legacy
//! encodings (TCVN3, VNI) to Unicode, decomposed Unicode to NFC, with info
//! diagnostics saying which cells were converted and how.
//!
//! The rule, per sheet:
//! 1. a cell whose font is known to be legacy (`.VnTime`, `.VnTimeH`,
//!    `VNI-Times`) is decoded in that font's encoding (capitals for `.Vn…H`);
//! 2. otherwise a cell is decoded when a legacy reading is clearly more
//!    Vietnamese than the text as it stands (`vi::legacy::detect`);
//! 3. the sheet's encoding (the one most cells were decoded in) then also
//!    decodes the cells that read at least as well in it (short words such
//!    as `Cã` are Vietnamese-looking both ways);
//! 4. TCVN3 cells without a known font get capitals guessed from their
//!    ASCII letters, and the diagnostic says the font could not be read.

use calamine::Data;

use crate::diagnostics::{a1, Diagnostic, Location};
use crate::sheet::Grid;
use crate::vi::fold::{is_nfc, nfc};
use crate::vi::legacy::{
    decode_if_plausible, decode_tcvn3, decode_vni, detect, font_encoding, guess_capitals,
    may_be_legacy, Legacy,
};

/// What was converted in one sheet.
#[derive(Default)]
struct Report {
    tcvn3: Vec<String>,
    vni: Vec<String>,
    /// TCVN3 cells drawn in capitals by their `.Vn…H` font.
    capitals_by_font: Vec<String>,
    /// TCVN3 cells whose capitals were guessed (font unknown).
    capitals_guessed: Vec<String>,
    nfd: Vec<String>,
}

/// Convert every text cell of a sheet in place; returns the info
/// diagnostics. `file_kind` names the format for the font message.
pub fn fix_grid(g: &mut Grid, file: &str, file_kind: &str) -> Vec<Diagnostic> {
    let mut rep = Report::default();
    // Pass 1: fonts and clear cases; Unicode text made NFC at once (text
    // that may be legacy is below U+0300 or punctuation: NFC already).
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut decided: Vec<(usize, usize, Legacy, String, bool)> = Vec::new();
    for r in 0..g.cells.len() {
        for c in 0..g.cells[r].len() {
            let Data::String(s) = &g.cells[r][c] else {
                continue;
            };
            // ASCII is neither a legacy encoding nor other than NFC.
            if s.is_ascii() {
                continue;
            }
            if !may_be_legacy(s) {
                if !is_nfc(s) {
                    let (ar, ac) = g.abs(r, c);
                    rep.nfd.push(a1(ar, ac));
                    g.cells[r][c] = Data::String(nfc(s));
                }
                continue;
            }
            let (ar, ac) = g.abs(r, c);
            let font = g.font(ar, ac).and_then(font_encoding);
            if let Some((enc, caps)) = font {
                let t = match enc {
                    Legacy::Tcvn3 => decode_tcvn3(s, caps),
                    Legacy::Vni => decode_vni(s),
                };
                decided.push((r, c, enc, t, caps));
            } else if let Some((t, enc)) = detect(s) {
                decided.push((r, c, enc, t, false));
            } else {
                pending.push((r, c));
            }
        }
    }
    let tcvn = decided.iter().filter(|d| d.2 == Legacy::Tcvn3).count();
    let vni = decided.len() - tcvn;
    let sheet_enc = match (tcvn, vni) {
        (0, 0) => None,
        (t, v) if t >= v => Some(Legacy::Tcvn3),
        _ => Some(Legacy::Vni),
    };
    // Pass 2: the sheet's encoding for cells that read as well either way.
    if let Some(enc) = sheet_enc {
        for (r, c) in pending {
            if let Data::String(s) = &g.cells[r][c] {
                if let Some(t) = decode_if_plausible(s, enc, false) {
                    decided.push((r, c, enc, t, false));
                }
            }
        }
    }
    decided.sort_by_key(|d| (d.0, d.1));
    for (r, c, enc, text, caps_by_font) in decided {
        let (ar, ac) = g.abs(r, c);
        let cell = a1(ar, ac);
        let text = if enc == Legacy::Tcvn3 && !caps_by_font && !g.fonts_known {
            let original = match &g.cells[r][c] {
                Data::String(s) => s.clone(),
                _ => String::new(),
            };
            let (t, raised) = guess_capitals(&text, &original);
            if raised {
                rep.capitals_guessed.push(cell.clone());
            }
            t
        } else {
            text
        };
        if caps_by_font {
            rep.capitals_by_font.push(cell.clone());
        }
        match enc {
            Legacy::Tcvn3 => rep.tcvn3.push(cell),
            Legacy::Vni => rep.vni.push(cell),
        }
        g.cells[r][c] = Data::String(nfc(&text));
    }
    let mut out = rep.into_diagnostics(file, &g.sheet, g.fonts_known, file_kind);
    if let Some(&(r, c)) = g.cleaned.first() {
        let cells: Vec<String> = g.cleaned.iter().map(|&(r, c)| a1(r, c)).collect();
        out.push(Diagnostic::info(
            Location::cell(file, &g.sheet, r, c),
            format!(
                "{} ô chứa ký tự điều khiển không in được ({}); đã bỏ các ký tự đó",
                cells.len(),
                list(&cells)
            ),
        ));
    }
    out
}

impl Report {
    fn into_diagnostics(
        self,
        file: &str,
        sheet: &str,
        fonts_known: bool,
        file_kind: &str,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let loc = |cell: &str| Location {
            file: Some(file.to_string()),
            sheet: Some(sheet.to_string()),
            cell: Some(cell.to_string()),
        };
        if let Some(first) = self.tcvn3.first() {
            let fonts = if fonts_known {
                if self.capitals_by_font.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} ô dùng phông chữ hoa .VnTimeH ({}) được chuyển thành chữ hoa",
                        self.capitals_by_font.len(),
                        list(&self.capitals_by_font)
                    )
                }
            } else {
                let guessed = if self.capitals_guessed.is_empty() {
                    "không ô nào được đổi thành chữ hoa".to_string()
                } else {
                    format!(
                        "{} ô ({}) được đoán là chữ hoa vì các chữ cái khác trong ô đều viết hoa",
                        self.capitals_guessed.len(),
                        list(&self.capitals_guessed)
                    )
                };
                format!(
                    "; tệp {file_kind} không cho biết phông chữ của từng ô nên không phân biệt được chữ hoa gõ bằng phông .VnTimeH: {guessed}; đề nghị kiểm tra lại chữ hoa"
                )
            };
            out.push(Diagnostic::info(
                loc(first),
                format!(
                    "{} ô chữ gõ bằng bảng mã TCVN3 (ABC, phông .VnTime) ({}); đã chuyển sang Unicode{fonts}",
                    self.tcvn3.len(),
                    list(&self.tcvn3)
                ),
            ));
        }
        if let Some(first) = self.vni.first() {
            out.push(Diagnostic::info(
                loc(first),
                format!(
                    "{} ô chữ gõ bằng bảng mã VNI (phông VNI-Times) ({}); đã chuyển sang Unicode",
                    self.vni.len(),
                    list(&self.vni)
                ),
            ));
        }
        if let Some(first) = self.nfd.first() {
            out.push(Diagnostic::info(
                loc(first),
                format!(
                    "{} ô chữ Unicode dạng tổ hợp (NFD) ({}); đã chuẩn hóa về dạng dựng sẵn (NFC)",
                    self.nfd.len(),
                    list(&self.nfd)
                ),
            ));
        }
        out
    }
}

fn list(cells: &[String]) -> String {
    if cells.len() <= 6 {
        cells.join(", ")
    } else {
        format!("{}, …", cells[..6].join(", "))
    }
}
