//! The conference sample end to end: a thematic report with no review
//! period wording, the handout (cover, programme, report, commendations
//! with their counts, the office's PDF, running page numbers) read back by
//! pdftotext and `qpdf --check`, the A5 booklet's page order on real
//! sheets, and a bad commendation row or PDF as a diagnostic.

mod common;
use common::tool;

use std::path::{Path, PathBuf};
use std::process::Command;

use baocao::diagnostics::Severity;
use baocao::Format;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/hoi-nghi-y-te-co-so-2016-2020")
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Text of page `p`, or of a region of it (x, y from the top left, w, h in points).
fn text(pdf: &Path, p: usize, crop: Option<[u32; 4]>) -> String {
    let p = p.to_string();
    let mut args = vec!["-f", &p, "-l", &p];
    let c: Vec<String>;
    if let Some(r) = crop {
        c = r.iter().map(|v| v.to_string()).collect();
        args.extend([
            "-r", "72", "-x", &c[0], "-y", &c[1], "-W", &c[2], "-H", &c[3],
        ]);
    }
    let file = pdf.to_str().unwrap();
    args.extend([file, "-"]);
    tool("pdftotext", &args)
}

fn qpdf_clean(pdf: &Path) {
    let out = Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf is needed");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && s.contains("No syntax or stream encoding errors"),
        "{s}"
    );
}

/// The review wordings a thematic report must not carry.
const PERIODIC: &[&str] = &[
    "6 tháng",
    "tháng đầu năm",
    "tháng cuối năm",
    "9 tháng",
    "Quý ",
    "Sơ kết",
    "sơ kết",
];

#[test]
fn thematic_report_and_its_handout() {
    let out = tempfile::tempdir().unwrap();
    let b = baocao::build(
        &sample(),
        Some(out.path()),
        &[Format::Docx, Format::Pdf, Format::Handout, Format::Booklet],
        &|_, _| {},
    )
    .unwrap();
    let errors: Vec<_> = b
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let ctx = &b.checked.context;
    assert_eq!(ctx["bao_cao"]["ky"], "giai đoạn 2016-2020");
    assert_eq!(
        ctx["bao_cao"]["trich_yeu"],
        "Kết quả thực hiện Chương trình mục tiêu y tế - dân số giai đoạn 2016-2020"
    );
    // The commendation count, for templates too.
    assert_eq!(ctx["khen_thuong"]["so_luong"], "12 tập thể và 34 cá nhân");
    assert_eq!(ctx["khen_thuong"]["tap_the"], 12);
    assert_eq!(ctx["khen_thuong"]["ca_nhan"], 34);

    // The report: no review-period wording anywhere, in PDF or DOCX.
    let report = out.path().join("bao-cao.pdf");
    let all = tool("pdftotext", &[report.to_str().unwrap(), "-"]);
    let docx = out.path().join("bao-cao.docx");
    let f = std::fs::File::open(&docx).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    for w in PERIODIC {
        assert!(!all.contains(w), "the thematic PDF says “{w}”");
        assert!(!xml.contains(w), "the thematic DOCX says “{w}”");
    }
    assert!(
        all.contains("KẾT QUẢ THỰC HIỆN GIAI ĐOẠN 2016-2020"),
        "{all}"
    );
    assert!(all.contains("so với giai đoạn trước"), "{all}");
    assert!(
        all.contains("Biểu đồ 1."),
        "charts in the thematic report too"
    );

    // The handout.
    let h = out.path().join("tai-lieu.pdf");
    qpdf_clean(&h);
    let n = pages(&h);
    let report_pages = pages(&report);
    let whole = tool("pdftotext", &[h.to_str().unwrap(), "-"]);
    let flat = whole.split_whitespace().collect::<Vec<_>>().join(" ");
    let cover = text(&h, 1, None);
    for want in [
        "UBND TỈNH BÌNH SƠN",
        "SỞ Y TẾ",
        "TÀI LIỆU HỘI NGHỊ",
        "HỘI NGHỊ TỔNG KẾT MẠNG LƯỚI Y TẾ CƠ SỞ",
        "Hội trường UBND tỉnh Bình Sơn",
        "ngày 20 tháng 3 năm 2021",
    ] {
        assert!(cover.contains(want), "cover lacks {want}: {cover}");
    }
    let programme = text(&h, 2, None);
    for want in [
        "CHƯƠNG TRÌNH HỘI NGHỊ",
        "Thời gian",
        "07:30 - 08:00",
        "Đón tiếp đại biểu",
        "Giám đốc Sở Y tế",
    ] {
        assert!(programme.contains(want), "programme lacks {want}");
    }
    // The report follows, whole, then its appendix, then the list.
    assert!(text(&h, 3, None).contains("BÁO CÁO"));
    assert!(whole.contains("PHỤ LỤC"));
    for want in [
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        "Tổng số: 12 tập thể và 34 cá nhân được khen thưởng.",
        "I. TẬP THỂ (12 tập thể)",
        "II. CÁ NHÂN (34 cá nhân)",
        "Trạm Y tế xã Xuân Thọ",
    ] {
        assert!(flat.contains(want), "handout lacks {want}");
    }
    // The office's PDF is the last page, numbered on.
    let last = text(&h, n, None);
    assert!(last.contains("THAM LUẬN"), "{last}");
    assert!(n > report_pages + 3, "{n} pages, report {report_pages}");
    // Running numbers at the foot of every page but the cover (A4 or
    // landscape A4): the foot strip holds exactly the page's number.
    for p in 2..=n {
        let size = tool(
            "pdfinfo",
            &[
                "-f",
                &p.to_string(),
                "-l",
                &p.to_string(),
                h.to_str().unwrap(),
            ],
        );
        let landscape = size
            .lines()
            .any(|l| l.contains("size:") && l.contains("841.89 x 595"));
        let (w, ht) = if landscape { (842, 595) } else { (595, 842) };
        let foot = text(&h, p, Some([0, ht - 40, w, 40]));
        assert_eq!(foot.trim(), p.to_string(), "page {p}'s foot");
    }
    assert!(text(&h, 1, Some([0, 802, 595, 40])).trim().is_empty());

    // The booklet: A4 landscape sheets, two handout pages each, in
    // saddle-stitch order (checked by the numbers at the foot of each half).
    let bk = out.path().join("tai-lieu-a5.pdf");
    qpdf_clean(&bk);
    let padded = n.div_ceil(4) * 4;
    assert_eq!(pages(&bk), padded / 2);
    let info = tool("pdfinfo", &[bk.to_str().unwrap()]);
    assert!(info.contains("841.89 x 595.276"), "{info}");
    let order = baocao::write::pdf_pages::saddle_order(n);
    for (k, (front, back)) in order.iter().enumerate() {
        for (side, halves) in [(2 * k + 1, front), (2 * k + 2, back)] {
            for (slot, page) in halves.iter().enumerate() {
                let x = slot as u32 * 421;
                let foot = text(&bk, side, Some([x, 595 - 28, 421, 28]));
                let half = text(&bk, side, Some([x, 0, 421, 595]));
                match page {
                    None => assert!(
                        half.trim().is_empty(),
                        "sheet side {side} half {slot} should be blank: {half}"
                    ),
                    Some(1) => assert!(half.contains("TÀI LIỆU HỘI NGHỊ")),
                    Some(p) => {
                        let portrait = foot.trim() == p.to_string();
                        // A landscape page is turned: its foot is at the half's side.
                        let turned = text(&bk, side, Some([x, 0, 40, 595]))
                            .split_whitespace()
                            .any(|t| t == p.to_string())
                            || text(&bk, side, Some([x + 381, 0, 40, 595]))
                                .split_whitespace()
                                .any(|t| t == p.to_string());
                        assert!(
                            portrait || turned,
                            "side {side} half {slot}: page {p}? foot {foot:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn bad_commendation_rows_and_pdfs_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("hoi-nghi");
    copy_dir(&sample(), &d);
    // A list with a row without a name and a row of an unknown kind.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("KhenThuong").unwrap();
    let rows = [
        ["Đối tượng", "Tên", "Đơn vị", "Thành tích", "Hình thức"],
        [
            "Tap the",
            "Trạm Y tế xã An Phú",
            "",
            "Xuất sắc",
            "Giấy khen",
        ],
        [
            "cá nhân",
            "",
            "Y sĩ, Trạm Y tế xã An Phú",
            "Xuất sắc",
            "Giấy khen",
        ],
        ["đơn vị", "Trạm Y tế xã Tân Hòa", "", "", ""],
        [
            "CÁ NHÂN",
            "Lê Văn Tâm",
            "Bác sĩ, Trạm Y tế xã Tân Hòa",
            "",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(d.join("khen-thuong.xlsx")).unwrap();
    // A PDF that cannot be merged, named to come first.
    std::fs::write(
        d.join("tai-lieu/00-hong.pdf"),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog",
    )
    .unwrap();
    let c = baocao::check(&d, &|_, _| {}).unwrap();
    let at = |cell: &str| {
        c.diagnostics
            .iter()
            .find(|x| {
                x.location.cell.as_deref() == Some(cell)
                    && x.location.file.as_deref() == Some("khen-thuong.xlsx")
            })
            .unwrap_or_else(|| panic!("no diagnostic at {cell}: {:?}", c.diagnostics))
    };
    let no_name = at("B3");
    assert_eq!(no_name.severity, Severity::Error);
    assert!(
        no_name.message.contains("không có Tên"),
        "{}",
        no_name.message
    );
    let kind = at("A4");
    assert!(
        kind.message.contains("“đơn vị”") && kind.message.contains("tập thể"),
        "{}",
        kind.message
    );
    assert_eq!(
        c.context["khen_thuong"]["so_luong"],
        "1 tập thể và 1 cá nhân"
    );

    let out = dir.path().join("ra");
    let b = baocao::build(&d, Some(&out), &[Format::Handout], &|_, _| {}).unwrap();
    let bad = b
        .checked
        .diagnostics
        .iter()
        .find(|x| x.location.file.as_deref() == Some("tai-lieu/00-hong.pdf"))
        .expect("the broken PDF is named");
    assert_eq!(bad.severity, Severity::Error);
    assert!(bad.message.contains("không ghép được"), "{}", bad.message);
    let h = out.join("tai-lieu.pdf");
    qpdf_clean(&h);
    let whole = tool("pdftotext", &[h.to_str().unwrap(), "-"]);
    assert!(whole.contains("Tổng số: 1 tập thể và 1 cá nhân được khen thưởng."));
    assert!(
        whole.contains("THAM LUẬN"),
        "the good PDF is still appended"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "ket-qua" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}
