//! Notes under the appendix's main table: for every province comparison
//! that covers fewer units than the result, the units it covers, the bases
//! it compared and the units it left out, so that it can be recomputed by
//! hand.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::compile::{Comparison, CompiledIndicator};
use crate::vi::number::format_decimal;

fn amount(v: Option<Decimal>, dvt: &str) -> String {
    let Some(v) = v else {
        return "không tính được".to_string();
    };
    let n = format_decimal(v);
    match dvt {
        "" => n,
        "%" => format!("{n}%"),
        d => format!("{n} {d}"),
    }
}

fn part(c: &Comparison, counted: usize, what: &str, base: &str, dvt: &str) -> Option<String> {
    if c.so_don_vi >= counted {
        return None;
    }
    let mut s = format!(
        "{what} tính trên {}/{counted} đơn vị có đủ số liệu (thực hiện {}, {base} {})",
        c.so_don_vi,
        amount(c.gia_tri, dvt),
        amount(c.co_so, dvt)
    );
    if !c.khong_tinh.is_empty() {
        let units: Vec<String> = c
            .khong_tinh
            .iter()
            .map(|u| format!("{} (thiếu {})", u.ten, u.thieu))
            .collect();
        s.push_str(&format!("; không tính {}", units.join(", ")));
    }
    Some(s)
}

/// The note for one indicator (numbered `n`), when a province comparison
/// of it is partial: `{so, ma, ten, van_ban}`.
pub fn note(ci: &CompiledIndicator, n: usize) -> Option<Value> {
    let f = &ci.tinh;
    let dvt = ci.chi_tieu.dvt.trim();
    let counted = f.so_don_vi_bao_cao;
    let parts: Vec<String> = [
        f.so_sanh_ke_hoach
            .as_ref()
            .and_then(|c| part(c, counted, "so với kế hoạch", "kế hoạch", dvt)),
        f.so_sanh_cung_ky
            .as_ref()
            .and_then(|c| part(c, counted, "so với cùng kỳ", "cùng kỳ", dvt)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        return None;
    }
    let ten = ci.chi_tieu.ten.trim();
    Some(json!({
        "so": n,
        "ma": ci.chi_tieu.ma,
        "ten": ten,
        "van_ban": format!("({n}) {ten}: {}.", parts.join("; ")),
    }))
}
