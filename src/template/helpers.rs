//! Handlebars helpers for writing figures, dates and sentences the
//! Vietnamese way. Every helper is documented with examples in
//! `docs/templates.md`.

use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, Renderable, ScopedJson,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

use super::escape::escape_markdown;
use super::figures;
use crate::vi::date::{ngay_ngan, ngay_thang_nam, thu_ngay};
use crate::vi::number::{f64_to_decimal, format_decimal};

/// Names of every helper, for suggestions in error messages.
pub const HELPER_NAMES: &[&str] = &[
    "so",
    "phan_tram",
    "so_voi_cung_ky",
    "chenh_lech_cung_ky",
    "so_voi_ke_hoach",
    "pham_vi",
    "o_ke_hoach",
    "o_cung_ky",
    "o_chenh_lech_cung_ky",
    "cau_cung_ky",
    "can_viet",
    "ngay",
    "ngay_ngan",
    "thu_ngay",
    "neu_co",
    "cau_chi_tieu",
    "cong",
    "la_ma",
    "hoa",
    "hoa_dau",
    "thuong_dau",
    "bieu_do",
    "if",
    "unless",
    "each",
    "with",
    "lookup",
    "eq",
    "ne",
    "gt",
    "lt",
    "and",
    "or",
    "not",
    "len",
];

/// Register every helper.
pub fn register(hb: &mut Handlebars<'_>) {
    hb.register_helper("so", Box::new(so));
    hb.register_helper("phan_tram", Box::new(phan_tram));
    hb.register_helper("so_voi_cung_ky", Box::new(figures::so_voi_cung_ky));
    hb.register_helper("chenh_lech_cung_ky", Box::new(figures::chenh_lech_cung_ky));
    hb.register_helper("so_voi_ke_hoach", Box::new(figures::so_voi_ke_hoach));
    hb.register_helper("pham_vi", Box::new(figures::pham_vi));
    hb.register_helper("o_ke_hoach", Box::new(figures::o_ke_hoach));
    hb.register_helper("o_cung_ky", Box::new(figures::o_cung_ky));
    hb.register_helper(
        "o_chenh_lech_cung_ky",
        Box::new(figures::o_chenh_lech_cung_ky),
    );
    hb.register_helper("cau_cung_ky", Box::new(figures::cau_cung_ky));
    hb.register_helper("can_viet", Box::new(can_viet));
    hb.register_helper("ngay", Box::new(ngay));
    hb.register_helper("ngay_ngan", Box::new(ngay_ngan_h));
    hb.register_helper("thu_ngay", Box::new(thu_ngay_h));
    hb.register_helper("neu_co", Box::new(NeuCo));
    hb.register_helper("cau_chi_tieu", Box::new(figures::cau_chi_tieu));
    hb.register_helper("cong", Box::new(Cong));
    hb.register_helper("la_ma", Box::new(la_ma));
    hb.register_helper("hoa", Box::new(hoa));
    hb.register_helper("hoa_dau", Box::new(hoa_dau));
    hb.register_helper("thuong_dau", Box::new(thuong_dau));
    hb.register_helper("bieu_do", Box::new(super::chart::bieu_do));
}

pub(super) fn err(helper: &'static str, what: impl Into<String>) -> RenderError {
    RenderErrorReason::Other(format!("helper {helper}: {}", what.into())).into()
}

/// Parameter `i`; a name that does not exist in the context is an error
/// (handlebars' strict mode lets helper parameters through as null).
pub(super) fn param<'a, 'rc>(
    h: &'a Helper<'rc>,
    i: usize,
    name: &'static str,
) -> Result<&'a handlebars::PathAndJson<'rc>, RenderError> {
    let p = h
        .param(i)
        .ok_or_else(|| err(name, format!("thiếu tham số thứ {}", i + 1)))?;
    if p.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
    }
    Ok(p)
}

/// A number parameter: Some(number), None for null; an error for anything else.
pub(super) fn number_param(
    h: &Helper<'_>,
    i: usize,
    name: &'static str,
) -> Result<Option<Decimal>, RenderError> {
    let v = param(h, i, name)?;
    value_number(v.value()).map_err(|found| {
        err(
            name,
            format!("tham số thứ {} phải là một số, gặp {found}", i + 1),
        )
    })
}

pub(super) fn value_number(v: &Value) -> Result<Option<Decimal>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .and_then(f64_to_decimal)
            .map(Some)
            .ok_or_else(|| n.to_string()),
        other => Err(describe(other)),
    }
}

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("chữ “{s}”"),
        Value::Object(_) => "một đối tượng".into(),
        Value::Array(_) => "một danh sách".into(),
        Value::Bool(b) => format!("{b}"),
        other => other.to_string(),
    }
}

pub(super) fn object_param<'a>(
    h: &'a Helper<'_>,
    name: &'static str,
) -> Result<&'a serde_json::Map<String, Value>, RenderError> {
    let v = param(h, 0, name)?;
    v.value().as_object().ok_or_else(|| {
        err(
            name,
            format!(
                "tham số phải là một chỉ tiêu (ví dụ chi_tieu.KCB_LUOT), gặp {}",
                describe(v.value())
            ),
        )
    })
}

pub(super) fn field(o: &serde_json::Map<String, Value>, k: &str) -> Option<Decimal> {
    o.get(k).and_then(|v| value_number(v).ok().flatten())
}

/// `{{so x}}`: `1.234.567`, `9,6`; nothing for an absent figure.
fn so(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(d) = number_param(h, 0, "so")? {
        out.write(&format_decimal(d))?;
    }
    Ok(())
}

/// `{{phan_tram x}}`: `46,8%`; nothing for an absent figure.
fn phan_tram(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(d) = number_param(h, 0, "phan_tram")? {
        out.write(&format!("{}%", format_decimal(d)))?;
    }
    Ok(())
}

fn date_param(h: &Helper<'_>, name: &'static str) -> Result<NaiveDate, RenderError> {
    let v = param(h, 0, name)?;
    let s = v.value().as_str().ok_or_else(|| {
        err(
            name,
            format!(
                "tham số phải là ngày dạng 2024-07-08, gặp {}",
                describe(v.value())
            ),
        )
    })?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| err(name, format!("“{s}” không phải ngày dạng 2024-07-08")))
}

/// `{{can_viet "TON_TAI"}}` (or a group's `khoa`): a placeholder line for a
/// section nobody wrote, saying what to write and where; highlighted in
/// the DOCX, shaded in the PDF.
fn can_viet(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let key = text_param(h, "can_viet")?;
    let muc = ctx.data().get("muc").and_then(Value::as_object);
    let m = muc.and_then(|m| m.get(&key)).ok_or_else(|| {
        let known: Vec<&str> = muc
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        err(
            "can_viet",
            format!("không có mục “{key}”; các mục: {}", known.join(", ")),
        )
    })?;
    out.write("[[can-viet]] ")?;
    out.write(&escape_markdown(&crate::context::sections::placeholder(m)))?;
    Ok(())
}

/// `{{ngay bao_cao.ngay}}`: `ngày 08 tháng 7 năm 2024`.
fn ngay(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&ngay_thang_nam(date_param(h, "ngay")?))?;
    Ok(())
}

/// `{{ngay_ngan bao_cao.ngay}}`: `08/7/2024`.
fn ngay_ngan_h(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&ngay_ngan(date_param(h, "ngay_ngan")?))?;
    Ok(())
}

/// `{{thu_ngay bao_cao.ngay}}`: `Thứ Hai, ngày 08/7/2024`.
fn thu_ngay_h(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&thu_ngay(date_param(h, "thu_ngay")?))?;
    Ok(())
}

/// `{{#neu_co a b}}…{{else}}…{{/neu_co}}`: the block only when every
/// parameter was reported (not null). Unlike `#if`, a reported zero counts.
struct NeuCo;

impl HelperDef for NeuCo {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        if h.params().is_empty() {
            return Err(err("neu_co", "cần ít nhất một tham số"));
        }
        for (i, p) in h.params().iter().enumerate() {
            if p.is_value_missing() {
                let _ = i;
                return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
            }
        }
        let all = h.params().iter().all(|p| !p.value().is_null());
        let t = if all { h.template() } else { h.inverse() };
        if let Some(t) = t {
            t.render(r, ctx, rc, out)?;
        }
        Ok(())
    }
}

/// `{{cong a b}}`: a + b (numbering: `{{cong @index 1}}`).
struct Cong;

impl HelperDef for Cong {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let a = number_param(h, 0, "cong")?.unwrap_or_default();
        let b = number_param(h, 1, "cong")?.unwrap_or_default();
        let s = a
            .checked_add(b)
            .ok_or_else(|| err("cong", "tổng quá lớn".to_string()))?;
        let v = if let (true, Some(i)) = (s.fract().is_zero(), s.to_i64()) {
            Value::from(i)
        } else {
            Value::from(format_decimal(s))
        };
        Ok(ScopedJson::Derived(v))
    }
}

/// `{{la_ma 4}}`: `IV`.
fn la_ma(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let n = number_param(h, 0, "la_ma")?.ok_or_else(|| err("la_ma", "cần một số"))?;
    let n: i64 = n.trunc().to_string().parse().unwrap_or(0);
    if !(1..=3999).contains(&n) {
        return Err(err("la_ma", format!("cần số từ 1 đến 3999, gặp {n}")));
    }
    out.write(&roman(n as u32))?;
    Ok(())
}

/// Roman numerals for section numbers.
pub fn roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// `{{hoa bao_cao.ky}}`: uppercase, for headings.
fn hoa(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param(h, 0, "hoa")?;
    let s = match v.value() {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => return Err(err("hoa", format!("cần chữ, gặp {}", describe(other)))),
    };
    out.write(&escape_markdown(&s.to_uppercase()))?;
    Ok(())
}

fn text_param(h: &Helper<'_>, name: &'static str) -> Result<String, RenderError> {
    let v = param(h, 0, name)?;
    match v.value() {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        other => Err(err(name, format!("cần chữ, gặp {}", describe(other)))),
    }
}

fn map_first(s: &str, upper: bool) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if upper => f.to_uppercase().chain(c).collect(),
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `{{hoa_dau "tuyến tỉnh"}}`: `Tuyến tỉnh`.
fn hoa_dau(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&escape_markdown(&map_first(
        &text_param(h, "hoa_dau")?,
        true,
    )))?;
    Ok(())
}

/// `{{thuong_dau "Sơ kết công tác"}}`: `sơ kết công tác`.
fn thuong_dau(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&escape_markdown(&map_first(
        &text_param(h, "thuong_dau")?,
        false,
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
    }
}
