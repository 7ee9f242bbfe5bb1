//! Files made to hurt: the hostile workbooks of `tests/fixtures/hostile/`
//! (what each does: its README) read one by one through intake, and whole
//! report folders full of them run through the `baocao` binary under a
//! memory limit and a timeout.

mod common;

use std::path::{Path, PathBuf};

use baocao::catalog::Catalogue;
use baocao::diagnostics::{Diagnostic, Severity};
use baocao::intake::{read_unit, Expect, UnitReport, Value};
use baocao::settings::Loai;
use rust_decimal::Decimal;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn catalogue() -> Catalogue {
    let bytes = std::fs::read(fixtures().join("intake/danh-muc.xlsx")).unwrap();
    baocao::catalog::read_danh_muc(bytes, "danh-muc.xlsx").1
}

fn read(name: &str) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let bytes = std::fs::read(fixtures().join("hostile/don-vi").join(name)).unwrap();
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

/// The file is refused with one error naming it and saying `why`.
fn refused(name: &str, why: &str) {
    let (rep, diags) = read(name);
    assert!(rep.is_none(), "{name} was read: {diags:#?}");
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{name}: {diags:#?}");
    assert_eq!(errors[0].location.file.as_deref(), Some(name));
    assert!(
        errors[0].message.contains(why),
        "{name}: want “{why}”, got {}",
        errors[0]
    );
}

/// The file is read, with the standard form's figures.
fn read_as_the_form(name: &str) -> Vec<Diagnostic> {
    let (rep, diags) = read(name);
    let rep = rep.unwrap_or_else(|| panic!("{name} not read: {diags:#?}"));
    assert_eq!(rep.ma_don_vi.as_deref(), Some("DV_LA"), "{name}");
    let row = rep.rows.iter().find(|r| r.ma == "KCB_LUOT").unwrap();
    let n = |v: i64| Value::Number(Decimal::from(v));
    assert_eq!(
        (
            &row.ke_hoach.value,
            &row.thuc_hien.value,
            &row.cung_ky.value
        ),
        (&n(1000), &n(500), &n(400)),
        "{name}"
    );
    diags
}

#[test]
fn sound_files_from_the_same_writers_are_read() {
    for name in ["xls-tu-viet.xls", "xlsx-tu-viet.xlsx"] {
        let diags = read_as_the_form(name);
        assert!(
            !diags.iter().any(|d| d.severity == Severity::Error),
            "{name}: {diags:#?}"
        );
    }
}

#[test]
fn truncated_xls_is_refused_never_a_panic() {
    for cut in [700, 1536, 2600, 5000] {
        refused(&format!("xls-cat-{cut}.xls"), "tệp .xls bị hỏng");
    }
    refused("xls-vong-lap.xls", "tệp .xls bị hỏng");
}

#[test]
fn records_shorter_than_they_declare_are_cut_or_refused() {
    for name in [
        "xls-gop-o-thieu.xls",
        "xls-cong-thuc-dai.xls",
        "xls-ten-dinh-nghia.xls",
        "xls-bang-ma-cut.xls",
    ] {
        read_as_the_form(name);
    }
    refused("xls-sst-thieu.xls", "tệp .xls bị hỏng");
}

#[test]
fn declared_sizes_are_not_trusted() {
    // Read: the lying records are dropped or cut to what they hold.
    read_as_the_form("xls-kich-thuoc.xls");
    read_as_the_form("xlsx-cong-thuc-chung.xlsx");
    let diags = read_as_the_form("xls-nhan-noi-dai.xls");
    // The 3,000 one-letter labels are there, each as one letter.
    assert!(
        diags.iter().any(|d| d.message.contains("“x”")),
        "{diags:#?}"
    );
    refused(
        "xlsx-unique-count.xlsx",
        "khai báo 4.294.967.295 chuỗi nhưng chỉ có 13",
    );
}

#[test]
fn extents_beyond_the_limit_are_refused_before_allocation() {
    refused("xls-hai-goc.xls", "vùng dữ liệu 65.536 × 65.536 ô");
    refused("xls-nhieu-trang.xls", "vùng dữ liệu 65.536 × 256 ô");
    refused("ods-lap-hang.ods", "vùng dữ liệu 1.048.576 × 90 ô");
}

#[test]
fn text_copied_into_many_cells_is_counted_per_copy() {
    for name in [
        "xls-chuoi-chung.xls",
        "xlsx-chuoi-1mb.xlsx",
        "ods-chuoi-lap.ods",
        "ods-khoang-trang.ods",
    ] {
        refused(name, "chứa hơn 32 MB chữ");
    }
}

#[test]
fn figures_too_large_to_sum_are_errors_at_their_cells() {
    use common::{row, write_unit, C::*};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lon.xlsx");
    write_unit(
        &path,
        "DV_LA",
        "Đơn vị lạ",
        "6 tháng đầu năm 2024",
        &[
            row(
                "KCB_LUOT",
                N(5e28),
                T("12345678901234567890123456789"),
                N(400.0),
            ),
            row(
                "DIEU_TRI",
                N(1e15),
                N(999_999_999_999_999.0),
                T("-1.000.000.000.000.000"),
            ),
        ],
        &[],
    )
    .unwrap();
    let cat = catalogue();
    let (rep, diags) = read_unit(
        std::fs::read(&path).unwrap(),
        "lon.xlsx",
        Expect {
            catalogue: &cat,
            period: (Loai::SoKet6Thang, 2024, None),
        },
    );
    let rep = rep.expect("read");
    let cells = |r: &str| {
        let row = rep.rows.iter().find(|x| x.ma == r).unwrap();
        (
            row.ke_hoach.value.clone(),
            row.thuc_hien.value.clone(),
            row.cung_ky.value.clone(),
        )
    };
    assert_eq!(
        cells("KCB_LUOT"),
        (Value::Missing, Value::Missing, Value::Number(400.into()))
    );
    assert_eq!(
        cells("DIEU_TRI"),
        (
            Value::Missing,
            Value::Number(999_999_999_999_999i64.into()),
            Value::Missing
        )
    );
    for cell in ["E9", "F9", "E10", "G10"] {
        let d = diags
            .iter()
            .find(|d| d.location.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("nothing at {cell}: {diags:#?}"));
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert!(d.message.contains("quá lớn"), "{d}");
    }
}

/// Rewrite a zip's entries through `edit(name, bytes) -> (name, bytes)`.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> (String, Vec<u8>)) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            let (name, data) = edit(&name, data);
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(&data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn workbooks_as_other_writers_package_them() {
    let sound = std::fs::read(fixtures().join("hostile/don-vi/xlsx-tu-viet.xlsx")).unwrap();
    // Names written with `\`, as some Windows tools do.
    let back = rezip(&sound, |n, d| (n.replace('/', "\\"), d));
    let wb = baocao::sheet::open(back).unwrap();
    assert_eq!(wb.sheets()[0].name, "BaoCao");
    // An encrypted .ods says so in its manifest; it is not "broken".
    let ods = std::fs::read(fixtures().join("intake/don-vi/bv-nhi-khong-ma.ods")).unwrap();
    let locked = rezip(&ods, |n, d| match n {
        "META-INF/manifest.xml" => {
            let text = String::from_utf8(d).unwrap().replace(
                r#"manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
                r#"manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry>"#,
            );
            assert!(text.contains("encryption-data"), "{text}");
            (n.to_string(), text.into_bytes())
        }
        "content.xml" => (n.to_string(), vec![0xA7; 3000]),
        _ => (n.to_string(), d),
    });
    let e = baocao::sheet::open(locked).err().unwrap();
    assert!(e.0.contains("bảo vệ bằng mật khẩu"), "{e:?}");
}

#[test]
fn a_registry_population_too_large_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("danh-muc.xlsx");
    let mut registry = common::REGISTRY.to_vec();
    registry[2].3 = Some(5e28);
    let mut catalogue = common::CATALOGUE.to_vec();
    catalogue[0].8 = Some(1e16);
    common::write_catalogue(&path, &registry, &catalogue).unwrap();
    let (reg, cat, diags) =
        baocao::catalog::read_danh_muc(std::fs::read(&path).unwrap(), "danh-muc.xlsx");
    assert_eq!(reg.units[2].dan_so, None);
    assert_eq!(cat.indicators[0].ke_hoach_tinh, None);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error && d.message.contains("quá lớn"))
        .collect();
    assert_eq!(errors.len(), 2, "{diags:#?}");
    assert!(
        errors.iter().all(|d| d.location.cell.is_some()),
        "{errors:#?}"
    );
}

#[test]
fn settings_values_are_lines_not_megabytes() {
    let settings = common::SETTINGS.replacen(
        "[van_ban]",
        &format!("[van_ban]\ntrich_yeu = \"{}\"", "Báo cáo ".repeat(400)),
        1,
    );
    let e = baocao::settings::Settings::parse(&settings, "baocao.toml").unwrap_err();
    assert!(
        e.message
            .contains("khóa van_ban.trich_yeu: dài 3.200 ký tự, quá giới hạn 2.000"),
        "{e}"
    );
    assert!(e.message.starts_with("dòng "), "{e}");
}

mod figures_at_the_limit {
    //! Every figure intake lets through is below `max_figure`; compile's
    //! sums, differences, rates and the ×3 rule must then never overflow,
    //! whatever the figures' scale and however many units report.

    use std::str::FromStr;

    use baocao::catalog::{CachTongHop, Catalogue, ChiTieu, DonVi, Group, Level, MauSo, Registry};
    use baocao::compile::compile;
    use baocao::intake::{Figure, FigureRow, UnitReport, Value};
    use baocao::vi::number::{max_factor, max_figure};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn fig(v: Decimal) -> Figure {
        Figure {
            value: Value::Number(v),
            nguon: "t.xlsx › BaoCao › F9".into(),
        }
    }

    fn catalogue(plan: Decimal) -> Catalogue {
        let ct = |ma: &str, cach: CachTongHop| ChiTieu {
            ma: ma.into(),
            ten: ma.into(),
            dvt: "ca".into(),
            nhom: "Nhóm".into(),
            cach,
            ke_hoach_tinh: Some(plan),
            so_sanh: Default::default(),
            loi: None,
        };
        let rate = |mau_so| CachTongHop::TyLe {
            tu_so: "TU".into(),
            mau_so,
            he_so: max_factor(),
        };
        Catalogue::new(
            vec![
                ct("TU", CachTongHop::Tong),
                ct("MAU", CachTongHop::Tong),
                ct("TY_LE", rate(MauSo::ChiTieu("MAU".into()))),
                ct("VAN_DAN", rate(MauSo::DanSo)),
            ],
            vec![Group {
                ten: "Nhóm".into(),
                khoa: "nhom".into(),
            }],
        )
    }

    fn run(values: &[(Decimal, Decimal, Decimal)], population: Decimal) {
        let mut reg = Registry::new(
            Vec::new(),
            vec![Level {
                key: "tinh".into(),
                ten: "tuyến tỉnh".into(),
            }],
        );
        let mut reports = Vec::new();
        for (i, (a, b, c)) in values.iter().enumerate() {
            let ma = format!("DV{i}");
            reg.units.push(DonVi {
                ma: ma.clone(),
                ten: ma.clone(),
                tuyen: "tinh".into(),
                dan_so: Some(population),
            });
            let row = |code: &str| FigureRow {
                ma: code.into(),
                ke_hoach: fig(*a),
                thuc_hien: fig(*b),
                cung_ky: fig(*c),
            };
            reports.push(UnitReport {
                file: format!("{ma}.xlsx"),
                sheet: "BaoCao".into(),
                ma_don_vi: Some(ma),
                ma_o: None,
                ten_don_vi: None,
                ky: None,
                rows: vec![row("TU"), row("MAU")],
                narrative: vec![],
                modified: None,
                luu_luc: None,
                ky_khop: None,
            });
        }
        let (c, _) = compile(reports, &reg, &catalogue(values[0].0));
        assert_eq!(c.indicators.len(), 4);
    }

    /// The largest figure intake accepts, with 28 significant digits.
    fn largest() -> Decimal {
        Decimal::from_str("999999999999999.9999999999999").unwrap()
    }

    #[test]
    fn a_thousand_units_at_the_largest_figure() {
        assert!(largest() < max_figure());
        let tiny = Decimal::new(1, 28);
        let v = vec![(largest(), -largest(), tiny); 1_000];
        run(&v, largest());
        let v = vec![(tiny, largest(), -tiny); 1_000];
        run(&v, tiny);
    }

    fn figure() -> impl Strategy<Value = Decimal> {
        (-999_999_999_999_999i64..=999_999_999_999_999, 0u32..=28)
            .prop_map(|(m, scale)| Decimal::new(m, scale))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_figures_in_range_compile(values in prop::collection::vec((figure(), figure(), figure()), 1..300), pop in figure()) {
            run(&values, pop);
        }
    }
}

/// Whole report folders run through the `baocao` binary, under an
/// address-space limit and a timeout (`prlimit`, `timeout`: Linux).
#[cfg(target_os = "linux")]
mod through_the_binary {
    use std::collections::BTreeMap;
    use std::io::{Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    use super::fixtures;

    /// Address space the binary may take: a hostile file that made the
    /// reader allocate gigabytes would abort under it.
    const MEMORY: &str = "--as=2147483648";

    /// `baocao ARGS` under `prlimit` and `timeout`, with two worker threads
    /// (each thread's malloc arena reserves address space).
    fn baocao(args: &[&str], dir: &Path) -> Output {
        let out = Command::new("prlimit")
            .arg(MEMORY)
            .args(["timeout", "120", env!("CARGO_BIN_EXE_baocao")])
            .args(args)
            .arg(dir)
            .env("RAYON_NUM_THREADS", "2")
            .output()
            .expect("prlimit and timeout (util-linux, coreutils) are needed");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "exit {code:?} (124: timeout; 134 or none: killed)\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.iter().any(|&b| b == 0x1b || b == b'\r' || b == 7),
                "a control character reached the terminal: {}",
                String::from_utf8_lossy(stream)
            );
        }
        out
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let t = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &t);
            } else {
                std::fs::copy(e.path(), t).unwrap();
            }
        }
    }

    fn sample() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
    }

    /// Every regular file under `root` but `ket-qua/`, with its bytes.
    fn inputs(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let ft = e.file_type().unwrap();
                let p = e.path();
                if ft.is_dir() && e.file_name() != "ket-qua" {
                    stack.push(p);
                } else if ft.is_file() {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    /// Each indicator's province figures from `check --json`.
    fn totals(root: &Path) -> serde_json::Value {
        let out = baocao(&["check", "--json"], root);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut t = serde_json::Map::new();
        for (code, ct) in v["context"]["chi_tieu"].as_object().unwrap() {
            let keep: serde_json::Map<String, serde_json::Value> = ct
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.as_str() != "theo_don_vi")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            t.insert(code.clone(), keep.into());
        }
        t.into()
    }

    /// The outputs are this run's and sound: DOCX parts well-formed XML,
    /// the PDF checked by qpdf, the XLSX read back.
    fn outputs_sound(root: &Path) {
        let out = root.join("ket-qua");
        for name in ["bao-cao.docx", "bao-cao.pdf", "tong-hop.xlsx"] {
            let bytes = std::fs::read(out.join(name)).unwrap();
            assert_ne!(bytes, b"OLD", "{name} is last run's");
        }
        let mut z =
            zip::ZipArchive::new(std::fs::File::open(out.join("bao-cao.docx")).unwrap()).unwrap();
        for i in 0..z.len() {
            let mut part = z.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            if !name.ends_with(".xml") {
                continue;
            }
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            let mut r = quick_xml::Reader::from_str(&text);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Text(t)) => {
                        let s: &str = t.as_ref();
                        assert!(
                            !s.chars().any(|c| c.is_control() && !"\t\n\r".contains(c)),
                            "{name}: a control character"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => panic!("{name} is not well-formed XML: {e}"),
                }
            }
        }
        let qpdf = Command::new("qpdf")
            .arg("--check")
            .arg(out.join("bao-cao.pdf"))
            .output()
            .expect("qpdf");
        assert!(
            qpdf.status.success(),
            "{}",
            String::from_utf8_lossy(&qpdf.stdout)
        );
        use calamine::Reader;
        let wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("tong-hop.xlsx")).unwrap();
        assert!(wb.sheet_names().iter().any(|n| n == "Chẩn đoán"));
    }

    fn stale_outputs(root: &Path) {
        let out = root.join("ket-qua");
        std::fs::create_dir_all(&out).unwrap();
        for name in ["bao-cao.docx", "bao-cao.pdf", "tong-hop.xlsx"] {
            std::fs::write(out.join(name), b"OLD").unwrap();
        }
    }

    #[test]
    fn hostile_workbooks_change_nothing_but_their_own_diagnostics() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("goc");
        copy_dir(&sample(), &base);
        let expected = totals(&base);

        let root = tmp.path().join("bao-cao");
        copy_dir(&sample(), &root);
        let units = root.join("don-vi");
        let hostile = fixtures().join("hostile/don-vi");
        let mut names = Vec::new();
        for e in std::fs::read_dir(&hostile).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), units.join(e.file_name())).unwrap();
            names.push(e.file_name().to_string_lossy().to_string());
        }
        // A name that would clear the screen and overwrite its own line.
        let sly = "\u{1b}[2J\rten-la.xlsx";
        std::fs::copy(hostile.join("xlsx-unique-count.xlsx"), units.join(sly)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            let fifo = units.join("Z.xlsx");
            let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
            assert!(made.success());
            symlink(".", units.join("vong-lap")).unwrap();
            symlink("/", units.join("goc-he-thong")).unwrap();
            symlink("..", units.join("len-tren")).unwrap();
        }
        stale_outputs(&root);
        let before = inputs(&root);

        let out = baocao(&["build"], &root);
        assert_eq!(out.status.code(), Some(1));
        let said = String::from_utf8_lossy(&out.stdout);
        for name in &names {
            assert!(
                said.contains(&format!("don-vi/{name}")),
                "{name} not named:\n{said}"
            );
        }
        assert!(
            said.contains("don-vi/\\u{1b}[2J\\u{d}ten-la.xlsx"),
            "{said}"
        );
        #[cfg(unix)]
        for (name, why) in [
            ("Z.xlsx", "không phải tệp thường"),
            ("vong-lap", "vòng lặp"),
            ("goc-he-thong", "nằm ngoài don-vi/"),
            ("len-tren", "nằm ngoài don-vi/"),
        ] {
            let line = said
                .lines()
                .find(|l| l.contains(&format!("don-vi/{name}:")))
                .unwrap_or_else(|| panic!("{name} not said:\n{said}"));
            assert!(line.contains(why), "{line}");
        }
        outputs_sound(&root);
        assert_eq!(totals(&root), expected, "the other units' totals changed");
        assert_eq!(inputs(&root), before, "an input changed");
    }

    /// An `.xlsx` of one sheet `BaoCao` written part by part, so that texts
    /// no Excel writer accepts (40,000 characters) can be put in it.
    fn raw_xlsx(rows: &[&[&str]]) -> Vec<u8> {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, v) in row.iter().enumerate() {
                let col = (b'A' + c as u8) as char;
                if v.parse::<f64>().is_ok() {
                    data.push_str(&format!("<c r=\"{col}{}\"><v>{v}</v></c>", r + 1));
                } else if !v.is_empty() {
                    data.push_str(&format!(
                        "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                        r + 1,
                        esc(v)
                    ));
                }
            }
            data.push_str("</row>");
        }
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="BaoCao" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#)),
        ];
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            for (name, text) in parts {
                z.start_file(name, opts).unwrap();
                z.write_all(text.as_bytes()).unwrap();
            }
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn control_characters_and_huge_texts_never_corrupt_the_documents() {
        use super::common::{folder, row, write_unit, C::*};
        let (_g, root) = folder();
        let settings = std::fs::read_to_string(root.join("baocao.toml")).unwrap();
        let settings = settings
            .replace("ban_hanh = \"SỞ Y TẾ\"", "ban_hanh = \"SỞ Y\\u0007 TẾ\"")
            .replacen("[bao_cao]", "[bao_cao]\nmau = \"/proc/self/environ\"", 1);
        std::fs::write(root.join("baocao.toml"), settings).unwrap();
        std::fs::write(
            root.join("noi-dung.md"),
            "## Tồn tại, hạn chế\n\nVăn phòng viết \u{1}có ký tự lạ.\n",
        )
        .unwrap();
        write_unit(
            &root.join("don-vi/bvdk.xlsx"),
            "BVDK",
            "Bệnh viện Đa khoa tỉnh",
            "6 tháng đầu năm 2024",
            &[row("KCB_LUOT", N(357037.0), N(167093.0), N(150000.0))],
            &[("TON_TAI", "Thiếu\u{7} bác sĩ \u{1b}[31mchuyên khoa")],
        )
        .unwrap();
        let long = "9".repeat(40_000);
        let name = "Đơn vị ".repeat(6_000);
        std::fs::write(
            root.join("don-vi/la.xlsx"),
            raw_xlsx(&[
                &[&format!("Tên đơn vị: {name}")],
                &["Mã đơn vị: DV_LA"],
                &["Kỳ báo cáo: 6 tháng đầu năm 2024"],
                &[],
                &[
                    "STT",
                    "Mã chỉ tiêu",
                    "Tên chỉ tiêu",
                    "Đơn vị tính",
                    "Kế hoạch năm",
                    "Thực hiện 6 tháng",
                    "Cùng kỳ năm trước",
                ],
                &[
                    "1",
                    "KCB_LUOT",
                    "Khám",
                    "lượt",
                    "5e28",
                    &long,
                    "12345678901234567890123456789",
                ],
            ]),
        )
        .unwrap();
        stale_outputs(&root);
        let before = inputs(&root);
        let out = baocao(&["build"], &root);
        let said = String::from_utf8_lossy(&out.stdout);
        // The unit's text lost its controls, and it is said where.
        assert!(
            said.contains("don-vi/bvdk.xlsx › NoiDung › B2: 1 ô chứa ký tự điều khiển"),
            "{said}"
        );
        // A template outside the folder is refused; the built-in one is used.
        assert!(
            said.contains("khóa bao_cao.mau chỉ đến /proc/self/environ"),
            "{said}"
        );
        assert!(said.contains("nằm ngoài thư mục báo cáo"), "{said}");
        // Figures too large to sum are errors at their cells.
        for cell in ["E6", "F6", "G6"] {
            assert!(
                said.lines()
                    .any(|l| l.contains(&format!("don-vi/la.xlsx › BaoCao › {cell}:"))),
                "nothing at {cell}:\n{said}"
            );
        }
        // The unit's 36,000-character name is in a message: cut in the
        // XLSX, and said.
        assert!(
            said.contains("đã được cắt bớt trong tong-hop.xlsx"),
            "{said}"
        );
        outputs_sound(&root);
        let pdf = Command::new("pdftotext")
            .arg(root.join("ket-qua/bao-cao.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8_lossy(&pdf.stdout);
        assert!(text.contains("Thiếu bác sĩ [31mchuyên khoa"), "{text}");
        assert!(text.contains("Văn phòng viết có ký tự lạ."), "{text}");
        assert!(text.contains("SỞ Y TẾ"), "{text}");
        assert!(!text.contains("PATH="), "the environment reached the PDF");
        assert_eq!(inputs(&root), before, "an input changed");
    }

    #[test]
    fn a_ten_megabyte_setting_is_refused_at_once() {
        let (_g, root) = super::common::folder();
        let settings = std::fs::read_to_string(root.join("baocao.toml")).unwrap();
        let huge = "Báo cáo ".repeat(1_300_000);
        std::fs::write(
            root.join("baocao.toml"),
            settings.replacen(
                "[van_ban]",
                &format!("[van_ban]\ntrich_yeu = \"{huge}\""),
                1,
            ),
        )
        .unwrap();
        let out = Command::new("prlimit")
            .arg(MEMORY)
            .args(["timeout", "20", env!("CARGO_BIN_EXE_baocao"), "build"])
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("baocao.toml: lớn hơn 1 MB"), "{err}");
    }

    #[test]
    fn outputs_never_go_into_don_vi_nor_over_an_input_and_stay_one_set() {
        use super::common::{folder, row, write_unit, C::*};
        let (_g, root) = folder();
        write_unit(
            &root.join("don-vi/tong-hop.xlsx"),
            "BVDK",
            "Bệnh viện Đa khoa tỉnh",
            "6 tháng đầu năm 2024",
            &[row("KCB_LUOT", N(357037.0), N(167093.0), N(150000.0))],
            &[],
        )
        .unwrap();
        let before = inputs(&root);
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_baocao"))
                .args(args)
                .arg(&root)
                .output()
                .unwrap()
        };
        // Into don-vi/ (where a unit's workbook is called tong-hop.xlsx).
        let units = root.join("don-vi");
        let out = run(&["build", "--out", units.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("nằm trong don-vi/"), "{err}");
        assert_eq!(inputs(&root), before, "don-vi/ was written to");
        // Over an input: the main template, asked to be written as Markdown.
        std::fs::create_dir_all(root.join("ket-qua")).unwrap();
        std::fs::write(root.join("ket-qua/bao-cao.md"), "# {{bao_cao.trich_yeu}}\n").unwrap();
        let settings = std::fs::read_to_string(root.join("baocao.toml")).unwrap();
        std::fs::write(
            root.join("baocao.toml"),
            settings.replacen("[bao_cao]", "[bao_cao]\nmau = \"ket-qua/bao-cao.md\"", 1),
        )
        .unwrap();
        let out = run(&["build", "--format", "md,docx"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("sẽ ghi đè lên tệp đầu vào"), "{err}");
        assert_eq!(
            std::fs::read_to_string(root.join("ket-qua/bao-cao.md")).unwrap(),
            "# {{bao_cao.trich_yeu}}\n"
        );
        assert!(
            !root.join("ket-qua/bao-cao.docx").exists(),
            "half a set written"
        );
        // One output that cannot be put in place: none is replaced.
        std::fs::write(root.join("baocao.toml"), &settings).unwrap();
        std::fs::remove_file(root.join("ket-qua/bao-cao.md")).unwrap();
        stale_outputs(&root);
        std::fs::remove_file(root.join("ket-qua/tong-hop.xlsx")).unwrap();
        std::fs::create_dir(root.join("ket-qua/tong-hop.xlsx")).unwrap();
        let out = run(&["build"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("không tệp kết quả nào được thay"), "{err}");
        for name in ["bao-cao.docx", "bao-cao.pdf"] {
            assert_eq!(
                std::fs::read(root.join("ket-qua").join(name)).unwrap(),
                b"OLD"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(root.join("ket-qua"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".baocao-"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}
