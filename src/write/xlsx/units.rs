//! The `Theo đơn vị` sheet of `tong-hop.xlsx`: every unit's own figures
//! with their cells, one row per unit and indicator, which next year's
//! report reads back as its record (`cung_ky_tu`).

use std::borrow::Cow;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::cells::{
    clean_text, put_num_column, sheet_name, sheet_top, text_plain, width_for, Cuts, Styles,
};
use super::{Heading, HEAD_ROW};
use crate::catalog::Registry;
use crate::compile::{Compiled, UnitFigure};
use crate::write::safe::excel_cell;

/// The sheet. It is a data list (up to 600,000 rows for 10,000 units of 60
/// indicators), written row by row with its strings inline (rust_xlsxwriter's
/// constant-memory mode) and its text cells without a format: borders,
/// wrapping and row heights on every cell were most of the time of a build
/// at that size. The header row is formatted, frozen and filtered; figures
/// keep their grouping format.
pub(super) fn units_sheet(
    wb: &mut Workbook,
    compiled: &Compiled,
    registry: &Registry,
    heading: &Heading,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet_with_constant_memory()?;
    let name = sheet_name("Theo đơn vị", &mut out.0);
    ws.set_name(&name)?;
    let cuts = &mut out.1;
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
    // A row per figure a unit gave: a row of blank cells (a rate row, which
    // the forms lock, or a count left empty) has none, and the diagnostics
    // sheet already names each blank cell.
    let gave = |f: &UnitFigure| f.gia_tri.is_some() || f.ke_hoach.is_some() || f.cung_ky.is_some();
    let rows: usize = compiled
        .indicators
        .iter()
        .map(|c| c.theo_don_vi.iter().filter(|f| gave(f)).count())
        .sum();
    if rows > 0 {
        let last = HEAD_ROW.saturating_add(rows as u32);
        ws.autofilter(HEAD_ROW, 0, last, heads.len() as u16 - 1)?;
    }
    // The texts repeated on every row of a unit or an indicator are made
    // safe for a cell once, not on each of its rows.
    let indicators: Vec<[(Cow<'_, str>, bool); 3]> = compiled
        .indicators
        .iter()
        .map(|ci| {
            let c = &ci.chi_tieu;
            [excel_cell(&c.ma), excel_cell(&c.ten), excel_cell(&c.dvt)]
        })
        .collect();
    // Whole numbers take the figure columns' own format, written without
    // one: rust_xlsxwriter hashes a cell's format (the whole of it, twice)
    // on every write, a tenth of this sheet's time at 10,000 units.
    for c in 6..=8 {
        ws.set_column_format(c, &st.int_plain)?;
    }
    // Unit by unit in registry order, indicators in catalogue order: each
    // indicator's figures are in unit order, so one cursor each walks them.
    let mut next = vec![0usize; compiled.indicators.len()];
    let mut r = HEAD_ROW + 1;
    for (ui, u) in registry.units.iter().enumerate() {
        let level = compiled
            .levels
            .iter()
            .find(|l| l.key == u.tuyen)
            .map(|l| l.ten.as_str())
            .unwrap_or("");
        let mut unit: Option<[(Cow<'_, str>, bool); 3]> = None;
        for (i, ci) in compiled.indicators.iter().enumerate() {
            let Some(f) = ci.theo_don_vi.get(next[i]).filter(|f| f.don_vi == ui) else {
                continue;
            };
            next[i] += 1;
            if !gave(f) {
                continue;
            }
            let unit = unit
                .get_or_insert_with(|| [excel_cell(&u.ma), excel_cell(&u.ten), excel_cell(level)]);
            let texts = unit.iter().chain(&indicators[i]);
            for (c, t) in texts.enumerate() {
                clean_text(ws, &name, (r, c as u16), t, cuts)?;
            }
            for (c, v) in [(6, f.ke_hoach), (7, f.gia_tri), (8, f.cung_ky)] {
                put_num_column(ws, r, c, v, st)?;
            }
            text_plain(ws, &name, (r, 9), &f.nguon.to_string(), cuts)?;
            r += 1;
        }
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
    Ok(())
}
