//! The office page in a real browser: Debian's headless Chromium driven by
//! chromedriver over WebDriver (plain HTTP JSON, no client crate). A clerk's
//! path from "a unit has emailed its file" to the printed report: the unit
//! is listed as not received, its workbook goes in through the page's file
//! input, its row turns to received, the build button makes the report,
//! and the PDF link downloads a PDF that carries the unit's figures.
//! Screenshots at desktop and narrow widths go to `target/tmp/web-screenshots/`.

mod web_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use web_support::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The unit taken out of the sample: Bệnh viện Sản - Nhi.
const UNIT: &str = "BVSN";
const UNIT_FILE: &str = "bvsn_BC6T_2024.xlsx";

struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

impl Browser {
    fn start(profile: &Path, downloads: &Path) -> Browser {
        let mut driver = Command::new("chromedriver")
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) is installed");
        let mut out = BufReader::new(driver.stdout.take().unwrap());
        let mut port = None;
        let mut line = String::new();
        while port.is_none() && out.read_line(&mut line).unwrap() > 0 {
            port = line
                .split("started successfully on port ")
                .nth(1)
                .and_then(|p| p.trim().trim_end_matches('.').parse::<u16>().ok());
            line.clear();
        }
        let addr = format!("127.0.0.1:{}", port.expect("chromedriver port"));
        // Keep reading what the driver prints, so it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=vi",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.to_str().unwrap(),
                    "download.prompt_for_download": false,
                },
            },
        }}});
        let r = wd(&addr, "POST", "/session", &caps);
        let session = r["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        let b = Browser {
            driver,
            addr,
            session,
        };
        b.cdp(
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": downloads.to_str().unwrap()}),
        );
        b
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        wd(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            &body,
        )
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": cmd, "params": params}),
        )
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let r = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        r[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {r}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
    }

    /// Wait until `script` returns something truthy; its value.
    fn wait_for(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == false || v == "") {
                return v;
            }
            if start.elapsed() > Duration::from_secs(60) {
                panic!("waited a minute for {what}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A screenshot of the whole page at `width`, into `file`.
    fn screenshot(&self, width: u32, file: &Path) {
        self.call(
            "POST",
            "/window/rect",
            json!({"width": width, "height": 900}),
        );
        self.js("window.scrollTo(0, 0)");
        std::thread::sleep(Duration::from_millis(300));
        let h = self
            .js("return Math.ceil(document.documentElement.scrollHeight)")
            .as_u64()
            .unwrap_or(900)
            .min(8000);
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": h, "deviceScaleFactor": 1, "mobile": false}),
        );
        std::thread::sleep(Duration::from_millis(500));
        let png = self.call("GET", "/screenshot", Value::Null);
        let bytes = base64(png.as_str().expect("screenshot"));
        std::fs::write(file, bytes).unwrap();
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| {
            http(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                &[],
                &[],
            )
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One WebDriver command; its `value`.
fn wd(addr: &str, method: &str, path: &str, body: &Value) -> Value {
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(body).unwrap()
    };
    let r = http(
        addr,
        method,
        path,
        &[("Content-Type", "application/json; charset=utf-8")],
        &bytes,
    );
    let v = r.json();
    assert!(
        r.status == 200,
        "WebDriver {method} {path}: {} {v}",
        r.status
    );
    v["value"].clone()
}

/// Standard base64 (the screenshot), decoded.
fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// `1234567` → `1.234.567`.
fn vi_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn chip(b: &Browser, ma: &str) -> String {
    b.js(&format!(
        "var c = document.querySelector('tr.unit[data-ma=\"{ma}\"] .chip'); return c ? c.textContent : null"
    ))
    .as_str()
    .unwrap_or("")
    .to_string()
}

#[test]
fn a_clerk_receives_a_workbook_and_prints_the_report_in_the_browser() {
    let (tmp, dir) = sample_copy();
    let emailed: PathBuf = tmp.path().join(UNIT_FILE);
    std::fs::rename(dir.join("don-vi").join(UNIT_FILE), &emailed).unwrap();
    let downloads = tmp.path().join("tai-ve");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // What the full folder's report says, for the figure to look for.
    let full = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["check", "--json"])
        .arg(sample())
        .output()
        .unwrap();
    let full: Value = serde_json::from_slice(&full.stdout).unwrap();
    let total = full["context"]["chi_tieu"]["KCB_LUOT"]["gia_tri"]
        .as_f64()
        .unwrap() as u64;
    let expected = format!("Tổng số lượt khám bệnh: {} lượt", vi_thousands(total));

    let server = serve(&dir);
    let url = format!("http://{}/", server.addr);
    let browser = Browser::start(&tmp.path().join("chromium"), &downloads);
    browser.go(&url);

    // The unit is listed as not received; the counts say so.
    assert_eq!(chip(&browser, UNIT), "Chưa nộp");
    assert_eq!(
        browser.js("return document.getElementById('so-da-nop').textContent"),
        "15"
    );
    assert_eq!(
        browser.js("return document.getElementById('dem-thieu').textContent"),
        "3"
    );
    let title = browser.js("return document.getElementById('trich-yeu').textContent");
    assert!(title.as_str().unwrap().contains("6 tháng"), "{title}");

    // A unit's row opens on its diagnostics, at file › sheet › cell.
    browser.click("tr.unit[data-ma=\"TTYT_SONG_MAY\"]");
    let shown = browser.wait_for(
        "the row's diagnostics",
        "var d = document.querySelector('tr.detail[data-cua=\"TTYT_SONG_MAY\"]'); return d && !d.hidden && d.textContent",
    );
    assert!(
        shown
            .as_str()
            .unwrap()
            .contains("ttyt_song_may_BC6T_2024.xlsx › BaoCao › F28"),
        "{shown}"
    );
    browser.screenshot(1366, &shots.join("1-desktop-before.png"));

    // The emailed workbook goes in through the page's file input.
    let input = browser.find("#chon-tep");
    browser.call(
        "POST",
        &format!("/element/{input}/value"),
        json!({"text": emailed.to_str().unwrap()}),
    );
    let state = browser.wait_for(
        "the row to turn to received",
        &format!(
            "var c = document.querySelector('tr.unit[data-ma=\"{UNIT}\"] .chip'); return c && c.textContent !== 'Chưa nộp' && c.textContent"
        ),
    );
    assert_eq!(state, "Đã nộp");
    let stored = format!("don-vi/{UNIT_FILE}");
    assert!(dir.join(&stored).is_file());
    let said = browser.js("return document.getElementById('ket-qua-tai-len').textContent");
    assert!(
        said.as_str()
            .unwrap()
            .contains(&format!("đã lưu vào {stored} · Bệnh viện Sản - Nhi")),
        "{said}"
    );
    assert_eq!(
        browser.js("return document.getElementById('so-da-nop').textContent"),
        "16"
    );
    // The row that was open stays open across the refresh.
    assert_eq!(
        browser.js("return document.querySelector('tr.detail[data-cua=\"TTYT_SONG_MAY\"]').hidden"),
        false
    );

    // One button builds the report.
    browser.click("#tao-bao-cao");
    let done = browser.wait_for(
        "the build",
        "var s = document.getElementById('trang-thai-tao').textContent; return s.indexOf('Đã tạo') === 0 || s.indexOf('Không') === 0 ? s : null",
    );
    assert!(done.as_str().unwrap().contains("bao-cao.pdf"), "{done}");
    browser.wait_for(
        "the PDF shown in the page",
        "var f = document.querySelector('#khung-pdf iframe'); return f && f.getAttribute('src')",
    );

    // The PDF link downloads the report, which carries the unit's figures.
    browser.click("#tai-ve a[href=\"/ket-qua/bao-cao.pdf\"]");
    let pdf = downloads.join("bao-cao.pdf");
    let start = Instant::now();
    while !pdf.is_file()
        || downloads.read_dir().unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".crdownload")
        })
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no download in {downloads:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&expected),
        "{expected} not in the PDF:\n{text}"
    );
    assert!(flat.contains("Bệnh viện Sản - Nhi:"), "the unit's own text");
    assert!(
        !flat.contains("gửi báo cáo: Bệnh viện Sản - Nhi"),
        "no longer listed as missing"
    );

    // A file dropped on the area goes the same way; a non-spreadsheet is
    // refused in words.
    browser.js(
        "var dt = new DataTransfer(); dt.items.add(new File(['ghi chú của văn thư'], 'ghi-chu.txt'));\
         document.getElementById('vung-tha').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}))",
    );
    let refused = browser.wait_for(
        "the dropped file's answer",
        "var li = document.querySelector('#ket-qua-tai-len li.err'); return li && li.textContent",
    );
    assert!(
        refused
            .as_str()
            .unwrap()
            .contains("ghi-chu.txt: không phải tệp bảng tính"),
        "{refused}"
    );
    assert!(!dir.join("don-vi/ghi-chu.txt").exists());

    browser.screenshot(1366, &shots.join("2-desktop-after.png"));
    browser.screenshot(390, &shots.join("3-narrow.png"));
    for f in [
        "1-desktop-before.png",
        "2-desktop-after.png",
        "3-narrow.png",
    ] {
        let bytes = std::fs::read(shots.join(f)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{f}");
    }
    // The page follows the folder by itself: a file taken out of don-vi/
    // by hand turns the row back.
    std::fs::remove_file(dir.join(&stored)).unwrap();
    browser.wait_for(
        "the row to follow the folder",
        &format!(
            "var c = document.querySelector('tr.unit[data-ma=\"{UNIT}\"] .chip'); return c && c.textContent === 'Chưa nộp'"
        ),
    );
    // Nothing was fetched from outside the server: every resource the page
    // loaded came from its own address.
    let foreign = browser.js(&format!(
        "return performance.getEntriesByType('resource').map(function (r) {{ return r.name; }}).filter(function (n) {{ return n.indexOf('http://{}/') !== 0; }})",
        server.addr
    ));
    assert_eq!(foreign, json!([]), "resources from elsewhere");
}

#[test]
fn on_the_office_network_the_page_asks_for_the_password() {
    let (tmp, dir) = sample_copy();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let server = start(
        &[dir.to_str().unwrap(), "--listen", "0.0.0.0:0"],
        &[("BAOCAO_MAT_KHAU", "Hội nghị 2024")],
        None,
    )
    .unwrap();
    let downloads = tmp.path().join("tai-ve");
    let browser = Browser::start(&tmp.path().join("chromium"), &downloads);
    browser.go(&format!("http://{}/", server.addr));
    let at = browser.js("return location.pathname");
    assert_eq!(at, "/dang-nhap");
    assert_eq!(
        browser.js("return document.querySelector('#bang-don-vi')"),
        Value::Null,
        "nothing of the report before the password"
    );
    browser.screenshot(1366, &shots.join("4-password.png"));
    let field = browser.find("#mat-khau");
    browser.call(
        "POST",
        &format!("/element/{field}/value"),
        json!({"text": "sai mật khẩu"}),
    );
    browser.click("#dang-nhap button");
    let said = browser.wait_for(
        "the wrong password said",
        "var e = document.getElementById('loi-dang-nhap'); return !e.hidden && e.textContent",
    );
    assert!(said.as_str().unwrap().contains("không đúng"), "{said}");
    browser.js("document.getElementById('mat-khau').value = ''");
    browser.call(
        "POST",
        &format!("/element/{field}/value"),
        json!({"text": "Hội nghị 2024"}),
    );
    browser.click("#dang-nhap button");
    browser.wait_for(
        "the office page",
        "return location.pathname === '/' && document.querySelector('#bang-don-vi tr.unit')",
    );
    assert_eq!(chip(&browser, "BVPHOI"), "Chưa nộp");
    // The session cookie is not readable by scripts.
    assert_eq!(browser.js("return document.cookie"), "");
}

#[test]
fn a_unit_sends_its_workbook_from_its_own_page() {
    let (tmp, dir) = sample_copy();
    std::fs::remove_file(dir.join("don-vi").join(UNIT_FILE)).unwrap();
    let settings = std::fs::read_to_string(dir.join("baocao.toml"))
        .unwrap()
        .replace(
            "linh_vuc = \"y tế\"",
            "linh_vuc = \"y tế\"\nhan_nop = 2099-07-05T17:00:00\nlien_he = \"Phòng Kế hoạch - Tài chính, 0251 3822 123\"",
        );
    std::fs::write(dir.join("baocao.toml"), settings).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["lien-ket", "--url", "http://may-chu:8686"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = {
        use calamine::{open_workbook, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(dir.join("lien-ket-nop.xlsx")).unwrap();
        let range = wb.worksheet_range("LienKet").unwrap();
        let link = range
            .rows()
            .find(|r| r[1] == UNIT)
            .map(|r| r[4].to_string())
            .unwrap();
        link.rsplit('/').next().unwrap().to_string()
    };
    // The unit's first try: a figure typed with its unit of measure.
    let wrong = tmp.path().join("BC 6 thang - Bv San Nhi.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("BaoCao").unwrap();
        ws.write_string(0, 0, "Tên đơn vị: Bệnh viện Sản - Nhi")
            .unwrap();
        ws.write_string(1, 0, format!("Mã đơn vị: {UNIT}")).unwrap();
        ws.write_string(2, 0, "Kỳ báo cáo: 6 tháng đầu năm 2024")
            .unwrap();
        for (c, h) in [
            "STT",
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Kế hoạch năm",
            "Thực hiện 6 tháng",
            "Cùng kỳ năm trước",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(4, c as u16, *h).unwrap();
        }
        ws.write_string(5, 1, "KCB_LUOT").unwrap();
        ws.write_string(5, 2, "Tổng số lượt khám bệnh").unwrap();
        ws.write_number(5, 4, 120000).unwrap();
        ws.write_string(5, 5, "58.000 lượt").unwrap();
        ws.write_number(5, 6, 55000).unwrap();
        wb.save(&wrong).unwrap();
    }
    let right = tmp.path().join(UNIT_FILE);
    std::fs::copy(sample().join("don-vi").join(UNIT_FILE), &right).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let server = serve(&dir);
    let browser = Browser::start(&tmp.path().join("chromium"), &tmp.path().join("tai-ve"));
    browser.go(&format!("http://{}/nop/{token}", server.addr));
    assert_eq!(
        browser.js("return document.getElementById('ten-don-vi').textContent"),
        "Bệnh viện Sản - Nhi"
    );
    assert_eq!(
        browser.js("return document.getElementById('han-nop').textContent"),
        "17:00 ngày 05/07/2099"
    );
    browser.screenshot(1366, &shots.join("5-unit-empty.png"));

    let send = |file: &Path| {
        let input = browser.find("#chon-tep");
        browser.call(
            "POST",
            &format!("/element/{input}/value"),
            json!({"text": file.to_str().unwrap()}),
        );
    };
    // The mistake is said at once, where it is and what to do.
    send(&wrong);
    let said = browser.wait_for(
        "the check of the first file",
        "var d = document.querySelector('#kiem-tra-noi-dung .diag.err'); return d && d.textContent",
    );
    let said = said.as_str().unwrap();
    assert!(said.contains("BaoCao › F6"), "{said}");
    assert!(said.contains("58.000 lượt"), "{said}");
    let chip = browser.js("return document.querySelector('#kiem-tra-noi-dung .chip').textContent");
    assert_eq!(chip, "Có lỗi");
    let sent = browser.js("return document.getElementById('trang-thai-gui').textContent");
    assert!(
        sent.as_str()
            .unwrap()
            .contains("Đã nhận BC 6 thang - Bv San Nhi.xlsx"),
        "{sent}"
    );
    browser.screenshot(1366, &shots.join("6-unit-error-desktop.png"));
    browser.screenshot(390, &shots.join("7-unit-error-narrow.png"));

    // Fixed and sent again: the newer version counts, both are listed.
    send(&right);
    browser.wait_for(
        "the check of the second file",
        "var c = document.querySelector('#kiem-tra-noi-dung .chip'); return c && c.textContent === 'Không có lỗi'",
    );
    assert_eq!(
        browser.js("return document.querySelectorAll('#bang-lich-su tr').length"),
        2
    );
    assert_eq!(
        browser.js("return document.getElementById('so-lan').textContent"),
        "2"
    );
    // A file dropped that is no workbook is refused in words, not stored.
    browser.js(
        "var dt = new DataTransfer(); dt.items.add(new File(['ghi chú'], 'ghi-chu.txt'));\
         document.getElementById('vung-tha').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}))",
    );
    let refused = browser.wait_for(
        "the dropped file's answer",
        "var li = document.querySelector('#trang-thai-gui li.err'); return li && li.textContent",
    );
    assert!(
        refused
            .as_str()
            .unwrap()
            .contains("không phải tệp bảng tính"),
        "{refused}"
    );
    browser.screenshot(1366, &shots.join("8-unit-fixed-desktop.png"));
    let kept = files_under(&dir.join("don-vi").join(UNIT));
    assert_eq!(kept.len(), 2, "{kept:?}");
    // The office's page counts the unit's newer file.
    let st = server.get("/api/trang-thai").json();
    let unit = st["don_vi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["ma"] == UNIT)
        .unwrap()
        .clone();
    assert_eq!(unit["trang_thai"], "da_nop");
    assert!(unit["tep"].as_str().unwrap().ends_with(UNIT_FILE));
    // The office's page lists both versions with their times.
    browser.go(&format!("http://{}/", server.addr));
    browser.click(&format!("tr.unit[data-ma=\"{UNIT}\"]"));
    let listed = browser.wait_for(
        "the unit's versions on the office page",
        &format!("var d = document.querySelector('tr.detail[data-cua=\"{UNIT}\"] .versions'); return d && d.textContent"),
    );
    assert!(listed.as_str().unwrap().contains("đang dùng"), "{listed}");
    assert!(
        listed
            .as_str()
            .unwrap()
            .contains("BC 6 thang - Bv San Nhi.xlsx"),
        "{listed}"
    );
    browser.screenshot(1366, &shots.join("9-office-versions.png"));
    // Nothing was fetched from outside the server.
    let foreign = browser.js(&format!(
        "return performance.getEntriesByType('resource').map(function (r) {{ return r.name; }}).filter(function (n) {{ return n.indexOf('http://{}/') !== 0; }})",
        server.addr
    ));
    assert_eq!(foreign, json!([]));
}
