//! Comparisons an office can defend, on real workbooks (rust_xlsxwriter):
//! every comparison is made over the units that gave every figure it
//! needs, says how many units it covers, and each figure left out is said
//! at its cell.

mod common;

use std::path::Path;

use baocao::diagnostics::{Diagnostic, Severity};
use common::{row, write_catalogue, write_unit, Ct, C, C::*};
use serde_json::Value;

const KY: &str = "6 tháng đầu năm 2024";

const REGISTRY: &[(&str, &str, &str, Option<f64>)] = &[
    ("BV1", "Bệnh viện Đa khoa tỉnh", "tỉnh", None),
    ("BV2", "Bệnh viện Sản - Nhi", "tỉnh", None),
    ("H1", "Trung tâm Y tế huyện Một", "huyện", Some(100000.0)),
    ("H2", "Trung tâm Y tế huyện Hai", "huyện", Some(120000.0)),
    ("H3", "Trung tâm Y tế huyện Ba", "huyện", Some(90000.0)),
    ("X1", "Trạm Y tế xã Một", "xã", None),
];

const fn tong(ma: &'static str, ten: &'static str, dvt: &'static str) -> Ct {
    (ma, ten, dvt, "Khám, chữa bệnh", "tong", "", "", None, None)
}

const CATALOGUE: &[Ct] = &[
    tong("PHAU_THUAT", "Số ca phẫu thuật", "ca"),
    tong("TIEM", "Số trẻ được tiêm chủng đầy đủ", "trẻ"),
    tong("TRE", "Số trẻ dưới 1 tuổi", "trẻ"),
    (
        "TL_TIEM",
        "Tỷ lệ trẻ được tiêm chủng đầy đủ",
        "%",
        "Khám, chữa bệnh",
        "ty-le",
        "TIEM",
        "TRE",
        Some(100.0),
        None,
    ),
];

fn folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bao-cao");
    std::fs::create_dir_all(root.join("don-vi")).unwrap();
    std::fs::write(root.join("baocao.toml"), common::SETTINGS).unwrap();
    write_catalogue(&root.join("danh-muc.xlsx"), REGISTRY, CATALOGUE).unwrap();
    (dir, root)
}

fn unit(root: &Path, ma: &str, rows: &[common::Row]) {
    let ten = REGISTRY.iter().find(|u| u.0 == ma).unwrap().1;
    write_unit(
        &root.join(format!("don-vi/{}.xlsx", ma.to_lowercase())),
        ma,
        ten,
        KY,
        rows,
        &[],
    )
    .unwrap();
}

fn pt(kh: C, th: C, ck: C) -> common::Row {
    row("PHAU_THUAT", kh, th, ck)
}

/// Six units where naive sums of each column turn a rise into a fall:
/// H1 gave no same period, H2 no plan, H3's result is unreadable ("ước
/// 900") while its same period is large.
fn surgeries(root: &Path) {
    unit(root, "BV1", &[pt(N(14000.0), N(6850.0), N(6400.0))]);
    unit(root, "BV2", &[pt(N(6000.0), N(2940.0), N(2800.0))]);
    unit(root, "H1", &[pt(N(900.0), N(410.0), E)]);
    unit(root, "H2", &[pt(E, N(520.0), N(498.0))]);
    unit(root, "H3", &[pt(N(950.0), T("ước 900"), N(2500.0))]);
    unit(root, "X1", &[pt(N(700.0), N(350.0), N(330.0))]);
}

fn check(root: &Path) -> (Value, Vec<Diagnostic>) {
    let c = baocao::check(root, &|_, _| {}).expect("check runs");
    (c.full_context(), c.diagnostics)
}

fn markdown(root: &Path) -> String {
    let out = root.join("ra");
    baocao::build(root, Some(&out), &[baocao::Format::Md], &|_, _| {}).unwrap();
    std::fs::read_to_string(out.join("bao-cao.md")).unwrap()
}

fn at<'a>(diags: &'a [Diagnostic], file: &str, cell: &str, needle: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| {
            d.location.file.as_deref() == Some(file)
                && d.location.cell.as_deref() == Some(cell)
                && d.message.contains(needle)
        })
        .unwrap_or_else(|| panic!("no “{needle}” at {file} › {cell}: {diags:#?}"))
}

#[test]
fn naive_sums_reverse_the_change_like_for_like_does_not() {
    let (_g, root) = folder();
    surgeries(&root);
    let (ctx, diags) = check(&root);
    let f = &ctx["chi_tieu"]["PHAU_THUAT"];
    // The headline result: every unit that gave it (H3's is unreadable).
    assert_eq!(f["gia_tri"], 11070);
    assert_eq!(f["so_don_vi_bao_cao"], 5);
    // What the units' plans add up to, H3's included.
    assert_eq!(f["ke_hoach"], 22550);
    // Naive column sums: 11.070 against 6.400 + 2.800 + 498 + 2.500 + 330
    // = 12.528 would print "giảm 11,64%". Like for like, over BV1, BV2, H2,
    // X1: 10.660 against 10.028, a rise of 6,3%.
    let sp = &f["so_sanh_cung_ky"];
    assert_eq!(sp["so_don_vi"], 4);
    assert_eq!(sp["so_don_vi_bao_cao"], 5);
    assert_eq!(sp["day_du"], false);
    assert_eq!(sp["gia_tri"], 10660);
    assert_eq!(sp["cung_ky"], 10028);
    assert_eq!(sp["chenh_lech"], 632);
    assert_eq!(sp["ty_le"], 6.3);
    assert_eq!(f["so_voi_cung_ky"], 6.3);
    assert_eq!(f["chenh_lech_cung_ky"], 632);
    assert_eq!(sp["khong_tinh"][0]["ma"], "H1");
    assert_eq!(sp["khong_tinh"][0]["thieu"], "cùng kỳ năm trước");
    // % of plan over BV1, BV2, H1, X1: 10.550 / 21.600 = 48,84% (not
    // 11.070 / 22.550 = 49,09%, which keeps H3's plan and H2's result).
    let kh = &f["so_sanh_ke_hoach"];
    assert_eq!(kh["so_don_vi"], 4);
    assert_eq!(kh["gia_tri"], 10550);
    assert_eq!(kh["ke_hoach"], 21600);
    assert_eq!(f["ty_le_ke_hoach"], 48.84);
    assert_eq!(kh["khong_tinh"][0]["ma"], "H2");
    // The district level: naive 930 against 2.998 is "giảm 68,98%"; like for
    // like only H2 gave both: 520 against 498, a rise of 4,42%, on 1/2 units.
    let h = &f["theo_tuyen"]["huyen"];
    assert_eq!(h["gia_tri"], 930);
    assert_eq!(h["so_sanh_cung_ky"]["so_don_vi"], 1);
    assert_eq!(h["so_sanh_cung_ky"]["so_don_vi_bao_cao"], 2);
    assert_eq!(h["so_voi_cung_ky"], 4.42);
    // Every figure left out, at its cell (rows from A1 row 9: E plan,
    // F result, G same period), once.
    at(
        &diags,
        "don-vi/h1.xlsx",
        "G9",
        "so sánh với cùng kỳ của Số ca phẫu thuật (PHAU_THUAT)",
    );
    let d = at(
        &diags,
        "don-vi/h2.xlsx",
        "E9",
        "so sánh với kế hoạch của Số ca phẫu thuật (PHAU_THUAT)",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("toàn tỉnh, tuyến huyện"), "{d}");
    // H3's unreadable result is an error; its plan and same period left
    // out of both comparisons is said at the same cell, in one message.
    at(&diags, "don-vi/h3.xlsx", "F9", "ước 900");
    let d = at(&diags, "don-vi/h3.xlsx", "F9", "không được tính vào");
    assert!(
        d.message.contains("so sánh với kế hoạch") && d.message.contains("so sánh với cùng kỳ"),
        "{d}"
    );
    for cell in ["E9", "F9", "G9"] {
        for file in ["don-vi/h1.xlsx", "don-vi/h2.xlsx", "don-vi/h3.xlsx"] {
            let n = diags
                .iter()
                .filter(|d| {
                    d.location.file.as_deref() == Some(file)
                        && d.location.cell.as_deref() == Some(cell)
                        && d.message.contains("không được tính vào")
                })
                .count();
            assert!(n <= 1, "{file} › {cell} said {n} times: {diags:#?}");
        }
    }
    // Units that gave everything get no such message.
    assert!(!diags
        .iter()
        .any(|d| d.location.file.as_deref() == Some("don-vi/bv1.xlsx")));
}

#[test]
fn the_report_says_the_coverage_and_never_a_naive_direction() {
    let (_g, root) = folder();
    surgeries(&root);
    let md = markdown(&root);
    let flat = md.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Số ca phẫu thuật: 11.070 ca, đạt 48,84% kế hoạch, tăng 6,3% so với cùng kỳ năm 2023 (cả hai so sánh tính trên 4/5 đơn vị có đủ số liệu)"),
        "{flat}"
    );
    assert!(flat.contains("tuyến huyện 930 ca"), "{flat}");
    assert!(!flat.contains("giảm 11,64"), "{flat}");
    // The appendix: the same numbers, marked, with a note that lets a
    // reader recompute them by hand.
    assert!(flat.contains("| 48,84 (1) |"), "{flat}");
    assert!(flat.contains("| 6,3 (1) |"), "{flat}");
    assert!(
        flat.contains("(1) Số ca phẫu thuật: so với kế hoạch tính trên 4/5 đơn vị có đủ số liệu (thực hiện 10.550 ca, kế hoạch 21.600 ca); không tính Trung tâm Y tế huyện Hai (thiếu kế hoạch năm); so với cùng kỳ tính trên 4/5 đơn vị có đủ số liệu (thực hiện 10.660 ca, cùng kỳ 10.028 ca); không tính Trung tâm Y tế huyện Một (thiếu cùng kỳ năm trước)."),
        "{flat}"
    );
}

fn vaccination(root: &Path) {
    let rows = |tiem: [C; 3], tre: [C; 3], tl: [C; 3]| {
        let [a, b, c] = tiem;
        let [d, e, f] = tre;
        let [g, h, i] = tl;
        vec![
            row("TIEM", a, b, c),
            row("TRE", d, e, f),
            row("TL_TIEM", g, h, i),
        ]
    };
    // H1: 950/1.000 now, 900/1.000 last year; it typed 90% (it is 95%).
    unit(
        root,
        "H1",
        &rows(
            [E, N(950.0), N(900.0)],
            [E, N(1000.0), N(1000.0)],
            [E, N(90.0), E],
        ),
    );
    // H2: the numerator without its denominator.
    unit(root, "H2", &rows([E, N(480.0), E], [E, E, E], [E, E, E]));
    // H3: 880/900 now, nothing last year; it typed 97,8% (97,78%).
    unit(
        root,
        "H3",
        &rows([E, N(880.0), E], [E, N(900.0), E], [E, N(97.8), E]),
    );
}

#[test]
fn a_rate_uses_only_units_that_gave_both_sides() {
    let (_g, root) = folder();
    vaccination(&root);
    let (ctx, diags) = check(&root);
    let f = &ctx["chi_tieu"]["TL_TIEM"];
    // Naive: (950 + 480 + 880) / (1.000 + 900) = 121,58%. Like for like:
    // 1.830 / 1.900 = 96,32%.
    assert_eq!(f["gia_tri"], 96.32);
    assert_eq!(f["so_don_vi_bao_cao"], 2);
    // The numerator alone still counts as a sum of its own.
    assert_eq!(ctx["chi_tieu"]["TIEM"]["gia_tri"], 2310);
    // Against the same period, over the unit that gave all four: 95% against 90%.
    let sp = &f["so_sanh_cung_ky"];
    assert_eq!(sp["so_don_vi"], 1);
    assert_eq!(sp["gia_tri"], 95);
    assert_eq!(sp["cung_ky"], 90);
    assert_eq!(f["chenh_lech_cung_ky"], 5);
    // H2's blank denominator is said at its cell (TRE is row 10: F10).
    let d = at(
        &diags,
        "don-vi/h2.xlsx",
        "F10",
        "số thực hiện của Tỷ lệ trẻ được tiêm chủng đầy đủ (TL_TIEM)",
    );
    assert_eq!(d.severity, Severity::Warning);
    // H3's blank same-period sides are said too (G9, G10).
    at(
        &diags,
        "don-vi/h3.xlsx",
        "G9",
        "so sánh với cùng kỳ của Tỷ lệ trẻ được tiêm chủng đầy đủ (TL_TIEM)",
    );
    at(
        &diags,
        "don-vi/h3.xlsx",
        "G10",
        "so sánh với cùng kỳ của Tỷ lệ trẻ được tiêm chủng đầy đủ (TL_TIEM)",
    );
    // A unit's own rate is checked: H1 typed 90% where its figures give 95%.
    let d = at(&diags, "don-vi/h1.xlsx", "F11", "tính lại");
    assert!(
        d.message.contains("ghi 90%") && d.message.contains("là 95%"),
        "{d}"
    );
    // H3's 97,8% agrees with 97,78%: said once, for all rate rows.
    let infos: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("các dòng tỷ lệ được tính lại"))
        .collect();
    assert_eq!(infos.len(), 1, "{diags:#?}");
    assert_eq!(infos[0].severity, Severity::Info);
    // The text and the appendix say the change in points, named as points.
    let md = markdown(&root);
    let flat = md.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Tỷ lệ trẻ được tiêm chủng đầy đủ: 96,32%, tăng 5 điểm phần trăm so với cùng kỳ năm 2023 (tính trên 1/2 đơn vị có đủ số liệu)"),
        "{flat}"
    );
    assert!(flat.contains("| | +5 (3) |"), "{flat}");
    assert!(
        flat.contains(
            "không tính Trung tâm Y tế huyện Ba (thiếu cùng kỳ năm trước của tử số và mẫu số)"
        ),
        "{flat}"
    );
}

/// Last year's folder, built by `baocao build` like any report.
fn last_year(base: &Path, name: &str, nam: i32) -> std::path::PathBuf {
    let root = base.join(name);
    std::fs::create_dir_all(root.join("don-vi")).unwrap();
    std::fs::write(
        root.join("baocao.toml"),
        common::SETTINGS.replace("nam = 2024", &format!("nam = {nam}")),
    )
    .unwrap();
    write_catalogue(&root.join("danh-muc.xlsx"), REGISTRY, CATALOGUE).unwrap();
    let ky = format!("6 tháng đầu năm {nam}");
    for (ma, th) in [("BV1", 6400.0), ("H1", 400.0), ("H2", 470.0)] {
        let ten = REGISTRY.iter().find(|u| u.0 == ma).unwrap().1;
        write_unit(
            &root.join(format!("don-vi/{}.xlsx", ma.to_lowercase())),
            ma,
            ten,
            &ky,
            &[pt(E, N(th), E)],
            &[],
        )
        .unwrap();
    }
    baocao::build(&root, None, &[baocao::Format::Xlsx], &|_, _| {}).unwrap();
    assert!(root.join("ket-qua/tong-hop.xlsx").is_file());
    root
}

fn with_record(root: &Path, value: &str) {
    std::fs::write(
        root.join("baocao.toml"),
        common::SETTINGS.replace(
            "nam = 2024",
            &format!("nam = 2024\ncung_ky_tu = \"{value}\""),
        ),
    )
    .unwrap();
}

fn this_year(root: &Path) {
    unit(root, "BV1", &[pt(E, N(6850.0), N(6400.0))]);
    unit(root, "H1", &[pt(E, N(410.0), E)]);
    unit(root, "H2", &[pt(E, N(520.0), N(498.0))]);
}

#[test]
fn last_years_record_fills_a_blank_and_catches_a_disagreement() {
    let (g, root) = folder();
    last_year(g.path(), "nam-truoc", 2023);
    this_year(&root);
    // Without the record, H1 is left out of the comparison.
    let (ctx, _) = check(&root);
    assert_eq!(
        ctx["chi_tieu"]["PHAU_THUAT"]["so_sanh_cung_ky"]["so_don_vi"],
        2
    );
    with_record(&root, "../nam-truoc");
    let (ctx, diags) = check(&root);
    let f = &ctx["chi_tieu"]["PHAU_THUAT"];
    // H1's blank is filled with the 400 it reported last year; H2's typed
    // 498 is kept although last year's report says 470.
    assert_eq!(f["so_sanh_cung_ky"]["so_don_vi"], 3);
    assert_eq!(f["so_sanh_cung_ky"]["day_du"], true);
    assert_eq!(f["cung_ky"], 6400 + 400 + 498);
    let h1 = f["theo_don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "H1")
        .unwrap();
    assert_eq!(h1["cung_ky"], 400);
    assert!(
        h1["nguon_cung_ky"]
            .as_str()
            .unwrap()
            .starts_with("../nam-truoc/ket-qua/tong-hop.xlsx › Theo đơn vị › H"),
        "{h1}"
    );
    let d = at(&diags, "don-vi/h1.xlsx", "G9", "đã lấy 400 ca");
    assert_eq!(d.severity, Severity::Info);
    assert!(
        d.message
            .contains("../nam-truoc/ket-qua/tong-hop.xlsx › Theo đơn vị › H"),
        "{d}"
    );
    let d = at(
        &diags,
        "don-vi/h2.xlsx",
        "G9",
        "ghi 498 ca nhưng năm trước đơn vị báo cáo 470 ca",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message
            .contains("../nam-truoc/ket-qua/tong-hop.xlsx › Theo đơn vị › H"),
        "{d}"
    );
    // BV1's typed figure agrees with the record: nothing said.
    assert!(!diags
        .iter()
        .any(|d| d.location.file.as_deref() == Some("don-vi/bv1.xlsx")));
    // The record's file works as well as its folder.
    with_record(&root, "../nam-truoc/ket-qua/tong-hop.xlsx");
    let (ctx2, _) = check(&root);
    assert_eq!(
        ctx2["chi_tieu"]["PHAU_THUAT"]["so_sanh_cung_ky"],
        f["so_sanh_cung_ky"]
    );
}

fn fatal(root: &Path) -> String {
    match baocao::check(root, &|_, _| {}) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("the record must be refused"),
    }
}

#[test]
fn a_record_that_cannot_be_used_stops_the_run_naming_the_key() {
    let (g, root) = folder();
    this_year(&root);
    // Missing.
    with_record(&root, "../khong-co");
    let e = fatal(&root);
    assert!(
        e.contains("bao_cao.cung_ky_tu") && e.contains("không có thư mục hay tệp"),
        "{e}"
    );
    // Not last year's period.
    last_year(g.path(), "hai-nam-truoc", 2022);
    with_record(&root, "../hai-nam-truoc");
    let e = fatal(&root);
    assert!(
        e.contains(
            "là báo cáo 6 tháng đầu năm 2022, không phải cùng kỳ năm trước (6 tháng đầu năm 2023)"
        ),
        "{e}"
    );
    // The same check through the file alone (its document says its period).
    with_record(&root, "../hai-nam-truoc/ket-qua/tong-hop.xlsx");
    let e = fatal(&root);
    assert!(e.contains("không phải cùng kỳ năm trước"), "{e}");
    // This report's own folder, and a file that is no record.
    with_record(&root, ".");
    assert!(fatal(&root).contains("chính thư mục báo cáo này"));
    with_record(&root, "danh-muc.xlsx");
    let e = fatal(&root);
    assert!(
        e.contains("không dùng được") && e.contains("Theo đơn vị"),
        "{e}"
    );
    with_record(&root, "baocao.toml");
    assert!(fatal(&root).contains("không phải thư mục báo cáo hay tệp tong-hop.xlsx"));
    // The command line says so and exits 2.
    with_record(&root, "../khong-co");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("check")
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bao_cao.cung_ky_tu"));
}

/// The example of `docs/templates.md` ("Comparisons and the units they
/// cover"), rendered as a user's template.
#[test]
fn the_documented_template_example_renders_as_documented() {
    let (_g, root) = folder();
    surgeries(&root);
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .unwrap();
    let example = doc
        .split("```handlebars\n{{#with chi_tieu.KCB_PHAU_THUAT}}")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the example in docs/templates.md");
    let template = format!("{{{{#with chi_tieu.PHAU_THUAT}}}}{example}");
    std::fs::create_dir_all(root.join("mau")).unwrap();
    std::fs::write(root.join("mau/so-ket-6-thang.hbs"), template).unwrap();
    let md = markdown(&root);
    assert_eq!(
        md.trim(),
        "Thực hiện 11.070 ca, tăng 6,3% so với cùng kỳ (tính trên 4/5 đơn vị có đủ số liệu: 10.660 ca so với 10.028 ca)."
    );
}
