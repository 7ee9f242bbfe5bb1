//! The `Theo đơn vị` sheet of `tong-hop.xlsx`: every unit's own figures
//! with their cells, one row per unit and indicator, which next year's
//! report reads back as its record (`cung_ky_tu`).
//!
//! rust_xlsxwriter makes the sheet's top (titles, header row, filter, print
//! setup); its data rows, up to 600,000 for 10,000 units of 60 indicators,
//! are written here as SpreadsheetML and deflated, in parallel pieces, while
//! the report is rendered, then put into the package (`package.rs`).
//! Written by hand because rust_xlsxwriter writes a sheet on one thread at
//! about 0.26 µs a cell, then deflates it on that thread: at a ministry's
//! scale that was most of a build. The rows are plain: inline text cells
//! without a format, numbers with one of two formats.

use std::fmt::Write as _;
use std::ops::Range;

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::cells::{sheet_name, sheet_top, width_for, Cuts, Styles};
use super::package::{deflate_piece, Piece};
use super::{Heading, HEAD_ROW};
use crate::catalog::{Level, Registry};
use crate::compile::{Compiled, UnitFigure};
use crate::diagnostics::a1;
use crate::write::safe::excel_cell;

/// Style indices the rows' numbers take: `int_plain` and `dec_plain`,
/// registered first in the workbook (after its default, 0); the sheet
/// shows each once, in its blank row 3, and the package checks them there.
pub(super) const INT_XF: u32 = 1;
pub(super) const DEC_XF: u32 = 2;

/// Units a piece of rows holds: enough pieces for every core at 1,000
/// units, and a piece's XML (about 40 KB a unit) small.
const UNITS_A_PIECE: usize = 32;

/// Excel's last row.
const MAX_ROWS: u32 = 1_048_576;

/// The sheet's data rows, made and deflated, for the package.
pub(super) struct UnitRows {
    /// The sheet's part in the package: `xl/worksheets/sheetN.xml`.
    pub(super) part: String,
    /// The last row's number (as Excel counts), when there are rows.
    pub(super) last: Option<u32>,
    /// The rows' XML, deflated piece by piece, in order.
    pub(super) pieces: Vec<Piece>,
}

/// The sheet, the `n`th of the workbook (from 1). Its rows are returned,
/// to be put into the package once it is saved.
pub(super) fn units_sheet(
    wb: &mut Workbook,
    n: usize,
    (compiled, registry): (&Compiled, &Registry),
    heading: &Heading,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<UnitRows, XlsxError> {
    let ws = wb.add_worksheet();
    let name = sheet_name("Theo đơn vị", &mut out.0);
    ws.set_name(&name)?;
    let heads = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tuyến",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch",
        "Thực hiện",
        "Cùng kỳ",
        "Nguồn (tệp › trang › ô)",
    ];
    sheet_top(
        ws,
        heads.len() as u16,
        &format!("SỐ LIỆU CỦA TỪNG ĐƠN VỊ {}", heading.ky.to_uppercase()),
        &format!(
            "{}; mỗi số liệu kèm ô của bảng tính đơn vị gửi",
            heading.co_quan
        ),
        2,
        st,
    )?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW, c as u16, *h, &st.head)?;
    }
    // The two number formats, shown once in the blank row above the header
    // (invisible) so that the package can check the rows' style indices.
    ws.write_blank(HEAD_ROW - 1, 6, &st.int_plain)?;
    ws.write_blank(HEAD_ROW - 1, 7, &st.dec_plain)?;
    // Figures typed later into the columns take the grouping format.
    for c in 6..=8 {
        ws.set_column_format(c, &st.int_plain)?;
    }
    let w_unit = width_for(registry.units.iter().map(|u| u.ma.as_str()), 12.0, 28.0);
    let w_code = width_for(
        compiled.indicators.iter().map(|c| c.chi_tieu.ma.as_str()),
        12.0,
        28.0,
    );
    for (c, w) in [
        w_unit, 30.0, 12.0, w_code, 45.0, 12.0, 12.0, 12.0, 12.0, 50.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }

    let pieces: Vec<Range<usize>> = (0..registry.units.len())
        .step_by(UNITS_A_PIECE)
        .map(|s| s..(s + UNITS_A_PIECE).min(registry.units.len()))
        .collect();
    let counts: Vec<u64> = pieces
        .par_iter()
        .map(|r| rows_of(compiled, r.clone()).count() as u64)
        .collect();
    let total: u64 = counts.iter().sum();
    // Rows are numbered from 0 here, as rust_xlsxwriter does.
    let first = HEAD_ROW + 1;
    if total > u64::from(MAX_ROWS - first) {
        return Err(XlsxError::RowColumnLimitError);
    }
    let last = (total > 0).then(|| first + total as u32);
    if let Some(last) = last {
        ws.autofilter(HEAD_ROW, 0, last - 1, heads.len() as u16 - 1)?;
    }
    let starts = counts.iter().scan(first, |r, n| {
        let s = *r;
        *r += *n as u32;
        Some(s)
    });
    let jobs: Vec<(Range<usize>, u32)> = pieces.into_iter().zip(starts).collect();
    let texts = Texts::new(compiled);
    let made: Vec<(std::io::Result<Piece>, Vec<String>)> = jobs
        .into_par_iter()
        .map(|(units, row)| {
            let mut xml = Vec::new();
            let mut cuts = Vec::new();
            write_rows(
                (compiled, registry, &texts),
                units,
                row,
                (&name, &mut xml, &mut cuts),
            );
            (deflate_piece(&xml), cuts)
        })
        .collect();
    let mut rows = UnitRows {
        part: format!("xl/worksheets/sheet{n}.xml"),
        last,
        pieces: Vec::with_capacity(made.len()),
    };
    for (piece, cuts) in made {
        rows.pieces.push(piece.map_err(XlsxError::IoError)?);
        out.1 .0.extend(cuts);
    }
    Ok(rows)
}

/// A row per figure a unit gave: a row of blank cells (a rate row, which
/// the forms lock, or a count left empty) has none, and the diagnostics
/// sheet already names each blank cell.
fn gave(f: &UnitFigure) -> bool {
    f.gia_tri.is_some() || f.ke_hoach.is_some() || f.cung_ky.is_some()
}

/// The figures of the units `units` (registry positions) that make rows,
/// unit by unit, indicators in catalogue order, with the indicator's
/// position. Each indicator's figures are in unit order: a cursor each.
fn rows_of(
    compiled: &Compiled,
    units: Range<usize>,
) -> impl Iterator<Item = (usize, usize, &UnitFigure)> + '_ {
    let mut next: Vec<usize> = compiled
        .indicators
        .iter()
        .map(|ci| ci.theo_don_vi.partition_point(|f| f.don_vi < units.start))
        .collect();
    units.flat_map(move |u| {
        let mut mine = Vec::new();
        for (i, ci) in compiled.indicators.iter().enumerate() {
            if let Some(f) = ci.theo_don_vi.get(next[i]).filter(|f| f.don_vi == u) {
                next[i] += 1;
                if gave(f) {
                    mine.push((u, i, f));
                }
            }
        }
        mine
    })
}

/// Each indicator's three texts, made safe for a cell and escaped once.
struct Texts {
    indicators: Vec<[Text; 3]>,
}

/// A cell's text, escaped for XML, and whether it was cut to Excel's length.
struct Text {
    xml: String,
    preserve: bool,
    cut: bool,
}

impl Text {
    fn new(s: &str) -> Text {
        let (t, cut) = excel_cell(s);
        let mut xml = String::with_capacity(t.len());
        escape_into(&t, &mut xml);
        let ws = ['\t', '\n', ' '];
        Text {
            preserve: t.starts_with(ws) || t.ends_with(ws),
            xml,
            cut,
        }
    }
}

impl Texts {
    fn new(compiled: &Compiled) -> Texts {
        Texts {
            indicators: compiled
                .indicators
                .iter()
                .map(|ci| {
                    let c = &ci.chi_tieu;
                    [Text::new(&c.ma), Text::new(&c.ten), Text::new(&c.dvt)]
                })
                .collect(),
        }
    }
}

const COLS: [&str; 10] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];

/// The rows of units `units`, the first numbered `row` (from 0).
fn write_rows(
    (compiled, registry, texts): (&Compiled, &Registry, &Texts),
    units: Range<usize>,
    mut row: u32,
    (sheet, xml, cuts): (&str, &mut Vec<u8>, &mut Vec<String>),
) {
    let mut unit: Option<(usize, [Text; 3])> = None;
    let mut source = String::new();
    for (ui, i, f) in rows_of(compiled, units) {
        if unit.as_ref().is_none_or(|(u, _)| *u != ui) {
            let u = &registry.units[ui];
            let level = Level::name(&compiled.levels, &u.tuyen).unwrap_or("");
            unit = Some((ui, [Text::new(&u.ma), Text::new(&u.ten), Text::new(level)]));
        }
        let Some((_, unit_texts)) = &unit else {
            continue;
        };
        let r = row + 1;
        let _ = write!(Vec8(xml), "<row r=\"{r}\">");
        for (c, t) in unit_texts.iter().chain(&texts.indicators[i]).enumerate() {
            text_cell(xml, c, r, t);
            if t.cut {
                cuts.push(format!("{sheet} › {}", a1(row, c as u32)));
            }
        }
        for (c, v) in [(6, f.ke_hoach), (7, f.gia_tri), (8, f.cung_ky)] {
            let Some(d) = v else { continue };
            let Some(n) = d.to_f64() else { continue };
            let col = COLS[c];
            if d.fract().is_zero() && n.abs() < 9.0e15 {
                let _ = write!(
                    Vec8(xml),
                    "<c r=\"{col}{r}\" s=\"{INT_XF}\"><v>{}</v></c>",
                    n as i64
                );
            } else {
                let _ = write!(
                    Vec8(xml),
                    "<c r=\"{col}{r}\" s=\"{}\"><v>{n}</v></c>",
                    if d.fract().is_zero() { INT_XF } else { DEC_XF }
                );
            }
        }
        source.clear();
        let _ = write!(source, "{}", f.nguon);
        let t = Text::new(&source);
        text_cell(xml, 9, r, &t);
        if t.cut {
            cuts.push(format!("{sheet} › {}", a1(row, 9)));
        }
        xml.extend_from_slice(b"</row>");
        row += 1;
    }
}

/// An inline text cell; none for an empty text (as Excel writes it).
fn text_cell(xml: &mut Vec<u8>, c: usize, r: u32, t: &Text) {
    if t.xml.is_empty() {
        return;
    }
    let preserve = if t.preserve {
        " xml:space=\"preserve\""
    } else {
        ""
    };
    let _ = write!(
        Vec8(xml),
        "<c r=\"{}{r}\" t=\"inlineStr\"><is><t{preserve}>",
        COLS[c]
    );
    xml.extend_from_slice(t.xml.as_bytes());
    xml.extend_from_slice(b"</t></is></c>");
}

/// `s` escaped for a SpreadsheetML text node as Excel does: `& < >` as
/// entities; control characters as `_xHHHH_`, so a literal `_xHHHH_` has
/// its underscore written `_x005F`.
fn escape_into(s: &str, out: &mut String) {
    let b = s.as_bytes();
    for (i, ch) in s.char_indices() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(ch),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            }
            '_' if b.len() >= i + 7
                && b[i + 1] == b'x'
                && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
                && b[i + 6] == b'_' =>
            {
                out.push_str("_x005F_");
            }
            _ => out.push(ch),
        }
    }
}

/// `write!` onto a byte vector.
struct Vec8<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Vec8<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_excel_does() {
        let mut out = String::new();
        escape_into("a<b>&c\r_x0041_ _x12_ _xZZZZ_\t\n\u{ffff}", &mut out);
        assert_eq!(
            out,
            "a&lt;b&gt;&amp;c_x000D__x005F_x0041_ _x12_ _xZZZZ_\t\n_xFFFF_"
        );
        let mut out = String::new();
        escape_into("Trạm Y tế xã Đông Hưng", &mut out);
        assert_eq!(out, "Trạm Y tế xã Đông Hưng");
        assert!(Text::new(" lề").preserve && !Text::new("lề").preserve);
        assert!(Text::new("").xml.is_empty());
    }
}
