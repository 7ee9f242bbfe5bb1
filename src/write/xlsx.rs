//! Compiled figures → `tong-hop.xlsx` (rust_xlsxwriter): a sheet for the
//! province, one per level, every unit's figures with their sources, and
//! every diagnostic. Numbers are real numbers; headers frozen; columns sized.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::WriteError;
use crate::catalog::Registry;
use crate::compile::{Compiled, Figures};
use crate::diagnostics::Diagnostic;

struct Styles {
    head: Format,
    int: Format,
    dec: Format,
    text: Format,
}

fn styles() -> Styles {
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
        text: Format::new().set_border(border).set_text_wrap(),
    }
}

fn be(e: XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

fn put_num(
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

/// Sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    clean.chars().take(31).collect()
}

fn figures_sheet(
    wb: &mut Workbook,
    name: &str,
    compiled: &Compiled,
    pick: &dyn Fn(usize) -> Figures,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(name))?;
    let heads = [
        "STT",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch",
        "Thực hiện",
        "Tỷ lệ % so với KH",
        "Chênh lệch so với KH",
        "Cùng kỳ năm trước",
        "So sánh cùng kỳ (%)",
        "Chênh lệch so với cùng kỳ",
        "Số đơn vị báo cáo",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.head)?;
    }
    for (i, ci) in compiled.indicators.iter().enumerate() {
        let r = i as u32 + 1;
        let f = pick(i);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.int)?;
        ws.write_string_with_format(r, 1, &ci.chi_tieu.ma, &st.text)?;
        ws.write_string_with_format(r, 2, &ci.chi_tieu.ten, &st.text)?;
        ws.write_string_with_format(r, 3, &ci.chi_tieu.dvt, &st.text)?;
        for (c, v) in [
            f.ke_hoach,
            f.gia_tri,
            f.ty_le_ke_hoach,
            f.chenh_lech_ke_hoach,
            f.cung_ky,
            f.so_voi_cung_ky,
            f.chenh_lech_cung_ky,
        ]
        .into_iter()
        .enumerate()
        {
            put_num(ws, r, 4 + c as u16, v, st)?;
        }
        ws.write_number_with_format(r, 11, f.so_don_vi_bao_cao as f64, &st.int)?;
    }
    ws.set_freeze_panes(1, 3)?;
    for (c, w) in [
        5.0, 16.0, 45.0, 12.0, 13.0, 13.0, 11.0, 13.0, 13.0, 11.0, 13.0, 10.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Build the workbook's bytes; deterministic (fixed document dates).
pub fn write_xlsx(
    compiled: &Compiled,
    registry: &Registry,
    diags: &[Diagnostic],
) -> Result<Vec<u8>, WriteError> {
    let st = styles();
    let mut wb = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&epoch)
            .set_title("Tổng hợp số liệu"),
    );
    figures_sheet(
        &mut wb,
        "Toàn tỉnh",
        compiled,
        &|i| compiled.indicators[i].tinh.clone(),
        &st,
    )
    .map_err(be)?;
    for (li, level) in compiled.levels.iter().enumerate() {
        let title = {
            let mut c = level.ten.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        figures_sheet(
            &mut wb,
            &title,
            compiled,
            &|i| {
                compiled.indicators[i]
                    .theo_tuyen
                    .get(li)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default()
            },
            &st,
        )
        .map_err(be)?;
    }
    units_sheet(&mut wb, compiled, registry, &st).map_err(be)?;
    diagnostics_sheet(&mut wb, diags, &st).map_err(be)?;
    wb.save_to_buffer().map_err(be)
}

fn units_sheet(
    wb: &mut Workbook,
    compiled: &Compiled,
    registry: &Registry,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Theo đơn vị")?;
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
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.head)?;
    }
    let mut r = 1u32;
    // Unit by unit in registry order, indicators in catalogue order.
    for u in &registry.units {
        for ci in &compiled.indicators {
            let Some(f) = ci.theo_don_vi.iter().find(|f| f.ma == u.ma) else {
                continue;
            };
            let level = compiled
                .levels
                .iter()
                .find(|l| l.key == u.tuyen)
                .map(|l| l.ten.as_str())
                .unwrap_or("");
            ws.write_string_with_format(r, 0, &u.ma, &st.text)?;
            ws.write_string_with_format(r, 1, &u.ten, &st.text)?;
            ws.write_string_with_format(r, 2, level, &st.text)?;
            ws.write_string_with_format(r, 3, &ci.chi_tieu.ma, &st.text)?;
            ws.write_string_with_format(r, 4, &ci.chi_tieu.ten, &st.text)?;
            ws.write_string_with_format(r, 5, &ci.chi_tieu.dvt, &st.text)?;
            put_num(ws, r, 6, f.ke_hoach, st)?;
            put_num(ws, r, 7, f.gia_tri, st)?;
            put_num(ws, r, 8, f.cung_ky, st)?;
            ws.write_string_with_format(r, 9, &f.nguon, &st.text)?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 2)?;
    for (c, w) in [12.0, 30.0, 12.0, 18.0, 45.0, 10.0, 12.0, 12.0, 12.0, 50.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

fn diagnostics_sheet(
    wb: &mut Workbook,
    diags: &[Diagnostic],
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Chẩn đoán")?;
    for (c, h) in ["Mức độ", "Tệp", "Trang tính", "Ô", "Nội dung"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &st.head)?;
    }
    for (i, d) in diags.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, d.severity.label(), &st.text)?;
        ws.write_string_with_format(r, 1, d.location.file.as_deref().unwrap_or(""), &st.text)?;
        ws.write_string_with_format(r, 2, d.location.sheet.as_deref().unwrap_or(""), &st.text)?;
        ws.write_string_with_format(r, 3, d.location.cell.as_deref().unwrap_or(""), &st.text)?;
        ws.write_string_with_format(r, 4, &d.message, &st.text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (c, w) in [10.0, 35.0, 12.0, 8.0, 100.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}
