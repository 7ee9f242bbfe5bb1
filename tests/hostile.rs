//! Files made to hurt: the hostile workbooks of `tests/fixtures/hostile/`
//! (what each does: its README) read one by one through intake, and whole
//! report folders full of them run through the `baocao` binary under a
//! memory limit and a timeout.

use std::path::{Path, PathBuf};

use baocao::catalog::Catalogue;
use baocao::diagnostics::{Diagnostic, Severity};
use baocao::intake::{read_unit, Expect, UnitReport, Value};
use baocao::settings::Loai;
use rust_decimal::Decimal;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn catalogue() -> Catalogue {
    let bytes = std::fs::read(fixtures().join("intake/danh-muc.xlsx")).unwrap();
    baocao::catalog::read_danh_muc(bytes, "danh-muc.xlsx").1
}

fn read(name: &str) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let bytes = std::fs::read(fixtures().join("hostile/don-vi").join(name)).unwrap();
    let cat = catalogue();
    read_unit(
        bytes,
        name,
        Expect {
            catalogue: &cat,
            period: (Loai::SoKet6Thang, 2024, None),
        },
    )
}

/// The file is refused with one error naming it and saying `why`.
fn refused(name: &str, why: &str) {
    let (rep, diags) = read(name);
    assert!(rep.is_none(), "{name} was read: {diags:#?}");
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{name}: {diags:#?}");
    assert_eq!(errors[0].location.file.as_deref(), Some(name));
    assert!(
        errors[0].message.contains(why),
        "{name}: want “{why}”, got {}",
        errors[0]
    );
}

/// The file is read, with the standard form's figures.
fn read_as_the_form(name: &str) -> Vec<Diagnostic> {
    let (rep, diags) = read(name);
    let rep = rep.unwrap_or_else(|| panic!("{name} not read: {diags:#?}"));
    assert_eq!(rep.ma_don_vi.as_deref(), Some("DV_LA"), "{name}");
    let row = rep.rows.iter().find(|r| r.ma == "KCB_LUOT").unwrap();
    let n = |v: i64| Value::Number(Decimal::from(v));
    assert_eq!(
        (
            &row.ke_hoach.value,
            &row.thuc_hien.value,
            &row.cung_ky.value
        ),
        (&n(1000), &n(500), &n(400)),
        "{name}"
    );
    diags
}

#[test]
fn sound_files_from_the_same_writers_are_read() {
    for name in ["xls-tu-viet.xls", "xlsx-tu-viet.xlsx"] {
        let diags = read_as_the_form(name);
        assert!(
            !diags.iter().any(|d| d.severity == Severity::Error),
            "{name}: {diags:#?}"
        );
    }
}

#[test]
fn truncated_xls_is_refused_never_a_panic() {
    for cut in [700, 1536, 2600, 5000] {
        refused(&format!("xls-cat-{cut}.xls"), "tệp .xls bị hỏng");
    }
    refused("xls-vong-lap.xls", "tệp .xls bị hỏng");
}

#[test]
fn declared_sizes_are_not_trusted() {
    // Read: the lying records are dropped or cut to what they hold.
    read_as_the_form("xls-kich-thuoc.xls");
    read_as_the_form("xlsx-cong-thuc-chung.xlsx");
    let diags = read_as_the_form("xls-nhan-noi-dai.xls");
    // The 3,000 one-letter labels are there, each as one letter.
    assert!(
        diags.iter().any(|d| d.message.contains("“x”")),
        "{diags:#?}"
    );
    refused(
        "xlsx-unique-count.xlsx",
        "khai báo 4.294.967.295 chuỗi nhưng chỉ có 13",
    );
}

#[test]
fn extents_beyond_the_limit_are_refused_before_allocation() {
    refused("xls-hai-goc.xls", "vùng dữ liệu 65.536 × 65.536 ô");
    refused("xls-nhieu-trang.xls", "vùng dữ liệu 65.536 × 256 ô");
    refused("ods-lap-hang.ods", "vùng dữ liệu 1.048.576 × 90 ô");
}

#[test]
fn text_copied_into_many_cells_is_counted_per_copy() {
    for name in [
        "xls-chuoi-chung.xls",
        "xlsx-chuoi-1mb.xlsx",
        "ods-chuoi-lap.ods",
        "ods-khoang-trang.ods",
    ] {
        refused(name, "chứa hơn 32 MB chữ");
    }
}
