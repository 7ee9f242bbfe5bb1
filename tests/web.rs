//! `baocao serve` over HTTP: the real server on a free port, a copy of the
//! sample folder, and every refusal of the contract (`web.md`): no token,
//! a foreign `Host`, a file over the limit, a non-spreadsheet, a traversal
//! name, a password required off loopback. Each refusal changes nothing.

mod web_support;

use std::path::Path;

use serde_json::Value;
use web_support::*;

/// A real unit workbook of the sample (Trung tâm Y tế Sông Mây).
const WORKBOOK: &str = "don-vi/ttyt_song_may_BC6T_2024.xlsx";

fn workbook() -> Vec<u8> {
    std::fs::read(sample().join(WORKBOOK)).unwrap()
}

#[test]
fn the_status_follows_the_contract() {
    let (_tmp, dir) = sample_copy();
    let s = serve(&dir);
    let r = s.get("/api/trang-thai");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let j = r.json();
    assert_eq!(j["tong"]["du_kien"], 18);
    assert_eq!(j["tong"]["da_nop"], 16);
    assert!(j["bao_cao"]["trich_yeu"]
        .as_str()
        .unwrap()
        .contains("6 tháng"));
    let units = j["don_vi"].as_array().unwrap();
    assert_eq!(units.len(), 18);
    for u in units {
        for k in ["ma", "ten", "tuyen", "trang_thai", "tep", "nop_luc"] {
            assert!(u.get(k).is_some(), "{k} in {u}");
        }
        let st = u["trang_thai"].as_str().unwrap();
        assert!(
            ["da_nop", "co_canh_bao", "co_loi", "thieu"].contains(&st),
            "{st}"
        );
        assert_eq!(st == "thieu", u["tep"].is_null(), "{u}");
        assert_eq!(u["tep"].is_null(), u["nop_luc"].is_null(), "{u}");
    }
    let missing: Vec<&str> = units
        .iter()
        .filter(|u| u["trang_thai"] == "thieu")
        .map(|u| u["ma"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["BVPHOI", "TYT_PHU_HOA"]);
    // Diagnostics as `check --json` gives them.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["check", dir.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(j["diagnostics"], cli["diagnostics"]);
    // The page itself, in Vietnamese, with every unit.
    let page = s.get("/").text();
    assert!(page.contains(r#"<html lang="vi">"#));
    assert!(page.contains("Bệnh viện Phổi"));
    assert!(page.contains("Chưa nộp"));
    let fp = s.get("/api/dau-van").json();
    assert_eq!(fp["dau"].as_str().unwrap().len(), 32);
}

#[test]
fn a_post_without_the_token_is_refused_and_changes_nothing() {
    let (_tmp, dir) = sample_copy();
    let s = serve(&dir);
    let before = files_under(&dir);
    let token = s.token();
    let (kind, body) = multipart(&[("moi.xlsx", &workbook())]);
    for headers in [
        vec![("Content-Type", kind.as_str())],
        vec![("Content-Type", kind.as_str()), ("X-Baocao-Token", "sai")],
        vec![("Content-Type", kind.as_str()), ("X-Baocao-Token", "")],
    ] {
        let r = http(&s.addr, "POST", "/api/tep", &headers, &body);
        assert_eq!(r.status, 403, "{}", r.text());
        assert!(r.json()["loi"].as_str().unwrap().contains("X-Baocao-Token"));
    }
    let r = http(&s.addr, "POST", "/api/bao-cao", &[], b"{}");
    assert_eq!(r.status, 403);
    let r = http(
        &s.addr,
        "POST",
        "/api/bao-cao",
        &[("X-Baocao-Token", &token[..63])],
        b"{}",
    );
    assert_eq!(r.status, 403, "a token one digit short");
    assert_eq!(files_under(&dir), before, "nothing written");
    assert!(!dir.join("ket-qua").exists());
}

#[test]
fn a_foreign_host_is_refused() {
    let (_tmp, dir) = sample_copy();
    let s = serve(&dir);
    let token = s.token();
    let before = files_under(&dir);
    let port = s.port;
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("192.168.1.20:{port}"),
    ] {
        let r = http(
            &s.addr,
            "POST",
            "/api/bao-cao",
            &[("Host", &host), ("X-Baocao-Token", &token)],
            b"{}",
        );
        assert_eq!(r.status, 403, "{host}");
        assert!(r.text().contains("địa chỉ không đúng"), "{}", r.text());
        // Reading is refused too: a rebound name must not see the folder.
        let r = http(&s.addr, "GET", "/api/trang-thai", &[("Host", &host)], &[]);
        assert_eq!(r.status, 403, "{host}");
        let r = http(&s.addr, "GET", "/", &[("Host", &host)], &[]);
        assert_eq!(r.status, 403, "{host}");
        assert!(!r.text().contains(&token));
    }
    assert_eq!(files_under(&dir), before);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let r = http(&s.addr, "GET", "/api/dau-van", &[("Host", &host)], &[]);
        assert_eq!(r.status, 200, "{host}");
    }
}

#[test]
fn uploads_are_bounded_checked_by_content_and_never_overwrite() {
    let (tmp, dir) = sample_copy();
    let s = serve(&dir);
    let token = s.token();
    let before = files_under(&dir);

    // Over 20 MB: refused, not stored.
    let big = vec![b'P'; 20 * 1024 * 1024 + 1];
    let r = upload(&s, &token, &[("lon.xlsx", &big)]);
    assert_eq!(r.status, 413, "{}", r.text());
    let j = r.json();
    assert!(
        j["tep"][0]["loi"].as_str().unwrap().contains("20 MB"),
        "{j}"
    );
    assert!(j["tep"][0]["luu_tai"].is_null());

    // Not a spreadsheet, whatever its name says: refused, not stored.
    for (name, bytes) in [
        (
            "bao-cao.xlsx",
            b"Day la van ban, khong phai bang tinh".as_slice(),
        ),
        ("anh.xls", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice()),
        ("nen.xlsx", b"PK\x03\x04 broken zip".as_slice()),
        ("trong.xlsx", b"".as_slice()),
    ] {
        let r = upload(&s, &token, &[(name, bytes)]);
        assert_eq!(r.status, 415, "{name}: {}", r.text());
        let msg = r.json()["tep"][0]["loi"].as_str().unwrap().to_string();
        assert!(msg.contains("không nhận"), "{name}: {msg}");
    }
    // Real files a unit may send by mistake: refused with the reason
    // `check` would give; an .xls and an .ods made by LibreOffice pass.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake/don-vi");
    for (name, says) in [
        ("mat-khau.xlsx", "mật khẩu"),
        ("bi-cat-cut.xlsx", "hỏng"),
        ("khong-phai-bang-tinh.xlsx", "không nhận"),
    ] {
        let r = upload(
            &s,
            &token,
            &[(name, &std::fs::read(fixtures.join(name)).unwrap())],
        );
        assert_eq!(r.status, 415, "{name}: {}", r.text());
        let msg = r.json()["tep"][0]["loi"].as_str().unwrap().to_string();
        assert!(msg.contains(says), "{name}: {msg}");
    }
    assert_eq!(files_under(&dir), before, "nothing stored");
    for (name, sent_as, stored) in [
        ("bv-phoi-tieu-de-gop.xls", "phoi.xls", "don-vi/phoi.xls"),
        ("bv-nhi-khong-ma.ods", "nhi", "don-vi/nhi.ods"),
    ] {
        let r = upload(
            &s,
            &token,
            &[(sent_as, &std::fs::read(fixtures.join(name)).unwrap())],
        );
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        assert_eq!(r.json()["tep"][0]["luu_tai"], stored);
        std::fs::remove_file(dir.join(stored)).unwrap();
    }

    // A request over 200 MB is refused before its body is read.
    let r = http(
        &s.addr,
        "POST",
        "/api/tep",
        &[
            ("Content-Type", "multipart/form-data; boundary=x"),
            ("X-Baocao-Token", &token),
            ("Content-Length", "209715201"),
        ],
        &[],
    );
    assert_eq!(r.status, 413);
    assert!(r.json()["loi"].as_str().unwrap().contains("200 MB"));

    // A traversal name is reduced to a base name inside don-vi/.
    let wb = workbook();
    let r = upload(&s, &token, &[("../../x.xlsx", &wb)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["tep"][0]["ten"], "../../x.xlsx");
    assert_eq!(j["tep"][0]["luu_tai"], "don-vi/x.xlsx");
    assert_eq!(j["tep"][0]["don_vi"]["ma"], "TTYT_SONG_MAY");
    assert!(j["tep"][0]["diagnostics"].is_array());
    assert_eq!(std::fs::read(dir.join("don-vi/x.xlsx")).unwrap(), wb);
    assert!(!tmp.path().join("a/x.xlsx").exists());
    assert!(!tmp.path().join("x.xlsx").exists());
    for bad in ["..\\..\\x.xlsx", "/etc/x.xlsx", "C:\\Windows\\x.xlsx"] {
        let r = upload(&s, &token, &[(bad, &wb)]);
        assert_eq!(r.status, 200);
        let at = r.json()["tep"][0]["luu_tai"].as_str().unwrap().to_string();
        assert!(at.starts_with("don-vi/x ("), "{bad} → {at}");
    }
    // Nothing overwritten: the same name again is a new file.
    let r = upload(&s, &token, &[("x.xlsx", &wb), ("x.xlsx", &wb)]);
    let j = r.json();
    assert_eq!(j["tep"][0]["luu_tai"], "don-vi/x (5).xlsx");
    assert_eq!(j["tep"][1]["luu_tai"], "don-vi/x (6).xlsx");
    let added: Vec<String> = files_under(&dir)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(added.len(), 6, "{added:?}");
    assert!(added.iter().all(|f| f.starts_with("don-vi/x")), "{added:?}");
    // Everything outside the report folder is as it was.
    assert_eq!(
        files_under(tmp.path())
            .iter()
            .filter(|f| !f.starts_with("a/b/bao-cao/"))
            .count(),
        0
    );

    // A mixed upload: the good file stored, the bad one said.
    let r = upload(
        &s,
        &token,
        &[("ghi-chu.txt", b"ghi chu"), ("BC 6T.xlsx", &wb)],
    );
    assert_eq!(r.status, 200);
    let j = r.json();
    assert!(j["tep"][0]["luu_tai"].is_null());
    assert_eq!(j["tep"][1]["luu_tai"], "don-vi/BC 6T.xlsx");
    // The server is still there after all of it.
    assert_eq!(s.get("/api/dau-van").status, 200);
}

#[test]
fn only_known_outputs_are_served() {
    let (tmp, dir) = sample_copy();
    std::fs::write(tmp.path().join("a/b/bi-mat.txt"), "bí mật").unwrap();
    let s = serve(&dir);
    for path in [
        "/ket-qua/baocao.toml",
        "/ket-qua/../baocao.toml",
        "/ket-qua/..%2fbaocao.toml",
        "/ket-qua/%2e%2e%2f%2e%2e%2fbi-mat.txt",
        "/ket-qua/bao-cao.pdf",
        "/tai-nguyen/..%2f..%2fCargo.toml",
        "/baocao.toml",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("bí mật") && !r.text().contains("[bao_cao]"));
    }
}

#[test]
fn a_build_writes_the_outputs_and_serves_them() {
    let (_tmp, dir) = sample_copy();
    let s = serve(&dir);
    let token = s.token();
    // Two clicks at once: both answer, one after the other, whole files.
    let builds: Vec<_> = (0..2)
        .map(|_| {
            let (addr, token) = (s.addr.clone(), token.clone());
            std::thread::spawn(move || {
                http(
                    &addr,
                    "POST",
                    "/api/bao-cao",
                    &[
                        ("X-Baocao-Token", &token),
                        ("Content-Type", "application/json"),
                    ],
                    br#"{"dinh_dang": ["docx", "pdf", "xlsx"]}"#,
                )
            })
        })
        .collect();
    for b in builds {
        let r = b.join().unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        let j = r.json();
        let names: Vec<&str> = j["tep"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["ten"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["bao-cao.docx", "bao-cao.pdf", "tong-hop.xlsx"]);
        assert_eq!(j["tep"][1]["duong_dan"], "/ket-qua/bao-cao.pdf");
        assert!(j["diagnostics"].is_array());
    }
    let pdf = s.get("/ket-qua/bao-cao.pdf");
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert!(pdf.body.starts_with(b"%PDF"));
    assert_eq!(
        pdf.body,
        std::fs::read(dir.join("ket-qua/bao-cao.pdf")).unwrap()
    );
    let shown = s.get("/ket-qua/bao-cao.pdf?xem=1");
    assert!(shown
        .header("content-disposition")
        .unwrap()
        .starts_with("inline"));
    let qpdf = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(dir.join("ket-qua/bao-cao.pdf"))
        .output()
        .unwrap();
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let docx = s.get("/ket-qua/bao-cao.docx");
    assert!(docx.body.starts_with(b"PK\x03\x04"));
    // The status lists the outputs; an unknown format is refused.
    let st = s.get("/api/trang-thai").json();
    assert_eq!(st["ket_qua"].as_array().unwrap().len(), 3);
    let r = http(
        &s.addr,
        "POST",
        "/api/bao-cao",
        &[("X-Baocao-Token", &token)],
        br#"{"dinh_dang": ["exe"]}"#,
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["loi"].as_str().unwrap().contains("exe"));
}

#[test]
fn the_status_follows_the_folder() {
    let (_tmp, dir) = sample_copy();
    let moved = dir.join("don-vi/ttyt_song_may_BC6T_2024.xlsx");
    let aside = dir.join("song-may.bak");
    std::fs::rename(&moved, &aside).unwrap();
    let s = serve(&dir);
    let unit = |st: &Value| {
        st["don_vi"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["ma"] == "TTYT_SONG_MAY")
            .unwrap()["trang_thai"]
            .clone()
    };
    assert_eq!(unit(&s.get("/api/trang-thai").json()), "thieu");
    let before = s.get("/api/dau-van").json()["dau"].clone();
    assert_eq!(
        s.get("/api/dau-van").json()["dau"],
        before,
        "unchanged folder"
    );
    // A unit's file copied in by hand (or by e-mail client) is seen.
    std::fs::copy(&aside, dir.join("don-vi/nhan-qua-thu.xlsx")).unwrap();
    assert_ne!(s.get("/api/dau-van").json()["dau"], before);
    let st = s.get("/api/trang-thai").json();
    assert_ne!(unit(&st), "thieu");
    assert_eq!(st["tong"]["da_nop"], 15 + 1);
}

#[test]
fn a_password_is_required_off_loopback() {
    let (_tmp, dir) = sample_copy();
    let d = dir.to_str().unwrap();
    let err = start(&[d, "--listen", "0.0.0.0:0"], &[], None)
        .err()
        .expect("refuses to start");
    assert!(err.contains("cần mật khẩu"), "{err}");
    assert!(
        err.contains("--mat-khau-tu") && err.contains("BAOCAO_MAT_KHAU"),
        "{err}"
    );

    let s = start(
        &[d, "--listen", "0.0.0.0:0"],
        &[("BAOCAO_MAT_KHAU", "Hội nghị 2024")],
        None,
    )
    .unwrap();
    let r = s.get("/");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/dang-nhap"));
    let login = s.get("/dang-nhap");
    assert_eq!(login.status, 200);
    assert!(login.text().contains(r#"type="password""#));
    assert!(
        !login.text().contains("Bệnh viện"),
        "nothing of the report before the password"
    );
    assert_eq!(s.get("/api/trang-thai").status, 401);
    assert_eq!(s.get("/ket-qua/bao-cao.pdf").status, 303);
    let token = {
        let t = login.text();
        let needle = r#"<meta name="baocao-token" content=""#;
        let rest = &t[t.find(needle).unwrap() + needle.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let wrong = http(
        &s.addr,
        "POST",
        "/dang-nhap",
        &[("X-Baocao-Token", &token)],
        r#"{"mat_khau": "hội nghị 2024"}"#.as_bytes(),
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());
    let no_token = http(
        &s.addr,
        "POST",
        "/dang-nhap",
        &[],
        r#"{"mat_khau": "Hội nghị 2024"}"#.as_bytes(),
    );
    assert_eq!(no_token.status, 403);
    let right = http(
        &s.addr,
        "POST",
        "/dang-nhap",
        &[("X-Baocao-Token", &token)],
        r#"{"mat_khau": "Hội nghị 2024"}"#.as_bytes(),
    );
    assert_eq!(right.status, 200, "{}", right.text());
    let cookie = right.header("set-cookie").unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let st = http(
        &s.addr,
        "GET",
        "/api/trang-thai",
        &[("Cookie", &session)],
        &[],
    );
    assert_eq!(st.status, 200);
    assert_eq!(st.json()["tong"]["du_kien"], 18);
    let forged = http(
        &s.addr,
        "GET",
        "/api/trang-thai",
        &[("Cookie", "baocao_phien=0000")],
        &[],
    );
    assert_eq!(forged.status, 401);
    // The session does not replace the token.
    let r = http(
        &s.addr,
        "POST",
        "/api/bao-cao",
        &[("Cookie", &session)],
        b"{}",
    );
    assert_eq!(r.status, 403);

    // The password from a file.
    let pw = dir.parent().unwrap().join("mat-khau.txt");
    std::fs::write(&pw, "tu-tep\n").unwrap();
    let s2 = start(
        &[
            d,
            "--listen",
            "0.0.0.0:0",
            "--mat-khau-tu",
            pw.to_str().unwrap(),
        ],
        &[],
        None,
    )
    .unwrap();
    let r = http(
        &s2.addr,
        "POST",
        "/dang-nhap",
        &[("X-Baocao-Token", &s2_token(&s2))],
        br#"{"mat_khau": "tu-tep"}"#,
    );
    assert_eq!(r.status, 200);
}

fn s2_token(s: &Server) -> String {
    let t = s.get("/dang-nhap").text();
    let needle = r#"<meta name="baocao-token" content=""#;
    let rest = &t[t.find(needle).unwrap() + needle.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let (_tmp, dir) = sample_copy();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let s = start(
        &[
            dir.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ],
        &[],
        None,
    )
    .unwrap();
    assert!(
        s.port > port && s.port <= port + 20,
        "{} after {port}",
        s.port
    );
    assert_eq!(s.get("/api/dau-van").status, 200);
}

#[test]
fn without_a_folder_it_serves_the_current_one_or_says_how() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["serve", "--no-open"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("baocao serve THƯ-MỤC-BÁO-CÁO"), "{err}");
    let (_tmp, dir) = sample_copy();
    let s = start(&["--listen", "127.0.0.1:0"], &[], Some(&dir)).unwrap();
    assert_eq!(s.get("/api/trang-thai").json()["tong"]["du_kien"], 18);
    let err = start(&[tmp.path().to_str().unwrap()], &[], None)
        .err()
        .unwrap();
    assert!(err.contains("baocao.toml"), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let (_tmp, dir) = sample_copy();
    let mut s = serve(&dir);
    assert_eq!(s.get("/api/dau-van").status, 200);
    let ok = std::process::Command::new("kill")
        .args(["-INT", &s.pid().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let (status, said) = s.wait_end(20);
    assert!(status.success(), "{status}");
    assert!(said.contains("Đã dừng."), "{said}");
    let left: Vec<String> = files_under(Path::new(&dir))
        .into_iter()
        .filter(|f| f.contains(".baocao-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_broken_folder_is_said_on_the_page_and_the_server_stays() {
    let (_tmp, dir) = sample_copy();
    let s = serve(&dir);
    let good = std::fs::read_to_string(dir.join("baocao.toml")).unwrap();
    std::fs::write(
        dir.join("baocao.toml"),
        good.replace("nam = 2024", "nam = \"hai nghìn\""),
    )
    .unwrap();
    let st = s.get("/api/trang-thai").json();
    let said = st["loi"].as_str().expect("the folder's problem");
    assert!(
        said.contains("baocao.toml") && said.contains("dòng 5"),
        "{said}"
    );
    assert_eq!(st["don_vi"], serde_json::json!([]));
    let page = s.get("/").text();
    assert!(page.contains("Không đọc được thư mục báo cáo"));
    let token = s.token();
    let r = http(
        &s.addr,
        "POST",
        "/api/bao-cao",
        &[("X-Baocao-Token", &token)],
        b"",
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["loi"].as_str().unwrap().contains("baocao.toml"));
    // Mended by hand: the page is whole again.
    std::fs::write(dir.join("baocao.toml"), good).unwrap();
    let st = s.get("/api/trang-thai").json();
    assert!(st.get("loi").is_none(), "{st}");
    assert_eq!(st["tong"]["du_kien"], 18);
}
