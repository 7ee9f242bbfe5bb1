//! Blank unit forms and a starter catalogue, in the standard layout of
//! `unit-form.md` (rust_xlsxwriter), for `baocao forms` and `baocao init`.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::WriteError;
use crate::catalog::{CachTongHop, Catalogue, DonVi, MauSo, Registry};

fn be(e: XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

fn fixed_props(wb: &mut Workbook) -> Result<(), WriteError> {
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    Ok(())
}

/// One unit's blank form: name, code and period filled in, every indicator
/// of the catalogue listed by group; `values` fills the example unit.
pub fn unit_form(
    unit: &DonVi,
    catalogue: &Catalogue,
    ky: &str,
    thuc_hien_label: &str,
    values: &dyn Fn(&str) -> [Option<f64>; 3],
) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    fixed_props(&mut wb)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.##");
    let group = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("BaoCao").map_err(be)?;
    ws.merge_range(
        0,
        0,
        0,
        7,
        "BIỂU MẪU BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        &Format::new().set_bold().set_align(FormatAlign::Center),
    )
    .map_err(be)?;
    ws.write_string_with_format(2, 0, format!("Tên đơn vị: {}", unit.ten), &bold)
        .map_err(be)?;
    ws.write_string_with_format(3, 0, format!("Mã đơn vị: {}", unit.ma), &bold)
        .map_err(be)?;
    ws.write_string_with_format(4, 0, format!("Kỳ báo cáo: {ky}"), &bold)
        .map_err(be)?;
    let heads = [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch năm",
        thuc_hien_label,
        "Cùng kỳ năm trước",
        "Ghi chú",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(6, c as u16, *h, &head)
            .map_err(be)?;
    }
    let mut r = 7u32;
    for (gi, g) in catalogue.groups.iter().enumerate() {
        ws.write_string_with_format(r, 0, roman(gi + 1), &group)
            .map_err(be)?;
        ws.write_string_with_format(r, 1, "", &group).map_err(be)?;
        ws.write_string_with_format(r, 2, &g.ten, &group)
            .map_err(be)?;
        for c in 3..8 {
            ws.write_blank(r, c, &group).map_err(be)?;
        }
        r += 1;
        for (i, ct) in catalogue
            .indicators
            .iter()
            .filter(|c| c.nhom == g.ten)
            .enumerate()
        {
            ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)
                .map_err(be)?;
            ws.write_string_with_format(r, 1, &ct.ma, &cell)
                .map_err(be)?;
            ws.write_string_with_format(r, 2, &ct.ten, &cell)
                .map_err(be)?;
            ws.write_string_with_format(r, 3, &ct.dvt, &cell)
                .map_err(be)?;
            for (k, v) in values(&ct.ma).iter().enumerate() {
                match v {
                    Some(x) => ws
                        .write_number_with_format(r, 4 + k as u16, *x, &num)
                        .map_err(be)?,
                    None => ws.write_blank(r, 4 + k as u16, &num).map_err(be)?,
                };
            }
            ws.write_blank(r, 7, &cell).map_err(be)?;
            r += 1;
        }
    }
    ws.write_string(r + 1, 2, "Người lập biểu").map_err(be)?;
    ws.write_string(r + 1, 5, "Thủ trưởng đơn vị").map_err(be)?;
    for (c, w) in [6.0, 16.0, 50.0, 12.0, 14.0, 14.0, 14.0, 16.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(be)?;
    }
    ws.set_freeze_panes(7, 0).map_err(be)?;
    let nd = wb.add_worksheet();
    nd.set_name("NoiDung").map_err(be)?;
    nd.write_string_with_format(0, 0, "Mục", &head)
        .map_err(be)?;
    nd.write_string_with_format(0, 1, "Nội dung", &head)
        .map_err(be)?;
    nd.set_column_width(0, 24.0).map_err(be)?;
    nd.set_column_width(1, 100.0).map_err(be)?;
    wb.save_to_buffer().map_err(be)
}

/// `danh-muc.xlsx` from a registry and a catalogue.
pub fn danh_muc(registry: &Registry, catalogue: &Catalogue) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    fixed_props(&mut wb)?;
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("DonVi").map_err(be)?;
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Tuyến", "Dân số"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &head)
            .map_err(be)?;
    }
    for (i, u) in registry.units.iter().enumerate() {
        let r = i as u32 + 1;
        let level = registry
            .levels
            .iter()
            .find(|l| l.key == u.tuyen)
            .map(|l| l.ten.as_str())
            .unwrap_or(&u.tuyen);
        ws.write_string(r, 0, &u.ma).map_err(be)?;
        ws.write_string(r, 1, &u.ten).map_err(be)?;
        ws.write_string(r, 2, level).map_err(be)?;
        if let Some(p) = u.dan_so.and_then(|d| d.to_f64()) {
            ws.write_number(r, 3, p).map_err(be)?;
        }
    }
    for (c, w) in [14.0, 40.0, 14.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(be)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("ChiTieu").map_err(be)?;
    let heads = [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm",
        "Cách tổng hợp",
        "Tử số",
        "Mẫu số",
        "Hệ số",
        "Kế hoạch tỉnh",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)
            .map_err(be)?;
    }
    for (i, ct) in catalogue.indicators.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &ct.ma).map_err(be)?;
        ws.write_string(r, 1, &ct.ten).map_err(be)?;
        ws.write_string(r, 2, &ct.dvt).map_err(be)?;
        ws.write_string(r, 3, &ct.nhom).map_err(be)?;
        match &ct.cach {
            CachTongHop::Tong => {
                ws.write_string(r, 4, "tong").map_err(be)?;
            }
            CachTongHop::TyLe {
                tu_so,
                mau_so,
                he_so,
            } => {
                ws.write_string(r, 4, "ty-le").map_err(be)?;
                ws.write_string(r, 5, tu_so).map_err(be)?;
                let m = match mau_so {
                    MauSo::DanSo => "DAN_SO",
                    MauSo::ChiTieu(m) => m.as_str(),
                };
                ws.write_string(r, 6, m).map_err(be)?;
                ws.write_number(r, 7, he_so.to_f64().unwrap_or(1.0))
                    .map_err(be)?;
            }
        }
        if let Some(k) = ct.ke_hoach_tinh.and_then(|d| d.to_f64()) {
            ws.write_number(r, 8, k).map_err(be)?;
        }
    }
    for (c, w) in [18.0, 50.0, 14.0, 30.0, 14.0, 14.0, 14.0, 8.0, 12.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(be)?;
    }
    wb.save_to_buffer().map_err(be)
}

fn roman(n: usize) -> String {
    crate::template::helpers::roman(n as u32)
}
