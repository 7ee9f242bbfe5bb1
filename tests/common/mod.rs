//! Building small report folders for tests: a catalogue, a registry and
//! unit workbooks in the standard layout, written by rust_xlsxwriter.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{Workbook, XlsxError};

/// A cell value for a unit's table.
#[derive(Clone, Debug)]
pub enum C {
    /// Nothing.
    E,
    /// A number cell.
    N(f64),
    /// A text cell.
    T(&'static str),
}

/// One indicator row of a unit workbook: code, name, plan, result, same period.
pub struct Row {
    pub ma: &'static str,
    pub ten: &'static str,
    pub ke_hoach: C,
    pub thuc_hien: C,
    pub cung_ky: C,
}

pub fn row(ma: &'static str, ke_hoach: C, thuc_hien: C, cung_ky: C) -> Row {
    Row {
        ma,
        ten: "",
        ke_hoach,
        thuc_hien,
        cung_ky,
    }
}

/// Settings text for a six-month report of 2024.
pub const SETTINGS: &str = r#"
[bao_cao]
loai = "so-ket-6-thang"
nam = 2024

[co_quan]
chu_quan = "UBND TỈNH THỬ NGHIỆM"
ban_hanh = "SỞ Y TẾ"
dia_danh = "Thử Nghiệm"

[van_ban]
so = "5/BC-SYT"
ngay = 2024-07-08
noi_nhan = ["UBND tỉnh (để b/c)", "Lưu: VT, KHTC"]

[ky]
quyen_han = "KT. GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"
ho_ten = "Trần Thị B"
"#;

/// A catalogue row: code, name, unit, group, how, numerator, denominator, factor, province plan.
pub type Ct = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
);

/// The test catalogue.
pub const CATALOGUE: &[Ct] = &[
    (
        "KCB_LUOT",
        "Tổng số lượt khám bệnh",
        "lượt",
        "Khám, chữa bệnh",
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "NGAY_DT",
        "Tổng số ngày điều trị nội trú",
        "ngày",
        "Khám, chữa bệnh",
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "NGAY_GIUONG",
        "Số ngày giường kế hoạch",
        "ngày giường",
        "Khám, chữa bệnh",
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "CONG_SUAT",
        "Công suất sử dụng giường bệnh",
        "%",
        "Khám, chữa bệnh",
        "ty-le",
        "NGAY_DT",
        "NGAY_GIUONG",
        Some(100.0),
        None,
    ),
    (
        "BAC_SI",
        "Số bác sĩ",
        "người",
        "Nhân lực",
        "tong",
        "",
        "",
        None,
        None,
    ),
    (
        "BS_VAN_DAN",
        "Số bác sĩ/vạn dân",
        "bác sĩ/vạn dân",
        "Nhân lực",
        "ty-le",
        "BAC_SI",
        "DAN_SO",
        Some(10000.0),
        Some(12.0),
    ),
    (
        "COVID",
        "Số ca mắc COVID-19",
        "ca",
        "Phòng chống dịch",
        "tong",
        "",
        "",
        None,
        None,
    ),
];

/// Registry: code, name, level text, population.
pub const REGISTRY: &[(&str, &str, &str, Option<f64>)] = &[
    ("BVDK", "Bệnh viện Đa khoa tỉnh", "tuyến tỉnh", None),
    ("CDC", "Trung tâm Kiểm soát bệnh tật", "Tỉnh", None),
    ("TTYT_A", "Trung tâm Y tế huyện A", "huyện", Some(100000.0)),
    (
        "TTYT_B",
        "Trung tâm Y tế huyện B",
        "Tuyến huyện",
        Some(150000.0),
    ),
    ("TYT_X", "Trạm Y tế xã X", "xã", None),
];

/// Write danh-muc.xlsx.
pub fn write_catalogue(
    path: &Path,
    registry: &[(&str, &str, &str, Option<f64>)],
    catalogue: &[Ct],
) -> Result<(), XlsxError> {
    write_catalogue_with(path, registry, catalogue, &[])
}

/// Write danh-muc.xlsx with a `Cách so sánh` column (the tenth) when
/// `so_sanh` gives (code, value) pairs.
pub fn write_catalogue_with(
    path: &Path,
    registry: &[(&str, &str, &str, Option<f64>)],
    catalogue: &[Ct],
    so_sanh: &[(&str, &str)],
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("DonVi")?;
    for (c, h) in ["Mã đơn vị", "Tên đơn vị", "Tuyến", "Dân số"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, (ma, ten, tuyen, ds)) in registry.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *ma)?;
        ws.write_string(r, 1, *ten)?;
        ws.write_string(r, 2, *tuyen)?;
        if let Some(d) = ds {
            ws.write_number(r, 3, *d)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("ChiTieu")?;
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
        ws.write_string(0, c as u16, *h)?;
    }
    for (i, ct) in catalogue.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, ct.0)?;
        ws.write_string(r, 1, ct.1)?;
        ws.write_string(r, 2, ct.2)?;
        ws.write_string(r, 3, ct.3)?;
        ws.write_string(r, 4, ct.4)?;
        ws.write_string(r, 5, ct.5)?;
        ws.write_string(r, 6, ct.6)?;
        if let Some(h) = ct.7 {
            ws.write_number(r, 7, h)?;
        }
        if let Some(k) = ct.8 {
            ws.write_number(r, 8, k)?;
        }
        if let Some((_, v)) = so_sanh.iter().find(|(c, _)| *c == ct.0) {
            ws.write_string(r, 9, *v)?;
        }
    }
    if !so_sanh.is_empty() {
        ws.write_string(0, 9, "Cách so sánh")?;
    }
    wb.save(path)
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &C) -> Result<(), XlsxError> {
    match v {
        C::E => {}
        C::N(n) => {
            ws.write_number(r, c, *n)?;
        }
        C::T(t) => {
            ws.write_string(r, c, *t)?;
        }
    }
    Ok(())
}

/// Write a unit workbook in the standard layout: title rows, the three
/// header lines, the table from row 7 (A1 row 8), a NoiDung sheet.
pub fn write_unit(
    path: &Path,
    ma: &str,
    ten: &str,
    ky: &str,
    rows: &[Row],
    noi_dung: &[(&str, &str)],
) -> Result<(), XlsxError> {
    write_unit_saved(path, ma, ten, ky, rows, noi_dung, None)
}

/// `write_unit`, with the time the workbook says it was saved
/// (`docProps/core.xml`), as Excel records it.
pub fn write_unit_saved(
    path: &Path,
    ma: &str,
    ten: &str,
    ky: &str,
    rows: &[Row],
    noi_dung: &[(&str, &str)],
    saved: Option<&rust_xlsxwriter::ExcelDateTime>,
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    if let Some(t) = saved {
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(t));
    }
    let ws = wb.add_worksheet();
    ws.set_name("BaoCao")?;
    ws.write_string(0, 0, "SỞ Y TẾ TỈNH THỬ NGHIỆM")?;
    ws.write_string(1, 2, "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG")?;
    ws.write_string(3, 0, format!("Tên đơn vị: {ten}"))?;
    ws.write_string(4, 0, format!("Mã đơn vị: {ma}"))?;
    ws.write_string(5, 0, format!("Kỳ báo cáo: {ky}"))?;
    let heads = [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch năm",
        "Thực hiện 6 tháng",
        "Cùng kỳ năm trước",
        "Ghi chú",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(7, c as u16, *h)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let rr = 8 + i as u32;
        ws.write_number(rr, 0, (i + 1) as f64)?;
        ws.write_string(rr, 1, r.ma)?;
        ws.write_string(rr, 2, r.ten)?;
        put(ws, rr, 4, &r.ke_hoach)?;
        put(ws, rr, 5, &r.thuc_hien)?;
        put(ws, rr, 6, &r.cung_ky)?;
    }
    if !noi_dung.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("NoiDung")?;
        ws.write_string(0, 0, "Mục")?;
        ws.write_string(0, 1, "Nội dung")?;
        for (i, (m, t)) in noi_dung.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *m)?;
            ws.write_string(i as u32 + 1, 1, *t)?;
        }
    }
    wb.save(path)
}

/// A fresh report folder with settings and the test catalogue; returns
/// (guard, path).
pub fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    std::fs::write(root.join("baocao.toml"), SETTINGS).expect("settings");
    write_catalogue(&root.join("danh-muc.xlsx"), REGISTRY, CATALOGUE).expect("catalogue");
    std::fs::create_dir_all(root.join("don-vi")).expect("don-vi");
    (dir, root)
}

/// Runs a tool a test reads its output with (poppler, qpdf, LibreOffice,
/// python3) and returns its standard output; it must succeed. Each
/// LibreOffice run gets a profile of its own: tests run in parallel, and
/// instances sharing the default profile hand work to each other or fail.
pub fn tool(name: &str, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(name);
    if name == "soffice" {
        command.arg(format!(
            "-env:UserInstallation=file://{}/lo",
            profile.path().display()
        ));
    }
    let out = command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (.ci/run installs it): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}
