//! Words for figures: tăng/giảm/không đổi against the same period, đạt/vượt
//! against plan, differences in points or in the indicator's own unit.

use super::number::{format_decimal, round_half_away};
use rust_decimal::Decimal;

/// "tăng 12,5%".
pub fn so_voi_cung_ky(pct: Decimal) -> String {
    let p = round_half_away(pct, 2);
    if p.is_zero() {
        "không đổi".into()
    } else if p > Decimal::ZERO {
        format!("tăng {}%", format_decimal(p))
    } else {
        format!("giảm {}%", format_decimal(-p))
    }
}
/// "giảm 73.066 ca".
pub fn chenh_lech(diff: Decimal, dvt: &str) -> String {
    let p = round_half_away(diff, 2);
    let u = if dvt.is_empty() {
        String::new()
    } else {
        format!(" {dvt}")
    };
    if p.is_zero() {
        "không đổi".into()
    } else if p > Decimal::ZERO {
        format!("tăng {}{u}", format_decimal(p))
    } else {
        format!("giảm {}{u}", format_decimal(-p))
    }
}
/// "tăng 2,3 điểm phần trăm".
pub fn diem_phan_tram(diff: Decimal) -> String {
    chenh_lech(diff, "điểm phần trăm")
}
/// "đạt 46,8% kế hoạch".
pub fn so_voi_ke_hoach(pct: Decimal) -> String {
    let p = round_half_away(pct, 2);
    if p > Decimal::ONE_HUNDRED {
        format!(
            "vượt {}% so với kế hoạch",
            format_decimal(p - Decimal::ONE_HUNDRED)
        )
    } else {
        format!("đạt {}% kế hoạch", format_decimal(p))
    }
}
/// "vượt 10,5 điểm phần trăm so với kế hoạch".
pub fn so_voi_ke_hoach_diem(d: Decimal) -> String {
    let p = round_half_away(d, 2);
    if p.is_zero() {
        "đạt kế hoạch".into()
    } else if p > Decimal::ZERO {
        format!("vượt {} điểm phần trăm so với kế hoạch", format_decimal(p))
    } else {
        format!("thấp hơn kế hoạch {} điểm phần trăm", format_decimal(-p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn wording_and_rounding() {
        assert_eq!(so_voi_cung_ky(d("12.5")), "tăng 12,5%");
        assert_eq!(so_voi_cung_ky(d("-33.45")), "giảm 33,45%");
        assert_eq!(so_voi_cung_ky(d("0.004")), "không đổi");
        assert_eq!(so_voi_cung_ky(d("-97.6855")), "giảm 97,69%");
        assert_eq!(chenh_lech(d("-73066"), "ca"), "giảm 73.066 ca");
        assert_eq!(chenh_lech(d("120"), "lượt"), "tăng 120 lượt");
        assert_eq!(chenh_lech(d("0"), "ca"), "không đổi");
        assert_eq!(chenh_lech(d("5"), ""), "tăng 5");
        assert_eq!(diem_phan_tram(d("2.3")), "tăng 2,3 điểm phần trăm");
        assert_eq!(diem_phan_tram(d("-1.25")), "giảm 1,25 điểm phần trăm");
        assert_eq!(so_voi_ke_hoach(d("46.7997")), "đạt 46,8% kế hoạch");
        assert_eq!(so_voi_ke_hoach(d("100")), "đạt 100% kế hoạch");
        assert_eq!(so_voi_ke_hoach(d("110.5")), "vượt 10,5% so với kế hoạch");
        assert_eq!(
            so_voi_ke_hoach_diem(d("10.5")),
            "vượt 10,5 điểm phần trăm so với kế hoạch"
        );
        assert_eq!(
            so_voi_ke_hoach_diem(d("-3.2")),
            "thấp hơn kế hoạch 3,2 điểm phần trăm"
        );
        assert_eq!(so_voi_ke_hoach_diem(d("0")), "đạt kế hoạch");
    }
}
