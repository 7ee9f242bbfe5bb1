//! The command line: exit codes, `check --json`, `build --out --format`,
//! and `tong-hop.xlsx` read back with calamine.

mod common;

use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{folder, row, write_unit, C::*};

fn baocao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

fn one_unit(root: &std::path::Path) {
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[
            row("KCB_LUOT", N(357037.0), N(167093.0), N(150000.0)),
            row("BAC_SI", E, N(300.0), E),
        ],
        &[],
    )
    .unwrap();
}

#[test]
fn check_json_has_diagnostics_and_context() {
    let (_g, root) = folder();
    one_unit(&root);
    let out = baocao()
        .args(["check", "--json"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["diagnostics"].is_array());
    assert_eq!(v["context"]["chi_tieu"]["KCB_LUOT"]["gia_tri"], 167093);
    assert_eq!(v["context"]["chi_tieu"]["KCB_LUOT"]["ty_le_ke_hoach"], 46.8);
    assert_eq!(v["context"]["bao_cao"]["ky"], "6 tháng đầu năm 2024");
    assert_eq!(v["context"]["bao_cao"]["so"], "05/BC-SYT");
    for key in [
        "bao_cao", "co_quan", "ky", "noi_nhan", "don_vi", "chi_tieu", "nhom", "noi_dung",
    ] {
        assert!(v["context"].get(key).is_some(), "context lacks {key}");
    }
}

#[test]
fn exit_codes() {
    // 2: no such folder.
    let out = baocao()
        .args(["check", "/khong/co/thu/muc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không có thư mục"));
    // 2: broken settings, naming the key and line.
    let (_g, root) = folder();
    std::fs::write(
        root.join("baocao.toml"),
        common::SETTINGS.replace("so-ket-6-thang", "sokết"),
    )
    .unwrap();
    let out = baocao().arg("check").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("dòng 3"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 1: a unit file with an error; the table says so.
    let (_g2, root) = folder();
    one_unit(&root);
    std::fs::write(root.join("don-vi/hong.xlsx"), b"day khong phai bang tinh").unwrap();
    let out = baocao().arg("check").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("don-vi/hong.xlsx: không phải tệp bảng tính"),
        "{text}"
    );
    assert!(text.contains("CHƯA NỘP"), "{text}");
}

#[test]
fn build_writes_xlsx_with_real_numbers_and_sources() {
    let (_g, root) = folder();
    one_unit(&root);
    let out_dir = root.join("ra");
    let out = baocao()
        .arg("build")
        .arg(&root)
        .arg("--out")
        .arg(&out_dir)
        .args(["--format", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!root.join("ket-qua").exists());
    let path = out_dir.join("tong-hop.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "Toàn tỉnh",
            "Tuyến tỉnh",
            "Tuyến huyện",
            "Tuyến xã",
            "Theo đơn vị",
            "Chưa nộp",
            "Chẩn đoán"
        ]
    );
    // Two title rows and a blank one over the header row (row 4).
    let r = wb.worksheet_range("Toàn tỉnh").unwrap();
    assert_eq!(r.get((4, 1)), Some(&Data::String("KCB_LUOT".into())));
    assert_eq!(r.get((4, 5)), Some(&Data::Float(167093.0)));
    assert_eq!(r.get((4, 6)), Some(&Data::Float(46.8)));
    let u = wb.worksheet_range("Theo đơn vị").unwrap();
    assert_eq!(
        u.get((4, 9)),
        Some(&Data::String("don-vi/bvdk.xlsx › BaoCao › F9".into()))
    );
    // Same inputs, same bytes.
    let first = std::fs::read(&path).unwrap();
    let out = baocao()
        .arg("build")
        .arg(&root)
        .arg("--out")
        .arg(&out_dir)
        .args(["--format", "xlsx"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(first, std::fs::read(&path).unwrap());
}

#[test]
fn init_writes_a_folder_that_checks_clean_and_forms_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("moi");
    let out = baocao().arg("init").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    for f in [
        "baocao.toml",
        "danh-muc.xlsx",
        "noi-dung.md",
        "vi-du/BVDK-vi-du.xlsx",
        "mau/so-ket-6-thang.hbs",
        "mau/phu-luc.hbs",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // Not again into a non-empty folder.
    assert_eq!(
        baocao()
            .arg("init")
            .arg(&dir)
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    let out = baocao()
        .args(["check", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        v["diagnostics"]
    );
    // The example workbook is not a report: nothing received yet.
    assert_eq!(v["context"]["don_vi"]["da_nop"], 0);
    assert_eq!(v["context"]["don_vi"]["du_kien"], 4);
    assert!(v["context"]["chi_tieu"]["KCB_LUOT"]["gia_tri"].is_null());
    assert!(std::fs::read_dir(dir.join("don-vi"))
        .unwrap()
        .next()
        .is_none());
    // The example is a real filled form: copied into don-vi/ it is BVDK's report.
    let tmp2 = tempfile::tempdir().unwrap();
    let copy = tmp2.path().join("thu");
    assert_eq!(
        baocao()
            .arg("init")
            .arg(&copy)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    std::fs::copy(
        dir.join("vi-du/BVDK-vi-du.xlsx"),
        copy.join("don-vi/bvdk.xlsx"),
    )
    .unwrap();
    let out = baocao()
        .args(["check", "--json"])
        .arg(&copy)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["context"]["don_vi"]["da_nop"], 1);
    assert_eq!(v["context"]["chi_tieu"]["KCB_LUOT"]["gia_tri"], 95500);
    // Blank forms: one per unit, read back as the right unit with nothing reported.
    let out = baocao().arg("forms").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(dir.join("bieu-mau/TTYT_A.xlsx")).unwrap();
    let (reg, cat, _) = baocao::catalog::read_danh_muc(
        std::fs::read(dir.join("danh-muc.xlsx")).unwrap(),
        "danh-muc.xlsx",
    );
    assert_eq!(reg.units.len(), 4);
    let (rep, diags) = baocao::intake::read_unit(
        bytes,
        "TTYT_A.xlsx",
        baocao::intake::Expect {
            catalogue: &cat,
            period: (baocao::settings::Loai::SoKet6Thang, 2024, None),
        },
    );
    let rep = rep.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(rep.ma_don_vi.as_deref(), Some("TTYT_A"));
    assert_eq!(rep.rows.len(), cat.indicators.len());
    assert!(rep
        .rows
        .iter()
        .all(|r| r.thuc_hien.value == baocao::intake::Value::Missing));
}
