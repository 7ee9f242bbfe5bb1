//! Words for figures (placeholder until the full module lands).

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
