//! `Cách so sánh` in the catalogue: a count's change against the same
//! period written in per cent, as the difference with last year's figure,
//! or both, in the sentences (read from the PDF by poppler) and in the
//! appendix; like for like still holds; an unknown value is an error at
//! its cell.

mod common;

use std::path::Path;
use std::process::Command;

use common::{row, write_catalogue_with, write_unit, C::*, CATALOGUE, REGISTRY};

/// A 2023 six-month report (so the same period is 2022's).
fn folder_2023(so_sanh: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = common::folder();
    std::fs::write(
        root.join("baocao.toml"),
        common::SETTINGS.replace("nam = 2024", "nam = 2023"),
    )
    .unwrap();
    write_catalogue_with(&root.join("danh-muc.xlsx"), REGISTRY, CATALOGUE, so_sanh).unwrap();
    (g, root)
}

fn units(root: &Path, covid: [(f64, Option<f64>); 2]) {
    for (i, (ma, ten)) in [("BVDK", "Bệnh viện Đa khoa tỉnh"), ("CDC", "CDC")]
        .into_iter()
        .enumerate()
    {
        let (th, ck) = covid[i];
        write_unit(
            &root.join(format!("don-vi/{ma}.xlsx")),
            ma,
            ten,
            "6 tháng đầu năm 2023",
            &[
                row("KCB_LUOT", N(1000.0), N(500.0), N(400.0)),
                row("COVID", E, N(th), ck.map(N).unwrap_or(E)),
            ],
            &[],
        )
        .unwrap();
    }
}

fn pdf_text(root: &Path) -> (String, baocao::Built) {
    let out = root.join("ra");
    let b = baocao::build(
        root,
        Some(&out),
        &[baocao::Format::Pdf, baocao::Format::Md],
        &|_, _| {},
    )
    .unwrap();
    let o = Command::new("pdftotext")
        .args([out.join("bao-cao.pdf").to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let text = String::from_utf8_lossy(&o.stdout);
    (text.split_whitespace().collect::<Vec<_>>().join(" "), b)
}

/// The appendix row of an indicator in the rendered Markdown, as cells.
fn appendix_row(root: &Path, name: &str) -> Vec<String> {
    let md = std::fs::read_to_string(root.join("ra/bao-cao.md")).unwrap();
    let line = md
        .lines()
        .find(|l| l.starts_with("| ") && l.contains(&format!("| {name} |")))
        .unwrap_or_else(|| panic!("no appendix row for {name}:\n{md}"));
    line.trim_matches('|')
        .split('|')
        .map(|c| c.trim().replace('\u{a0}', " "))
        .collect()
}

#[test]
fn absolute_change_reads_like_the_seeds() {
    let (_g, root) = folder_2023(&[("COVID", "số tuyệt đối")]);
    // 5 cases this year against 73.071: both units gave both figures.
    units(&root, [(3.0, Some(70_000.0)), (2.0, Some(3_071.0))]);
    let (text, b) = pdf_text(&root);
    assert!(
        text.contains(
            "Số ca mắc COVID-19: 5 ca, giảm 73.066 ca so với cùng kỳ năm 2022 (73.071 ca)."
        ),
        "{text}"
    );
    // A count is never given the office's leading zero; the number line is.
    assert!(!text.contains("05 ca"), "{text}");
    assert!(text.contains("Số: 05/BC-SYT"), "{text}");
    // Other indicators keep the default per cent.
    assert!(text.contains("tăng 25% so với cùng kỳ năm 2022"), "{text}");
    assert_eq!(
        b.checked.context["chi_tieu"]["COVID"]["cach_so_sanh"],
        "so-tuyet-doi"
    );
    // Appendix: the difference in its column, no per cent.
    let r = appendix_row(&root, "Số ca mắc COVID-19");
    assert_eq!(r[7], "", "{r:?}");
    assert_eq!(r[8], "-73.066", "{r:?}");
    let r = appendix_row(&root, "Tổng số lượt khám bệnh");
    assert_eq!((r[7].as_str(), r[8].as_str()), ("25", ""), "{r:?}");
}

#[test]
fn both_and_labels_read_like_labels() {
    for label in ["cả hai", "CA HAI", " Cả  hai "] {
        let (_g, root) = folder_2023(&[("COVID", label), ("KCB_LUOT", "SO TUYET DOI")]);
        units(&root, [(3.0, Some(70_000.0)), (2.0, Some(3_071.0))]);
        let (text, b) = pdf_text(&root);
        assert!(
            text.contains(
                "Số ca mắc COVID-19: 5 ca, giảm 73.066 ca (99,99%) so với cùng kỳ năm 2022."
            ),
            "{label}: {text}"
        );
        assert!(
            text.contains("tăng 200 lượt so với cùng kỳ năm 2022 (800 lượt)"),
            "{label}: {text}"
        );
        let r = appendix_row(&root, "Số ca mắc COVID-19");
        assert_eq!((r[7].as_str(), r[8].as_str()), ("-99,99", "-73.066"));
        assert!(
            !b.checked
                .diagnostics
                .iter()
                .any(|d| d.location.sheet.as_deref() == Some("ChiTieu")),
            "{:?}",
            b.checked.diagnostics
        );
    }
}

#[test]
fn absolute_change_is_like_for_like_and_says_its_coverage() {
    let (_g, root) = folder_2023(&[("COVID", "số tuyệt đối")]);
    // CDC gave no same period: the difference is BVDK's alone.
    units(&root, [(3.0, Some(70_000.0)), (2.0, None)]);
    let (text, b) = pdf_text(&root);
    assert!(
        text.contains("Số ca mắc COVID-19: 5 ca, giảm 69.997 ca so với cùng kỳ năm 2022 (70.000 ca; tính trên 1/2 đơn vị có đủ số liệu)."),
        "{text}"
    );
    let r = appendix_row(&root, "Số ca mắc COVID-19");
    assert_eq!(r[8], "-69.997 (1)", "{r:?}");
    let notes = b.checked.context["chu_thich"].to_string();
    assert!(
        notes.contains("so với cùng kỳ tính trên 1/2 đơn vị"),
        "{notes}"
    );
}

#[test]
fn unknown_value_is_an_error_at_its_cell() {
    let (_g, root) = folder_2023(&[("COVID", "tuyệt")]);
    units(&root, [(3.0, Some(70_000.0)), (2.0, Some(3_071.0))]);
    let (text, b) = pdf_text(&root);
    let d = b
        .checked
        .diagnostics
        .iter()
        .find(|d| d.location.sheet.as_deref() == Some("ChiTieu"))
        .expect("an error at the catalogue cell");
    assert_eq!(d.severity, baocao::diagnostics::Severity::Error);
    assert_eq!(d.location.cell.as_deref(), Some("J8"), "{d}");
    assert!(
        d.message.contains("“tuyệt”") && d.message.contains("phần trăm, số tuyệt đối hoặc cả hai"),
        "{d}"
    );
    // The default is used.
    assert!(
        text.contains("giảm 99,99% so với cùng kỳ năm 2022"),
        "{text}"
    );
}

#[test]
fn a_rate_asked_for_both_is_warned_and_gets_its_difference() {
    let (_g, root) = folder_2023(&[("CONG_SUAT", "cả hai")]);
    // 1.350 / 1.500 = 90% against 1.200 / 1.500 = 80%.
    for (ma, dt, dt_ck, giuong) in [("BVDK", 900.0, 800.0, 1000.0), ("CDC", 450.0, 400.0, 500.0)] {
        write_unit(
            &root.join(format!("don-vi/{ma}.xlsx")),
            ma,
            ma,
            "6 tháng đầu năm 2023",
            &[
                row("NGAY_DT", E, N(dt), N(dt_ck)),
                row("NGAY_GIUONG", E, N(giuong), N(giuong)),
            ],
            &[],
        )
        .unwrap();
    }
    let (text, b) = pdf_text(&root);
    assert!(
        text.contains("Công suất sử dụng giường bệnh: 90%, tăng 10 điểm phần trăm so với cùng kỳ năm 2022 (80%)."),
        "{text}"
    );
    let d = b
        .checked
        .diagnostics
        .iter()
        .find(|d| d.location.sheet.as_deref() == Some("ChiTieu"))
        .expect("a warning at the catalogue cell");
    assert_eq!(d.severity, baocao::diagnostics::Severity::Warning, "{d}");
    let r = appendix_row(&root, "Công suất sử dụng giường bệnh");
    assert_eq!((r[7].as_str(), r[8].as_str()), ("", "+10"), "{r:?}");
}
