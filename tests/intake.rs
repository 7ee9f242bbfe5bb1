//! Intake on real files: one fixture per case of `unit-form.md`, made by
//! LibreOffice, openpyxl and msoffcrypto-tool
//! (`tests/fixtures/intake/make-fixtures.py`), plus hostile files made here
//! at run time. Each test asserts the exact figures read, or the exact
//! diagnostic and its cell.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use baocao::catalog::Catalogue;
use baocao::diagnostics::{Diagnostic, Severity};
use baocao::intake::{read_unit, Expect, UnitReport, Value};
use baocao::settings::Loai;
use rust_decimal::Decimal;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake")
}

fn catalogue() -> Catalogue {
    let bytes = std::fs::read(dir().join("danh-muc.xlsx")).unwrap();
    let (_, cat, diags) = baocao::catalog::read_danh_muc(bytes, "danh-muc.xlsx");
    assert!(diags.is_empty(), "{diags:?}");
    cat
}

fn read_bytes(bytes: Vec<u8>, name: &str) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let cat = catalogue();
    read_unit(
        bytes,
        name,
        Expect {
            catalogue: &cat,
            period: (Loai::SoKet6Thang, 2024, None),
        },
    )
}

fn read(name: &str) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let bytes = std::fs::read(dir().join("don-vi").join(name)).unwrap();
    read_bytes(bytes, name)
}

fn n(s: &str) -> Value {
    Value::Number(Decimal::from_str(s).unwrap())
}

/// (plan, result, same period) of one indicator.
fn row(rep: &UnitReport, ma: &str) -> (Value, Value, Value) {
    let r = rep
        .rows
        .iter()
        .find(|r| r.ma == ma)
        .unwrap_or_else(|| panic!("{ma} not read: {:?}", rep.rows));
    (
        r.ke_hoach.value.clone(),
        r.thuc_hien.value.clone(),
        r.cung_ky.value.clone(),
    )
}

/// The one diagnostic at `cell` (None: at no cell) with this severity.
fn diag<'a>(
    diags: &'a [Diagnostic],
    sev: Severity,
    cell: Option<&str>,
    needle: &str,
) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            d.severity == sev && d.location.cell.as_deref() == cell && d.message.contains(needle)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "want one {sev:?} at {cell:?} with “{needle}”, got {diags:#?}"
    );
    found[0]
}

fn no_problems(diags: &[Diagnostic]) {
    let bad: Vec<_> = diags
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn standard_xlsx_with_cached_formula_results() {
    let (rep, diags) = read("bvdk-chuan.xlsx");
    no_problems(&diags);
    let rep = rep.unwrap();
    assert_eq!(rep.ma_don_vi.as_deref(), Some("BVDK"));
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Bệnh viện Đa khoa tỉnh"));
    assert_eq!(rep.ky.as_deref(), Some("6 tháng đầu năm 2024"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("100000"), n("46800"), n("70300")));
    // =20000+8734, computed and stored by LibreOffice.
    assert_eq!(row(&rep, "NGAY_DT").1, n("28734"));
    assert_eq!(row(&rep, "CONG_SUAT").1, n("78.94"));
    // `-` is not applicable; an empty plan is not reported; neither is 0.
    assert_eq!(
        row(&rep, "TIEM_DU"),
        (Value::Missing, Value::NotApplicable, Value::NotApplicable)
    );
    let kcb = rep.rows.iter().find(|r| r.ma == "KCB_LUOT").unwrap();
    assert_eq!(kcb.thuc_hien.nguon, "bvdk-chuan.xlsx › BaoCao › F9");
}

#[test]
fn xls_by_libreoffice_with_merged_two_row_header() {
    let (rep, diags) = read("bv-phoi-tieu-de-gop.xls");
    no_problems(&diags);
    let rep = rep.unwrap();
    // Values in the next non-empty cell to the right of the label.
    assert_eq!(rep.ma_don_vi.as_deref(), Some("BVPHOI"));
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Bệnh viện Phổi"));
    assert_eq!(rep.ky.as_deref(), Some("6 tháng đầu năm 2024"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("50000"), n("21500"), n("24000")));
    assert_eq!(row(&rep, "DIEU_TRI"), (n("3000"), n("1480"), n("1390")));
    assert_eq!(
        row(&rep, "TIEM_DU"),
        (Value::Missing, Value::NotApplicable, Value::NotApplicable)
    );
    // Group headings, the blank row, the note and the signature are no rows.
    assert_eq!(rep.rows.len(), 3);
    let kcb = rep.rows.iter().find(|r| r.ma == "KCB_LUOT").unwrap();
    assert_eq!(
        kcb.thuc_hien.nguon,
        "bv-phoi-tieu-de-gop.xls › BaoCao › F14"
    );
}

#[test]
fn ods_by_libreoffice_without_code_column() {
    let (rep, diags) = read("bv-nhi-khong-ma.ods");
    let rep = rep.unwrap();
    diag(&diags, Severity::Info, None, "không có cột “Mã chỉ tiêu”");
    // Names in capitals, without diacritics, with extra spaces.
    assert_eq!(row(&rep, "KCB_LUOT"), (n("40000"), n("18250"), n("17900")));
    assert_eq!(row(&rep, "DIEU_TRI"), (n("2500"), n("1310"), n("1200")));
    assert_eq!(row(&rep, "NGAY_DT"), (n("15000"), n("7020"), n("6900")));
    assert_eq!(rep.rows.len(), 3);
    // A row with figures and a name the catalogue does not know.
    diag(
        &diags,
        Severity::Warning,
        Some("B14"),
        "“Số ca phẫu thuật” có số liệu nhưng không có mã",
    );
}

#[test]
fn numbers_typed_as_text_the_vietnamese_way() {
    let (rep, diags) = read("ttyt-a-so-dang-chu.xlsx");
    let rep = rep.unwrap();
    // Stray spaces around, `x` not applicable.
    assert_eq!(
        row(&rep, "KCB_LUOT"),
        (n("150000"), n("46800"), Value::NotApplicable)
    );
    // A trailing non-breaking space; `-` not applicable.
    assert_eq!(
        row(&rep, "DIEU_TRI"),
        (n("12000"), n("5830"), Value::NotApplicable)
    );
    // Empty is not reported, the text `0` is zero.
    assert_eq!(
        row(&rep, "NGAY_DT"),
        (Value::Missing, n("1234567.25"), n("0"))
    );
    assert_eq!(row(&rep, "CONG_SUAT").1, n("97.15"));
    // A non-breaking space between thousands; the number 0 is zero.
    assert_eq!(row(&rep, "TIEM_DU"), (n("2400"), n("1169"), n("0")));
    assert_eq!(row(&rep, "TRE_DUOI_1").1, n("46.8"));
    // `1.169` is ambiguous; the file's other numbers settle it as Vietnamese.
    let d = diag(
        &diags,
        Severity::Info,
        Some("F13"),
        "“1.169” đọc được hai cách",
    );
    assert!(
        d.message.contains("đã đọc là 1.169 theo kiểu Việt Nam"),
        "{d}"
    );
    assert!(
        diags.iter().all(|d| d.severity == Severity::Info),
        "{diags:#?}"
    );
}

#[test]
fn numbers_typed_the_english_way() {
    let (rep, diags) = read("ttyt-b-kieu-anh.xlsx");
    let rep = rep.unwrap();
    assert_eq!(row(&rep, "KCB_LUOT").0, n("2500000"));
    assert_eq!(row(&rep, "KCB_LUOT").1, n("1169.5"));
    // Ambiguous `1,169` read in the file's (English) style: 1169, not 1,169.
    assert_eq!(row(&rep, "DIEU_TRI").1, n("1169"));
    assert_eq!(row(&rep, "NGAY_DT").1, n("0.5"));
    let d = diag(
        &diags,
        Severity::Info,
        Some("F10"),
        "“1,169” đọc được hai cách",
    );
    assert!(d.message.contains("kiểu tiếng Anh"), "{d}");
}

#[test]
fn formula_errors_and_text_that_is_no_number() {
    let (rep, diags) = read("ttyt-c-loi-cong-thuc.xlsx");
    let rep = rep.unwrap();
    // Error cells are "not reported", never zero; each is an error at its cell.
    assert_eq!(
        row(&rep, "KCB_LUOT"),
        (n("30000"), Value::Missing, n("12000"))
    );
    assert_eq!(row(&rep, "DIEU_TRI").1, Value::Missing);
    assert_eq!(row(&rep, "NGAY_DT").1, Value::Missing);
    diag(
        &diags,
        Severity::Error,
        Some("F9"),
        "ô lỗi công thức #DIV/0!",
    );
    diag(
        &diags,
        Severity::Error,
        Some("F10"),
        "ô lỗi công thức #REF!",
    );
    diag(
        &diags,
        Severity::Error,
        Some("F11"),
        "ô lỗi công thức #VALUE!",
    );
    // A cached formula result is used; a text is no number.
    assert_eq!(
        row(&rep, "NGAY_GIUONG"),
        (n("18200"), Value::Missing, n("9100"))
    );
    diag(
        &diags,
        Severity::Error,
        Some("F12"),
        "gặp “khoảng 500”, cần một số",
    );
}

#[test]
fn formula_without_stored_result_is_said_not_zero() {
    let (rep, diags) = read("tyt-z-cong-thuc-chua-tinh.xlsx");
    let rep = rep.unwrap();
    assert_eq!(row(&rep, "KCB_LUOT"), (n("2000"), Value::Missing, n("880")));
    diag(
        &diags,
        Severity::Warning,
        Some("F9"),
        "ô công thức “=900+40” không có kết quả được lưu",
    );
}

#[test]
fn tcvn3_xlsx_decoded_with_fonts_read() {
    let (rep, diags) = read("ttyt-d-tcvn3.xlsx");
    let rep = rep.unwrap();
    // Header lines and labels typed in TCVN3 are found and decoded.
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Trung tâm Y tế huyện D"));
    assert_eq!(rep.ky.as_deref(), Some("6 tháng đầu năm 2024"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("20000"), n("9150"), n("8800")));
    assert_eq!(row(&rep, "DIEU_TRI"), (n("1500"), n("702"), n("650")));
    // The row without a code is matched by its TCVN3 name.
    assert_eq!(row(&rep, "NGAY_DT"), (n("8000"), n("3950"), Value::Missing));
    let d = diag(&diags, Severity::Info, Some("A1"), "bảng mã TCVN3");
    assert!(d.message.contains("đã chuyển sang Unicode"), "{d}");
    // The .VnTimeH cells (A2, C3) are capitals because their font says so.
    assert!(
        d.message
            .contains("2 ô dùng phông chữ hoa .VnTimeH (A2, C3) được chuyển thành chữ hoa"),
        "{d}"
    );
    no_problems(&diags);
}

#[test]
fn tcvn3_xls_says_fonts_could_not_be_read() {
    let (rep, diags) = read("ttyt-e-tcvn3.xls");
    let rep = rep.unwrap();
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Trung tâm Y tế huyện E"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("20000"), n("9150"), n("8800")));
    assert_eq!(row(&rep, "NGAY_DT").1, n("3950"));
    let d = diag(&diags, Severity::Info, Some("A1"), "bảng mã TCVN3");
    // The .xls gives no fonts: capitals guessed where the ASCII letters are
    // capitals (A1, A2); the lowercase-typed .VnTimeH title (C3) cannot be.
    assert!(
        d.message.contains("không cho biết phông chữ của từng ô")
            && d.message.contains("2 ô (A1, A2) được đoán là chữ hoa"),
        "{d}"
    );
}

#[test]
fn vni_decoded() {
    let (rep, diags) = read("ttyt-g-vni.xlsx");
    let rep = rep.unwrap();
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Trung tâm Y tế huyện G"));
    assert_eq!(rep.ky.as_deref(), Some("6 tháng đầu năm 2024"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("18000"), n("8420"), n("8100")));
    diag(&diags, Severity::Info, Some("A1"), "bảng mã VNI");
    no_problems(&diags);
}

#[test]
fn decomposed_unicode_normalised() {
    let (rep, diags) = read("ttyt-h-nfd.xlsx");
    let rep = rep.unwrap();
    assert_eq!(rep.ten_don_vi.as_deref(), Some("Trung tâm Y tế huyện H"));
    assert_eq!(row(&rep, "KCB_LUOT"), (n("16000"), n("7300"), n("7000")));
    diag(&diags, Severity::Info, Some("A1"), "dạng tổ hợp (NFD)");
    no_problems(&diags);
}

#[test]
fn xlsm_is_read() {
    let (rep, diags) = read("tyt-v.xlsm");
    no_problems(&diags);
    assert_eq!(
        row(&rep.unwrap(), "KCB_LUOT"),
        (n("3000"), n("1420"), n("1380"))
    );
}

#[test]
fn other_period_and_unknown_indicator_code() {
    let (rep, diags) = read("tyt-x-ky-khac.xlsx");
    let rep = rep.unwrap();
    assert_eq!(row(&rep, "KCB_LUOT").1, n("1210"));
    diag(
        &diags,
        Severity::Warning,
        Some("A6"),
        "kỳ báo cáo là “Quý I năm 2024”, khác kỳ của báo cáo (6 tháng đầu năm 2024)",
    );
    diag(
        &diags,
        Severity::Warning,
        Some("B10"),
        "mã chỉ tiêu “KCB_SAI”",
    );
}

#[test]
fn hidden_sheet_is_never_read() {
    let (rep, diags) = read("tyt-y-trang-an.xlsx");
    let rep = rep.unwrap();
    assert_eq!(rep.sheet, "Bieu1");
    assert_eq!(row(&rep, "KCB_LUOT"), (n("2800"), n("1333"), n("1290")));
    diag(&diags, Severity::Warning, None, "trang “BaoCao” bị ẩn");
}

#[test]
fn files_that_cannot_be_read_say_why() {
    for (file, words) in [
        ("khong-phai-bang-tinh.xlsx", "không phải tệp bảng tính"),
        ("bi-cat-cut.xlsx", "tệp bị hỏng hoặc không trọn vẹn"),
        ("mat-khau.xlsx", "tệp được bảo vệ bằng mật khẩu"),
    ] {
        let (rep, diags) = read(file);
        assert!(rep.is_none(), "{file}");
        assert_eq!(diags.len(), 1, "{file}: {diags:#?}");
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(diags[0].location.file.as_deref(), Some(file));
        assert!(diags[0].message.contains(words), "{file}: {}", diags[0]);
        assert!(diags[0].message.contains("đã bỏ qua"), "{}", diags[0]);
    }
    let (rep, diags) = read("khong-co-bang.xlsx");
    assert!(rep.is_none());
    diag(
        &diags,
        Severity::Error,
        None,
        "không tìm thấy bảng chỉ tiêu",
    );
}

/// A workbook of one sheet holding `sheet_xml`, zipped here.
fn xlsx_with_sheet(sheet_xml: &[u8], declared_lie: bool) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let parts: [(&str, &[u8]); 5] = [
            ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
            ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="BaoCao" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", sheet_xml),
        ];
        for (name, data) in parts {
            z.start_file(name, opt).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    let mut bytes = buf.into_inner();
    if declared_lie {
        // Rewrite the sheet's declared uncompressed size (zip64 extra
        // fields, local and central) to 1 KB: the bytes still inflate to
        // their real size.
        let real = (sheet_xml.len() as u64).to_le_bytes();
        let small = 1024u64.to_le_bytes();
        let mut i = 0;
        while i + 8 <= bytes.len() {
            if bytes[i..i + 8] == real {
                bytes[i..i + 8].copy_from_slice(&small);
            }
            i += 1;
        }
    }
    bytes
}

fn sheet_of_zeros(mb: usize) -> Vec<u8> {
    let mut xml = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.to_vec();
    xml.resize(xml.len() + mb * 1024 * 1024, b' ');
    xml.extend_from_slice(b"</sheetData></worksheet>");
    xml
}

#[test]
fn zip_bomb_is_refused_before_it_is_inflated() {
    // 300 MB of spaces zip to well under 1 MB.
    let bytes = xlsx_with_sheet(&sheet_of_zeros(300), false);
    assert!(bytes.len() < 2 * 1024 * 1024);
    let (rep, diags) = read_bytes(bytes, "bom.xlsx");
    assert!(rep.is_none());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0]
            .message
            .contains("quá giới hạn 256 MB (nghi là tệp độc hại)"),
        "{}",
        diags[0]
    );
}

#[test]
fn zip_entry_larger_than_declared_is_refused() {
    let bytes = xlsx_with_sheet(&sheet_of_zeros(8), true);
    let (rep, diags) = read_bytes(bytes, "noi-doi.xlsx");
    assert!(rep.is_none());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0]
            .message
            .contains("mục “xl/worksheets/sheet1.xml” không giải nén được như khai báo"),
        "{}",
        diags[0]
    );
}

#[test]
fn absurd_sheet_extent_is_refused_without_allocating_it() {
    // Two cells at opposite corners: 17 billion cells if a grid were built.
    let xml = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    let (rep, diags) = read_bytes(xlsx_with_sheet(xml, false), "rong.xlsx");
    assert!(rep.is_none());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].location.sheet.as_deref(), Some("BaoCao"));
    assert!(
        diags[0]
            .message
            .contains("vùng dữ liệu 1.048.576 × 16.384 ô, quá giới hạn 1.000.000 ô"),
        "{}",
        diags[0]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn set_mtime(p: &Path, unix: u64) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix);
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

fn check(root: &Path, json: bool) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.arg("check");
    if json {
        cmd.arg("--json");
    }
    let out = cmd.arg(root).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// The whole fixture folder at once: every good figure read, every bad one
/// reported, every registry unit's status in the table.
#[test]
fn check_on_a_folder_mixing_every_case() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("bao-cao");
    copy_dir(&dir(), &root);
    let first = root.join("don-vi/bvdk-chuan.xlsx");
    let again = root.join("don-vi/gui-lai/bvdk-gui-lai.xlsx");
    set_mtime(&first, 1_719_792_000); // 2024-07-01
    set_mtime(&again, 1_719_964_800); // 2024-07-03

    let (code, text) = check(&root, false);
    assert_eq!(code, Some(1), "{text}");
    for (ma, status) in [
        ("BVDK", "đã nộp, có cảnh báo"), // two files
        ("BVPHOI", "đã nộp "),
        ("BVNHI", "đã nộp, có cảnh báo"),
        ("TTYT_A", "đã nộp, có cảnh báo"),
        ("TTYT_B", "đã nộp, có cảnh báo"),
        ("TTYT_C", "đã nộp, có lỗi"),
        ("TTYT_D", "đã nộp, có cảnh báo"),
        ("TTYT_E", "đã nộp, có cảnh báo"),
        ("TTYT_G", "đã nộp "),
        ("TTYT_H", "đã nộp "),
        ("TYT_V", "đã nộp "),
        ("TYT_W", "CHƯA NỘP"),
        ("TYT_X", "đã nộp, có cảnh báo"),
        ("TYT_Y", "đã nộp, có cảnh báo"),
        ("TYT_Z", "đã nộp, có cảnh báo"),
    ] {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(ma))
            .unwrap_or_else(|| panic!("no line for {ma}:\n{text}"));
        assert!(line.contains(status), "{ma}: {line}");
    }

    let (code, json) = check(&root, true);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kcb = &v["context"]["chi_tieu"]["KCB_LUOT"];
    let by_unit: std::collections::BTreeMap<String, serde_json::Value> = kcb["theo_don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["ma"].as_str().unwrap().to_string(), u["gia_tri"].clone()))
        .collect();
    let want = [
        ("BVDK", serde_json::json!(47000)), // the later file
        ("BVPHOI", serde_json::json!(21500)),
        ("BVNHI", serde_json::json!(18250)),
        ("TTYT_A", serde_json::json!(46800)),
        ("TTYT_B", serde_json::json!(1169.5)),
        ("TTYT_C", serde_json::Value::Null), // #DIV/0!
        ("TTYT_D", serde_json::json!(9150)),
        ("TTYT_E", serde_json::json!(9150)),
        ("TTYT_G", serde_json::json!(8420)),
        ("TTYT_H", serde_json::json!(7300)),
        ("TYT_V", serde_json::json!(1420)),
        ("TYT_X", serde_json::json!(1210)),
        ("TYT_Y", serde_json::json!(1333)),
        ("TYT_Z", serde_json::Value::Null), // formula without a result
    ];
    for (ma, val) in &want {
        assert_eq!(by_unit.get(*ma), Some(val), "{ma}");
    }
    assert_eq!(by_unit.len(), want.len(), "{by_unit:?}");
    assert_eq!(kcb["gia_tri"], serde_json::json!(172702.5));
    assert_eq!(v["context"]["don_vi"]["da_nop"], 14);
    assert_eq!(v["context"]["don_vi"]["thieu"][0]["ma"], "TYT_W");

    // Every bad thing is reported where it is.
    let diags = v["diagnostics"].as_array().unwrap();
    let has = |sev: &str, file: &str, cell: Option<&str>, words: &str| {
        let n = diags
            .iter()
            .filter(|d| {
                d["severity"] == sev
                    && d["file"] == file
                    && d["cell"].as_str() == cell
                    && d["message"].as_str().unwrap().contains(words)
            })
            .count();
        assert_eq!(n, 1, "{sev} {file} {cell:?} “{words}” in {diags:#?}");
    };
    has(
        "error",
        "don-vi/khong-phai-bang-tinh.xlsx",
        None,
        "không phải tệp bảng tính",
    );
    has("error", "don-vi/bi-cat-cut.xlsx", None, "không trọn vẹn");
    has(
        "error",
        "don-vi/mat-khau.xlsx",
        None,
        "bảo vệ bằng mật khẩu",
    );
    has(
        "error",
        "don-vi/khong-co-bang.xlsx",
        None,
        "không tìm thấy bảng chỉ tiêu",
    );
    has(
        "error",
        "don-vi/phong-kham-la.xlsx",
        Some("A5"),
        "mã đơn vị “PK_TU_NHAN” (Phòng khám tư nhân Hòa Bình) không có trong danh sách đơn vị",
    );
    has(
        "warning",
        "don-vi/bvdk-chuan.xlsx",
        None,
        "có 2 tệp: don-vi/bvdk-chuan.xlsx và don-vi/gui-lai/bvdk-gui-lai.xlsx; đã dùng don-vi/gui-lai/bvdk-gui-lai.xlsx vì theo thời điểm lưu ghi trong tệp, don-vi/gui-lai/bvdk-gui-lai.xlsx được lưu sau (lúc 08:00:00 ngày 03/07/2024, tệp kia lúc 08:00:00 ngày 01/07/2024, giờ Việt Nam)",
    );
    has(
        "error",
        "don-vi/ttyt-c-loi-cong-thuc.xlsx",
        Some("F9"),
        "#DIV/0!",
    );
    has(
        "error",
        "don-vi/ttyt-c-loi-cong-thuc.xlsx",
        Some("F10"),
        "#REF!",
    );
    has(
        "error",
        "don-vi/ttyt-c-loi-cong-thuc.xlsx",
        Some("F11"),
        "#VALUE!",
    );
    has(
        "error",
        "don-vi/ttyt-c-loi-cong-thuc.xlsx",
        Some("F12"),
        "khoảng 500",
    );
    has(
        "warning",
        "don-vi/tyt-z-cong-thuc-chua-tinh.xlsx",
        Some("F9"),
        "không có kết quả được lưu",
    );
    has(
        "warning",
        "don-vi/tyt-x-ky-khac.xlsx",
        Some("A6"),
        "Quý I năm 2024",
    );
    has(
        "warning",
        "don-vi/tyt-x-ky-khac.xlsx",
        Some("B10"),
        "KCB_SAI",
    );
    has("warning", "don-vi/tyt-y-trang-an.xlsx", None, "bị ẩn");
    has(
        "warning",
        "don-vi/bv-nhi-khong-ma.ods",
        Some("B14"),
        "Số ca phẫu thuật",
    );
    has("info", "don-vi/ttyt-d-tcvn3.xlsx", Some("A1"), "TCVN3");
    has("info", "don-vi/ttyt-e-tcvn3.xls", Some("A1"), "TCVN3");
    has("info", "don-vi/ttyt-g-vni.xlsx", Some("A1"), "VNI");
    has("info", "don-vi/ttyt-h-nfd.xlsx", Some("A1"), "NFD");

    // Copying changes the file system's times, not what the files say:
    // the workbook that says it was saved later is still used.
    set_mtime(&first, 1_720_000_000);
    let (_, json) = check(&root, true);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let bvdk = v["context"]["chi_tieu"]["KCB_LUOT"]["theo_don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "BVDK")
        .unwrap()
        .clone();
    assert_eq!(bvdk["gia_tri"], 47000);
    assert_eq!(
        bvdk["nguon"],
        "don-vi/gui-lai/bvdk-gui-lai.xlsx › BaoCao › F9"
    );
    // The inputs are never touched.
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(dir().join("don-vi/bvdk-chuan.xlsx")).unwrap()
    );
}

/// What each format says about when it was saved (decides between two
/// workbooks of one unit): xlsx `docProps/core.xml`, ods `meta.xml` (local
/// time, taken as Vietnam's), xls `SummaryInformation`; and whether the
/// period named is the report's.
#[test]
fn every_format_says_when_it_was_saved() {
    let saved = |name: &str| read(name).0.unwrap().luu_luc;
    assert_eq!(
        saved("bvdk-chuan.xlsx").map(|t| t.to_string()).as_deref(),
        Some("2024-07-01 01:00:00")
    );
    for name in ["bv-phoi-tieu-de-gop.xls", "bv-nhi-khong-ma.ods"] {
        let t = saved(name).unwrap_or_else(|| panic!("{name} says no saved time"));
        assert!(t.and_utc().timestamp() > 1_600_000_000, "{name}: {t}");
    }
    // The ods file's local 16:01:59 is 09:01:59 UTC.
    let ods = std::fs::read(dir().join("don-vi/bv-nhi-khong-ma.ods")).unwrap();
    let meta = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(ods)).unwrap();
        let mut s = String::new();
        z.by_name("meta.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let local = meta
        .split("<dc:date>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let local = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f").unwrap();
    assert_eq!(
        saved("bv-nhi-khong-ma.ods"),
        Some(local - chrono::Duration::hours(7))
    );
    assert_eq!(read("bvdk-chuan.xlsx").0.unwrap().ky_khop, Some(true));
    assert_eq!(read("tyt-x-ky-khac.xlsx").0.unwrap().ky_khop, Some(false));
}
