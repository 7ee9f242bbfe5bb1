//! Period words (placeholder until the full module lands).

use crate::settings::Loai;

/// The words for a report's period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodWords {
    /// "6 tháng đầu năm 2024".
    pub ky: String,
    /// "6 tháng đầu năm".
    pub ky_ngan: String,
    /// "6 tháng cuối năm 2024".
    pub ky_toi: String,
    /// "6 tháng cuối năm".
    pub ky_toi_ngan: String,
    /// "cùng kỳ năm 2023".
    pub cung_ky: String,
    /// "Thực hiện 6 tháng".
    pub thuc_hien: String,
    /// "Sơ kết".
    pub so_ket: String,
}

/// Words for a period.
pub fn period_words(_loai: Loai, nam: i32, _quy: Option<u8>) -> PeriodWords {
    PeriodWords {
        ky: format!("6 tháng đầu năm {nam}"),
        ky_ngan: "6 tháng đầu năm".into(),
        ky_toi: format!("6 tháng cuối năm {nam}"),
        ky_toi_ngan: "6 tháng cuối năm".into(),
        cung_ky: format!("cùng kỳ năm {}", nam - 1),
        thuc_hien: "Thực hiện 6 tháng".into(),
        so_ket: "Sơ kết".into(),
    }
}

/// Default subject.
pub fn trich_yeu_mac_dinh(loai: Loai, nam: i32, quy: Option<u8>, linh_vuc: &str) -> String {
    let w = period_words(loai, nam, quy);
    format!(
        "{} công tác {linh_vuc} {}, phương hướng, nhiệm vụ {}",
        w.so_ket, w.ky_ngan, w.ky_toi
    )
}

/// Read a period text.
pub fn parse_period(text: &str) -> Option<(Loai, i32, Option<u8>)> {
    let f = crate::vi::fold::fold(text);
    let year = f
        .split(' ')
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| *y > 1900)?;
    if f.contains("6 thang") {
        return Some((Loai::SoKet6Thang, year, None));
    }
    None
}
