//! Notes under the appendix's tables, numbered in one sequence. Under the
//! main table: for every province comparison that covers fewer units than
//! the result, the units it covers, the bases it compared and the units it
//! left out, so that it can be recomputed by hand; for a rate with a plan,
//! its difference from the plan (a rate has no "% of plan", so its cell
//! holds only the note's number). Under the table by level: whose
//! population a per-population rate uses at each level.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::catalog::{CachTongHop, MauSo};
use crate::compile::{Comparison, Compiled, CompiledIndicator};
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

/// `; không tính Trung tâm Y tế huyện Đông Sơn (thiếu cùng kỳ năm trước)`.
fn left_out(c: &Comparison) -> String {
    if c.khong_tinh.is_empty() {
        return String::new();
    }
    let units: Vec<String> = c
        .khong_tinh
        .iter()
        .map(|u| format!("{} (thiếu {})", u.ten, u.thieu))
        .collect();
    format!("; không tính {}", units.join(", "))
}

fn part(c: &Comparison, counted: usize, what: &str, base: &str, dvt: &str) -> Option<String> {
    if c.so_don_vi >= counted {
        return None;
    }
    Some(format!(
        "{what} tính trên {}/{counted} đơn vị có đủ số liệu (thực hiện {}, {base} {}){}",
        c.so_don_vi,
        amount(c.gia_tri, dvt),
        amount(c.co_so, dvt),
        left_out(c)
    ))
}

/// A rate against its plan: the difference, in points for a % rate.
fn rate_plan(c: &Comparison, counted: usize, dvt: &str) -> String {
    let unit = if dvt == "%" || dvt.is_empty() {
        "điểm phần trăm".to_string()
    } else {
        dvt.to_string()
    };
    let words = match c.chenh_lech {
        Some(d) if d > Decimal::ZERO => format!("cao hơn kế hoạch {} {unit}", format_decimal(d)),
        Some(d) if d < Decimal::ZERO => format!("thấp hơn kế hoạch {} {unit}", format_decimal(-d)),
        Some(_) => "bằng kế hoạch".to_string(),
        None => "không tính được chênh lệch".to_string(),
    };
    let cover = if c.so_don_vi < counted && !c.ke_hoach_tinh {
        format!(" tính trên {}/{counted} đơn vị có đủ số liệu", c.so_don_vi)
    } else {
        String::new()
    };
    format!(
        "là tỷ lệ nên không tính tỷ lệ % so với kế hoạch; so với kế hoạch{cover} (thực hiện {}, kế hoạch {}): {words}{}",
        amount(c.gia_tri, dvt),
        amount(c.co_so, dvt),
        left_out(c)
    )
}

/// The note for one indicator (numbered `n`), when a province comparison
/// of it is partial or it is a rate with a plan: `{so, ma, ten, van_ban}`.
pub fn note(ci: &CompiledIndicator, n: usize) -> Option<Value> {
    let f = &ci.tinh;
    let dvt = ci.chi_tieu.dvt.trim();
    let counted = f.so_don_vi_bao_cao;
    let plan = f.so_sanh_ke_hoach.as_ref().and_then(|c| {
        if ci.chi_tieu.la_ty_le() {
            Some(rate_plan(c, counted, dvt))
        } else {
            part(c, counted, "so với kế hoạch", "kế hoạch", dvt)
        }
    });
    let same = f
        .so_sanh_cung_ky
        .as_ref()
        .and_then(|c| part(c, counted, "so với cùng kỳ", "cùng kỳ", dvt));
    let parts: Vec<String> = [plan, same].into_iter().flatten().collect();
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

/// The comparisons of the province figures that carry the indicator's
/// note number: a partial one, and a rate's comparison with its plan.
pub fn marked(ci: &CompiledIndicator) -> Vec<&'static str> {
    let f = &ci.tinh;
    let counted = f.so_don_vi_bao_cao;
    let partial = |c: &Option<Comparison>| c.as_ref().is_some_and(|c| c.so_don_vi < counted);
    let mut out = Vec::new();
    if (ci.chi_tieu.la_ty_le() && f.so_sanh_ke_hoach.is_some()) || partial(&f.so_sanh_ke_hoach) {
        out.push("so_sanh_ke_hoach");
    }
    if partial(&f.so_sanh_cung_ky) {
        out.push("so_sanh_cung_ky");
    }
    out
}

/// Whether an indicator is a rate over the registry's population.
pub fn per_population(ci: &CompiledIndicator) -> bool {
    matches!(
        ci.chi_tieu.cach,
        CachTongHop::TyLe {
            mau_so: MauSo::DanSo,
            ..
        }
    ) && ci.chi_tieu.loi.is_none()
}

/// The note under the table by level for the rates over the registry's
/// population (`rates`, all sharing one population per level): whose
/// population each level and the province use.
pub fn level_note(rates: &[&CompiledIndicator], compiled: &Compiled, n: usize) -> Option<Value> {
    let first = rates.first()?;
    let name = |key: &str| {
        compiled
            .levels
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.ten.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let people = |p: Decimal| format!("{} người", format_decimal(p));
    let with: Vec<String> = first
        .theo_tuyen
        .iter()
        .filter_map(|(k, f)| f.dan_so.map(|p| format!("{} {}", name(k), people(p))))
        .collect();
    let without: Vec<String> = first
        .theo_tuyen
        .iter()
        .filter(|(_, f)| f.dan_so.is_none())
        .map(|(k, _)| name(k))
        .collect();
    let names: Vec<&str> = rates.iter().map(|c| c.chi_tieu.ten.trim()).collect();
    let mut s = format!(
        "({n}) {} tính trên dân số ghi trong danh sách đơn vị: mỗi tuyến trên dân số các đơn vị của tuyến đó",
        names.join(", ")
    );
    if !with.is_empty() {
        s.push_str(&format!(" ({})", with.join(", ")));
    }
    if !without.is_empty() {
        s.push_str(&format!(
            "; {} không có đơn vị nào ghi dân số nên để trống",
            without.join(", ")
        ));
    }
    match first.tinh.dan_so {
        Some(p) => s.push_str(&format!(
            "; toàn tỉnh: số liệu của mọi tuyến trên dân số toàn tỉnh ({})",
            people(p)
        )),
        None => s.push_str("; toàn tỉnh không có dân số nên để trống"),
    }
    s.push('.');
    Some(json!({
        "so": n,
        "ma": rates.iter().map(|c| c.chi_tieu.ma.clone()).collect::<Vec<_>>(),
        "ten": names.join(", "),
        "van_ban": s,
    }))
}
