//! The DOCX writer checked by real readers: LibreOffice converts it to PDF
//! with the text in order, python-docx finds the page setup, fonts, header
//! table, repeated header row and sections; two builds are byte-identical.

#[path = "common/docs.rs"]
mod docs;

mod common;
use common::tool;

use std::path::Path;

#[test]
fn docx_opens_in_real_readers() {
    let doc = docs::document();
    let bytes = baocao::write::docx::write_docx(&doc).unwrap();
    assert!(
        bytes == baocao::write::docx::write_docx(&doc).unwrap(),
        "two builds differ"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.docx");
    std::fs::write(&path, &bytes).unwrap();

    // python-docx.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/inspect_docx.py");
    let json = tool(
        "python3",
        &[script.to_str().unwrap(), path.to_str().unwrap()],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let s0 = &v["sections"][0];
    assert_eq!(
        (s0["width_mm"].as_i64(), s0["height_mm"].as_i64()),
        (Some(210), Some(297)),
        "{v}"
    );
    assert_eq!(s0["margins_mm"], serde_json::json!([20, 20, 30, 15]), "{v}");
    assert_eq!(s0["different_first_page"], true);
    let last = &v["sections"][v["sections"].as_array().unwrap().len() - 1];
    assert_eq!(
        (last["width_mm"].as_i64(), last["height_mm"].as_i64()),
        (Some(297), Some(210)),
        "{v}"
    );
    assert!(
        last["orientation"].as_str().unwrap().contains("LANDSCAPE"),
        "{v}"
    );
    assert_eq!(v["normal_font"], "Times New Roman");
    assert_eq!(v["normal_size"], 14.0);
    assert_eq!(
        v["heading_styles"],
        serde_json::json!(["heading 1", "heading 2"])
    );
    assert_eq!(
        v["header_table_first_cell"]
            .as_str()
            .unwrap()
            .split('\n')
            .next(),
        Some("UBND TỈNH BÌNH SƠN")
    );
    // Header table, data table (repeated header), signature table.
    assert_eq!(
        v["repeated_header_rows"],
        serde_json::json!([false, true, false]),
        "{v}"
    );
    assert_eq!(v["page_field"], true, "{v}");

    // LibreOffice converts it; the text comes back in order.
    tool(
        "soffice",
        &[
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            dir.path().to_str().unwrap(),
            path.to_str().unwrap(),
        ],
    );
    let pdf = dir.path().join("t.pdf");
    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let order = [
        "UBND TỈNH BÌNH SƠN",
        "BÁO CÁO",
        "I. KẾT QUẢ THỰC HIỆN",
        docs::ALL_TONES,
        "Đoạn 11:",
        "Hình 1. Biểu đồ thử",
        "Chỉ tiêu thứ 120",
        "Lê Thị Minh Hạnh",
        "PHỤ LỤC NGANG",
    ];
    let mut at = 0;
    for part in order {
        let found = flat[at..]
            .find(part)
            .unwrap_or_else(|| panic!("“{part}” not found in order in {flat}"));
        at += found + part.len();
    }
    // The table's header row is repeated on the pages it spans.
    let pages: usize = tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    let spanning: Vec<usize> = (1..=pages)
        .filter(|k| {
            tool(
                "pdftotext",
                &[
                    "-f",
                    &k.to_string(),
                    "-l",
                    &k.to_string(),
                    pdf.to_str().unwrap(),
                    "-",
                ],
            )
            .contains("Chỉ tiêu thứ")
        })
        .collect();
    assert!(spanning.len() >= 2, "{spanning:?}");
    for k in spanning {
        let t = tool(
            "pdftotext",
            &[
                "-f",
                &k.to_string(),
                "-l",
                &k.to_string(),
                pdf.to_str().unwrap(),
                "-",
            ],
        );
        assert!(
            t.contains("Chỉ tiêu lặp lại"),
            "page {k} lacks the header row"
        );
    }
    // A bad image is an error, not a panic.
    let mut bad = doc.clone();
    bad.blocks
        .push(baocao::document::Block::Image(baocao::document::Image {
            png: b"xx".to_vec(),
            width_mm: 50.0,
            caption: String::new(),
        }));
    assert!(baocao::write::docx::write_docx(&bad).is_err());
}
