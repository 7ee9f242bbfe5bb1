//! A section nobody wrote is not a bare heading: the report prints a
//! placeholder saying what to write and where, highlighted in the DOCX
//! (read by python-docx) and shaded in the PDF (poppler's text and its
//! pixels), and `check` warns naming the section by its heading. A report
//! with every section written has none.

mod common;

use std::path::Path;
use std::process::Command;

use common::{row, write_unit, C::*};

const FULL: &str = "## Ưu điểm\n\nLàm tốt.\n\n## Tồn tại, hạn chế\n\nCòn thiếu bác sĩ.\n\n## Phương hướng, nhiệm vụ\n\nTiếp tục.\n\n## Đề xuất, kiến nghị\n\nĐề nghị bổ sung kinh phí.\n";

/// A folder whose units report every group; `noi_dung` is the office's text.
fn folder(noi_dung: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (g, root) = common::folder();
    std::fs::write(root.join("noi-dung.md"), noi_dung).unwrap();
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[
            row("KCB_LUOT", N(1000.0), N(500.0), N(400.0)),
            row("BAC_SI", E, N(50.0), N(48.0)),
            row("COVID", E, N(3.0), N(9.0)),
        ],
        &[],
    )
    .unwrap();
    (g, root)
}

fn build(root: &Path) -> baocao::Built {
    baocao::build(
        root,
        Some(&root.join("ra")),
        &[baocao::Format::Docx, baocao::Format::Pdf],
        &|_, _| {},
    )
    .unwrap()
}

fn run(cmd: &str, args: &[&str]) -> Vec<u8> {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test: {e}"));
    assert!(
        o.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Text of every highlighted run, as python-docx reads it.
fn highlighted(docx: &Path) -> Vec<String> {
    let script = r#"
import sys, json, docx
from docx.enum.text import WD_COLOR_INDEX
d = docx.Document(sys.argv[1])
print(json.dumps([r.text for p in d.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW], ensure_ascii=False))
"#;
    let out = run("python3", &["-c", script, docx.to_str().unwrap()]);
    serde_json::from_slice(&out).unwrap()
}

/// (page, its text) of the page of the PDF that holds `needle`.
fn page_with(pdf: &Path, needle: &str) -> Option<(usize, String)> {
    let p = pdf.to_str().unwrap();
    let info = String::from_utf8(run("pdfinfo", &[p])).unwrap();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    (1..=pages).find_map(|n| {
        let t = String::from_utf8(run(
            "pdftotext",
            &["-f", &n.to_string(), "-l", &n.to_string(), p, "-"],
        ))
        .unwrap();
        let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
        flat.contains(needle).then_some((n, flat))
    })
}

/// Pixels of a page drawn in the placeholder's yellow, from pdftoppm.
fn yellow_pixels(pdf: &Path, page: usize, dir: &Path) -> usize {
    let stem = dir.join("page");
    let n = page.to_string();
    run(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let ppm = std::fs::read(dir.join("page.ppm")).unwrap();
    // P6: "P6\n<w> <h>\n255\n" then RGB bytes.
    let mut fields = 0;
    let mut start = 0;
    for (i, b) in ppm.iter().enumerate() {
        if b.is_ascii_whitespace() {
            fields += 1;
            if fields == 4 {
                start = i + 1;
                break;
            }
        }
    }
    ppm[start..]
        .chunks(3)
        .filter(|p| p[0] > 240 && p[1] > 225 && p[1] < 250 && p[2] < 190)
        .count()
}

#[test]
fn an_empty_section_gets_a_placeholder_and_a_warning() {
    let (_g, root) = folder(&FULL.replace("## Tồn tại, hạn chế\n\nCòn thiếu bác sĩ.\n\n", ""));
    let b = build(&root);
    let warned: Vec<_> = b
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("chưa có nội dung"))
        .collect();
    assert_eq!(warned.len(), 1, "{:#?}", b.checked.diagnostics);
    assert_eq!(warned[0].severity, baocao::diagnostics::Severity::Warning);
    assert_eq!(warned[0].location.file.as_deref(), Some("noi-dung.md"));
    assert!(
        warned[0].message.contains("mục “Tồn tại, hạn chế”")
            && warned[0].message.contains("## Tồn tại, hạn chế")
            && warned[0].message.contains("NoiDung"),
        "{}",
        warned[0]
    );

    let docx = root.join("ra/bao-cao.docx");
    let runs = highlighted(&docx);
    let text = runs.concat();
    assert!(
        text.starts_with("[Chưa có nội dung mục “Tồn tại, hạn chế”. Cần viết:")
            && text.contains("“## Tồn tại, hạn chế” trong noi-dung.md")
            && text.contains("trang NoiDung"),
        "{runs:?}"
    );

    let pdf = root.join("ra/bao-cao.pdf");
    let (page, flat) =
        page_with(&pdf, "[Chưa có nội dung mục “Tồn tại, hạn chế”").expect("in the PDF");
    // Under its heading, before the next part.
    let at = flat.find("[Chưa có nội dung mục").unwrap();
    assert!(
        flat[..at].ends_with("2. Tồn tại, hạn chế và nguyên nhân "),
        "{flat}"
    );
    let dir = tempfile::tempdir().unwrap();
    assert!(
        yellow_pixels(&pdf, page, dir.path()) > 200,
        "the placeholder is shaded"
    );

    // The same through the command line: check warns, exit code 0.
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["check", root.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("mục “Tồn tại, hạn chế” chưa có nội dung"),
        "{stdout}"
    );
}

#[test]
fn a_group_nobody_reported_gets_its_placeholder() {
    let (_g, root) = folder(FULL);
    // Only the first group reported.
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", N(1000.0), N(500.0), N(400.0))],
        &[("Nhân lực", "Tuyển dụng 5 bác sĩ.")],
    )
    .unwrap();
    let b = build(&root);
    let msgs: Vec<&str> = b
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("chưa có số liệu hay nội dung"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("lĩnh vực “Phòng chống dịch”"), "{msgs:?}");
    let text = highlighted(&root.join("ra/bao-cao.docx")).concat();
    assert!(
        text.contains("Chưa có số liệu và nội dung về lĩnh vực “Phòng chống dịch”"),
        "{text}"
    );
    assert!(!text.contains("Nhân lực"), "{text}");
}

#[test]
fn a_report_with_every_section_written_has_no_placeholder() {
    let (_g, root) = folder(FULL);
    let b = build(&root);
    assert!(
        !b.checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("dòng nhắc")),
        "{:#?}",
        b.checked.diagnostics
    );
    assert!(highlighted(&root.join("ra/bao-cao.docx")).is_empty());
    let pdf = root.join("ra/bao-cao.pdf");
    assert!(page_with(&pdf, "Chưa có").is_none());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(yellow_pixels(&pdf, 1, dir.path()), 0);
    assert!(page_with(&pdf, "Còn thiếu bác sĩ.").is_some());
}
