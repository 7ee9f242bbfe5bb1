//! The office page and the password page, rendered on the server with
//! handlebars (HTML-escaped), and the files they use, all inside the
//! binary: nothing is fetched from anywhere else.

use std::collections::HashSet;

use handlebars::Handlebars;
use serde_json::{json, Value};

/// A file the page uses: its bytes and content type.
pub struct Asset {
    /// Content type.
    pub kind: &'static str,
    /// Bytes.
    pub bytes: &'static [u8],
}

/// The page's files, served at `/tai-nguyen/<name>`.
pub fn asset(name: &str) -> Option<Asset> {
    let (kind, bytes): (&'static str, &'static [u8]) = match name {
        "trang.css" => (
            "text/css; charset=utf-8",
            include_bytes!("assets/trang.css"),
        ),
        "trang.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("assets/trang.js"),
        ),
        "nop.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("assets/nop.js"),
        ),
        "dang-nhap.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("assets/dang-nhap.js"),
        ),
        "bieu-tuong.svg" => ("image/svg+xml", include_bytes!("assets/bieu-tuong.svg")),
        // The report's own serif (SIL OFL), for the report's heading card.
        "serif.ttf" => (
            "font/ttf",
            include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
        ),
        "serif-dam.ttf" => (
            "font/ttf",
            include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
        ),
        _ => return None,
    };
    Some(Asset { kind, bytes })
}

/// The page templates.
pub struct Pages {
    hb: Handlebars<'static>,
}

impl Pages {
    /// Register the built-in templates.
    pub fn new() -> Result<Self, String> {
        let mut hb = Handlebars::new();
        for (name, text) in [
            ("trang", include_str!("assets/trang.hbs")),
            ("dang-nhap", include_str!("assets/dang-nhap.hbs")),
            ("nop", include_str!("assets/nop.hbs")),
            ("khung", include_str!("assets/khung.hbs")),
        ] {
            hb.register_template_string(name, text)
                .map_err(|e| format!("mẫu trang {name} hỏng: {e}"))?;
        }
        Ok(Pages { hb })
    }

    /// Render a page; a failure is a short HTML message, never a panic.
    pub fn render(&self, name: &str, view: &Value) -> String {
        self.hb.render(name, view).unwrap_or_else(|e| {
            format!(
                "<!doctype html><meta charset=utf-8><p>Lỗi hiển thị trang: {}</p>",
                handlebars::html_escape(&e.to_string())
            )
        })
    }
}

/// The state's word and colour class (the page's script has the same table).
pub fn state_label(state: &str) -> (&'static str, &'static str) {
    match state {
        "da_nop" => ("Đã nộp", "ok"),
        "co_canh_bao" => ("Có cảnh báo", "warn"),
        "co_loi" => ("Có lỗi", "err"),
        _ => ("Chưa nộp", "missing"),
    }
}

fn severity_label(s: &str) -> (&'static str, &'static str) {
    match s {
        "error" => ("Lỗi", "err"),
        "warning" => ("Cảnh báo", "warn"),
        _ => ("Thông tin", "info"),
    }
}

/// `2024-07-05T09:12:00+07:00` as `05/07/2024 09:12`.
pub fn short_time(iso: &str) -> String {
    let (Some(y), Some(mo), Some(d), Some(hm)) = (
        iso.get(0..4),
        iso.get(5..7),
        iso.get(8..10),
        iso.get(11..16),
    ) else {
        return String::new();
    };
    format!("{d}/{mo}/{y} {hm}")
}

/// `2024-07-05T09:12:30+07:00` as `09:12:30 05/07/2024` (to the second:
/// a unit may send twice in a minute).
pub fn time_to_second(iso: &str) -> String {
    match (
        iso.get(0..4),
        iso.get(5..7),
        iso.get(8..10),
        iso.get(11..19),
    ) {
        (Some(y), Some(mo), Some(d), Some(hms)) => format!("{hms} {d}/{mo}/{y}"),
        _ => String::new(),
    }
}

/// A unit's file as the table shows it: without the `don-vi/` every one has.
pub fn short_file(path: &str) -> String {
    path.strip_prefix("don-vi/").unwrap_or(path).to_string()
}

fn diag_view(d: &Value) -> Value {
    let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("");
    let (muc, lop) = severity_label(s("severity"));
    let vi_tri: Vec<&str> = ["file", "sheet", "cell"]
        .into_iter()
        .map(s)
        .filter(|p| !p.is_empty())
        .collect();
    json!({"muc": muc, "lop": lop, "vi_tri": vi_tri.join(" › "), "message": s("message")})
}

/// A diagnostic on a unit's own page: where in its workbook (`sheet ›
/// cell`; the file is the one it just sent) and what to fix.
pub fn unit_diag_view(d: &Value) -> Value {
    let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("");
    let (muc, lop) = severity_label(s("severity"));
    let vi_tri: Vec<&str> = ["sheet", "cell"]
        .into_iter()
        .map(s)
        .filter(|p| !p.is_empty())
        .collect();
    json!({"muc": muc, "lop": lop, "vi_tri": vi_tri.join(" › "), "message": s("message")})
}

/// A unit's versions as the office page lists them.
fn versions_view(u: &Value) -> Vec<Value> {
    u["phien_ban"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|v| {
                    json!({
                        "tep": v["tep"],
                        "tep_ngan": v["tep"].as_str().map(short_file),
                        "luc_hien": v["nhan_luc"].as_str().map(time_to_second),
                        "muon": v["muon"],
                        "dung": v["dung"],
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The view of the office page: the status (`/api/trang-thai`) with
/// words, classes and each unit's own diagnostics added.
pub fn office_view(
    status: &Value,
    outputs: &[Value],
    token: &str,
    folder: &str,
    fingerprint: &str,
) -> Value {
    let diags = status["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut claimed: HashSet<String> = HashSet::new();
    let mut counts = [0usize; 4];
    let mut late = 0usize;
    let all = status["don_vi"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let units: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let state = u["trang_thai"].as_str().unwrap_or("thieu");
            let (nhan, lop) = state_label(state);
            counts[match lop {
                "ok" => 0,
                "warn" => 1,
                "err" => 2,
                _ => 3,
            }] += 1;
            let mut files: Vec<String> = u["tep"].as_str().map(String::from).into_iter().collect();
            if let Some(others) = u["tep_khac"].as_array() {
                files.extend(others.iter().filter_map(Value::as_str).map(String::from));
            }
            let own: Vec<Value> = diags
                .iter()
                .filter(|d| {
                    d["file"]
                        .as_str()
                        .is_some_and(|f| files.iter().any(|x| x == f))
                })
                .map(diag_view)
                .collect();
            claimed.extend(files);
            let mut v = u.clone();
            v["nhan"] = nhan.into();
            v["lop"] = lop.into();
            v["nop_luc_hien"] = u["nop_luc"].as_str().map(short_time).into();
            v["tep_ngan"] = u["tep"].as_str().map(short_file).into();
            v["muon"] = u["nop_muon"].clone();
            if u["nop_muon"] == true {
                late += 1;
            }
            v["cac_ban"] = versions_view(u).into();
            v["chan_doan"] = own.into();
            // A level's heading row above its first unit (units come in
            // registry order, a level's units together).
            if i == 0 || all[i - 1]["tuyen"] != u["tuyen"] {
                let run: Vec<&Value> = all[i..]
                    .iter()
                    .take_while(|x| x["tuyen"] == u["tuyen"])
                    .collect();
                let da_nop = run.iter().filter(|x| x["trang_thai"] != "thieu").count();
                v["nhom"] = json!({"ten": u["tuyen"], "da_nop": da_nop, "du_kien": run.len()});
            }
            v
        })
        .collect();
    let general: Vec<Value> = diags
        .iter()
        .filter(|d| !d["file"].as_str().is_some_and(|f| claimed.contains(f)))
        .map(diag_view)
        .collect();
    let pdf = outputs.iter().find(|o| o["ten"] == "bao-cao.pdf");
    let outputs: Vec<Value> = outputs
        .iter()
        .map(|o| {
            let mut o = o.clone();
            o["luc_hien"] = o["luc"].as_str().map(short_time).into();
            o
        })
        .collect();
    json!({
        "token": token,
        "thu_muc": folder,
        "dau": fingerprint,
        "loi": status["loi"],
        "bao_cao": status["bao_cao"],
        "co_quan": status["co_quan"],
        "dang": status["co_quan"]["kieu"] == "dang",
        "tong": status["tong"],
        "han_nop": status["han_nop"],
        "dem": {"da_nop": counts[0], "co_canh_bao": counts[1], "co_loi": counts[2], "thieu": counts[3], "muon": late},
        "don_vi": units,
        "chung": general,
        "ket_qua": outputs,
        "pdf": pdf.map(|p| format!("{}?xem=1&v={}", p["duong_dan"].as_str().unwrap_or(""), p["kich_thuoc"])),
    })
}

/// The view of the password page (nothing of the report on it).
pub fn login_view(token: &str) -> Value {
    json!({ "token": token })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status() -> Value {
        json!({
            "bao_cao": {"trich_yeu": "Sơ kết <6 tháng>", "so": "1/BC", "ngay_chu": "ngày 8 tháng 7 năm 2024", "dia_danh": "Bình Sơn"},
            "co_quan": {"chu_quan": "UBND TỈNH", "ban_hanh": "SỞ Y TẾ"},
            "tong": {"du_kien": 2, "da_nop": 1},
            "don_vi": [
                {"ma": "A", "ten": "Bệnh viện <A>", "tuyen": "tỉnh", "trang_thai": "co_loi", "tep": "don-vi/a.xlsx", "nop_luc": "2024-07-05T09:12:00+07:00", "tep_khac": ["don-vi/a-cu.xlsx"], "so_loi": 1, "so_canh_bao": 1},
                {"ma": "B", "ten": "Trạm B", "tuyen": "xã", "trang_thai": "thieu", "tep": null, "nop_luc": null, "tep_khac": [], "so_loi": 0, "so_canh_bao": 0}
            ],
            "diagnostics": [
                {"severity": "error", "file": "don-vi/a.xlsx", "sheet": "BaoCao", "cell": "F12", "message": "số âm"},
                {"severity": "warning", "file": "don-vi/a-cu.xlsx", "sheet": null, "cell": null, "message": "gửi hai lần"},
                {"severity": "info", "file": "danh-muc.xlsx", "sheet": null, "cell": null, "message": "chung"}
            ]
        })
    }

    #[test]
    fn diagnostics_are_grouped_by_unit() {
        let v = office_view(&status(), &[], "t", "bc", "f");
        let a = &v["don_vi"][0];
        assert_eq!(a["nhan"], "Có lỗi");
        assert_eq!(a["nop_luc_hien"], "05/07/2024 09:12");
        assert_eq!(a["chan_doan"].as_array().unwrap().len(), 2);
        assert_eq!(a["chan_doan"][0]["vi_tri"], "don-vi/a.xlsx › BaoCao › F12");
        assert_eq!(v["don_vi"][1]["nhan"], "Chưa nộp");
        assert_eq!(a["tep_ngan"], "a.xlsx");
        assert_eq!(a["nhom"]["ten"], "tỉnh");
        assert_eq!(a["nhom"]["da_nop"], 1);
        assert_eq!(v["don_vi"][1]["nhom"]["da_nop"], 0);
        assert_eq!(v["chung"].as_array().unwrap().len(), 1);
        assert_eq!(v["dem"]["co_loi"], 1);
        assert_eq!(v["dem"]["thieu"], 1);
    }

    #[test]
    fn the_page_escapes_what_units_wrote() {
        let pages = Pages::new().unwrap();
        let html = pages.render("trang", &office_view(&status(), &[], "tok", "bc", "f"));
        assert!(html.contains("Bệnh viện &lt;A&gt;"), "{html}");
        assert!(!html.contains("<A>"));
        assert!(html.contains(r#"<meta name="baocao-token" content="tok">"#));
        assert!(html.contains("don-vi/a.xlsx › BaoCao › F12"));
        let login = pages.render("dang-nhap", &login_view("tok"));
        assert!(login.contains(r#"type="password""#));
    }

    #[test]
    fn every_asset_is_there() {
        for n in [
            "trang.css",
            "trang.js",
            "nop.js",
            "dang-nhap.js",
            "bieu-tuong.svg",
            "serif.ttf",
            "serif-dam.ttf",
        ] {
            assert!(asset(n).is_some_and(|a| !a.bytes.is_empty()), "{n}");
        }
        assert!(asset("../Cargo.toml").is_none());
    }
}
