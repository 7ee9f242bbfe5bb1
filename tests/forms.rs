//! The units' forms (`baocao forms`) and their links (`baocao lien-ket`),
//! through the binary and real tools: openpyxl reads a form back
//! (protection, validation of every figure cell, locked rate rows, print
//! setup, the unit's link), and forms filled by openpyxl and by
//! LibreOffice itself (opened, typed into and saved headless through UNO)
//! check with no diagnostic at all.

use std::path::{Path, PathBuf};
use std::process::Command;

use baocao::intake::{read_unit, Expect, Value as Fig};
use serde_json::{json, Value};

fn baocao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
}

fn tool() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/form_tool.py")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A report folder with the sample's settings (a deadline and whom to ask
/// added) and catalogue, no unit workbook yet, links and forms made.
fn folder_with_forms() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bao-cao");
    std::fs::create_dir_all(dir.join("don-vi")).unwrap();
    std::fs::copy(sample().join("danh-muc.xlsx"), dir.join("danh-muc.xlsx")).unwrap();
    let settings = std::fs::read_to_string(sample().join("baocao.toml"))
        .unwrap()
        .replace(
            "linh_vuc = \"y tế\"",
            "linh_vuc = \"y tế\"\nhan_nop = 2099-07-05T17:00:00\nlien_he = \"Phòng Kế hoạch - Tài chính, 0251 3822 123\"",
        );
    std::fs::write(dir.join("baocao.toml"), settings).unwrap();
    run(baocao()
        .args(["lien-ket", "--url", "http://may-chu:8686"])
        .arg(&dir));
    run(baocao().arg("forms").arg(&dir));
    (tmp, dir)
}

/// The links `lien-ket-nop.xlsx` gives, by unit code.
fn links(dir: &Path) -> Vec<(String, String)> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.join("lien-ket-nop.xlsx")).unwrap();
    let range = wb.worksheet_range("LienKet").unwrap();
    range
        .rows()
        .skip(4)
        .map(|r| (r[1].to_string(), r[4].to_string()))
        .collect()
}

#[test]
fn the_form_guides_the_unit_as_openpyxl_reads_it() {
    let (_tmp, dir) = folder_with_forms();
    let form = dir.join("bieu-mau/BVDK.xlsx");
    let v: Value = serde_json::from_str(&run(Command::new("python3")
        .arg(tool())
        .arg("inspect")
        .arg(&form)))
    .unwrap();
    assert_eq!(v["sheets"], json!(["BaoCao", "NoiDung", "Hướng dẫn"]));
    // Protected without a password; NoiDung stays free to write in.
    assert_eq!(v["protected"], true);
    assert_eq!(v["password"], Value::Null);
    assert_eq!(v["noi_dung_protected"], false);
    assert_eq!(v["help_protected"], true);
    // The unit's own link in the header area, as a working hyperlink.
    let link = links(&dir)
        .into_iter()
        .find(|(m, _)| m == "BVDK")
        .unwrap()
        .1;
    assert!(link.starts_with("http://may-chu:8686/nop/"), "{link}");
    assert_eq!(v["link"]["target"], link.as_str());
    assert_eq!(
        v["link"]["text"],
        format!("Nộp báo cáo tại: {link}").as_str()
    );
    assert_eq!(v["help_link"], link.as_str());
    assert_eq!(v["top"][1], "Hạn nộp: 17:00 ngày 05/07/2099");
    assert_eq!(v["top"][3], "Mã đơn vị: BVDK");
    // Every indicator row: figure cells unlocked and validated, rate rows
    // shaded, marked and locked.
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 33, "every catalogue indicator");
    let rates = [
        "KCB_CONG_SUAT",
        "NL_BS_VAN_DAN",
        "NL_GIUONG_VAN_DAN",
        "TCMR_TY_LE",
        "ATTP_TY_LE_DAT",
        "SKSS_TL_SANG_LOC_SS",
        "SKSS_TL_SANG_LOC_TS",
        "BHYT_BAO_PHU",
        "TTHC_TY_LE",
    ];
    let mut expected_unlocked = Vec::new();
    for r in rows {
        let code = r["code"].as_str().unwrap();
        let n = r["row"].as_u64().unwrap();
        let c = &r["cells"];
        if rates.contains(&code) {
            for col in ["E", "F", "G", "H"] {
                assert_eq!(c[col]["locked"], true, "{code} {col}");
                assert_eq!(c[col]["fill"], "FFE7E6E6", "{code} {col} shaded");
                assert_eq!(c[col]["validation"], Value::Null, "{code} {col}");
            }
            assert_eq!(c["H"]["value"], "tự tính, không điền", "{code}");
            continue;
        }
        for col in ["E", "F", "G"] {
            let dv = &c[col]["validation"];
            assert_eq!(c[col]["locked"], false, "{code} {col}");
            assert_eq!(dv["type"], "custom", "{code} {col}: {dv}");
            let top = format!("E{n}");
            assert_eq!(
                dv["formula"],
                format!("OR({top}=\"-\",{top}=\"x\",AND(ISNUMBER({top}),{top}>=0))").as_str()
            );
            assert_eq!(dv["show_error"], true);
            assert_eq!(dv["show_prompt"], true);
            assert_eq!(dv["allow_blank"], true);
            assert!(dv["error_style"].is_null() || dv["error_style"] == "stop");
            assert_eq!(dv["error_title"], "Ô này chỉ nhận số");
            assert!(dv["error"].as_str().unwrap().contains("số không âm"));
            assert!(dv["prompt"].as_str().unwrap().contains("Để trống"));
            assert!(dv["prompt_title"]
                .as_str()
                .unwrap()
                .starts_with("Số liệu ("));
        }
        assert_eq!(c["H"]["locked"], false, "Ghi chú of {code}");
        for col in ["E", "F", "G", "H"] {
            expected_unlocked.push(format!("{col}{n}"));
        }
    }
    // Nothing else unlocked but the two names under the signatures.
    let unlocked: Vec<String> = v["unlocked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    let extra: Vec<&String> = unlocked
        .iter()
        .filter(|c| !expected_unlocked.contains(c))
        .collect();
    assert_eq!(extra.len(), 2, "{extra:?}");
    assert!(extra
        .iter()
        .all(|c| c.starts_with('C') || c.starts_with('F')));
    assert_eq!(unlocked.len(), expected_unlocked.len() + 2);
    // A4 landscape, one page wide, the header row on every page.
    let p = &v["print"];
    assert_eq!(p["orientation"], "landscape");
    assert_eq!(p["paper_size"], 9);
    assert_eq!(p["fit_to_page"], true);
    assert!(p["fit_to_width"].is_null() || p["fit_to_width"] == 1, "{p}");
    assert_eq!(p["fit_to_height"], 0);
    assert_eq!(p["title_rows"], "$7:$7");
    // NoiDung: the section chosen from the list beside it.
    assert_eq!(v["noi_dung_validations"][0]["type"], "list");
    let list = v["noi_dung_list"].as_array().unwrap();
    assert!(list.contains(&json!("Khám, chữa bệnh")));
    assert!(list.contains(&json!("Tồn tại, hạn chế")));
    // The instructions, in plain Vietnamese.
    let help = v["help"].to_string();
    for words in [
        "HƯỚNG DẪN ĐIỀN VÀ GỬI BIỂU MẪU",
        "Để trống khi đơn vị không báo cáo",
        "tự tính, không điền",
        "Kéo thả tệp",
        "Hạn nộp: 17:00 ngày 05/07/2099",
        "Phòng Kế hoạch - Tài chính, 0251 3822 123",
    ] {
        assert!(help.contains(words), "{words} in {help}");
    }
}

/// An indicator's plan, result and same period as typed.
type Typed = Vec<(String, [Option<f64>; 3])>;

/// The figures a real sample unit reported, as the form takes them.
fn figures_of(workbook: &str) -> (Value, Typed) {
    let (_, cat, _) = baocao::catalog::read_danh_muc(
        std::fs::read(sample().join("danh-muc.xlsx")).unwrap(),
        "danh-muc.xlsx",
    );
    let (rep, _) = read_unit(
        std::fs::read(sample().join("don-vi").join(workbook)).unwrap(),
        workbook,
        Expect {
            catalogue: &cat,
            period: (baocao::settings::Loai::SoKet6Thang, 2024, None),
        },
    );
    let rep = rep.unwrap();
    let mut map = serde_json::Map::new();
    let mut typed = Vec::new();
    for r in &rep.rows {
        let ct = cat.indicators.iter().find(|c| c.ma == r.ma).unwrap();
        if matches!(ct.cach, baocao::catalog::CachTongHop::TyLe { .. }) {
            continue; // computed: the form has no cell for it
        }
        let one = |f: &Fig| match f {
            Fig::Number(d) => json!(d.to_string().parse::<f64>().unwrap()),
            Fig::NotApplicable => json!("-"),
            Fig::Missing => Value::Null,
        };
        let num = |f: &Fig| f.number().map(|d| d.to_string().parse::<f64>().unwrap());
        map.insert(
            r.ma.clone(),
            json!([
                one(&r.ke_hoach.value),
                one(&r.thuc_hien.value),
                one(&r.cung_ky.value)
            ]),
        );
        typed.push((
            r.ma.clone(),
            [
                num(&r.ke_hoach.value),
                num(&r.thuc_hien.value),
                num(&r.cung_ky.value),
            ],
        ));
    }
    let values = json!({
        "figures": map,
        "noi_dung": [
            ["Khám, chữa bệnh", "Đơn vị duy trì khám, chữa bệnh ngoài giờ."],
            ["Tồn tại, hạn chế", "Thiếu bác sĩ chuyên khoa."],
        ],
        "names": ["Nguyễn Thị Lập", "Trần Văn Trưởng"],
    });
    (values, typed)
}

/// A Python that has LibreOffice's `uno` module (Debian's python3-uno
/// installs it for the system's Python).
fn python_with_uno() -> String {
    for p in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(p)
            .args(["-c", "import uno"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return p.to_string();
        }
    }
    panic!("no python3 with LibreOffice's uno module (Debian package python3-uno)");
}

#[test]
fn forms_filled_by_openpyxl_and_by_libreoffice_check_clean() {
    let (tmp, dir) = folder_with_forms();
    let fill = |unit: &str, sample_file: &str, how: &str, python: &str| {
        let (values, typed) = figures_of(sample_file);
        let vfile = tmp.path().join(format!("{unit}.json"));
        std::fs::write(&vfile, values.to_string()).unwrap();
        let out = dir.join("don-vi").join(format!("{unit}-{how}.xlsx"));
        run(Command::new(python)
            .arg(tool())
            .arg(format!("fill-{how}"))
            .arg(dir.join("bieu-mau").join(format!("{unit}.xlsx")))
            .arg(&vfile)
            .arg(&out));
        assert!(out.is_file(), "{how} wrote {out:?}");
        typed
    };
    let bvdk = fill("BVDK", "BVDK_6thang2024.xlsx", "openpyxl", "python3");
    let cdc = fill(
        "CDC",
        "cdc_BC6T_2024.xlsx",
        "libreoffice",
        &python_with_uno(),
    );
    let out = baocao()
        .args(["check", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The office has written no noi-dung.md here: the sections it would
    // print as placeholders are warned about there, not in the forms.
    let about_forms: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] != "noi-dung.md")
        .collect();
    assert!(
        about_forms.is_empty(),
        "no diagnostic at all: {about_forms:?}"
    );
    // LibreOffice really wrote the second one.
    let lo = std::fs::File::open(dir.join("don-vi/CDC-libreoffice.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(lo).unwrap();
    let mut app = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/app.xml").unwrap(), &mut app).unwrap();
    assert!(app.contains("LibreOffice"), "{app}");
    // And kept the protection, the validation and the print setup.
    let kept: Value = serde_json::from_str(&run(Command::new("python3")
        .arg(tool())
        .arg("inspect")
        .arg(dir.join("don-vi/CDC-libreoffice.xlsx"))))
    .unwrap();
    assert_eq!(kept["protected"], true);
    assert_eq!(
        kept["rows"][0]["cells"]["F"]["validation"]["type"],
        "custom"
    );
    assert_eq!(kept["rows"][0]["cells"]["F"]["locked"], false);
    assert_eq!(kept["print"]["orientation"], "landscape");
    assert_eq!(kept["print"]["title_rows"], "$7:$7");
    assert_eq!(out.status.code(), Some(0));
    // Every figure typed is read, at its unit, from its own file.
    let mut seen = 0;
    for (unit, how, typed) in [("BVDK", "openpyxl", &bvdk), ("CDC", "libreoffice", &cdc)] {
        let file = format!("don-vi/{unit}-{how}.xlsx");
        for (ma, [kh, th, ck]) in typed.iter() {
            let per_unit = &v["context"]["chi_tieu"][ma]["theo_don_vi"];
            let Some(u) = per_unit
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["ma"] == unit)
            else {
                assert!(th.is_none() && kh.is_none() && ck.is_none(), "{unit} {ma}");
                continue;
            };
            assert!(
                u["nguon"].as_str().unwrap().starts_with(&file),
                "{}",
                u["nguon"]
            );
            for (got, want) in [
                (&u["ke_hoach"], kh),
                (&u["gia_tri"], th),
                (&u["cung_ky"], ck),
            ] {
                assert_eq!(got.as_f64(), *want, "{unit} {ma}");
                seen += 1;
            }
        }
    }
    assert!(seen > 40, "{seen} figures compared");
    // The narrative typed into NoiDung reaches the report's context.
    let texts = v["context"]["noi_dung"].to_string();
    assert!(texts.contains("Thiếu bác sĩ chuyên khoa."), "{texts}");
}

#[test]
fn links_are_kept_across_runs_and_renewed_when_asked() {
    let (_tmp, dir) = folder_with_forms();
    let first = links(&dir);
    assert_eq!(first.len(), 18);
    let store = std::fs::read_to_string(dir.join(".baocao/lien-ket.toml")).unwrap();
    for (ma, link) in &first {
        let token = link.rsplit('/').next().unwrap();
        assert_eq!(token.len(), 32, "128-bit token for {ma}: {link}");
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!store.contains(token), "the folder keeps no token");
    }
    let tokens: std::collections::HashSet<&str> = first.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(tokens.len(), 18, "every unit its own link");
    // Again: the same links.
    run(baocao().arg("lien-ket").arg(&dir));
    assert_eq!(links(&dir), first);
    // One unit renewed: only its link changes.
    let said = run(baocao().args(["lien-ket", "--moi=CDC"]).arg(&dir));
    assert!(said.contains("Liên kết mới: 1 đơn vị (CDC)"), "{said}");
    let second = links(&dir);
    for ((ma, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a == b, ma != "CDC", "{ma}");
    }
    // A new address: the same tokens under it.
    run(baocao()
        .args(["lien-ket", "--url", "http://10.0.0.5:9000/"])
        .arg(&dir));
    let third = links(&dir);
    for ((_, a), (_, b)) in second.iter().zip(&third) {
        assert_eq!(a.rsplit('/').next(), b.rsplit('/').next());
        assert!(b.starts_with("http://10.0.0.5:9000/nop/"), "{b}");
    }
    // Lost the workbook: the links still work but cannot be listed, and
    // the forms say so rather than carry a wrong link.
    std::fs::remove_file(dir.join("lien-ket-nop.xlsx")).unwrap();
    let said = run(baocao().arg("lien-ket").arg(&dir));
    assert!(said.contains("không còn trong lien-ket-nop.xlsx"), "{said}");
    let out = baocao().arg("forms").arg(&dir).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("không kèm liên kết"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // All renewed: every link new.
    run(baocao().args(["lien-ket", "--moi"]).arg(&dir));
    let fourth = links(&dir);
    assert_eq!(fourth.len(), 18);
    for ((_, a), (_, b)) in third.iter().zip(&fourth) {
        assert_ne!(a.rsplit('/').next(), b.rsplit('/').next());
    }
    // A bad address is refused, naming the form it needs.
    let out = baocao()
        .args(["lien-ket", "--url", "may-chu:8686"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("http://may-chu:8686"));
}
