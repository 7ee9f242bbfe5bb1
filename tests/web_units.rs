//! The units' own pages (`/nop/<token>`) over HTTP, on the real server and
//! a copy of the sample folder with links made by `baocao lien-ket`: a unit
//! sends its workbook and sees its own diagnostics; another unit's workbook
//! is refused; a wrong link is 404 and slowed down; two sends keep two
//! versions and the newer counts; the lock refuses; late sends are marked
//! for the office. A unit's page never shows another unit.

mod common;
mod web_support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{row, write_unit, C::*};
use serde_json::Value;
use web_support::*;

fn baocao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

/// The sample folder with a deadline and whom to ask, links made, and the
/// office's own copies of `remove` taken out of `don-vi/`. The tokens by
/// unit code.
fn setup(
    han_nop: &str,
    remove: &[&str],
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    HashMap<String, String>,
) {
    let (tmp, dir) = sample_copy();
    let settings = std::fs::read_to_string(dir.join("baocao.toml")).unwrap().replace(
        "linh_vuc = \"y tế\"",
        &format!("linh_vuc = \"y tế\"\nhan_nop = {han_nop}\nlien_he = \"Phòng Kế hoạch - Tài chính, 0251 3822 123\""),
    );
    std::fs::write(dir.join("baocao.toml"), settings).unwrap();
    for f in remove {
        std::fs::remove_file(dir.join("don-vi").join(f)).unwrap();
    }
    let out = baocao()
        .args(["lien-ket", "--url", "http://may-chu:8686"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.join("lien-ket-nop.xlsx")).unwrap();
    let range = wb.worksheet_range("LienKet").unwrap();
    let tokens = range
        .rows()
        .skip(4)
        .map(|r| {
            let link = r[4].to_string();
            (
                r[1].to_string(),
                link.rsplit('/').next().unwrap().to_string(),
            )
        })
        .collect();
    (tmp, dir, tokens)
}

/// The page token a unit's page carries.
fn page_token(page: &str) -> String {
    let needle = r#"<meta name="baocao-token" content=""#;
    let at = page.find(needle).expect("token meta");
    let rest = &page[at + needle.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// `POST /nop/<token>/tep` with the page's token and the files.
fn send(s: &Server, token: &str, page: &str, files: &[(&str, &[u8])]) -> Resp {
    let (kind, body) = multipart(files);
    http(
        &s.addr,
        "POST",
        &format!("/nop/{token}/tep"),
        &[("Content-Type", &kind), ("X-Baocao-Token", page)],
        &body,
    )
}

fn sample_file(name: &str) -> Vec<u8> {
    std::fs::read(sample().join("don-vi").join(name)).unwrap()
}

/// Names and codes of the registry, from the status.
fn registry(s: &Server) -> Vec<(String, String)> {
    s.get("/api/trang-thai").json()["don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["ma"].as_str().unwrap().to_string(),
                u["ten"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Nothing of any unit but `ma` on a page: no other name, no other code,
/// no file of the folder but the unit's own versions.
fn shows_only(page: &str, ma: &str, units: &[(String, String)], dir: &Path) {
    for (m, t) in units {
        if m != ma {
            assert!(!page.contains(t.as_str()), "{t} on {ma}'s page");
            assert!(!page.contains(&format!(">{m}<")), "{m} on {ma}'s page");
        }
    }
    for f in files_under(&dir.join("don-vi")) {
        if !f.starts_with(&format!("{ma}/")) {
            let name = f.rsplit('/').next().unwrap();
            assert!(!page.contains(name), "{f} on {ma}'s page");
        }
    }
}

#[test]
fn a_unit_sends_its_file_and_sees_its_own_diagnostics() {
    let song_may = "ttyt_song_may_BC6T_2024.xlsx";
    let (_tmp, dir, tokens) = setup("2099-07-05T17:00:00", &[song_may]);
    let s = serve(&dir);
    let units = registry(&s);
    let token = &tokens["TTYT_SONG_MAY"];
    let r = s.get(&format!("/nop/{token}"));
    assert_eq!(r.status, 200);
    let page = r.text();
    assert!(page.contains("Trung tâm Y tế huyện Sông Mây"));
    assert!(page.contains("6 tháng đầu năm 2024"));
    assert!(page.contains("17:00 ngày 05/07/2099"));
    assert!(page.contains("Chưa có lần gửi nào"), "nothing sent yet");
    shows_only(&page, "TTYT_SONG_MAY", &units, &dir);

    let bytes = sample_file(song_may);
    let r = send(&s, token, &page_token(&page), &[(song_may, &bytes)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    let at = j["tep"]["luu_tai"].as_str().unwrap();
    assert!(at.starts_with("don-vi/TTYT_SONG_MAY/"), "{at}");
    assert!(at.ends_with(&format!("_{song_may}")), "{at}");
    assert_eq!(
        std::fs::read(dir.join(at)).unwrap(),
        bytes,
        "stored as sent"
    );
    assert_eq!(j["tep"]["muon"], false);
    // Its own diagnostic, where to fix it: sheet › cell.
    let diags = j["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["sheet"], "BaoCao");
    assert_eq!(diags[0]["cell"], "F28");
    assert!(diags[0]["message"].as_str().unwrap().contains("COVID-19"));
    assert_eq!(j["ket_qua"]["chan_doan"][0]["vi_tri"], "BaoCao › F28");
    assert_eq!(j["lich_su"].as_array().unwrap().len(), 1);
    // The page shows the result and the history when the unit comes back.
    let page = s.get(&format!("/nop/{token}")).text();
    assert!(page.contains("BaoCao › F28"), "{page}");
    assert!(page.contains(song_may));
    assert!(page.contains("Bản đang dùng"));
    shows_only(&page, "TTYT_SONG_MAY", &units, &dir);
    // The office sees it as the unit's workbook, with the time it came.
    let st = s.get("/api/trang-thai").json();
    let u = st["don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "TTYT_SONG_MAY")
        .unwrap()
        .clone();
    assert_eq!(u["tep"], at);
    assert_eq!(u["trang_thai"], "co_canh_bao");
    assert_eq!(u["nop_muon"], false);
    assert_eq!(u["phien_ban"][0]["tep"], at);
    assert_eq!(u["nop_luc"], j["tep"]["nhan_luc"]);
}

#[test]
fn another_units_workbook_and_non_workbooks_are_refused_and_not_stored() {
    let (_tmp, dir, tokens) = setup("2099-07-05", &[]);
    let s = serve(&dir);
    let token = &tokens["BVPHOI"];
    let page = page_token(&s.get(&format!("/nop/{token}")).text());
    let before = files_under(&dir);
    // CDC's workbook through the Bệnh viện Phổi's link.
    let cdc = sample_file("cdc_BC6T_2024.xlsx");
    let r = send(&s, token, &page, &[("cdc_BC6T_2024.xlsx", &cdc)]);
    assert_eq!(r.status, 422, "{}", r.text());
    let why = r.json()["loi"].as_str().unwrap().to_string();
    assert!(why.contains("Mã đơn vị: CDC"), "{why}");
    assert!(why.contains("Bệnh viện Phổi"), "{why}");
    assert!(
        !why.contains("Trung tâm Kiểm soát bệnh tật"),
        "no other unit's name: {why}"
    );
    // A code nobody has.
    let tmp = tempfile::tempdir().unwrap();
    let stranger = tmp.path().join("la.xlsx");
    write_unit(
        &stranger,
        "PK_LA",
        "Phòng khám lạ",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", E, N(10.0), E)],
        &[],
    )
    .unwrap();
    let r = send(
        &s,
        token,
        &page,
        &[("la.xlsx", &std::fs::read(&stranger).unwrap())],
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["loi"].as_str().unwrap().contains("PK_LA"));
    // Not a spreadsheet, and two files at once.
    let r = send(
        &s,
        token,
        &page,
        &[("ghi-chu.xlsx", b"ghi chu cua van thu")],
    );
    assert_eq!(r.status, 415);
    assert!(r.json()["loi"]
        .as_str()
        .unwrap()
        .contains("không phải tệp bảng tính"));
    let own = sample_file("cdc_BC6T_2024.xlsx");
    let r = send(&s, token, &page, &[("a.xlsx", &own), ("b.xlsx", &own)]);
    assert_eq!(r.status, 400);
    assert!(r.json()["loi"].as_str().unwrap().contains("một bảng tính"));
    assert_eq!(files_under(&dir), before, "nothing stored");
}

#[test]
fn wrong_links_are_404_slowed_down_and_guarded() {
    let (_tmp, dir, tokens) = setup("2099-07-05", &[]);
    let s = serve(&dir);
    let before = files_under(&dir);
    let token = &tokens["BVDK"];
    let page = page_token(&s.get(&format!("/nop/{token}")).text());
    // A valid token with a wrong Host or without the page's token changes nothing.
    let bytes = sample_file("BVDK_6thang2024.xlsx");
    let (kind, body) = multipart(&[("BVDK_6thang2024.xlsx", &bytes)]);
    let path = format!("/nop/{token}/tep");
    let r = http(&s.addr, "POST", &path, &[("Content-Type", &kind)], &body);
    assert_eq!(r.status, 403);
    let r = http(
        &s.addr,
        "POST",
        &path,
        &[
            ("Content-Type", &kind),
            ("X-Baocao-Token", &page),
            ("Host", "evil.example:8686"),
        ],
        &body,
    );
    assert_eq!(r.status, 403);
    // Unknown tokens: 404, whatever their shape, and a POST stores nothing.
    let other = "0123456789abcdef0123456789abcdef";
    for p in [
        format!("/nop/{other}"),
        format!("/nop/{}", token.to_uppercase()),
    ] {
        let r = s.get(&p);
        assert_eq!(r.status, 404, "{p}");
        assert!(r.text().contains("Liên kết không đúng"), "{p}");
    }
    let r = send(&s, other, &page, &[("BVDK_6thang2024.xlsx", &bytes)]);
    assert_eq!(r.status, 404);
    assert_eq!(files_under(&dir), before, "nothing stored");
    // Three misses from this address so far: the next answer waits 1.5 s.
    let start = Instant::now();
    assert_eq!(s.get("/nop/ngan").status, 404);
    assert!(
        start.elapsed() >= Duration::from_millis(1400),
        "slowed: {:?}",
        start.elapsed()
    );
}

#[test]
fn two_sends_keep_two_versions_and_the_newer_counts() {
    let (tmp, dir, tokens) = setup("2099-07-05", &[]);
    let s = serve(&dir);
    let token = &tokens["BVPHOI"];
    let page = page_token(&s.get(&format!("/nop/{token}")).text());
    let version = |luot: f64| {
        let p = tmp.path().join(format!("phoi-{luot}.xlsx"));
        write_unit(
            &p,
            "BVPHOI",
            "Bệnh viện Phổi",
            "6 tháng đầu năm 2024",
            &[row("KCB_LUOT", N(100_000.0), N(luot), N(40_000.0))],
            &[],
        )
        .unwrap();
        std::fs::read(p).unwrap()
    };
    let first = send(&s, token, &page, &[("BC 6 thang.xlsx", &version(45_000.0))]);
    assert_eq!(first.status, 200, "{}", first.text());
    let second = send(&s, token, &page, &[("BC 6 thang.xlsx", &version(47_250.0))]);
    assert_eq!(second.status, 200, "{}", second.text());
    let (a, b) = (
        first.json()["tep"]["luu_tai"].as_str().unwrap().to_string(),
        second.json()["tep"]["luu_tai"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    assert!(a < b, "names sort in the order received: {a} {b}");
    let kept = files_under(&dir.join("don-vi/BVPHOI"));
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(second.json()["lich_su"].as_array().unwrap().len(), 2);
    // The newer one is compiled; the older is listed, quietly.
    let out = baocao()
        .args(["check", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let figure = v["context"]["chi_tieu"]["KCB_LUOT"]["theo_don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "BVPHOI")
        .unwrap()
        .clone();
    assert_eq!(figure["gia_tri"], 47250);
    assert!(figure["nguon"].as_str().unwrap().starts_with(&b));
    let unit = v["don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "BVPHOI")
        .unwrap()
        .clone();
    assert_eq!(unit["tep"], b.as_str());
    assert_eq!(unit["phien_ban"][0]["tep"], b.as_str());
    assert_eq!(unit["phien_ban"][1]["tep"], a.as_str());
    let about_older: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d.to_string().contains(&a) || d.to_string().contains("BVPHOI/"))
        .collect();
    assert!(about_older.is_empty(), "{about_older:?}");
    let page = s.get(&format!("/nop/{token}")).text();
    assert!(page.contains("Bản đang dùng"));
    assert_eq!(
        page.matches("BC 6 thang.xlsx").count(),
        2,
        "both versions listed"
    );
}

#[test]
fn after_the_lock_a_send_is_refused_with_whom_to_contact() {
    let (_tmp, dir, tokens) = setup("2099-07-05", &["bvsn_BC6T_2024.xlsx"]);
    let s = serve(&dir);
    let token = &tokens["BVSN"];
    let page = page_token(&s.get(&format!("/nop/{token}")).text());
    let bytes = sample_file("bvsn_BC6T_2024.xlsx");
    let office = s.token();
    // The office page's lock.
    let r = http(
        &s.addr,
        "POST",
        "/api/khoa",
        &[
            ("Content-Type", "application/json"),
            ("X-Baocao-Token", &office),
        ],
        br#"{"khoa": true}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["khoa"], true);
    assert!(dir.join(".baocao/khoa.toml").is_file());
    assert_eq!(s.get("/api/trang-thai").json()["khoa"]["khoa"], true);
    let before = files_under(&dir);
    let r = send(&s, token, &page, &[("bvsn.xlsx", &bytes)]);
    assert_eq!(r.status, 423);
    let why = r.json()["loi"].as_str().unwrap().to_string();
    assert!(why.contains("khóa sổ"), "{why}");
    assert!(
        why.contains("Sở Y tế (Phòng Kế hoạch - Tài chính, 0251 3822 123)"),
        "{why}"
    );
    assert_eq!(files_under(&dir), before, "nothing stored");
    let shown = s.get(&format!("/nop/{token}")).text();
    assert!(shown.contains("đã khóa sổ"), "the page says so");
    assert!(shown.contains(
        "type=\"file\" id=\"chon-tep\" name=\"tep\" accept=\".xlsx,.xlsm,.xls,.ods\" disabled"
    ));
    // Opened again from the command line, locked again from it.
    let out = baocao().arg("mo-khoa").arg(&dir).output().unwrap();
    assert!(out.status.success());
    let r = send(&s, token, &page, &[("bvsn.xlsx", &bytes)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let out = baocao().arg("khoa").arg(&dir).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã khóa sổ"));
    assert_eq!(send(&s, token, &page, &[("bvsn.xlsx", &bytes)]).status, 423);
    let out = baocao().arg("check").arg(&dir).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã khóa sổ"));
}

#[test]
fn late_sends_are_marked_for_the_office() {
    // A deadline long past: whatever comes now is late.
    let (_tmp, dir, tokens) = setup("2024-07-05", &["cdc_BC6T_2024.xlsx"]);
    let s = serve(&dir);
    let token = &tokens["CDC"];
    let page = page_token(&s.get(&format!("/nop/{token}")).text());
    let r = send(
        &s,
        token,
        &page,
        &[("cdc.xlsx", &sample_file("cdc_BC6T_2024.xlsx"))],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["tep"]["muon"], true);
    assert!(s.get(&format!("/nop/{token}")).text().contains("Nộp muộn"));
    // The office's status and page.
    let st = s.get("/api/trang-thai").json();
    assert_eq!(st["han_nop"], "ngày 05/07/2024");
    for u in st["don_vi"].as_array().unwrap() {
        assert_eq!(u["nop_muon"], u["ma"] == "CDC", "{}", u["ma"]);
    }
    let office = s.get("/").text();
    let row_start = office.find(r#"data-ma="CDC""#).unwrap();
    let row = &office[row_start..row_start + office[row_start..].find("</tr>").unwrap()];
    assert!(row.contains("Nộp muộn"), "{row}");
    assert!(office.contains(r#"<span id="so-muon">1</span>"#));
    // check, as text and as JSON.
    let out = baocao().arg("check").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("CDC "))
        .unwrap();
    assert!(line.contains("NỘP MUỘN"), "{line}");
    assert!(
        text.contains("Hạn nộp: ngày 05/07/2024; 1 đơn vị nộp muộn"),
        "{text}"
    );
    let out = baocao()
        .args(["check", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cdc = v["don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == "CDC")
        .unwrap()
        .clone();
    assert_eq!(cdc["nop_muon"], true);
    assert_eq!(cdc["phien_ban"][0]["muon"], true);
}

#[test]
fn on_the_office_network_units_need_no_password_and_their_links_host_is_ours() {
    let (_tmp, dir, tokens) = setup("2099-07-05", &["vpsyt_BC6T_2024.xlsx"]);
    let s = start(
        &[dir.to_str().unwrap(), "--listen", "0.0.0.0:0"],
        &[("BAOCAO_MAT_KHAU", "mật khẩu văn phòng")],
        None,
    )
    .unwrap();
    // The office page asks for the password; the unit's page does not.
    let office = s.get("/");
    assert_eq!(office.status, 303, "{}", office.text());
    assert_eq!(s.get("/api/trang-thai").status, 401);
    let token = &tokens["VPSYT"];
    // Reached by the name in the links (`--url http://may-chu:8686`).
    let host = format!("may-chu:{}", s.port);
    let r = http(
        &s.addr,
        "GET",
        &format!("/nop/{token}"),
        &[("Host", &host)],
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let page = page_token(&r.text());
    let bytes = sample_file("vpsyt_BC6T_2024.xlsx");
    let (kind, body) = multipart(&[("vpsyt.xlsx", &bytes)]);
    let r = http(
        &s.addr,
        "POST",
        &format!("/nop/{token}/tep"),
        &[
            ("Content-Type", &kind),
            ("X-Baocao-Token", &page),
            ("Host", &host),
        ],
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The unit's link does not open the office's API.
    let r = http(
        &s.addr,
        "POST",
        "/api/khoa",
        &[("X-Baocao-Token", &page), ("Host", &host)],
        br#"{"khoa": true}"#,
    );
    assert_eq!(r.status, 401);
    assert!(!dir.join(".baocao/khoa.toml").exists());
}

#[test]
fn a_folder_the_office_broke_says_so_without_its_details() {
    let (_tmp, dir, tokens) = setup("2099-07-05", &[]);
    let s = serve(&dir);
    let token = &tokens["BVDK"];
    assert_eq!(s.get(&format!("/nop/{token}")).status, 200);
    std::fs::write(dir.join("baocao.toml"), "[bao_cao]\nloai = \"sai\"\n").unwrap();
    let r = s.get(&format!("/nop/{token}"));
    assert_eq!(r.status, 503);
    let said = r.json()["loi"].as_str().unwrap().to_string();
    assert!(said.contains("tạm thời chưa dùng được"), "{said}");
    assert!(
        !said.contains("baocao.toml"),
        "the office's details stay with the office: {said}"
    );
}
