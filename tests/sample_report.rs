//! The whole pipeline on the committed sample folder, checked with real
//! readers: poppler's `pdftotext`, `pdffonts`, `qpdf --check`, and the DOCX
//! package opened as a zip.

mod common;
use common::tool;

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, DataType, Reader};

const SAMPLE: &str = "samples/so-ket-6-thang-2024";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)
}

/// Sum an indicator's "Thực hiện" column over every workbook in don-vi/,
/// independently of the program: find the row whose cells contain the code,
/// and the column whose header starts with "Thực hiện".
fn independent_sum(code: &str) -> f64 {
    let mut total = 0.0;
    let mut stack = vec![sample().join("don-vi")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut wb = open_workbook_auto(&p).unwrap();
            let range = wb.worksheet_range("BaoCao").unwrap();
            let rows: Vec<&[Data]> = range.rows().collect();
            let th_col = rows
                .iter()
                .find_map(|r| {
                    r.iter()
                        .position(|c| c.to_string().starts_with("Thực hiện"))
                })
                .expect("Thực hiện column");
            for r in &rows {
                if r.iter().any(|c| matches!(c, Data::String(s) if s == code)) {
                    if let Some(v) = r.get(th_col).and_then(|c| c.as_f64()) {
                        total += v;
                    }
                }
            }
        }
    }
    total
}

fn vn(n: f64) -> String {
    let s = format!("{}", n as i64);
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

fn inputs_fingerprint() -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![sample()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with("ket-qua") {
                    stack.push(p);
                }
            } else {
                v.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

#[test]
fn sample_report_end_to_end() {
    let before = inputs_fingerprint();
    let out = tempfile::tempdir().unwrap();
    let built = baocao::build(
        &sample(),
        Some(out.path()),
        &[
            baocao::Format::Docx,
            baocao::Format::Pdf,
            baocao::Format::Xlsx,
        ],
        &|_, _| {},
    )
    .expect("build runs");
    let errors: Vec<String> = built
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == baocao::diagnostics::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "the sample has no errors: {errors:#?}");
    let pdf = out.path().join("bao-cao.pdf");
    let docx = out.path().join("bao-cao.docx");
    assert!(pdf.is_file() && docx.is_file() && out.path().join("tong-hop.xlsx").is_file());

    // The province total, summed independently from the workbooks.
    let total = vn(independent_sum("KCB_LUOT"));
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("BÁO CÁO"), "{flat}");
    assert!(
        flat.contains("Sơ kết công tác y tế 6 tháng đầu năm"),
        "{flat}"
    );
    assert!(
        flat.contains(&total),
        "province total {total} not in the PDF"
    );
    assert!(
        flat.contains("167.093") && flat.contains("46,8% kế hoạch"),
        "{flat}"
    );
    assert!(
        flat.contains("157.265") && flat.contains("46,67% kế hoạch"),
        "{flat}"
    );
    // The catalogue asks for COVID-19's fall in cases and in per cent.
    assert!(
        flat.contains("Số ca mắc COVID-19: 58 ca, giảm 2.453 ca (97,69%) so với cùng kỳ năm 2023."),
        "{flat}"
    );
    // Đông Sơn left its same-period surgeries blank: the change is made
    // like for like and says over how many units; the appendix marks it and
    // its note gives the bases.
    assert!(
        flat.contains("Số ca phẫu thuật: 12.200 ca, đạt 48,49% kế hoạch, tăng 6,08% so với cùng kỳ năm 2023 (tính trên 7/8 đơn vị có đủ số liệu)"),
        "{flat}"
    );
    assert!(flat.contains("6,08 (1)"), "{flat}");
    assert!(
        flat.contains("(1) Số ca phẫu thuật: so với cùng kỳ tính trên 7/8 đơn vị có đủ số liệu (thực hiện 11.900 ca, cùng kỳ 11.218 ca); không tính Trung tâm Y tế huyện Đông Sơn (thiếu cùng kỳ năm trước)."),
        "{flat}"
    );
    // A rate's change is in points in the text and in the appendix.
    assert!(
        flat.contains("Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ: 94,61%, chưa đạt kế hoạch (thấp hơn 0,39 điểm phần trăm), tăng 1,55 điểm phần trăm so với cùng kỳ năm 2023 (tính trên 5/6 đơn vị có đủ số liệu)"),
        "{flat}"
    );
    assert!(flat.contains("+1,55 (5)"), "{flat}");
    // A rate has no % of plan: its cell holds the note that gives its
    // difference from the plan.
    assert!(
        flat.contains("(5) Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ: là tỷ lệ nên không tính tỷ lệ % so với kế hoạch; so với kế hoạch (thực hiện 94,61%, kế hoạch 95%): thấp hơn kế hoạch 0,39 điểm phần trăm"),
        "{flat}"
    );
    assert!(flat.contains("Bệnh viện Phổi"), "a missing unit is named");
    // Every section is written: no placeholder for the clerk to replace.
    assert!(!flat.contains("[Chưa có"), "{flat}");
    assert!(flat.contains("Nơi nhận"), "{flat}");
    assert!(flat.contains("PHỤ LỤC"), "{flat}");

    // Fonts embedded and subset; the file is structurally sound.
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert!(
            n >= 5 && cols[n - 5] == "yes" && cols[n - 4] == "yes",
            "font not embedded+subset: {line}"
        );
    }
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);

    // The DOCX is a valid package whose document text has the same figures.
    let f = std::fs::File::open(&docx).unwrap();
    let mut z = zip::ZipArchive::new(f).expect("docx is a zip package");
    for part in [
        "[Content_Types].xml",
        "word/document.xml",
        "word/styles.xml",
    ] {
        assert!(z.by_name(part).is_ok(), "missing {part}");
    }
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let doc_text: String = xml
        .split('<')
        .filter_map(|t| t.split_once('>').map(|(_, s)| s))
        .collect();
    assert!(
        doc_text.contains(&total),
        "province total {total} not in the DOCX"
    );
    assert!(doc_text.contains("46,8% kế hoạch"));

    // Deterministic: a second build gives the same bytes.
    let out2 = tempfile::tempdir().unwrap();
    baocao::build(
        &sample(),
        Some(out2.path()),
        &[
            baocao::Format::Docx,
            baocao::Format::Pdf,
            baocao::Format::Xlsx,
        ],
        &|_, _| {},
    )
    .unwrap();
    for name in ["bao-cao.docx", "bao-cao.pdf", "tong-hop.xlsx"] {
        assert_eq!(
            std::fs::read(out.path().join(name)).unwrap(),
            std::fs::read(out2.path().join(name)).unwrap(),
            "{name} differs between two builds"
        );
    }
    // Inputs untouched; nothing written into the sample folder.
    assert_eq!(before, inputs_fingerprint());
}

/// Every sample folder (one per report kind, and the Party's) builds with
/// no error and with nothing wrong in its templates or its `noi-dung.md`.
#[test]
fn every_sample_kind_renders_cleanly() {
    let cases = [
        ("so-ket-quy-2-2024", "NHIỆM VỤ TRỌNG TÂM QUÝ III NĂM 2024"),
        ("tong-ket-nam-2023", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024"),
        ("dang-uy-6-thang-2024", "CÔNG TÁC XÂY DỰNG ĐẢNG"),
        (
            "so-ket-6-thang-2024",
            "PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
        ),
    ];
    for (dir, heading) in cases {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(dir);
        let out = tempfile::tempdir().unwrap();
        let b = baocao::build(&root, Some(out.path()), &[baocao::Format::Pdf], &|_, _| {}).unwrap();
        let bad: Vec<String> = b
            .checked
            .diagnostics
            .iter()
            .filter(|d| {
                d.severity == baocao::diagnostics::Severity::Error
                    || d.location.file.as_deref().is_some_and(|f| {
                        f.ends_with(".hbs") || f == "noi-dung.md" || f.ends_with("baocao.toml")
                    })
            })
            .map(|d| d.to_string())
            .collect();
        assert!(bad.is_empty(), "{dir}: {bad:#?}");
        let text = tool(
            "pdftotext",
            &[
                "-raw",
                out.path().join("bao-cao.pdf").to_str().unwrap(),
                "-",
            ],
        );
        assert!(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(heading),
            "{dir}: {heading}"
        );
    }
}
