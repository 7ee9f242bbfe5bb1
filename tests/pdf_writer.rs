//! The PDF writer checked with poppler and qpdf: text extracts back exactly,
//! fonts embedded and subset, tables repeat their header, long words stay
//! inside the margin, numbering and landscape pages, deterministic bytes.

#[path = "common/docs.rs"]
mod docs;

mod common;
use common::tool;

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pdf_reads_back_and_is_well_made() {
    let doc = docs::document();
    let bytes = baocao::write::pdf::write_pdf(&doc).unwrap();
    assert_eq!(
        bytes,
        baocao::write::pdf::write_pdf(&doc).unwrap(),
        "two builds differ"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();
    tool("qpdf", &["--check", p]);
    let fonts = tool("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "{fonts}");
    for line in rows {
        let c: Vec<&str> = line.split_whitespace().collect();
        let n = c.len();
        assert_eq!(
            (c[n - 5], c[n - 4]),
            ("yes", "yes"),
            "not embedded and subset: {line}"
        );
        assert!(c[0].contains("+LiberationSerif"), "{line}");
    }
    // Every paragraph comes back character for character (in content
    // order: poppler's layout guessing glues runs of one-letter words).
    let text = flat(&tool("pdftotext", &["-raw", p, "-"]));
    for para in docs::paragraphs() {
        assert!(text.contains(&flat(&para)), "missing paragraph: {para}");
    }
    assert!(
        text.contains("Số: 05/BC-SYT")
            && text.contains("Lê Thị Minh Hạnh")
            && text.contains("Hình 1. Biểu đồ thử")
    );
    // Pages: numbers from page 2; the landscape section numbered from 1 with none on its first page.
    let info = tool("pdfinfo", &["-f", "1", "-l", "99", p]);
    let sizes: Vec<&str> = info
        .lines()
        .filter(|l| l.contains("size:") && l.starts_with("Page"))
        .collect();
    let n = sizes.len();
    assert!(n >= 5, "{info}");
    assert!(
        sizes[0].contains("595.2") && sizes[n - 1].contains("841.89 x 595.2"),
        "{sizes:?}"
    );
    let page = |k: usize| {
        tool(
            "pdftotext",
            &[
                "-f",
                &k.to_string(),
                "-l",
                &k.to_string(),
                "-layout",
                p,
                "-",
            ],
        )
    };
    assert_ne!(page(1).split_whitespace().next(), Some("1"));
    assert_eq!(page(2).split_whitespace().next(), Some("2"), "{}", page(2));
    assert!(
        !page(n).trim_start().starts_with('1'),
        "no number on the section's first page"
    );
    // The table spans pages and its header row is on each of them.
    let table_pages: Vec<usize> = (1..n)
        .filter(|&k| page(k).contains("Chỉ tiêu thứ"))
        .collect();
    assert!(table_pages.len() >= 2, "{table_pages:?}");
    for k in table_pages {
        assert!(
            page(k).contains("Chỉ tiêu lặp lại"),
            "header missing on page {k}"
        );
    }
    // The long word is broken, never past the right margin (15 mm).
    let bbox = tool("pdftotext", &["-bbox", p, "-"]);
    let limit = 595.28 - 15.0 * 72.0 / 25.4 + 0.5;
    for line in bbox.lines().filter(|l| l.contains("<word")) {
        let x_max: f32 = line
            .split("xMax=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        let page_w_ok = line.contains("PHỤ") || x_max <= limit;
        assert!(page_w_ok, "word past the margin: {line}");
    }
    assert!(text.contains("Khôngcókhoảngtrắng"));
    // A bad image is an error, not a panic.
    let mut bad = doc.clone();
    bad.blocks
        .push(baocao::document::Block::Image(baocao::document::Image {
            png: b"khong phai anh".to_vec(),
            width_mm: 50.0,
            caption: String::new(),
        }));
    assert!(baocao::write::pdf::write_pdf(&bad).is_err());
}
