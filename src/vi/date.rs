//! Dates the Vietnamese way (placeholder until the full module lands).

use chrono::{Datelike, NaiveDate};

/// "ngày 08 tháng 7 năm 2024".
pub fn ngay_thang_nam(d: NaiveDate) -> String {
    let m = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {m} năm {}", d.day(), d.year())
}

/// "24/6/2020".
pub fn ngay_ngan(d: NaiveDate) -> String {
    let m = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{:02}/{m}/{}", d.day(), d.year())
}

/// "Thứ Tư, ngày 24/6/2020".
pub fn thu_ngay(d: NaiveDate) -> String {
    let t = match d.weekday() {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ nhật",
    };
    format!("{t}, ngày {}", ngay_ngan(d))
}
