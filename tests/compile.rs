//! Compiling figures across units, checked against hand-computed values on
//! real workbooks written by rust_xlsxwriter.

mod common;

use common::{folder, row, write_unit, C::*};
use serde_json::Value;

fn context(root: &std::path::Path) -> (Value, Vec<baocao::diagnostics::Diagnostic>) {
    let c = baocao::check(root, &|_, _| {}).expect("check runs");
    for d in &c.diagnostics {
        eprintln!("{d}");
    }
    (c.full_context(), c.diagnostics)
}

fn standard_units(root: &std::path::Path) {
    let ky = "6 tháng đầu năm 2024";
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        ky,
        &[
            row("KCB_LUOT", N(200000.0), N(100000.0), N(90000.0)),
            row("NGAY_DT", E, N(45000.0), N(40000.0)),
            row("NGAY_GIUONG", E, N(50000.0), N(50000.0)),
            row("CONG_SUAT", E, N(90.0), E),
            row("BAC_SI", E, N(300.0), N(280.0)),
            row("COVID", E, T("-"), E),
        ],
        &[
            ("TON_TAI", "Quá tải ở khoa Nhi."),
            ("Khám, chữa bệnh", "Triển khai bệnh án điện tử."),
        ],
    )
    .unwrap();
    write_unit(
        &root.join("don-vi/ttyt_a.xlsx"),
        "TTYT_A",
        "Trung tâm Y tế huyện A",
        ky,
        &[
            row("KCB_LUOT", N(157037.0), N(67093.0), N(70000.0)),
            row("NGAY_DT", E, N(9000.0), E),
            row("NGAY_GIUONG", E, N(20000.0), E),
            row("BAC_SI", E, N(40.0), E),
            row("COVID", E, N(58.0), N(2511.0)),
        ],
        &[],
    )
    .unwrap();
    write_unit(
        &root.join("don-vi/ttyt_b.xlsx"),
        "TTYT_B",
        "Trung tâm Y tế huyện B",
        ky,
        &[
            row("KCB_LUOT", N(100000.0), T("1.234"), E),
            row("BAC_SI", E, N(35.0), E),
            row("COVID", E, N(0.0), E),
        ],
        &[],
    )
    .unwrap();
}

#[test]
fn sums_rates_levels_and_completeness() {
    let (_g, root) = folder();
    standard_units(&root);
    let (ctx, diags) = context(&root);
    let ct = &ctx["chi_tieu"];
    // Sums: 100.000 + 67.093 + 1.234 (text, Vietnamese thousands).
    assert_eq!(ct["KCB_LUOT"]["gia_tri"], 168327);
    assert_eq!(ct["KCB_LUOT"]["ke_hoach"], 457037);
    // By level.
    assert_eq!(ct["KCB_LUOT"]["theo_tuyen"]["tinh"]["gia_tri"], 100000);
    assert_eq!(ct["KCB_LUOT"]["theo_tuyen"]["huyen"]["gia_tri"], 68327);
    assert_eq!(ct["KCB_LUOT"]["theo_tuyen"]["huyen"]["ke_hoach"], 257037);
    // 68.327 / 257.037 × 100 = 26,5825… → 26,58
    assert_eq!(
        ct["KCB_LUOT"]["theo_tuyen"]["huyen"]["ty_le_ke_hoach"],
        26.58
    );
    assert_eq!(ct["KCB_LUOT"]["theo_tuyen"]["xa"]["gia_tri"], Value::Null);
    assert_eq!(ct["KCB_LUOT"]["so_don_vi_bao_cao"], 3);
    // Rate recomputed: (45.000 + 9.000) / (50.000 + 20.000) × 100 = 77,142857 → 77,14,
    // not the mean of 90 and 45.
    assert_eq!(ct["CONG_SUAT"]["gia_tri"], 77.14);
    // Per population: (300 + 40 + 35) / (100.000 + 150.000) × 10.000 = 15.
    assert_eq!(ct["BS_VAN_DAN"]["gia_tri"], 15);
    // The province's own plan overrides; rates compare in points.
    assert_eq!(ct["BS_VAN_DAN"]["ke_hoach"], 12);
    assert_eq!(ct["BS_VAN_DAN"]["chenh_lech_ke_hoach"], 3);
    assert_eq!(ct["BS_VAN_DAN"]["ty_le_ke_hoach"], Value::Null);
    // Provincial level has no population: no such rate there.
    assert_eq!(
        ct["BS_VAN_DAN"]["theo_tuyen"]["tinh"]["gia_tri"],
        Value::Null
    );
    // Same period: (58 + 0 − 2.511) / 2.511 … only units that gave it: COVID
    // same period is 2.511 (TTYT_A); value 58 + 0 = 58 → −97,69%.
    assert_eq!(ct["COVID"]["gia_tri"], 58);
    assert_eq!(ct["COVID"]["so_voi_cung_ky"], -97.69);
    assert_eq!(ct["COVID"]["chenh_lech_cung_ky"], -2453);
    // "-" is not zero and not counted; 0 is zero and counted.
    assert_eq!(ct["COVID"]["so_don_vi_bao_cao"], 2);
    // Completeness.
    assert_eq!(ctx["don_vi"]["du_kien"], 5);
    assert_eq!(ctx["don_vi"]["da_nop"], 3);
    let thieu: Vec<&str> = ctx["don_vi"]["thieu"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["ma"].as_str().unwrap())
        .collect();
    assert_eq!(thieu, ["CDC", "TYT_X"]);
    assert_eq!(ctx["don_vi"]["theo_tuyen"]["huyen"]["da_nop"], 2);
    // Provenance.
    assert_eq!(
        ct["KCB_LUOT"]["theo_don_vi"][0]["nguon"],
        "don-vi/bvdk.xlsx › BaoCao › F9"
    );
    // Narrative, with the unit that wrote it.
    assert_eq!(
        ctx["noi_dung"]["TON_TAI"][0]["don_vi"],
        "Bệnh viện Đa khoa tỉnh"
    );
    assert_eq!(
        ctx["nhom"][0]["noi_dung"][0]["van_ban"],
        "Triển khai bệnh án điện tử."
    );
    // The >3× rule fires for COVID at TTYT_A (58 vs 2.511), naming the cell.
    assert!(
        diags.iter().any(|d| d.message.contains("COVID")
            && d.message.contains("3 lần")
            && d.location.cell.as_deref() == Some("F13")),
        "{diags:#?}"
    );
}

/// A check leaves each unit's own figures out of `compiled` until they are
/// asked for (a build asks); the context shows the same figures either way,
/// each where its unit gave it.
#[test]
fn unit_figures_are_the_same_whenever_they_are_made() {
    let (_g, root) = folder();
    standard_units(&root);
    let mut c = baocao::check(&root, &|_, _| {}).expect("check runs");
    assert!(c
        .compiled
        .indicators
        .iter()
        .all(|ci| ci.theo_don_vi.is_empty()));
    let later = c.full_context();
    c.fill_unit_figures();
    let kcb = c
        .compiled
        .indicators
        .iter()
        .find(|ci| ci.chi_tieu.ma == "KCB_LUOT")
        .unwrap();
    assert_eq!(kcb.theo_don_vi.len(), 3);
    assert_eq!(later, c.full_context());
    let units = later["chi_tieu"]["KCB_LUOT"]["theo_don_vi"]
        .as_array()
        .unwrap();
    let given: Vec<(&str, &Value)> = units
        .iter()
        .map(|u| (u["ma"].as_str().unwrap(), &u["gia_tri"]))
        .collect();
    assert_eq!(given.len(), 3);
    assert_eq!(given[0], ("BVDK", &Value::from(100000)));
}

#[test]
fn absent_figures_stay_null_never_zero() {
    let (_g, root) = folder();
    write_unit(
        &root.join("don-vi/a.xlsx"),
        "TTYT_A",
        "Trung tâm Y tế huyện A",
        "6 tháng đầu năm 2024",
        &[
            row("KCB_LUOT", E, E, E),
            row("NGAY_DT", E, N(10.0), E),
            row("NGAY_GIUONG", E, N(0.0), E),
        ],
        &[],
    )
    .unwrap();
    let (ctx, _) = context(&root);
    let ct = &ctx["chi_tieu"];
    assert_eq!(ct["KCB_LUOT"]["gia_tri"], Value::Null);
    assert_eq!(ct["KCB_LUOT"]["so_don_vi_bao_cao"], 0);
    // Division by zero: absent.
    assert_eq!(ct["CONG_SUAT"]["gia_tri"], Value::Null);
    assert_eq!(ct["COVID"]["gia_tri"], Value::Null);
}

#[test]
fn reviewer_rules_each_name_the_unit_and_cell() {
    let (_g, root) = folder();
    let ky = "6 tháng đầu năm 2024";
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        ky,
        &[
            row("KCB_LUOT", N(200000.0), N(100000.0), N(90000.0)),
            // Numerator larger than its denominator; a percentage over 100.
            row("NGAY_DT", E, N(60000.0), E),
            row("NGAY_GIUONG", E, N(50000.0), E),
            row("CONG_SUAT", E, N(120.0), E),
        ],
        &[],
    )
    .unwrap();
    write_unit(
        &root.join("don-vi/a.xlsx"),
        "TTYT_A",
        "Trung tâm Y tế huyện A",
        ky,
        // No plan while BVDK gave one; a negative count.
        &[
            row("KCB_LUOT", E, N(5000.0), N(4800.0)),
            row("BAC_SI", E, N(-3.0), E),
        ],
        &[],
    )
    .unwrap();
    let (_, diags) = context(&root);
    let find = |needle: &str, cell: &str| {
        diags
            .iter()
            .find(|d| d.message.contains(needle) && d.location.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("no diagnostic “{needle}” at {cell}: {diags:#?}"))
    };
    // Rows start at A1 row 9: KCB_LUOT 9, NGAY_DT 10, NGAY_GIUONG 11, CONG_SUAT 12.
    let d = find("lớn hơn mẫu số", "F10");
    assert!(d.message.starts_with("Bệnh viện Đa khoa tỉnh"), "{d}");
    find("vượt 100%", "F12");
    find("số âm", "F10");
    let d = find("không được tính vào so sánh với kế hoạch", "E9");
    assert_eq!(d.location.file.as_deref(), Some("don-vi/a.xlsx"));
    assert!(
        diags
            .iter()
            .all(|d| d.severity != baocao::diagnostics::Severity::Error),
        "{diags:#?}"
    );
}

#[test]
fn text_numbers_follow_the_files_style_and_say_so() {
    let (_g, root) = folder();
    let ky = "6 tháng đầu năm 2024";
    // An English-style file: "1,169" is read as one thousand one hundred and sixty-nine.
    write_unit(
        &root.join("don-vi/en.xlsx"),
        "TTYT_A",
        "Trung tâm Y tế huyện A",
        ky,
        &[
            row("KCB_LUOT", T("2,500.5"), T("1,169"), T("1,234,567")),
            row("BAC_SI", E, T("12.5"), E),
        ],
        &[],
    )
    .unwrap();
    // A Vietnamese file: "1.169" is one thousand…, "46,8" a decimal; junk is an error, not zero.
    write_unit(
        &root.join("don-vi/vn.xlsx"),
        "TTYT_B",
        "Trung tâm Y tế huyện B",
        ky,
        &[
            row("KCB_LUOT", T("1.234.567,5"), T("1.169"), T("46,8")),
            row("BAC_SI", E, T("mười hai"), E),
        ],
        &[],
    )
    .unwrap();
    let (ctx, diags) = context(&root);
    let units = ctx["chi_tieu"]["KCB_LUOT"]["theo_don_vi"]
        .as_array()
        .unwrap()
        .clone();
    let a = units.iter().find(|u| u["ma"] == "TTYT_A").unwrap();
    let b = units.iter().find(|u| u["ma"] == "TTYT_B").unwrap();
    assert_eq!(
        (
            a["gia_tri"].clone(),
            a["ke_hoach"].clone(),
            a["cung_ky"].clone()
        ),
        (1169.into(), 2500.5.into(), 1234567.into())
    );
    assert_eq!(
        (
            b["gia_tri"].clone(),
            b["ke_hoach"].clone(),
            b["cung_ky"].clone()
        ),
        (1169.into(), 1234567.5.into(), 46.8.into())
    );
    let amb: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("đọc được hai cách"))
        .collect();
    assert_eq!(amb.len(), 2, "{diags:#?}");
    assert!(amb
        .iter()
        .any(|d| d.location.file.as_deref() == Some("don-vi/en.xlsx")
            && d.location.cell.as_deref() == Some("F9")));
    let junk = diags
        .iter()
        .find(|d| d.message.contains("mười hai"))
        .expect("junk reported");
    assert_eq!(junk.severity, baocao::diagnostics::Severity::Error);
    assert_eq!(junk.location.cell.as_deref(), Some("F10"));
    // BAC_SI: only TTYT_A's 12,5 counts; the junk is not a zero.
    assert_eq!(ctx["chi_tieu"]["BAC_SI"]["so_don_vi_bao_cao"], 1);
}
