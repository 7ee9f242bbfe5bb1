//! Files made to hurt: the hostile workbooks of `tests/fixtures/hostile/`
//! (what each does: its README) read one by one through intake, and whole
//! report folders full of them run through the `baocao` binary under a
//! memory limit and a timeout.

mod common;

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

#[test]
fn figures_too_large_to_sum_are_errors_at_their_cells() {
    use common::{row, write_unit, C::*};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lon.xlsx");
    write_unit(
        &path,
        "DV_LA",
        "Đơn vị lạ",
        "6 tháng đầu năm 2024",
        &[
            row(
                "KCB_LUOT",
                N(5e28),
                T("12345678901234567890123456789"),
                N(400.0),
            ),
            row(
                "DIEU_TRI",
                N(1e15),
                N(999_999_999_999_999.0),
                T("-1.000.000.000.000.000"),
            ),
        ],
        &[],
    )
    .unwrap();
    let cat = catalogue();
    let (rep, diags) = read_unit(
        std::fs::read(&path).unwrap(),
        "lon.xlsx",
        Expect {
            catalogue: &cat,
            period: (Loai::SoKet6Thang, 2024, None),
        },
    );
    let rep = rep.expect("read");
    let cells = |r: &str| {
        let row = rep.rows.iter().find(|x| x.ma == r).unwrap();
        (
            row.ke_hoach.value.clone(),
            row.thuc_hien.value.clone(),
            row.cung_ky.value.clone(),
        )
    };
    assert_eq!(
        cells("KCB_LUOT"),
        (Value::Missing, Value::Missing, Value::Number(400.into()))
    );
    assert_eq!(
        cells("DIEU_TRI"),
        (
            Value::Missing,
            Value::Number(999_999_999_999_999i64.into()),
            Value::Missing
        )
    );
    for cell in ["E9", "F9", "E10", "G10"] {
        let d = diags
            .iter()
            .find(|d| d.location.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("nothing at {cell}: {diags:#?}"));
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert!(d.message.contains("quá lớn"), "{d}");
    }
}

mod figures_at_the_limit {
    //! Every figure intake lets through is below `max_figure`; compile's
    //! sums, differences, rates and the ×3 rule must then never overflow,
    //! whatever the figures' scale and however many units report.

    use std::str::FromStr;

    use baocao::catalog::{CachTongHop, Catalogue, ChiTieu, DonVi, Group, Level, MauSo, Registry};
    use baocao::compile::compile;
    use baocao::intake::{Figure, FigureRow, UnitReport, Value};
    use baocao::vi::number::{max_factor, max_figure};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn fig(v: Decimal) -> Figure {
        Figure {
            value: Value::Number(v),
            nguon: "t.xlsx › BaoCao › F9".into(),
        }
    }

    fn catalogue(plan: Decimal) -> Catalogue {
        let ct = |ma: &str, cach: CachTongHop| ChiTieu {
            ma: ma.into(),
            ten: ma.into(),
            dvt: "ca".into(),
            nhom: "Nhóm".into(),
            cach,
            ke_hoach_tinh: Some(plan),
            loi: None,
        };
        let rate = |mau_so| CachTongHop::TyLe {
            tu_so: "TU".into(),
            mau_so,
            he_so: max_factor(),
        };
        Catalogue {
            indicators: vec![
                ct("TU", CachTongHop::Tong),
                ct("MAU", CachTongHop::Tong),
                ct("TY_LE", rate(MauSo::ChiTieu("MAU".into()))),
                ct("VAN_DAN", rate(MauSo::DanSo)),
            ],
            groups: vec![Group {
                ten: "Nhóm".into(),
                khoa: "nhom".into(),
            }],
        }
    }

    fn run(values: &[(Decimal, Decimal, Decimal)], population: Decimal) {
        let mut reg = Registry {
            units: Vec::new(),
            levels: vec![Level {
                key: "tinh".into(),
                ten: "tuyến tỉnh".into(),
            }],
        };
        let mut reports = Vec::new();
        for (i, (a, b, c)) in values.iter().enumerate() {
            let ma = format!("DV{i}");
            reg.units.push(DonVi {
                ma: ma.clone(),
                ten: ma.clone(),
                tuyen: "tinh".into(),
                dan_so: Some(population),
            });
            let row = |code: &str| FigureRow {
                ma: code.into(),
                ke_hoach: fig(*a),
                thuc_hien: fig(*b),
                cung_ky: fig(*c),
            };
            reports.push(UnitReport {
                file: format!("{ma}.xlsx"),
                sheet: "BaoCao".into(),
                ma_don_vi: Some(ma),
                ma_o: None,
                ten_don_vi: None,
                ky: None,
                rows: vec![row("TU"), row("MAU")],
                narrative: vec![],
                modified: None,
                luu_luc: None,
                ky_khop: None,
            });
        }
        let (c, _) = compile(reports, &reg, &catalogue(values[0].0));
        assert_eq!(c.indicators.len(), 4);
    }

    /// The largest figure intake accepts, with 28 significant digits.
    fn largest() -> Decimal {
        Decimal::from_str("999999999999999.9999999999999").unwrap()
    }

    #[test]
    fn a_thousand_units_at_the_largest_figure() {
        assert!(largest() < max_figure());
        let tiny = Decimal::new(1, 28);
        let v = vec![(largest(), -largest(), tiny); 1_000];
        run(&v, largest());
        let v = vec![(tiny, largest(), -tiny); 1_000];
        run(&v, tiny);
    }

    fn figure() -> impl Strategy<Value = Decimal> {
        (-999_999_999_999_999i64..=999_999_999_999_999, 0u32..=28)
            .prop_map(|(m, scale)| Decimal::new(m, scale))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_figures_in_range_compile(values in prop::collection::vec((figure(), figure(), figure()), 1..300), pop in figure()) {
            run(&values, pop);
        }
    }
}
