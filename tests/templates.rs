//! Templates: every kind renders with its period words, Markdown escaping,
//! absent figures leave no sentence, and template errors name file and line.

mod common;

use common::{folder, row, write_unit, C::*};

fn unit(root: &std::path::Path, ky: &str) {
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        ky,
        &[
            row("KCB_LUOT", N(357037.0), N(167093.0), N(150000.0)),
            row("COVID", E, E, E),
        ],
        &[("TON_TAI", "Thiếu *bác sĩ* | # khoa Nhi")],
    )
    .unwrap();
}

fn markdown(root: &std::path::Path) -> (String, Vec<baocao::diagnostics::Diagnostic>) {
    let out = root.join("ra");
    let b = baocao::build(root, Some(&out), &[baocao::Format::Md], &|_, _| {}).unwrap();
    let md = std::fs::read_to_string(out.join("bao-cao.md")).unwrap_or_default();
    (md, b.checked.diagnostics)
}

fn with_settings(root: &std::path::Path, f: impl Fn(String) -> String) {
    std::fs::write(root.join("baocao.toml"), f(common::SETTINGS.to_string())).unwrap();
}

#[test]
fn six_month_report_reads_like_the_office_writes() {
    let (_g, root) = folder();
    unit(&root, "6 tháng đầu năm 2024");
    let (md, diags) = markdown(&root);
    // Only the sections nobody wrote are warned about (TON_TAI is the unit's).
    let said: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(said.len(), 5, "{said:#?}");
    for what in [
        "mục “Ưu điểm”",
        "mục “Phương hướng, nhiệm vụ”",
        "mục “Đề xuất, kiến nghị”",
        "lĩnh vực “Nhân lực”",
        "lĩnh vực “Phòng chống dịch”",
    ] {
        assert!(said.iter().any(|m| m.contains(what)), "{what}: {said:#?}");
    }
    assert!(
        md.contains(
            "# Sơ kết công tác y tế 6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối năm 2024"
        ),
        "{md}"
    );
    assert!(md.contains("## I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2024"));
    assert!(md.contains("## III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024"));
    assert!(md.contains("Tổng số lượt khám bệnh: 167.093 lượt, đạt 46,8% kế hoạch, tăng 11,4% so với cùng kỳ năm 2023."), "{md}");
    // Nobody reported COVID-19: no sentence about it, and no empty line item.
    assert!(!md.contains("Số ca mắc COVID-19:"), "{md}");
    // A unit's text with Markdown characters prints as typed.
    assert!(md.contains(r"Thiếu \*bác sĩ\* \| \# khoa Nhi"), "{md}");
    assert!(md.contains("(Kèm theo Báo cáo số 05/BC-SYT ngày 08/7/2024 của Sở Y tế)"));
}

#[test]
fn every_kind_has_its_period_words() {
    let cases = [
        (
            "so-ket-quy",
            "nam = 2024",
            "nam = 2023\nquy = 1",
            "Quý I năm 2023",
            "NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2023",
        ),
        (
            "so-ket-quy",
            "nam = 2024",
            "nam = 2023\nquy = 4",
            "Quý IV năm 2023",
            "NHIỆM VỤ TRỌNG TÂM QUÝ I NĂM 2024",
        ),
        (
            "so-ket-9-thang",
            "nam = 2024",
            "nam = 2024",
            "9 tháng đầu năm 2024",
            "PHƯƠNG HƯỚNG, NHIỆM VỤ 3 THÁNG CUỐI NĂM 2024",
        ),
        (
            "tong-ket-nam",
            "nam = 2024",
            "nam = 2020",
            "năm 2020",
            "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021",
        ),
    ];
    for (loai, from, to, ky, heading) in cases {
        let (_g, root) = folder();
        unit(&root, ky);
        with_settings(&root, |s| {
            s.replace("so-ket-6-thang", loai).replace(from, to)
        });
        let (md, diags) = markdown(&root);
        assert!(md.contains(heading), "{loai}: {md}");
        assert!(
            diags.iter().all(|d| !d.message.contains("kỳ báo cáo")),
            "{loai}: {diags:?}"
        );
    }
}

#[test]
fn party_header_and_structure() {
    let (_g, root) = folder();
    unit(&root, "6 tháng đầu năm 2024");
    with_settings(&root, |s| {
        s.replace(
            "chu_quan = \"UBND TỈNH THỬ NGHIỆM\"",
            "kieu = \"dang\"\nchu_quan = \"ĐẢNG BỘ TỈNH THỬ NGHIỆM\"",
        )
        .replace(
            "ban_hanh = \"SỞ Y TẾ\"",
            "ban_hanh = \"ĐẢNG ỦY SỞ Y TẾ\"\nten_goi = \"Đảng ủy Sở Y tế\"",
        )
        .replace("5/BC-SYT", "12-BC/ĐU")
    });
    let (md, _) = markdown(&root);
    assert!(
        md.contains("## I. KẾT QUẢ LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ"),
        "{md}"
    );
    assert!(md.contains("## II. CÔNG TÁC XÂY DỰNG ĐẢNG"));
    let ctx = baocao::check(&root, &|_, _| {}).unwrap().context;
    let h = baocao::template::markdown::admin_header(&ctx);
    assert_eq!(
        baocao::document::plain_text(&h.right),
        "ĐẢNG CỘNG SẢN VIỆT NAM"
    );
    assert_eq!(h.number, "Số 12-BC/ĐU");
    assert_eq!(h.left.last().map(|r| r.text.as_str()), Some("*"));
}

#[test]
fn user_template_replaces_builtin_and_errors_name_file_and_line() {
    let (_g, root) = folder();
    unit(&root, "6 tháng đầu năm 2024");
    std::fs::create_dir_all(root.join("mau")).unwrap();
    std::fs::write(
        root.join("mau/so-ket-6-thang.hbs"),
        "# Riêng\n\nTổng: {{so chi_tieu.KCB_LUOT.gia_tri}} lượt.\n",
    )
    .unwrap();
    let (md, _) = markdown(&root);
    assert_eq!(md, "# Riêng\n\nTổng: 167.093 lượt.\n");
    // An unknown name: file, line, column and the closest name; the build
    // stops and writes no report.
    std::fs::write(
        root.join("mau/so-ket-6-thang.hbs"),
        "# Riêng\n\nTổng: {{so chi_tieu.KCB_LUTO.gia_tri}}\n",
    )
    .unwrap();
    let e = failure(&root);
    assert!(e.contains("mau/so-ket-6-thang.hbs › dòng 3, cột 7"), "{e}");
    assert!(e.contains("có phải"), "{e}");
    // A wrong helper name.
    std::fs::write(
        root.join("mau/so-ket-6-thang.hbs"),
        "{{so_voi_cungky chi_tieu.KCB_LUOT}}\n",
    )
    .unwrap();
    let e = failure(&root);
    assert!(e.contains("“so_voi_cung_ky”"), "{e}");
    // A syntax error: what is open and where it was opened, in Vietnamese
    // (not the parser's "expected escape, expression, …" at the end).
    std::fs::write(
        root.join("mau/so-ket-6-thang.hbs"),
        "ok\n\n  {{#each nhom}}\n### {{ten}}\n\nhết\n",
    )
    .unwrap();
    let e = failure(&root);
    assert!(
        e.contains("mau/so-ket-6-thang.hbs › dòng 3, cột 3: mẫu viết sai cú pháp: khối {{#each nhom}} mở ở dòng 3, cột 3 chưa được đóng: thiếu {{/each}}"),
        "{e}"
    );
    assert!(!e.contains("expected"), "{e}");
    // A block closed by the wrong tag, in a partial of the user's.
    std::fs::write(root.join("mau/so-ket-6-thang.hbs"), "{{> rieng}}\n").unwrap();
    std::fs::write(
        root.join("mau/rieng.hbs"),
        "{{#each nhom}}\n{{#if co_so_lieu}}\n{{ten}}\n{{/each}}\n",
    )
    .unwrap();
    let e = failure(&root);
    assert!(
        e.contains("mau/rieng.hbs › dòng 4, cột 1")
            && e.contains("{{/each}} ở dòng 4, cột 1 không khớp: khối đang mở là {{#if co_so_lieu}} (mở ở dòng 2, cột 1)"),
        "{e}"
    );
    std::fs::remove_file(root.join("mau/rieng.hbs")).unwrap();
    // A helper given text instead of a number.
    std::fs::write(root.join("mau/so-ket-6-thang.hbs"), "{{so bao_cao.ky}}\n").unwrap();
    let e = failure(&root);
    assert!(e.contains("phải là một số"), "{e}");
}

/// The build's refusal when a template cannot render: nothing is written.
fn failure(root: &std::path::Path) -> String {
    let out = tempfile::tempdir().unwrap();
    match baocao::build(
        root,
        Some(out.path()),
        &[baocao::Format::Md, baocao::Format::Xlsx],
        &|_, _| {},
    ) {
        Err(baocao::Fatal::Template(m)) => {
            assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "{m}");
            m
        }
        Err(e) => panic!("not a template failure: {e}"),
        Ok(_) => panic!("a broken template must stop the build"),
    }
}

#[test]
fn quarter_report_prints_strengths_under_their_own_heading() {
    let (_g, root) = folder();
    unit(&root, "Quý II năm 2024");
    with_settings(&root, |s| {
        s.replace("so-ket-6-thang", "so-ket-quy")
            .replace("nam = 2024", "nam = 2024\nquy = 2")
    });
    // Nobody wrote strengths: the quarter report goes straight to the shortcomings.
    let (md, _) = markdown(&root);
    assert!(md.contains("## II. TỒN TẠI, HẠN CHẾ"), "{md}");
    assert!(!md.contains("Ưu điểm"), "{md}");
    // The office wrote them: they are not printed under "Tồn tại, hạn chế".
    std::fs::write(
        root.join("noi-dung.md"),
        "## Ưu điểm\n\nCác chỉ tiêu cơ bản đạt tiến độ.\n",
    )
    .unwrap();
    let (md, _) = markdown(&root);
    let strengths = md.find("### 1. Ưu điểm").expect(&md);
    let text = md.find("Các chỉ tiêu cơ bản đạt tiến độ.").expect(&md);
    let shortcomings = md.find("### 2. Tồn tại, hạn chế").expect(&md);
    assert!(md.contains("## II. ĐÁNH GIÁ CHUNG"), "{md}");
    assert!(strengths < text && text < shortcomings, "{md}");
}
