//! The helpers that write figures and their comparisons in words, as the
//! catalogue's `Cách so sánh` asks: `so_voi_…`, `cau_cung_ky`,
//! `chenh_lech_cung_ky`, `pham_vi`, the appendix cells `o_…` and the
//! sentence `cau_chi_tieu`. A comparison that covers fewer units than the
//! result always says so, unless the template says it itself.

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use rust_decimal::Decimal;
use serde_json::Value;

use super::escape::escape_markdown;
use super::helpers::{describe, err, field, object_param, param};
use crate::catalog::CachSoSanh;
use crate::vi::number::format_decimal;
use crate::vi::wording;

/// `{{so_voi_cung_ky ct}}`: `tăng 12,5%` / `giảm 33,45%` / `không đổi`; for
/// a rate `tăng 2,3 điểm phần trăm` (`don_vi="%"` gives `tăng 2,3%`).
pub(super) fn so_voi_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "so_voi_cung_ky")?;
    let pct_words = h.hash_get("don_vi").and_then(|v| v.value().as_str()) == Some("%");
    if let Some(t) = same_period_words(o, pct_words) {
        out.write(&t)?;
        write_coverage(h, o, "so_sanh_cung_ky", out)?;
    }
    Ok(())
}

/// ` (tính trên 4/5 đơn vị có đủ số liệu)` after a comparison that covers
/// fewer units than the result, unless the template asks `pham_vi=false`
/// (and says it itself with `{{pham_vi …}}`).
fn write_coverage(
    h: &Helper<'_>,
    o: &serde_json::Map<String, Value>,
    key: &str,
    out: &mut dyn Output,
) -> HelperResult {
    let wanted = h
        .hash_get("pham_vi")
        .and_then(|v| v.value().as_bool())
        .unwrap_or(true);
    if let (true, Some(c)) = (wanted, coverage(o.get(key))) {
        out.write(&format!(" ({c})"))?;
    }
    Ok(())
}

/// `tính trên 4/5 đơn vị có đủ số liệu` for a comparison object that
/// covers fewer units than the result; None when it covers them all.
fn coverage(c: Option<&Value>) -> Option<String> {
    let c = c?.as_object()?;
    let n = c.get("so_don_vi")?.as_u64()?;
    let of = c.get("so_don_vi_bao_cao")?.as_u64()?;
    (n < of).then(|| format!("tính trên {n}/{of} đơn vị có đủ số liệu"))
}

/// `{{pham_vi chi_tieu.X.so_sanh_cung_ky}}`: `tính trên 4/5 đơn vị có đủ
/// số liệu` when the comparison covers fewer units than the result;
/// nothing otherwise (or when there is no comparison).
pub(super) fn pham_vi(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param(h, 0, "pham_vi")?;
    match v.value() {
        Value::Null => {}
        Value::Object(o) if o.contains_key("so_don_vi") => {
            if let Some(c) = coverage(Some(v.value())) {
                out.write(&c)?;
            }
        }
        other => {
            return Err(err(
                "pham_vi",
                format!(
                    "tham số phải là một so sánh (ví dụ chi_tieu.KCB_LUOT.so_sanh_cung_ky), gặp {}",
                    describe(other)
                ),
            ))
        }
    }
    Ok(())
}

/// A signed number for a table cell: `+2,3`, `-73.066`, `0`.
fn signed(d: Decimal) -> String {
    let sign = if d > Decimal::ZERO { "+" } else { "" };
    format!("{sign}{}", format_decimal(d))
}

fn la_ty_le(o: &serde_json::Map<String, Value>) -> bool {
    o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false)
}

/// The indicator's `Cách so sánh` (per cent when the context has none).
fn cach(o: &serde_json::Map<String, Value>) -> CachSoSanh {
    match o.get("cach_so_sanh").and_then(Value::as_str) {
        Some("so-tuyet-doi") => CachSoSanh::SoTuyetDoi,
        Some("ca-hai") => CachSoSanh::CaHai,
        _ => CachSoSanh::PhanTram,
    }
}

/// An appendix cell: its text, then the note number `(1)` when the
/// comparison carries one (joined by a no-break space, so that a column
/// never splits a figure from its note).
fn with_note(o: &serde_json::Map<String, Value>, key: &str, text: Option<String>) -> String {
    let note = o
        .get(key)
        .and_then(|c| c.get("chu_thich"))
        .and_then(Value::as_u64);
    match (text, note) {
        (Some(t), Some(n)) => format!("{t}\u{a0}({n})"),
        (Some(t), None) => t,
        // A rate's plan: no % of plan; its note gives the difference.
        (None, Some(n)) if key == "so_sanh_ke_hoach" && la_ty_le(o) => format!("({n})"),
        (None, _) => String::new(),
    }
}

/// `{{o_ke_hoach ct}}`: the appendix's "Tỷ lệ % so với KH" cell: a
/// count's % of plan; for a rate only the number of the note that gives
/// its difference from the plan.
pub(super) fn o_ke_hoach(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "o_ke_hoach")?;
    let text = if la_ty_le(o) {
        None
    } else {
        field(o, "ty_le_ke_hoach").map(format_decimal)
    };
    out.write(&with_note(o, "so_sanh_ke_hoach", text))?;
    Ok(())
}

/// `{{o_cung_ky ct}}`: the appendix's "So với cùng kỳ (%)" cell: a count's
/// change in %, when its `Cách so sánh` writes the per cent; empty for a
/// rate (its change is a difference: `o_chenh_lech_cung_ky`).
pub(super) fn o_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "o_cung_ky")?;
    let text = if la_ty_le(o) || !cach(o).phan_tram() {
        None
    } else {
        field(o, "so_voi_cung_ky").map(format_decimal)
    };
    out.write(&with_note(o, "so_sanh_cung_ky", text))?;
    Ok(())
}

/// `{{o_chenh_lech_cung_ky ct}}`: the appendix's "Chênh lệch so với cùng
/// kỳ" cell, in the indicator's unit: a rate's difference (points for a %
/// rate) always, a count's when its `Cách so sánh` writes the difference.
pub(super) fn o_chenh_lech_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "o_chenh_lech_cung_ky")?;
    let text = if la_ty_le(o) || cach(o).tuyet_doi() {
        field(o, "chenh_lech_cung_ky").map(signed)
    } else {
        None
    };
    out.write(&with_note(o, "so_sanh_cung_ky", text))?;
    Ok(())
}

/// `{{chenh_lech_cung_ky ct}}`: `giảm 73.066 ca`, with the indicator's unit.
pub(super) fn chenh_lech_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "chenh_lech_cung_ky")?;
    let rate = o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false);
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("");
    if let Some(d) = field(o, "chenh_lech_cung_ky") {
        let t = if rate && dvt.trim() == "%" {
            wording::diem_phan_tram(d)
        } else {
            wording::chenh_lech(d, dvt.trim())
        };
        out.write(&escape_markdown(&t))?;
        write_coverage(h, o, "so_sanh_cung_ky", out)?;
    }
    Ok(())
}

/// `{{so_voi_ke_hoach ct}}`: `đạt 46,8% kế hoạch`, `vượt 10,5% so với kế
/// hoạch`; for a rate the difference in points, or `chưa đạt kế hoạch (thấp
/// hơn … điểm phần trăm)`.
pub(super) fn so_voi_ke_hoach(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "so_voi_ke_hoach")?;
    if let Some(t) = plan_words(o) {
        out.write(&t)?;
        write_coverage(h, o, "so_sanh_ke_hoach", out)?;
    }
    Ok(())
}

fn plan_words(o: &serde_json::Map<String, Value>) -> Option<String> {
    let rate = o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false);
    if !rate {
        return field(o, "ty_le_ke_hoach").map(wording::so_voi_ke_hoach);
    }
    let d = field(o, "chenh_lech_ke_hoach")?;
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    let unit = if dvt == "%" {
        "điểm phần trăm".to_string()
    } else {
        escape_markdown(dvt)
    };
    Some(if d.is_zero() {
        "đạt kế hoạch".to_string()
    } else if d > Decimal::ZERO {
        format!("vượt {} {unit} so với kế hoạch", format_decimal(d))
    } else {
        format!("chưa đạt kế hoạch (thấp hơn {} {unit})", format_decimal(-d))
    })
}

/// Change against the same period: % for counts; for a % rate the
/// difference in points (or written with `%` when `pct_sign`, as offices
/// often do); for another ratio the difference in its own unit.
fn same_period_words(o: &serde_json::Map<String, Value>, pct_sign: bool) -> Option<String> {
    let rate = o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false);
    if !rate {
        return field(o, "so_voi_cung_ky").map(wording::so_voi_cung_ky);
    }
    let d = field(o, "chenh_lech_cung_ky")?;
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    Some(match (dvt == "%", pct_sign) {
        (true, true) => wording::so_voi_cung_ky(d),
        (true, false) => wording::diem_phan_tram(d),
        _ => escape_markdown(&wording::chenh_lech(d, dvt)),
    })
}

/// `{{cau_chi_tieu ct}}`: one full sentence on an indicator, by level where
/// more than one level reported it; nothing when nobody reported it.
/// `Tổng số lượt khám bệnh: 324.358 lượt, đạt 46,73% kế hoạch, tăng 5,2% so
/// với cùng kỳ năm 2023; trong đó tuyến tỉnh 167.093 lượt, đạt 46,8% kế
/// hoạch; tuyến huyện 157.265 lượt, đạt 46,67% kế hoạch.`
pub(super) fn cau_chi_tieu(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "cau_chi_tieu")?;
    let cung_ky = period_name(ctx);
    if let Some(s) = sentence(o, &cung_ky) {
        out.write(&s)?;
    }
    Ok(())
}

fn value_with_unit(o: &serde_json::Map<String, Value>) -> Option<String> {
    let v = field(o, "gia_tri")?;
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    Some(amount(v, dvt))
}

fn sentence(o: &serde_json::Map<String, Value>, cung_ky: &str) -> Option<String> {
    let ten = escape_markdown(o.get("ten").and_then(Value::as_str).unwrap_or(""));
    let main = value_with_unit(o)?;
    let rate = o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false);
    let mut s = format!("{ten}: {main}");
    s.push_str(&comparisons(o, Some(cung_ky)));
    // By level, when more than one level reported it.
    if let Some(Value::Object(levels)) = o.get("theo_tuyen") {
        let parts: Vec<String> = levels
            .values()
            .filter_map(|l| {
                let lo = l.as_object()?;
                let mut lo2 = lo.clone();
                lo2.insert("dvt".into(), o.get("dvt").cloned().unwrap_or(Value::Null));
                lo2.insert("la_ty_le".into(), Value::Bool(rate));
                lo2.insert(
                    "cach_so_sanh".into(),
                    o.get("cach_so_sanh").cloned().unwrap_or(Value::Null),
                );
                let v = value_with_unit(&lo2)?;
                let name = escape_markdown(lo.get("ten").and_then(Value::as_str).unwrap_or(""));
                Some(format!("{name} {v}{}", comparisons(&lo2, None)))
            })
            .collect();
        if parts.len() > 1 {
            s.push_str("; trong đó ");
            s.push_str(&parts.join("; "));
        }
    }
    s.push('.');
    Some(s)
}

/// A figure with its unit: `73.071 ca`, `89,73%`, `8,43 bác sĩ/vạn dân`.
fn amount(v: Decimal, dvt: &str) -> String {
    match dvt {
        "%" => format!("{}%", format_decimal(v)),
        "" => format_decimal(v),
        d => format!("{} {}", format_decimal(v), escape_markdown(d)),
    }
}

/// The same-period clause as the indicator's `Cách so sánh` asks, and
/// what goes in brackets after it: `giảm 33,45% so với cùng kỳ năm 2023`;
/// `giảm 73.066 ca so với cùng kỳ năm 2022` and `73.071 ca`; `giảm 73.066
/// ca (99,99%) so với cùng kỳ năm 2022`. A rate's change is its difference
/// (points for a % rate), with last year's rate in brackets when the
/// difference is asked for. The bracketed figure is the comparison's own
/// base, over the units it covers, so the difference can be checked.
fn same_period_clause(
    o: &serde_json::Map<String, Value>,
    cung_ky: &str,
) -> Option<(String, Option<String>)> {
    let ck = escape_markdown(cung_ky);
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    let how = cach(o);
    let base = o
        .get("so_sanh_cung_ky")
        .and_then(|c| c.as_object())
        .and_then(|c| field(c, "cung_ky"))
        .or_else(|| field(o, "cung_ky"))
        .map(|b| amount(b, dvt));
    if la_ty_le(o) {
        let words = same_period_words(o, false)?;
        let bracket = if how.tuyet_doi() { base } else { None };
        return Some((format!("{words} so với {ck}"), bracket));
    }
    let diff = field(o, "chenh_lech_cung_ky");
    let pct = field(o, "so_voi_cung_ky");
    let diff_words = |d: Decimal| escape_markdown(&wording::chenh_lech(d, dvt));
    Some(match (how, diff, pct) {
        (CachSoSanh::PhanTram, _, Some(p)) => {
            (format!("{} so với {ck}", wording::so_voi_cung_ky(p)), None)
        }
        (CachSoSanh::CaHai, Some(d), Some(p)) if !d.is_zero() => (
            format!(
                "{} ({}%) so với {ck}",
                diff_words(d),
                format_decimal(p.abs())
            ),
            None,
        ),
        (CachSoSanh::SoTuyetDoi | CachSoSanh::CaHai, Some(d), _) => {
            (format!("{} so với {ck}", diff_words(d)), base)
        }
        _ => return None,
    })
}

/// `{{cau_cung_ky ct}}`: the same-period clause as the indicator's `Cách
/// so sánh` asks, with the period's name and the coverage: `giảm 73.066 ca
/// so với cùng kỳ năm 2022 (73.071 ca)`, `tăng 6,3% so với cùng kỳ năm 2023
/// (tính trên 4/5 đơn vị có đủ số liệu)`.
pub(super) fn cau_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "cau_cung_ky")?;
    let wanted = h
        .hash_get("pham_vi")
        .and_then(|v| v.value().as_bool())
        .unwrap_or(true);
    let ck = period_name(ctx);
    if let Some((text, bracket)) = same_period_clause(o, &ck) {
        let cov = wanted.then(|| coverage(o.get("so_sanh_cung_ky"))).flatten();
        out.write(&with_bracket(text, bracket, cov))?;
    }
    Ok(())
}

/// `cùng kỳ năm 2023`, from the context.
fn period_name(ctx: &Context) -> String {
    ctx.data()
        .pointer("/bao_cao/cung_ky")
        .and_then(Value::as_str)
        .unwrap_or("cùng kỳ")
        .to_string()
}

/// `text (bracket; coverage)`, `text (bracket)`, `text (coverage)` or `text`.
fn with_bracket(text: String, bracket: Option<String>, cov: Option<String>) -> String {
    match (bracket, cov) {
        (Some(b), Some(c)) => format!("{text} ({b}; {c})"),
        (Some(x), None) | (None, Some(x)) => format!("{text} ({x})"),
        (None, None) => text,
    }
}

/// `, đạt 48,73% kế hoạch, giảm 0,54% so với cùng kỳ năm 2023 (tính trên
/// 4/5 đơn vị có đủ số liệu)`: the plan and (when `cung_ky` names the
/// period) same-period clauses, each with its coverage when partial; one
/// coverage note for both when they cover the same number of units.
fn comparisons(o: &serde_json::Map<String, Value>, cung_ky: Option<&str>) -> String {
    let plan = plan_words(o).map(|p| (p, coverage(o.get("so_sanh_ke_hoach"))));
    let same = cung_ky.and_then(|ck| {
        same_period_clause(o, ck).map(|(c, b)| (c, b, coverage(o.get("so_sanh_cung_ky"))))
    });
    let mut s = String::new();
    match (plan, same) {
        (Some((p, Some(pc))), Some((c, b, Some(sc)))) if pc == sc => {
            s.push_str(&format!(", {p}, "));
            s.push_str(&with_bracket(c, b, Some(format!("cả hai so sánh {pc}"))));
        }
        (plan, same) => {
            if let Some((p, pc)) = plan {
                s.push_str(", ");
                s.push_str(&with_bracket(p, None, pc));
            }
            if let Some((c, b, sc)) = same {
                s.push_str(", ");
                s.push_str(&with_bracket(c, b, sc));
            }
        }
    }
    s
}
