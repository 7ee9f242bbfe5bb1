//! Compiled figures → `tong-hop.xlsx` (rust_xlsxwriter): a sheet for the
//! province, one per level, every unit's figures with their sources, and
//! every diagnostic. Numbers are real numbers; headers frozen; columns sized.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{safe, WriteError};
use crate::catalog::Registry;
use crate::compile::{Compiled, Figures};
use crate::diagnostics::{a1, Diagnostic, Location};

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

/// Sheet names: at most 31 characters, none of `[]:*?/\`, not empty and
/// unlike the names already used (Excel compares them without case).
fn sheet_name(s: &str, used: &mut Vec<String>) -> String {
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
struct Cuts(Vec<String>);

/// Write a text cell, made safe and cut to Excel's length if needed.
fn text(
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

fn figures_sheet(
    wb: &mut Workbook,
    name: &str,
    compiled: &Compiled,
    pick: &dyn Fn(usize) -> Figures,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    let name = sheet_name(name, &mut out.0);
    ws.set_name(&name)?;
    let cuts = &mut out.1;
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
        // Each comparison is made over the units that gave both of its
        // figures: how many, and its two sides over them.
        "Số đơn vị tính so với KH",
        "Thực hiện của các đơn vị đó",
        "Kế hoạch của các đơn vị đó",
        "Số đơn vị tính so với cùng kỳ",
        "Thực hiện của các đơn vị đó",
        "Cùng kỳ của các đơn vị đó",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.head)?;
    }
    for (i, ci) in compiled.indicators.iter().enumerate() {
        let r = i as u32 + 1;
        let f = pick(i);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.int)?;
        text(ws, &name, (r, 1), &ci.chi_tieu.ma, &st.text, cuts)?;
        text(ws, &name, (r, 2), &ci.chi_tieu.ten, &st.text, cuts)?;
        text(ws, &name, (r, 3), &ci.chi_tieu.dvt, &st.text, cuts)?;
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
        for (c, cmp) in [(12u16, &f.so_sanh_ke_hoach), (15, &f.so_sanh_cung_ky)] {
            match cmp {
                Some(x) => {
                    ws.write_number_with_format(r, c, x.so_don_vi as f64, &st.int)?;
                    put_num(ws, r, c + 1, x.gia_tri, st)?;
                    put_num(ws, r, c + 2, x.co_so, st)?;
                }
                None => {
                    for k in 0..3 {
                        ws.write_blank(r, c + k, &st.text)?;
                    }
                }
            }
        }
    }
    ws.set_freeze_panes(1, 3)?;
    for (c, w) in [
        5.0, 16.0, 45.0, 12.0, 13.0, 13.0, 11.0, 13.0, 13.0, 11.0, 13.0, 10.0, 10.0, 13.0, 13.0,
        10.0, 13.0, 13.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Build the workbook's bytes; deterministic (fixed document dates). Also
/// returns a warning naming the cells cut to Excel's length, if any (they
/// are listed at the end of the diagnostics sheet too). The document's
/// subject names the period (`6 tháng đầu năm 2024`), so that next year's
/// report can check it is given the right record.
pub fn write_xlsx(
    compiled: &Compiled,
    registry: &Registry,
    diags: &[Diagnostic],
    ky: &str,
) -> Result<(Vec<u8>, Vec<Diagnostic>), WriteError> {
    let st = styles();
    let mut wb = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&epoch)
            .set_title("Tổng hợp số liệu")
            .set_subject(ky),
    );
    let mut out = (Vec::new(), Cuts::default());
    figures_sheet(
        &mut wb,
        "Toàn tỉnh",
        compiled,
        &|i| compiled.indicators[i].tinh.clone(),
        &st,
        &mut out,
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
            &mut out,
        )
        .map_err(be)?;
    }
    units_sheet(&mut wb, compiled, registry, &st, &mut out).map_err(be)?;
    let note = diagnostics_sheet(&mut wb, diags, &st, &mut out).map_err(be)?;
    Ok((wb.save_to_buffer().map_err(be)?, note.into_iter().collect()))
}

fn units_sheet(
    wb: &mut Workbook,
    compiled: &Compiled,
    registry: &Registry,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
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
            text(ws, &name, (r, 0), &u.ma, &st.text, cuts)?;
            text(ws, &name, (r, 1), &u.ten, &st.text, cuts)?;
            text(ws, &name, (r, 2), level, &st.text, cuts)?;
            text(ws, &name, (r, 3), &ci.chi_tieu.ma, &st.text, cuts)?;
            text(ws, &name, (r, 4), &ci.chi_tieu.ten, &st.text, cuts)?;
            text(ws, &name, (r, 5), &ci.chi_tieu.dvt, &st.text, cuts)?;
            put_num(ws, r, 6, f.ke_hoach, st)?;
            put_num(ws, r, 7, f.gia_tri, st)?;
            put_num(ws, r, 8, f.cung_ky, st)?;
            text(ws, &name, (r, 9), &f.nguon, &st.text, cuts)?;
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
    out: &mut (Vec<String>, Cuts),
) -> Result<Option<Diagnostic>, XlsxError> {
    let ws = wb.add_worksheet();
    let name = sheet_name("Chẩn đoán", &mut out.0);
    ws.set_name(&name)?;
    let cuts = &mut out.1;
    for (c, h) in ["Mức độ", "Tệp", "Trang tính", "Ô", "Nội dung"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &st.head)?;
    }
    let row = |ws: &mut Worksheet, r: u32, d: &Diagnostic, cuts: &mut Cuts| {
        text(ws, &name, (r, 0), d.severity.label(), &st.text, cuts)?;
        let loc = &d.location;
        text(
            ws,
            &name,
            (r, 1),
            loc.file.as_deref().unwrap_or(""),
            &st.text,
            cuts,
        )?;
        text(
            ws,
            &name,
            (r, 2),
            loc.sheet.as_deref().unwrap_or(""),
            &st.text,
            cuts,
        )?;
        text(
            ws,
            &name,
            (r, 3),
            loc.cell.as_deref().unwrap_or(""),
            &st.text,
            cuts,
        )?;
        text(ws, &name, (r, 4), &d.message, &st.text, cuts)
    };
    for (i, d) in diags.iter().enumerate() {
        row(ws, i as u32 + 1, d, cuts)?;
    }
    // The note about cut cells is the sheet's last row.
    let note = (!cuts.0.is_empty()).then(|| {
        let n = cuts.0.len();
        let shown: Vec<&str> = cuts.0.iter().take(6).map(String::as_str).collect();
        Diagnostic::warning(
            Location::file("tong-hop.xlsx"),
            format!(
                "{n} ô dài hơn {} ký tự (giới hạn của Excel) đã được cắt bớt trong tong-hop.xlsx: {}{}",
                crate::vi::number::format_decimal((safe::EXCEL_CELL_MAX as u64).into()),
                shown.join("; "),
                if n > shown.len() { "; …" } else { "" }
            ),
        )
    });
    if let Some(d) = &note {
        row(ws, diags.len() as u32 + 1, d, &mut Cuts::default())?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (c, w) in [10.0, 35.0, 12.0, 8.0, 100.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(note)
}
