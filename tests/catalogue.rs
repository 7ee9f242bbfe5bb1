//! The catalogue is checked before anything is computed: each broken
//! definition is an error at its cell of `danh-muc.xlsx › ChiTieu`, and no
//! figure is printed from it, though units reported its rows.

mod common;

use common::{row, write_catalogue, write_unit, Ct, C::*};

const REGISTRY: &[(&str, &str, &str, Option<f64>)] =
    &[("BV1", "Bệnh viện Đa khoa tỉnh", "tỉnh", None)];

const G: &str = "Khám, chữa bệnh";

const fn ct(
    ma: &'static str,
    ten: &'static str,
    dvt: &'static str,
    cach: &'static str,
    tu: &'static str,
    mau: &'static str,
    he_so: Option<f64>,
) -> Ct {
    (ma, ten, dvt, G, cach, tu, mau, he_so, None)
}

/// Rows from A1 row 2; columns A code … E how, F numerator, G denominator, H factor.
const CATALOGUE: &[Ct] = &[
    ct("OK_A", "Số A", "ca", "tong", "", "", None), // 2
    ct("OK_B", "Số B", "ca", "tong", "", "", None), // 3
    ct(
        "R_NO_HESO",
        "Tỷ lệ không có hệ số",
        "%",
        "ty-le",
        "OK_B",
        "OK_C",
        None,
    ), // 4
    ct(
        "R_PCT",
        "Tỷ lệ hệ số sai",
        "%",
        "ty-le",
        "OK_B",
        "OK_C",
        Some(1000.0),
    ), // 5
    ct(
        "R_BAD_SIDE",
        "Tỷ lệ mẫu số lạ",
        "%",
        "ty-le",
        "OK_B",
        "KHONG_CO",
        Some(100.0),
    ), // 6
    ct(
        "R_SELF",
        "Tỷ lệ trên chính nó",
        "%",
        "ty-le",
        "R_SELF",
        "OK_B",
        Some(100.0),
    ), // 7
    ct(
        "R_C1",
        "Tỷ số vòng một",
        "lần",
        "ty-le",
        "R_C2",
        "OK_B",
        Some(1.0),
    ), // 8
    ct(
        "R_C2",
        "Tỷ số vòng hai",
        "lần",
        "ty-le",
        "R_C1",
        "OK_B",
        Some(1.0),
    ), // 9
    ct("OK_A", "Số A viết lại", "ca", "tong", "", "", None), // 10
    ct(
        "R_UNKNOWN",
        "Chỉ tiêu cách lạ",
        "ca",
        "trung-binh",
        "",
        "",
        None,
    ), // 11
    ct(
        "R_TONG_SIDES",
        "Tỷ lệ quên ty-le",
        "%",
        "tong",
        "OK_B",
        "OK_C",
        Some(100.0),
    ), // 12
    ct(
        "R_ON_BROKEN",
        "Tỷ lệ trên chỉ tiêu lỗi",
        "%",
        "ty-le",
        "OK_B",
        "OK_A",
        Some(100.0),
    ), // 13
    ct(
        "R_ON_RATE",
        "Tỷ số trên tỷ lệ",
        "lần",
        "ty-le",
        "R_GOOD",
        "OK_B",
        Some(1.0),
    ), // 14
    ct(
        "R_GOOD",
        "Tỷ lệ đúng",
        "%",
        "ty-le",
        "OK_B",
        "OK_C",
        Some(100.0),
    ), // 15
    ct("OK_C", "Số C", "ca", "tong", "", "", None), // 16
];

#[test]
fn every_broken_definition_is_an_error_at_its_cell_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("baocao.toml"), common::SETTINGS).unwrap();
    write_catalogue(&root.join("danh-muc.xlsx"), REGISTRY, CATALOGUE).unwrap();
    std::fs::create_dir_all(root.join("don-vi")).unwrap();
    let codes: Vec<&str> = CATALOGUE.iter().map(|c| c.0).collect();
    let rows: Vec<common::Row> = codes
        .iter()
        .enumerate()
        .filter(|(i, c)| codes.iter().position(|x| x == *c) == Some(*i))
        .map(|(_, c)| row(c, E, N(40.0), E))
        .collect();
    write_unit(
        &root.join("don-vi/bv1.xlsx"),
        "BV1",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &rows,
        &[],
    )
    .unwrap();
    let c = baocao::check(root, &|_, _| {}).expect("check runs");
    let errors: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == baocao::diagnostics::Severity::Error)
        .collect();
    let expect = [
        ("H4", "Tỷ lệ không có hệ số (R_NO_HESO)", "Hệ số để trống"),
        ("H5", "Tỷ lệ hệ số sai (R_PCT)", "tỷ lệ % cần Hệ số 100"),
        (
            "G6",
            "Tỷ lệ mẫu số lạ (R_BAD_SIDE)",
            "“KHONG_CO” không phải mã chỉ tiêu nào",
        ),
        (
            "F7",
            "Tỷ lệ trên chính nó (R_SELF)",
            "là chính chỉ tiêu này",
        ),
        ("F8", "Tỷ số vòng một (R_C1)", "R_C1 → R_C2 → R_C1"),
        ("F9", "Tỷ số vòng hai (R_C2)", "R_C2 → R_C1 → R_C2"),
        ("A10", "Số A (OK_A)", "có ở hai dòng (2 và 10)"),
        (
            "E11",
            "Chỉ tiêu cách lạ (R_UNKNOWN)",
            "Cách tổng hợp “trung-binh” không hợp lệ",
        ),
        (
            "E12",
            "Tỷ lệ quên ty-le (R_TONG_SIDES)",
            "có Tử số/Mẫu số nhưng Cách tổng hợp là “tong”",
        ),
        (
            "G13",
            "Tỷ lệ trên chỉ tiêu lỗi (R_ON_BROKEN)",
            "Số A (OK_A) có lỗi trong danh mục",
        ),
        (
            "F14",
            "Tỷ số trên tỷ lệ (R_ON_RATE)",
            "Tỷ lệ đúng (R_GOOD) là một tỷ lệ",
        ),
    ];
    for (cell, name, why) in expect {
        let d = errors
            .iter()
            .find(|d| d.location.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("no error at {cell}: {errors:#?}"));
        assert_eq!(d.location.file.as_deref(), Some("danh-muc.xlsx"), "{d}");
        assert_eq!(d.location.sheet.as_deref(), Some("ChiTieu"), "{d}");
        assert!(d.message.starts_with(name), "{d}");
        assert!(d.message.contains(why), "{d}");
        assert!(d.message.contains("không được tính"), "{d}");
    }
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
    let ct = &c.context["chi_tieu"];
    for code in [
        "R_NO_HESO",
        "R_PCT",
        "R_BAD_SIDE",
        "R_SELF",
        "R_C1",
        "R_C2",
        "OK_A",
        "R_UNKNOWN",
        "R_TONG_SIDES",
        "R_ON_BROKEN",
        "R_ON_RATE",
    ] {
        assert!(ct[code]["gia_tri"].is_null(), "{code}: {}", ct[code]);
        assert!(ct[code]["loi_danh_muc"].is_string(), "{code}");
        assert!(
            ct[code]["theo_tuyen"]["tinh"]["gia_tri"].is_null(),
            "{code}"
        );
    }
    // Good definitions still compute.
    assert_eq!(ct["OK_B"]["gia_tri"], 40);
    assert_eq!(ct["R_GOOD"]["gia_tri"], 100);
    assert!(ct["R_GOOD"]["loi_danh_muc"].is_null());
    // And the command line says errors were found.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("check")
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// `baocao init`'s danh-muc.xlsx explains itself: a `Hướng dẫn` sheet first
/// and a note on every header cell (read by openpyxl), and the catalogue
/// reader passes the guide by and reads every column back.
#[test]
fn inits_catalogue_explains_every_column_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("moi");
    baocao::starter::init(&root).unwrap();
    let path = root.join("danh-muc.xlsx");
    let script = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "notes": {}, "guide": []}
for name in ["DonVi", "ChiTieu"]:
    ws = wb[name]
    out["notes"][name] = [[c.value, c.comment.text if c.comment else None] for c in ws[1] if c.value]
out["guide"] = [c.value for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value]
print(json.dumps(out, ensure_ascii=False))
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 with openpyxl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["sheets"],
        serde_json::json!(["Hướng dẫn", "DonVi", "ChiTieu"])
    );
    let guide = v["guide"].to_string();
    for (sheet, n) in [("DonVi", 4), ("ChiTieu", 10)] {
        let notes = v["notes"][sheet].as_array().unwrap();
        assert_eq!(notes.len(), n, "{sheet}: {notes:?}");
        for h in notes {
            let (label, note) = (h[0].as_str().unwrap(), h[1].as_str().unwrap_or(""));
            assert!(
                note.starts_with(&format!("{label}: ")),
                "{sheet} {label}: {note}"
            );
            assert!(note.contains("\nVí dụ: "), "{sheet} {label}: {note}");
            assert!(guide.contains(label), "{label} not explained in the guide");
        }
    }
    assert!(guide.contains("số tuyệt đối"), "{guide}");
    // Read back: the guide is not data, every column is.
    let (reg, cat, diags) =
        baocao::catalog::read_danh_muc(std::fs::read(&path).unwrap(), "danh-muc.xlsx");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(reg.units.len(), 4);
    assert_eq!(cat.indicators.len(), 5);
    let sxh = cat.get("SXH_MAC").unwrap();
    assert_eq!(sxh.so_sanh, baocao::catalog::CachSoSanh::SoTuyetDoi);
    assert!(matches!(
        cat.get("NL_BS_VAN_DAN").unwrap().cach,
        baocao::catalog::CachTongHop::TyLe { .. }
    ));
}
