//! `baocao.toml` → [`Settings`].

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// The four kinds of report the office writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loai {
    /// Quarterly review.
    #[serde(rename = "so-ket-quy")]
    SoKetQuy,
    /// Six-month review.
    #[serde(rename = "so-ket-6-thang")]
    SoKet6Thang,
    /// Nine-month review.
    #[serde(rename = "so-ket-9-thang")]
    SoKet9Thang,
    /// Year-end review.
    #[serde(rename = "tong-ket-nam")]
    TongKetNam,
    /// A thematic report (a programme, a campaign), not a periodic review:
    /// its subject and period come from `chu_de` and `giai_doan`.
    #[serde(rename = "chuyen-de")]
    ChuyenDe,
}

impl Loai {
    /// The key as written in `baocao.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Loai::SoKetQuy => "so-ket-quy",
            Loai::SoKet6Thang => "so-ket-6-thang",
            Loai::SoKet9Thang => "so-ket-9-thang",
            Loai::TongKetNam => "tong-ket-nam",
            Loai::ChuyenDe => "chuyen-de",
        }
    }
}

/// Which header layout the report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Kieu {
    /// State administrative layout (Nghị định 30/2020/NĐ-CP).
    #[default]
    #[serde(rename = "hanh-chinh")]
    HanhChinh,
    /// The Party's layout (Hướng dẫn 36-HD/VPTW).
    #[serde(rename = "dang")]
    Dang,
}

/// `[bao_cao]`: what report this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaoCao {
    /// Report kind.
    pub loai: Loai,
    /// Year.
    pub nam: i32,
    /// Quarter, for `so-ket-quy` only.
    #[serde(default)]
    pub quy: Option<u8>,
    /// Sector named in the title ("y tế").
    #[serde(default = "default_linh_vuc")]
    pub linh_vuc: String,
    /// A template of the user's instead of the built-in one.
    #[serde(default)]
    pub mau: Option<String>,
    /// Last year's record for the same period: a report folder (its
    /// `ket-qua/tong-hop.xlsx`) or a `tong-hop.xlsx`, relative to the
    /// report folder.
    #[serde(default)]
    pub cung_ky_tu: Option<String>,
    /// The units' deadline (`han_nop`): a date (the whole day) or a date
    /// and time; later submissions through the units' page are marked late.
    #[serde(default, deserialize_with = "de_deadline")]
    pub han_nop: Option<HanNop>,
    /// Whom units contact about their report (`lien_he`: an office, a
    /// telephone number), shown on their page and forms.
    #[serde(default)]
    pub lien_he: String,
    /// For `chuyen-de`: the subject line (`Kết quả thực hiện Chương trình …`).
    #[serde(default)]
    pub chu_de: String,
    /// For `chuyen-de`: the period text used wherever a review names its
    /// period (`giai đoạn 2016-2020`).
    #[serde(default)]
    pub giai_doan: String,
}

/// A deadline: the moment after which a submission is late (local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HanNop {
    /// The last moment that is still on time.
    pub luc: NaiveDateTime,
    /// True when only a date was given: the whole day is on time.
    pub ca_ngay: bool,
}

impl HanNop {
    /// Whether something received at `at` (local time) is late.
    pub fn is_late(&self, at: NaiveDateTime) -> bool {
        at > self.luc
    }

    /// As people read it: `17:00 ngày 05/07/2024`, or `ngày 05/07/2024`.
    pub fn words(&self) -> String {
        if self.ca_ngay {
            self.luc.format("ngày %d/%m/%Y").to_string()
        } else {
            self.luc.format("%H:%M ngày %d/%m/%Y").to_string()
        }
    }
}

/// `han_nop`: a TOML date (`2024-07-05`, the whole day), a local date and
/// time (`2024-07-05T17:00:00`, `2024-07-05 17:00`), or one with an offset
/// (taken to this computer's clock).
fn de_deadline<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<HanNop>, D::Error> {
    use serde::de::Error;
    let bad = || D::Error::custom("cần ngày dạng 2024-07-05 hoặc ngày giờ dạng 2024-07-05 17:00");
    let dt = toml::value::Datetime::deserialize(d)?;
    let date = dt.date.ok_or_else(bad)?;
    let date = NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
        .ok_or_else(bad)?;
    let Some(t) = dt.time else {
        let end = NaiveTime::from_hms_opt(23, 59, 59).ok_or_else(bad)?;
        return Ok(Some(HanNop {
            luc: date.and_time(end),
            ca_ngay: true,
        }));
    };
    let time = NaiveTime::from_hms_opt(t.hour as u32, t.minute as u32, t.second.min(59) as u32)
        .ok_or_else(bad)?;
    let mut luc = date.and_time(time);
    if let Some(offset) = dt.offset {
        let minutes = match offset {
            toml::value::Offset::Z => 0,
            toml::value::Offset::Custom { minutes } => minutes as i64,
        };
        let utc = luc - chrono::Duration::minutes(minutes);
        luc = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(utc, chrono::Utc)
            .with_timezone(&chrono::Local)
            .naive_local();
    }
    Ok(Some(HanNop {
        luc,
        ca_ngay: false,
    }))
}

/// TOML dates arrive as toml's own type, not a string.
fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;
    let dt = toml::value::Datetime::deserialize(d)?;
    match (dt.date, dt.time) {
        (Some(date), None) => {
            NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
                .ok_or_else(|| D::Error::custom("ngày không hợp lệ"))
        }
        _ => Err(D::Error::custom(
            "cần một ngày dạng 2024-07-08 (không kèm giờ)",
        )),
    }
}

fn default_linh_vuc() -> String {
    "y tế".to_string()
}

/// `[co_quan]`: the issuing body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoQuan {
    /// Header layout.
    #[serde(default)]
    pub kieu: Kieu,
    /// Governing body (`UBND TỈNH ĐỒNG NAI`, or `ĐẢNG BỘ TỈNH …`).
    pub chu_quan: String,
    /// Issuing body (`SỞ Y TẾ`, or `ĐẢNG ỦY SỞ Y TẾ`).
    pub ban_hanh: String,
    /// Place name in the date line.
    pub dia_danh: String,
    /// The issuing body as named in running text (`Sở Y tế`); empty means
    /// derived from `ban_hanh` (first two words capitalised).
    #[serde(default)]
    pub ten_goi: String,
}

impl CoQuan {
    /// The issuing body's name for running text.
    pub fn ten_goi(&self) -> String {
        if !self.ten_goi.trim().is_empty() {
            return self.ten_goi.trim().to_string();
        }
        self.ban_hanh
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| {
                let lower = w.to_lowercase();
                if i < 2 {
                    let mut c = lower.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                } else {
                    lower
                }
            })
            .collect::<Vec<String>>()
            .join(" ")
    }
}

/// `[van_ban]`: the document's number, date and recipients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VanBan {
    /// Number and symbol (`123/BC-SYT`); empty for a draft.
    #[serde(default)]
    pub so: String,
    /// Date of issue (a TOML date: `2024-07-08`).
    #[serde(deserialize_with = "de_date")]
    pub ngay: NaiveDate,
    /// Subject; empty means the default from `loai` and `nam`.
    #[serde(default)]
    pub trich_yeu: String,
    /// `Kính gửi` line; empty means none.
    #[serde(default)]
    pub kinh_gui: String,
    /// Recipients listed under `Nơi nhận`.
    #[serde(default)]
    pub noi_nhan: Vec<String>,
}

/// `[ky]`: who signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ky {
    /// `KT. GIÁM ĐỐC`, `TM. BAN THƯỜNG VỤ` …; empty when the head signs.
    #[serde(default)]
    pub quyen_han: String,
    /// `PHÓ GIÁM ĐỐC`; empty when the head signs in person.
    #[serde(default)]
    pub chuc_vu: String,
    /// Signer's name.
    pub ho_ten: String,
}

/// `[hoi_nghi]`: the conference the handout is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoiNghi {
    /// Its name (`Hội nghị sơ kết công tác y tế 6 tháng đầu năm 2024`).
    pub ten: String,
    /// Where (`Hội trường Sở Y tế`).
    #[serde(default)]
    pub dia_diem: String,
    /// When.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub ngay: Option<NaiveDate>,
    /// The programme, in order.
    #[serde(default)]
    pub chuong_trinh: Vec<MucChuongTrinh>,
}

/// One item of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MucChuongTrinh {
    /// Time (`08:00`).
    #[serde(default)]
    pub gio: String,
    /// What.
    pub noi_dung: String,
    /// Who presents it.
    #[serde(default)]
    pub trinh_bay: String,
}

fn de_opt_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    de_date(d).map(Some)
}

/// Everything `baocao.toml` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `[bao_cao]`.
    pub bao_cao: BaoCao,
    /// `[co_quan]`.
    pub co_quan: CoQuan,
    /// `[van_ban]`.
    pub van_ban: VanBan,
    /// `[ky]`.
    pub ky: Ky,
    /// `[hoi_nghi]`, optional.
    #[serde(default)]
    pub hoi_nghi: Option<HoiNghi>,
}

/// Why `baocao.toml` could not be used; the message names the key and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SettingsError {
    /// File name.
    pub file: String,
    /// Vietnamese message naming the key and the line.
    pub message: String,
}

impl Settings {
    /// Parse `baocao.toml` text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Settings, SettingsError> {
        let err = |message: String| SettingsError {
            file: file.to_string(),
            message,
        };
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let what = translate_toml_error(e.message());
            match line {
                Some(l) => err(format!("dòng {l}: {what}")),
                None => err(what),
            }
        })?;
        if settings.bao_cao.loai == Loai::SoKetQuy {
            match settings.bao_cao.quy {
                Some(1..=4) => {}
                Some(q) => {
                    return Err(err(format!(
                        "khóa bao_cao.quy: gặp {q}, cần một số từ 1 đến 4 cho loai = \"so-ket-quy\""
                    )))
                }
                None => {
                    return Err(err(
                        "thiếu khóa bao_cao.quy (1 đến 4), bắt buộc khi loai = \"so-ket-quy\""
                            .to_string(),
                    ))
                }
            }
        }
        if settings.bao_cao.loai == Loai::ChuyenDe {
            for (key, v) in [
                ("chu_de", &settings.bao_cao.chu_de),
                ("giai_doan", &settings.bao_cao.giai_doan),
            ] {
                if v.trim().is_empty() {
                    let line = text
                        .lines()
                        .position(|l| l.trim_start().starts_with("loai"))
                        .map(|i| format!("dòng {}: ", i + 1))
                        .unwrap_or_default();
                    return Err(err(format!(
                        "{line}thiếu khóa bao_cao.{key}, bắt buộc khi loai = \"chuyen-de\" (ví dụ: chu_de = \"Kết quả thực hiện Chương trình mục tiêu y tế - dân số\", giai_doan = \"giai đoạn 2016-2020\")"
                    )));
                }
            }
        }
        if !(1990..=2100).contains(&settings.bao_cao.nam) {
            return Err(err(format!(
                "khóa bao_cao.nam: gặp {}, cần một năm như 2024",
                settings.bao_cao.nam
            )));
        }
        if let Ok(table) = text.parse::<toml::Table>() {
            if let Some((key, n)) = too_long(&table, "") {
                let last = key.rsplit('.').next().unwrap_or(&key);
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with(last))
                    .map(|i| format!("dòng {}: ", i + 1))
                    .unwrap_or_default();
                return Err(err(format!(
                    "{line}khóa {key}: dài {} ký tự, quá giới hạn {} (mỗi giá trị là một dòng hay một đoạn ngắn)",
                    crate::vi::number::format_decimal((n as u64).into()),
                    crate::vi::number::format_decimal((MAX_VALUE_CHARS as u64).into())
                )));
            }
        }
        Ok(settings)
    }
}

/// Longest text a setting may hold: every value is a line or a short
/// paragraph, and a huge one only makes the documents slow to lay out.
pub const MAX_VALUE_CHARS: usize = 2_000;

/// The first string value longer than [`MAX_VALUE_CHARS`]: its key and length.
fn too_long(table: &toml::Table, prefix: &str) -> Option<(String, usize)> {
    fn walk(v: &toml::Value, key: &str) -> Option<(String, usize)> {
        match v {
            toml::Value::String(s) => {
                let n = s.chars().count();
                (n > MAX_VALUE_CHARS).then(|| (key.to_string(), n))
            }
            toml::Value::Array(a) => a.iter().find_map(|x| walk(x, key)),
            toml::Value::Table(t) => too_long(t, key),
            _ => None,
        }
    }
    table.iter().find_map(|(k, v)| {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        walk(v, &key)
    })
}

/// toml's English messages, in the words an office user reads.
fn translate_toml_error(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu khóa {}", rest.trim_matches('`'));
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let name = rest.split(',').next().unwrap_or(rest).trim_matches('`');
        return format!("khóa không biết: {name} ({msg})");
    }
    if msg.starts_with("unknown variant") {
        return format!("giá trị không hợp lệ ({msg}); loai phải là so-ket-quy, so-ket-6-thang, so-ket-9-thang, tong-ket-nam hoặc chuyen-de; kieu phải là hanh-chinh hoặc dang");
    }
    if msg.starts_with("invalid type") {
        return format!("sai kiểu giá trị ({msg})");
    }
    format!("không đọc được ({msg})")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[bao_cao]
loai = "so-ket-6-thang"
nam = 2024
linh_vuc = "y tế"

[co_quan]
kieu = "hanh-chinh"
chu_quan = "UBND TỈNH ĐỒNG NAI"
ban_hanh = "SỞ Y TẾ"
dia_danh = "Đồng Nai"

[van_ban]
so = "123/BC-SYT"
ngay = 2024-07-08
noi_nhan = ["UBND tỉnh (để b/c)"]

[ky]
quyen_han = "KT. GIÁM ĐỐC"
chuc_vu = "PHÓ GIÁM ĐỐC"
ho_ten = "Nguyễn Văn A"
"#;

    #[test]
    fn parses_the_contract_example() {
        let s = Settings::parse(GOOD, "baocao.toml").unwrap();
        assert_eq!(s.bao_cao.loai, Loai::SoKet6Thang);
        assert_eq!(s.van_ban.ngay, NaiveDate::from_ymd_opt(2024, 7, 8).unwrap());
        assert_eq!(s.co_quan.kieu, Kieu::HanhChinh);
        assert_eq!(s.co_quan.ten_goi(), "Sở Y tế");
    }

    #[test]
    fn unknown_loai_names_the_line() {
        let bad = GOOD.replace("so-ket-6-thang", "so-ket-7-thang");
        let e = Settings::parse(&bad, "baocao.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dòng 3"), "{e}");
        assert!(e.contains("loai"), "{e}");
    }

    #[test]
    fn missing_key_is_named() {
        let bad = GOOD.replace("ho_ten = \"Nguyễn Văn A\"", "");
        let e = Settings::parse(&bad, "baocao.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("thiếu khóa ho_ten"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let bad = GOOD.replace("nam = 2024", "nam = \"2024\"");
        let e = Settings::parse(&bad, "baocao.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dòng 4"), "{e}");
    }

    #[test]
    fn deadline_is_a_date_or_a_date_and_time() {
        let s = Settings::parse(GOOD, "baocao.toml").unwrap();
        assert_eq!(s.bao_cao.han_nop, None);
        let with = |v: &str| {
            Settings::parse(
                &GOOD.replace("linh_vuc = \"y tế\"", &format!("han_nop = {v}")),
                "baocao.toml",
            )
        };
        let day = with("2024-07-05").unwrap().bao_cao.han_nop.unwrap();
        assert!(day.ca_ngay);
        assert_eq!(day.words(), "ngày 05/07/2024");
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert!(!day.is_late(at("2024-07-05 23:59:59")));
        assert!(day.is_late(at("2024-07-06 00:00:00")));
        let time = with("2024-07-05T17:00:00")
            .unwrap()
            .bao_cao
            .han_nop
            .unwrap();
        assert_eq!(time.words(), "17:00 ngày 05/07/2024");
        assert!(time.is_late(at("2024-07-05 17:00:01")));
        let short = with("2024-07-05 17:30").unwrap().bao_cao.han_nop.unwrap();
        assert_eq!(short.words(), "17:30 ngày 05/07/2024");
        let e = with("\"thứ sáu\"").unwrap_err().to_string();
        assert!(e.contains("dòng 5"), "{e}");
    }

    #[test]
    fn quarterly_needs_quarter() {
        let bad = GOOD.replace("so-ket-6-thang", "so-ket-quy");
        let e = Settings::parse(&bad, "baocao.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bao_cao.quy"), "{e}");
    }
}
