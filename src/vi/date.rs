//! Dates the Vietnamese way, with the decree's rule: days below 10 and the
//! months 1 and 2 get a leading zero.

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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn decree_dates() {
        assert_eq!(ngay_thang_nam(day(2024, 7, 8)), "ngày 08 tháng 7 năm 2024");
        assert_eq!(ngay_thang_nam(day(2020, 1, 5)), "ngày 05 tháng 01 năm 2020");
        assert_eq!(ngay_thang_nam(day(2019, 6, 29)), "ngày 29 tháng 6 năm 2019");
        assert_eq!(
            ngay_thang_nam(day(2021, 2, 14)),
            "ngày 14 tháng 02 năm 2021"
        );
        assert_eq!(ngay_ngan(day(2020, 6, 24)), "24/6/2020");
        assert_eq!(ngay_ngan(day(2014, 2, 7)), "07/02/2014");
        assert_eq!(thu_ngay(day(2020, 6, 24)), "Thứ Tư, ngày 24/6/2020");
        assert_eq!(thu_ngay(day(2024, 7, 7)), "Chủ nhật, ngày 07/7/2024");
    }
}
