//! Compiled figures → `tong-hop.xlsx` (rust_xlsxwriter): a sheet for the
//! province, one per level, every unit's figures with their sources, the
//! units that sent nothing, and every diagnostic. Each sheet prints: a
//! title row naming the period and the body, the header row frozen and
//! repeated on every printed page, A4 landscape fitted to the page's
//! width. Figures are real numbers with a grouping format (Excel draws the
//! separators of the computer's region: `1.234.567` on a Vietnamese
//! Windows).

mod cells;
mod package;
mod units;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::{safe, WriteError};
use crate::catalog::{Level, Registry};
use crate::compile::{Compiled, Figures};
use crate::diagnostics::{Diagnostic, Location};
use cells::{
    be, fit_row, put_num, sheet_name, sheet_top, styles, text, width_for, Cuts, Styles, HEAD_ROW,
};

/// What the title rows of every sheet say.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    /// The period: `6 tháng đầu năm 2024`.
    pub ky: String,
    /// The body: `UBND TỈNH BÌNH SƠN – SỞ Y TẾ`.
    pub co_quan: String,
}

#[allow(clippy::too_many_arguments)]
fn figures_sheet(
    wb: &mut Workbook,
    name: &str,
    compiled: &Compiled,
    pick: &dyn Fn(usize) -> Figures,
    (heading, reported): (&Heading, (usize, usize)),
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
    sheet_top(
        ws,
        heads.len() as u16,
        &format!(
            "TỔNG HỢP SỐ LIỆU {} – {}",
            heading.ky.to_uppercase(),
            name.to_uppercase()
        ),
        &format!(
            "{}; số liệu của {}/{} đơn vị đã gửi báo cáo",
            heading.co_quan, reported.0, reported.1
        ),
        3,
        st,
    )?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW, c as u16, *h, &st.head)?;
    }
    let inds = &compiled.indicators;
    let w_code = width_for(inds.iter().map(|c| c.chi_tieu.ma.as_str()), 12.0, 28.0);
    let w_name = width_for(inds.iter().map(|c| c.chi_tieu.ten.as_str()), 30.0, 55.0);
    let w_dvt = width_for(inds.iter().map(|c| c.chi_tieu.dvt.as_str()), 10.0, 18.0);
    for (i, ci) in compiled.indicators.iter().enumerate() {
        let r = HEAD_ROW + 1 + i as u32;
        let f = pick(i);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.int)?;
        text(ws, &name, (r, 1), &ci.chi_tieu.ma, &st.plain, cuts)?;
        text(ws, &name, (r, 2), &ci.chi_tieu.ten, &st.text, cuts)?;
        text(ws, &name, (r, 3), &ci.chi_tieu.dvt, &st.text, cuts)?;
        fit_row(
            ws,
            r,
            &[(&ci.chi_tieu.ten, w_name), (&ci.chi_tieu.dvt, w_dvt)],
        )?;
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
    for (c, w) in [
        5.0, w_code, w_name, w_dvt, 12.0, 12.0, 10.0, 12.0, 12.0, 10.0, 12.0, 10.0, 10.0, 12.0,
        12.0, 10.0, 12.0, 12.0,
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
    heading: &Heading,
) -> Result<(Vec<u8>, Vec<Diagnostic>), WriteError> {
    begin(compiled, registry, heading)?.finish(diags)
}

/// `tong-hop.xlsx` with every sheet but the last, the diagnostics, which
/// are known only once the report has been written: a build makes the
/// rest (at a ministry's scale, the longest of its writers) meanwhile.
pub struct Draft {
    wb: Workbook,
    st: Styles,
    out: (Vec<String>, Cuts),
    heading: Heading,
    rows: units::UnitRows,
}

/// Every sheet of `tong-hop.xlsx` but the diagnostics.
pub fn begin(
    compiled: &Compiled,
    registry: &Registry,
    heading: &Heading,
) -> Result<Draft, WriteError> {
    let st = styles();
    let mut wb = Workbook::new();
    // The per-unit sheet's rows, written outside rust_xlsxwriter, name
    // their number formats by these indices (checked in the package).
    wb.register_format(&st.int_plain);
    wb.register_format(&st.dec_plain);
    // The fastest deflate: most of saving a large summary was compressing
    // it, for a somewhat larger file.
    wb.set_zip_compression_level(1);
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&epoch)
            .set_title("Tổng hợp số liệu")
            .set_subject(&heading.ky),
    );
    let mut out = (Vec::new(), Cuts::default());
    let c = &compiled.completeness;
    figures_sheet(
        &mut wb,
        "Toàn tỉnh",
        compiled,
        &|i| compiled.indicators[i].tinh.clone(),
        (heading, (c.tong.da_nop, c.tong.du_kien)),
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
        let count = c
            .theo_tuyen
            .iter()
            .find(|(l, _)| l.key == level.key)
            .map(|(_, n)| (n.da_nop, n.du_kien))
            .unwrap_or_default();
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
            (heading, count),
            &st,
            &mut out,
        )
        .map_err(be)?;
    }
    // The sheets before it: the province's and one per level.
    let n = 2 + compiled.levels.len();
    let rows =
        units::units_sheet(&mut wb, n, (compiled, registry), heading, &st, &mut out).map_err(be)?;
    missing_sheet(&mut wb, compiled, heading, &st, &mut out).map_err(be)?;
    Ok(Draft {
        wb,
        st,
        out,
        heading: heading.clone(),
        rows,
    })
}

impl Draft {
    /// The diagnostics sheet, and the file's bytes, with the note its
    /// writer adds (cells cut to Excel's length).
    pub fn finish(
        mut self,
        diags: &[Diagnostic],
    ) -> Result<(Vec<u8>, Vec<Diagnostic>), WriteError> {
        let note = diagnostics_sheet(&mut self.wb, diags, &self.heading, &self.st, &mut self.out)
            .map_err(be)?;
        let saved = self.wb.save_to_buffer().map_err(be)?;
        let bytes = package::put_rows(&saved, self.rows).map_err(WriteError::Backend)?;
        Ok((bytes, note.into_iter().collect()))
    }
}

/// The units of the registry that sent nothing.
fn missing_sheet(
    wb: &mut Workbook,
    compiled: &Compiled,
    heading: &Heading,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    let name = sheet_name("Chưa nộp", &mut out.0);
    ws.set_name(&name)?;
    let cuts = &mut out.1;
    let heads = ["STT", "Mã đơn vị", "Tên đơn vị", "Tuyến"];
    let c = &compiled.completeness;
    sheet_top(
        ws,
        heads.len() as u16,
        &format!("ĐƠN VỊ CHƯA GỬI BÁO CÁO {}", heading.ky.to_uppercase()),
        &format!(
            "{}; {}/{} đơn vị chưa gửi báo cáo",
            heading.co_quan,
            c.thieu.len(),
            c.tong.du_kien
        ),
        0,
        st,
    )?;
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW, i as u16, *h, &st.head)?;
    }
    for (i, u) in c.thieu.iter().enumerate() {
        let r = HEAD_ROW + 1 + i as u32;
        let level = Level::name(&compiled.levels, &u.tuyen).unwrap_or("");
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.int)?;
        text(ws, &name, (r, 1), &u.ma, &st.plain, cuts)?;
        text(ws, &name, (r, 2), &u.ten, &st.text, cuts)?;
        text(ws, &name, (r, 3), level, &st.plain, cuts)?;
        fit_row(ws, r, &[(&u.ten, 45.0)])?;
    }
    if c.thieu.is_empty() {
        ws.merge_range(
            HEAD_ROW + 1,
            0,
            HEAD_ROW + 1,
            3,
            "Mọi đơn vị trong danh sách đã gửi báo cáo.",
            &st.text,
        )?;
    }
    let w_code = width_for(c.thieu.iter().map(|u| u.ma.as_str()), 12.0, 28.0);
    for (i, w) in [6.0, w_code, 45.0, 16.0].iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    Ok(())
}

fn diagnostics_sheet(
    wb: &mut Workbook,
    diags: &[Diagnostic],
    heading: &Heading,
    st: &Styles,
    out: &mut (Vec<String>, Cuts),
) -> Result<Option<Diagnostic>, XlsxError> {
    let ws = wb.add_worksheet();
    let name = sheet_name("Chẩn đoán", &mut out.0);
    ws.set_name(&name)?;
    let cuts = &mut out.1;
    let heads = ["Mức độ", "Tệp", "Trang tính", "Ô", "Nội dung"];
    sheet_top(
        ws,
        heads.len() as u16,
        &format!(
            "CÁC VẤN ĐỀ KHI ĐỌC VÀ TỔNG HỢP SỐ LIỆU {}",
            heading.ky.to_uppercase()
        ),
        &format!("{}; mỗi dòng chỉ rõ tệp, trang tính và ô", heading.co_quan),
        0,
        st,
    )?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEAD_ROW, c as u16, *h, &st.head)?;
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
        text(ws, &name, (r, 4), &d.message, &st.text, cuts)?;
        fit_row(
            ws,
            r,
            &[
                (d.message.as_str(), 100.0),
                (loc.file.as_deref().unwrap_or(""), 35.0),
            ],
        )
    };
    for (i, d) in diags.iter().enumerate() {
        row(ws, HEAD_ROW + 1 + i as u32, d, cuts)?;
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
        row(
            ws,
            HEAD_ROW + 1 + diags.len() as u32,
            d,
            &mut Cuts::default(),
        )?;
    }
    for (c, w) in [10.0, 35.0, 12.0, 8.0, 100.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(note)
}
