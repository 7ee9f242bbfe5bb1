//! Whole runs on real folders: a unit that sent two workbooks (decided by
//! what the files say, not by the file system's times, which copying
//! changes), and a template that cannot render (exit 2, no report written,
//! earlier reports named as such).

mod common;

use std::path::Path;
use std::process::Command;

use common::{folder, row, write_unit, write_unit_saved, C::*};
use rust_xlsxwriter::ExcelDateTime;

fn baocao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
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

fn bvdk(
    root: &Path,
    name: &str,
    ky: &str,
    th: f64,
    saved: Option<(u16, u8, u8)>,
) -> std::path::PathBuf {
    let p = root.join("don-vi").join(name);
    let t = saved.map(|(y, m, d)| {
        ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(9, 30, 0)
            .unwrap()
    });
    write_unit_saved(
        &p,
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        ky,
        &[row("KCB_LUOT", E, N(th), E)],
        &[],
        t.as_ref(),
    )
    .unwrap();
    p
}

fn used(root: &Path) -> (serde_json::Value, Vec<baocao::diagnostics::Diagnostic>) {
    let c = baocao::check(root, &|_, _| {}).unwrap();
    (
        c.context["chi_tieu"]["KCB_LUOT"]["gia_tri"].clone(),
        c.diagnostics,
    )
}

#[test]
fn of_two_workbooks_the_one_that_says_it_was_saved_later_is_used() {
    let (_g, root) = folder();
    let ky = "6 tháng đầu năm 2024";
    let later = bvdk(&root, "bvdk-sua.xlsx", ky, 1200.0, Some((2024, 7, 5)));
    let earlier = bvdk(&root, "bvdk.xlsx", ky, 1000.0, Some((2024, 7, 1)));
    // Copying made the earlier workbook look newer to the file system.
    set_mtime(&later, 1_719_792_000);
    set_mtime(&earlier, 1_720_500_000);
    let (v, diags) = used(&root);
    assert_eq!(v, 1200);
    let d = diags
        .iter()
        .find(|d| d.message.contains("có 2 tệp"))
        .expect("the two files are said");
    assert_eq!(d.location.file.as_deref(), Some("don-vi/bvdk.xlsx"));
    assert!(
        d.message.contains("đã dùng don-vi/bvdk-sua.xlsx vì theo thời điểm lưu ghi trong tệp, don-vi/bvdk-sua.xlsx được lưu sau (lúc 16:30:00 ngày 05/07/2024, tệp kia lúc 16:30:00 ngày 01/07/2024, giờ Việt Nam)"),
        "{d}"
    );
}

#[test]
fn then_the_period_it_names_then_the_file_systems_time() {
    // Saved at the same time: the one naming the report's period wins,
    // although the other is newer on disk.
    let (_g, root) = folder();
    let right = bvdk(
        &root,
        "a.xlsx",
        "6 tháng đầu năm 2024",
        1000.0,
        Some((2024, 7, 1)),
    );
    let wrong = bvdk(
        &root,
        "b.xlsx",
        "6 tháng đầu năm 2023",
        900.0,
        Some((2024, 7, 1)),
    );
    set_mtime(&right, 1_719_792_000);
    set_mtime(&wrong, 1_720_500_000);
    let (v, diags) = used(&root);
    assert_eq!(v, 1000);
    assert!(
        diags.iter().any(|d| d.message.contains(
            "đã dùng don-vi/a.xlsx vì don-vi/a.xlsx ghi đúng kỳ của báo cáo, còn don-vi/b.xlsx ghi kỳ “6 tháng đầu năm 2023”"
        )),
        "{diags:#?}"
    );
    // A file that says nothing about when it was saved: the file system's
    // time decides, and the message says that this time can change.
    let (_g, root) = folder();
    let p = root.join("don-vi/c.xlsx");
    write_unit(
        &p,
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", E, N(700.0), E)],
        &[],
    )
    .unwrap();
    // rust_xlsxwriter always writes a saved time; take it out, as some tools do.
    strip_saved_time(&p);
    let q = bvdk(
        &root,
        "d.xlsx",
        "6 tháng đầu năm 2024",
        800.0,
        Some((2024, 7, 1)),
    );
    set_mtime(&p, 1_720_500_000);
    set_mtime(&q, 1_719_792_000);
    let (v, diags) = used(&root);
    assert_eq!(v, 700);
    assert!(
        diags.iter().any(|d| d
            .message
            .contains("không phải tệp nào cũng ghi thời điểm lưu")
            && d.message.contains("có thể đổi khi sao chép")),
        "{diags:#?}"
    );
}

/// Rewrite a workbook without `docProps/core.xml`'s saved time.
fn strip_saved_time(p: &Path) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(p).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "docProps/core.xml" {
            let text = String::from_utf8(data).unwrap();
            let start = text.find("<dcterms:modified").unwrap();
            let end = text.find("</dcterms:modified>").unwrap() + "</dcterms:modified>".len();
            data = format!("{}{}", &text[..start], &text[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(p, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_template_that_cannot_render_exits_2_and_writes_no_report() {
    let (_g, root) = folder();
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", N(357037.0), N(167093.0), N(150000.0))],
        &[],
    )
    .unwrap();
    // A first build writes the report.
    let out = baocao().arg("build").arg(&root).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docx = root.join("ket-qua/bao-cao.docx");
    let pdf = root.join("ket-qua/bao-cao.pdf");
    let xlsx = root.join("ket-qua/tong-hop.xlsx");
    let before: Vec<Vec<u8>> = [&docx, &pdf, &xlsx]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    // Then the office breaks its template.
    std::fs::create_dir_all(root.join("mau")).unwrap();
    std::fs::write(
        root.join("mau/so-ket-6-thang.hbs"),
        "# Báo cáo\n\nTổng: {{so chi_tieu.KCB_LUTO.gia_tri}}\n",
    )
    .unwrap();
    // New units' figures would change the report.
    write_unit(
        &root.join("don-vi/cdc.xlsx"),
        "CDC",
        "Trung tâm Kiểm soát bệnh tật",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", E, N(5.0), E)],
        &[],
    )
    .unwrap();
    let out = baocao().arg("build").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mau/so-ket-6-thang.hbs › dòng 3, cột 7"),
        "{err}"
    );
    assert!(err.contains("chưa ghi báo cáo nào"), "{err}");
    assert!(
        err.contains("bao-cao.docx, bao-cao.pdf đang có trong"),
        "{err}"
    );
    assert!(err.contains("lần chạy trước"), "{err}");
    // Nothing of this run was written: the earlier files are untouched.
    let after: Vec<Vec<u8>> = [&docx, &pdf, &xlsx]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(before == after, "earlier outputs were overwritten");
    // check does not render templates: it still runs.
    let out = baocao().arg("check").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}
