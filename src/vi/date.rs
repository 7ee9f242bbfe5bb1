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
