//! The free-form lines above the table: `Tên đơn vị`, `Mã đơn vị`,
//! `Kỳ báo cáo`, with the value after the colon or in the next non-empty
//! cell to the right.

use calamine::Data;

use super::cells::QUOTE;
use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Loai;
use crate::sheet::{short, Grid};
use crate::vi::fold::fold;
use crate::vi::period::{parse_period, period_words};

/// The values found, each with its location.
#[derive(Debug, Default)]
pub struct Header {
    /// Unit name.
    pub ten: Option<(String, Location)>,
    /// Unit code.
    pub ma: Option<(String, Location)>,
    /// Period text.
    pub ky: Option<(String, Location)>,
}

/// More letters and digits than any header label has (`Tên đơn vị`: 8).
const LABEL_LETTERS: usize = 10;

/// How far down the header lines may stand.
const HEADER_ROWS: usize = 40;

/// Find the three header lines anywhere in the top rows.
pub fn read_header(g: &Grid, file: &str) -> Header {
    let mut h = Header::default();
    let width = g.width();
    for r in 0..g.height().min(HEADER_ROWS) {
        if h.ten.is_some() && h.ma.is_some() && h.ky.is_some() {
            break;
        }
        for c in 0..width {
            // A label is text; numbers are not looked at.
            let Data::String(cell) = g.get(r, c) else {
                continue;
            };
            if cell.trim().is_empty() {
                continue;
            }
            let (label, after) = cell.split_once(':').unwrap_or((cell.as_str(), ""));
            // Every label starts with t, d/đ, m or k: others (codes, units,
            // figures typed as text) are not folded.
            let first = label.chars().find(|c| crate::vi::fold::is_alphanumeric(*c));
            if first.is_none_or(|c| {
                c.is_ascii() && !matches!(c, 't' | 'T' | 'd' | 'D' | 'm' | 'M' | 'k' | 'K')
            }) {
                continue;
            }
            // The labels have at most eight letters and digits: longer
            // texts (the table's rows) are not folded.
            if label
                .chars()
                .filter(|c| crate::vi::fold::is_alphanumeric(*c))
                .nth(LABEL_LETTERS)
                .is_some()
            {
                continue;
            }
            let label = fold(label);
            let slot = if label == "ten don vi" || label == "don vi" || label == "ten co so" {
                &mut h.ten
            } else if label == "ma don vi" || label == "ma" {
                &mut h.ma
            } else if label == "ky bao cao" || label == "ky" {
                &mut h.ky
            } else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let (ar, ac) = g.abs(r, c);
            let after = after.trim().to_string();
            let found = if !after.is_empty() {
                Some((after, Location::cell(file, &g.sheet, ar, ac)))
            } else {
                (c + 1..width).find_map(|cc| {
                    let t = g.text(r, cc);
                    if t.trim().is_empty() {
                        return None;
                    }
                    let (vr, vc) = g.abs(r, cc);
                    let v = t.trim().to_string();
                    Some((v, Location::cell(file, &g.sheet, vr, vc)))
                })
            };
            *slot = found;
        }
    }
    h
}

/// Compare the unit's period with the report's; a mismatch is a warning.
pub fn check_period(
    ky: &str,
    loc: &Location,
    expected: (Loai, i32, Option<u8>),
    diags: &mut Vec<Diagnostic>,
) {
    // A thematic report's period is free text: nothing to compare.
    if expected.0 == Loai::ChuyenDe {
        return;
    }
    let want = period_words(expected.0, expected.1, expected.2).ky;
    match parse_period(ky) {
        Some(p) if p == expected => {}
        Some(_) => diags.push(Diagnostic::warning(
            loc.clone(),
            format!("kỳ báo cáo là “{}”, khác kỳ của báo cáo ({want}); vẫn dùng số liệu, đề nghị kiểm tra lại với đơn vị", short(ky, QUOTE)),
        )),
        None => diags.push(Diagnostic::warning(
            loc.clone(),
            format!("không hiểu kỳ báo cáo “{}”; cần như “{want}”; vẫn dùng số liệu", short(ky, QUOTE)),
        )),
    }
}
