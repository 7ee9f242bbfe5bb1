//! How the report sits on the page, read back by real tools: a table's
//! caption stays on the page of the table's first rows (poppler's text of
//! each page of the PDF; `keepNext` in the DOCX, read by python-docx, and
//! LibreOffice's rendering of it), centred titles are balanced, and no
//! figure is split across lines in LibreOffice's rendering of the DOCX.

mod common;

use std::path::{Path, PathBuf};

use common::{row, tool, write_catalogue, write_unit, C::*, CATALOGUE};

const CAPTION: &str = "KẾT QUẢ THỰC HIỆN THEO TUYẾN";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
}

/// A sample folder built as DOCX and PDF into a temporary folder.
fn build_both(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    baocao::build(
        root,
        Some(out.path()),
        &[baocao::Format::Docx, baocao::Format::Pdf],
        &|_, _| {},
    )
    .unwrap();
    out
}

/// LibreOffice's PDF of `docx`, written into `outdir` under the same stem.
fn libreoffice_pdf(docx: &Path, outdir: &Path) {
    tool(
        "soffice",
        &[
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            outdir.to_str().unwrap(),
            docx.to_str().unwrap(),
        ],
    );
}

/// The sample's rendered Markdown and its context.
fn sample_markdown() -> (String, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let b = baocao::build(
        &sample(),
        Some(out.path()),
        &[baocao::Format::Md],
        &|_, _| {},
    )
    .unwrap();
    let md = std::fs::read_to_string(out.path().join("bao-cao.md")).unwrap();
    (md, b.checked.context)
}

/// Each page's text, flattened.
fn pages(pdf: &Path) -> Vec<String> {
    let p = pdf.to_str().unwrap();
    let n: usize = tool("pdfinfo", &[p])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    (1..=n)
        .map(|i| {
            let t = tool(
                "pdftotext",
                &["-raw", "-f", &i.to_string(), "-l", &i.to_string(), p, "-"],
            );
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Where the caption is: (its page's text, whether it is the first thing
/// on that page after the page number).
fn caption_page(pages: &[String]) -> (String, bool) {
    let page = pages
        .iter()
        .find(|t| t.contains(CAPTION))
        .unwrap_or_else(|| panic!("{CAPTION} not in the PDF"))
        .clone();
    let before = &page[..page.find(CAPTION).unwrap()];
    let first = before.split_whitespace().all(|w| w.parse::<u32>().is_ok());
    (page, first)
}

/// The sample with `k` lines of notes more before the table by level,
/// which moves its caption down the page line by line.
fn with_lines(md: &str, k: usize) -> String {
    let mark = format!("[[giua]] **{CAPTION}**");
    let filler: String = (0..k)
        .map(|i| format!("Ghi chú thêm số {i}.\n\n"))
        .collect();
    md.replace(&mark, &format!("{filler}{mark}"))
}

#[test]
fn a_caption_stays_on_the_page_of_its_tables_first_rows() {
    let (md, ctx) = sample_markdown();
    let dir = tempfile::tempdir().unwrap();
    let mut moved = 0;
    // A landscape page holds about 25 lines: every position of the caption
    // on the page, the foot included, is tried.
    for k in 0..30 {
        let doc = baocao::template::markdown::to_document(&with_lines(&md, k), &ctx).unwrap();
        let pdf = dir.path().join(format!("k{k}.pdf"));
        std::fs::write(&pdf, baocao::write::pdf::write_pdf(&doc).unwrap()).unwrap();
        let (page, first) = caption_page(&pages(&pdf));
        let after = &page[page.find(CAPTION).unwrap()..];
        assert!(
            after.contains("Tuyến huyện")
                && after.contains("Khám, chữa bệnh")
                && after.contains("Tổng số lượt khám bệnh lượt 167.093"),
            "k = {k}: the caption's page lacks the table's first rows: {page}"
        );
        moved += usize::from(first);
    }
    // The rule was needed: at least once the caption went to a new page
    // with its table rather than stay alone at the foot of the last one.
    assert!(
        moved > 0,
        "no position put the caption at the foot of a page"
    );
}

#[test]
fn docx_keeps_the_caption_with_the_first_rows() {
    let (md, ctx) = sample_markdown();
    let dir = tempfile::tempdir().unwrap();
    let doc = baocao::template::markdown::to_document(&md, &ctx).unwrap();
    let path = dir.path().join("r.docx");
    std::fs::write(&path, baocao::write::docx::write_docx(&doc).unwrap()).unwrap();
    let script = r#"
import sys, json, docx
d = docx.Document(sys.argv[1])
body = d.element.body
out = {}
paras = [p for p in d.paragraphs if p.text.strip() == sys.argv[2]]
out["caption_keep"] = [p.paragraph_format.keep_with_next for p in paras]
# The table right after the caption: its header and first rows keep with the next row.
el = paras[0]._p.getnext()
while el is not None and el.tag.split('}')[1] != 'tbl':
    el = el.getnext()
t = docx.table.Table(el, d)
out["rows_keep"] = [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs) for r in t.rows[:4]]
out["cant_split"] = all(r._tr.trPr is not None and r._tr.trPr.find(docx.oxml.ns.qn('w:cantSplit')) is not None for r in t.rows)
print(json.dumps(out))
"#;
    let v: serde_json::Value = serde_json::from_str(&tool(
        "python3",
        &["-c", script, path.to_str().unwrap(), CAPTION],
    ))
    .unwrap();
    assert_eq!(v["caption_keep"], serde_json::json!([true]), "{v}");
    // Header, then the first body row, keep with the next; then rows flow.
    assert_eq!(
        v["rows_keep"],
        serde_json::json!([true, true, false, false]),
        "{v}"
    );
    assert_eq!(v["cant_split"], true, "{v}");
}

#[test]
fn libreoffice_keeps_the_docx_caption_with_its_table() {
    let (md, ctx) = sample_markdown();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for k in 0..30 {
        let doc = baocao::template::markdown::to_document(&with_lines(&md, k), &ctx).unwrap();
        let path = dir.path().join(format!("k{k:02}.docx"));
        std::fs::write(&path, baocao::write::docx::write_docx(&doc).unwrap()).unwrap();
        files.push(path);
    }
    // One LibreOffice run converts them all.
    let mut args: Vec<String> = ["--headless", "--convert-to", "pdf", "--outdir"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(dir.path().to_str().unwrap().to_string());
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tool("soffice", &args);
    let mut moved = 0;
    for (k, f) in files.iter().enumerate() {
        let pdf = f.with_extension("pdf");
        let (page, first) = caption_page(&pages(&pdf));
        let after = &page[page.find(CAPTION).unwrap()..];
        assert!(
            after.contains("Tổng số lượt khám bệnh"),
            "k = {k}: in LibreOffice the caption's page lacks the table's first rows: {page}"
        );
        moved += usize::from(first);
    }
    assert!(
        moved > 0,
        "no position put the caption at the foot of a page"
    );
}

/// A folder made to crowd the tables: six levels (ten columns by level)
/// and figures in the hundreds of millions.
fn crowded() -> (tempfile::TempDir, PathBuf) {
    let (g, root) = common::folder();
    let registry: &[(&str, &str, &str, Option<f64>)] = &[
        ("BVDK", "Bệnh viện Đa khoa tỉnh", "tỉnh", None),
        (
            "TTYT_A",
            "Trung tâm Y tế huyện A",
            "huyện",
            Some(1_234_567.0),
        ),
        ("TYT_X", "Trạm Y tế xã X", "xã", None),
        (
            "KV1",
            "Phòng khám đa khoa khu vực Một",
            "khu vực",
            Some(98_765.0),
        ),
        ("BD1", "Cơ sở khám bệnh ban đầu Một", "ban đầu", None),
        ("CS1", "Bệnh viện chuyên sâu Một", "chuyên sâu", None),
    ];
    write_catalogue(&root.join("danh-muc.xlsx"), registry, CATALOGUE).unwrap();
    for (i, (ma, ten, _, _)) in registry.iter().enumerate() {
        let big = 123_456_789.0 + i as f64 * 1_111_111.0;
        write_unit(
            &root.join(format!("don-vi/{ma}.xlsx")),
            ma,
            ten,
            "6 tháng đầu năm 2024",
            &[
                row("KCB_LUOT", N(big * 2.1), N(big), N(big * 0.97)),
                row("NGAY_DT", E, N(8_765_432.5), N(8_000_000.0)),
                row("NGAY_GIUONG", E, N(9_876_543.0), N(9_876_543.0)),
                row("BAC_SI", E, N(1_500_000.0), N(1_400_000.0)),
                row("COVID", E, N(5.0), N(73_071.0)),
            ],
            &[],
        )
        .unwrap();
    }
    (g, root)
}

/// Figures as the tables print them: `123.456.789`, `-97,69`, `+3,08`.
fn is_figure(s: &str) -> bool {
    let s = s.trim_start_matches(['+', '-']);
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && s.len() >= 4
}

#[test]
fn no_figure_is_split_across_lines_in_libreoffice() {
    let (_g, root) = crowded();
    let out = root.join("ra");
    baocao::build(
        &root,
        Some(&out),
        &[baocao::Format::Docx, baocao::Format::Md],
        &|_, _| {},
    )
    .unwrap();
    // Every figure in the appendix's cells.
    let md = std::fs::read_to_string(out.join("bao-cao.md")).unwrap();
    let appendix = &md[md.find("[[phu-luc]]").unwrap()..];
    let figures: Vec<String> = appendix
        .lines()
        .filter(|l| l.starts_with('|'))
        .flat_map(|l| {
            l.split('|')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .flat_map(|c| {
            c.split(['\u{a0}', ' '])
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|c| is_figure(c))
        .collect();
    assert!(figures.iter().any(|f| f.len() >= 11), "{figures:?}");
    libreoffice_pdf(&out.join("bao-cao.docx"), &out);
    let pages = pages(&out.join("bao-cao.pdf"));
    let first = pages.iter().position(|p| p.contains("PHỤ LỤC")).unwrap();
    let words: Vec<&str> = pages[first..]
        .iter()
        .flat_map(|p| p.split_whitespace())
        .collect();
    for f in &figures {
        assert!(
            words.contains(&f.as_str()),
            "{f} is split across lines in LibreOffice's rendering: {:?}",
            pages[first..].join(" | ")
        );
    }
    // STT never splits; every level's header word is whole.
    assert!(
        words.contains(&"STT") && !words.contains(&"ST"),
        "{words:?}"
    );
    assert!(words.contains(&"Toàn"), "{words:?}");
}

/// The lines of page 1 from the title to the first body sentence.
fn title_lines(pdf: &Path) -> Vec<String> {
    let t = tool(
        "pdftotext",
        &["-raw", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    t.lines()
        .skip_while(|l| l.trim() != "BÁO CÁO")
        .skip(1)
        .take_while(|l| !l.starts_with("Thực hiện"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn titles_are_balanced_in_both_writers() {
    let out = build_both(&sample());
    let want = [
        "Sơ kết công tác y tế 6 tháng đầu năm,",
        "phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
    ];
    assert_eq!(title_lines(&out.path().join("bao-cao.pdf")), want);
    // The DOCX carries the same break, and LibreOffice sets the same lines.
    let docx = out.path().join("bao-cao.docx");
    let script = r#"
import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
p = [p for p in d.paragraphs if p.style is not None and p.style.name == "Title" and "Sơ kết" in p.text][0]
parts, cur = [], ""
for el in p._p.iter():
    if el.tag == qn("w:t"):
        cur += el.text
    elif el.tag == qn("w:br"):
        parts.append(cur); cur = ""
parts.append(cur)
print("\n".join(parts))
"#;
    let lines = tool("python3", &["-c", script, docx.to_str().unwrap()]);
    assert_eq!(lines.lines().collect::<Vec<_>>(), want);
    libreoffice_pdf(&docx, &out.path().join("lo"));
    assert_eq!(title_lines(&out.path().join("lo/bao-cao.pdf")), want);
}

/// The first lines of page 1, as poppler reads them.
fn head_lines(pdf: &Path, n: usize) -> Vec<String> {
    tool(
        "pdftotext",
        &["-raw", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    )
    .lines()
    .take(n)
    .map(|l| l.trim().to_string())
    .collect()
}

#[test]
fn the_party_header_breaks_alike_in_both_writers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/dang-uy-6-thang-2024");
    let out = build_both(&root);
    libreoffice_pdf(&out.path().join("bao-cao.docx"), &out.path().join("lo"));
    // The long body name balanced over two lines, the Party's name on one.
    let want = [
        "ĐẢNG BỘ KHỐI",
        "CÁC CƠ QUAN TỈNH",
        "ĐẢNG ỦY SỞ Y TẾ",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
    ];
    assert_eq!(head_lines(&out.path().join("bao-cao.pdf"), 5), want);
    assert_eq!(head_lines(&out.path().join("lo/bao-cao.pdf"), 5), want);
}

#[test]
fn a_heading_stays_with_the_heading_under_it() {
    let (md, ctx) = sample_markdown();
    let head = "## II. ĐÁNH GIÁ CHUNG";
    let sub = "1. Ưu điểm";
    assert!(
        md.contains(head) && md.contains(&format!("### {sub}")),
        "{md}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut moved = 0;
    // Every position of the heading on a portrait page (about 38 lines).
    for k in 0..45 {
        let filler: String = (0..k)
            .map(|i| format!("Ghi chú thêm số {i}.\n\n"))
            .collect();
        let doc = baocao::template::markdown::to_document(
            &md.replace(head, &format!("{filler}{head}")),
            &ctx,
        )
        .unwrap();
        let pdf = dir.path().join(format!("k{k}.pdf"));
        std::fs::write(&pdf, baocao::write::pdf::write_pdf(&doc).unwrap()).unwrap();
        let pages = pages(&pdf);
        let page = pages
            .iter()
            .find(|t| t.contains("II. ĐÁNH GIÁ CHUNG"))
            .unwrap();
        let after = &page[page.find("II. ĐÁNH GIÁ CHUNG").unwrap()..];
        assert!(
            after.contains(sub) && after.contains("Các chỉ tiêu chuyên môn cơ bản"),
            "k = {k}: the heading is alone at the foot of its page: {page}"
        );
        let before = &page[..page.find("II. ĐÁNH GIÁ CHUNG").unwrap()];
        moved += usize::from(before.split_whitespace().all(|w| w.parse::<u32>().is_ok()));
    }
    assert!(
        moved > 0,
        "no position put the heading at the foot of a page"
    );
}

/// Words of the appendix (from `PHỤ LỤC` on) with their top edge and
/// horizontal extent, as poppler reads them.
fn appendix_words(pdf: &Path) -> Vec<(String, f32, f32, f32)> {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |l: &str, name: &str| -> f32 {
        let k = format!("{name}=\"");
        let s = &l[l.find(&k).unwrap() + k.len()..];
        s[..s.find('"').unwrap()].parse().unwrap()
    };
    let words: Vec<(String, f32, f32, f32)> = html
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let text = &l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()];
            let text = text.replace("&amp;", "&");
            (text, attr(l, "yMin"), attr(l, "xMin"), attr(l, "xMax"))
        })
        .collect();
    let start = words.iter().position(|w| w.0 == "PHỤ").unwrap();
    words[start..].to_vec()
}

#[test]
fn appendix_header_cells_break_between_phrases_in_both_writers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-quy-2-2024");
    let out = build_both(&root);
    libreoffice_pdf(&out.path().join("bao-cao.docx"), &out.path().join("lo"));
    // Each pair on one line of its header cell: `Thực hiện / quý II`, not
    // `Thực / hiện quý / II`, `Tỷ lệ %` keeps its sign, compounds stay whole.
    let pairs = [
        ("Thực", "hiện"),
        ("quý", "II"),
        ("lệ", "%"),
        ("Kế", "hoạch"),
        ("Cùng", "kỳ"),
        ("Chênh", "lệch"),
        ("So", "sánh"),
    ];
    for pdf in [
        out.path().join("bao-cao.pdf"),
        out.path().join("lo/bao-cao.pdf"),
    ] {
        let words = appendix_words(&pdf);
        for (a, b) in pairs {
            let i = words.iter().position(|w| w.0 == a).unwrap();
            let (_, y, _, x_end) = &words[i];
            let joined = words
                .iter()
                .any(|w| w.0 == b && (w.1 - y).abs() < 2.0 && w.2 > *x_end && w.2 - x_end < 8.0);
            assert!(joined, "{}: “{a} {b}” broken across lines", pdf.display());
        }
    }
}
