//! The pieces every sheet of `tong-hop.xlsx` is made of: formats, the
//! title rows and print setup, safe sheet names and text cells, numbers,
//! row heights for wrapped text.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::diagnostics::a1;
use crate::write::{safe, WriteError};

pub(super) struct Styles {
    pub(super) head: Format,
    pub(super) int: Format,
    pub(super) dec: Format,
    /// Numbers of a data list: grouped, without borders.
    pub(super) int_plain: Format,
    pub(super) dec_plain: Format,
    pub(super) text: Format,
    pub(super) plain: Format,
    pub(super) title: Format,
    pub(super) subtitle: Format,
}

/// Row of the column headers, under the two title rows and a blank one.
pub(super) const HEAD_ROW: u32 = 3;

/// Height of one line of 11 pt text, in points.
const LINE_PT: f64 = 15.0;

/// A column's width (in Excel's characters) for its longest text, within bounds.
pub(super) fn width_for<'a>(texts: impl Iterator<Item = &'a str>, lo: f64, hi: f64) -> f64 {
    let longest = texts.map(|t| t.chars().count()).max().unwrap_or(0) as f64;
    (longest + 2.0).clamp(lo, hi)
}

/// Neither Excel nor LibreOffice sizes a row to its wrapped text when it
/// opens a file: give the row the lines its longest wrapped cell needs
/// (text, column width), estimated from characters.
pub(super) fn fit_row(ws: &mut Worksheet, r: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(t, w)| {
            (t.chars().count() as f64 / (w - 1.0).max(1.0))
                .ceil()
                .max(1.0)
        })
        .fold(1.0f64, f64::max);
    if lines > 1.0 {
        ws.set_row_height(r, LINE_PT * lines.min(20.0))?;
    }
    Ok(())
}

/// The title rows over `cols` columns, and the print setup: A4 landscape,
/// fitted to the page's width, the header row repeated on every page and
/// frozen with `freeze_cols` columns.
pub(super) fn sheet_top(
    ws: &mut Worksheet,
    cols: u16,
    title: &str,
    subtitle: &str,
    freeze_cols: u16,
    st: &Styles,
) -> Result<(), XlsxError> {
    let last = cols.saturating_sub(1);
    // Rows sized before they are written: a sheet written row by row
    // (the per-unit one) cannot go back to a row.
    ws.set_row_height(0, 21)?;
    // Header labels wrap on up to three lines.
    ws.set_row_height(HEAD_ROW, LINE_PT * 3.0)?;
    ws.merge_range(0, 0, 0, last, &safe::excel_cell(title).0, &st.title)?;
    ws.merge_range(1, 0, 1, last, &safe::excel_cell(subtitle).0, &st.subtitle)?;
    ws.set_freeze_panes(HEAD_ROW + 1, freeze_cols)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&CTrang &P/&N");
    Ok(())
}

pub(super) fn styles() -> Styles {
    let border = FormatBorder::Thin;
    Styles {
        head: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(border)
            .set_background_color("#DDEBF7"),
        // Excel shows the grouping and decimal marks of the user's locale:
        // 1.234.567 and 46,8 on a Vietnamese Windows. Whole numbers get no
        // decimal part ("#,##0.##" would leave a stray decimal mark).
        int: Format::new().set_num_format("#,##0").set_border(border),
        dec: Format::new().set_num_format("#,##0.0#").set_border(border),
        int_plain: Format::new().set_num_format("#,##0"),
        dec_plain: Format::new().set_num_format("#,##0.0#"),
        text: Format::new()
            .set_border(border)
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        plain: Format::new().set_border(border).set_align(FormatAlign::Top),
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        subtitle: Format::new().set_italic().set_align(FormatAlign::Center),
    }
}

pub(super) fn be(e: XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

pub(super) fn put_num(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<Decimal>,
    st: &Styles,
) -> Result<(), XlsxError> {
    match v.and_then(|d| d.to_f64().map(|f| (f, d.fract().is_zero()))) {
        Some((f, true)) => ws.write_number_with_format(r, c, f, &st.int)?,
        Some((f, false)) => ws.write_number_with_format(r, c, f, &st.dec)?,
        None => ws.write_blank(r, c, &st.text)?,
    };
    Ok(())
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`, not empty and
/// unlike the names already used (Excel compares them without case).
pub(super) fn sheet_name(s: &str, used: &mut Vec<String>) -> String {
    let clean: String = safe::xml(s)
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .collect();
    let base: String = clean.trim().chars().take(27).collect();
    let base = if base.is_empty() {
        "Trang".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 1;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        n += 1;
        name = format!("{base} ({n})");
    }
    used.push(name.clone());
    name
}

/// Cells whose text was cut to Excel's length, as `sheet › cell`.
#[derive(Default)]
pub(super) struct Cuts(pub(super) Vec<String>);

/// Write a text cell, made safe and cut to Excel's length if needed.
pub(super) fn text(
    ws: &mut Worksheet,
    sheet: &str,
    (r, c): (u32, u16),
    s: &str,
    f: &Format,
    cuts: &mut Cuts,
) -> Result<(), XlsxError> {
    let (t, cut) = safe::excel_cell(s);
    if cut {
        cuts.0.push(format!("{sheet} › {}", a1(r, c as u32)));
    }
    ws.write_string_with_format(r, c, t.as_ref(), f)?;
    Ok(())
}
