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
use crate::vi::date::{ngay_ngan, ngay_thang_nam, thu_ngay};
use crate::vi::number::{f64_to_decimal, format_decimal};
use crate::vi::wording;

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
    hb.register_helper("so_voi_cung_ky", Box::new(so_voi_cung_ky));
    hb.register_helper("chenh_lech_cung_ky", Box::new(chenh_lech_cung_ky));
    hb.register_helper("so_voi_ke_hoach", Box::new(so_voi_ke_hoach));
    hb.register_helper("pham_vi", Box::new(pham_vi));
    hb.register_helper("o_ke_hoach", Box::new(o_ke_hoach));
    hb.register_helper("o_cung_ky", Box::new(o_cung_ky));
    hb.register_helper("ngay", Box::new(ngay));
    hb.register_helper("ngay_ngan", Box::new(ngay_ngan_h));
    hb.register_helper("thu_ngay", Box::new(thu_ngay_h));
    hb.register_helper("neu_co", Box::new(NeuCo));
    hb.register_helper("cau_chi_tieu", Box::new(cau_chi_tieu));
    hb.register_helper("cong", Box::new(Cong));
    hb.register_helper("la_ma", Box::new(la_ma));
    hb.register_helper("hoa", Box::new(hoa));
    hb.register_helper("hoa_dau", Box::new(hoa_dau));
    hb.register_helper("thuong_dau", Box::new(thuong_dau));
}

fn err(helper: &'static str, what: impl Into<String>) -> RenderError {
    RenderErrorReason::Other(format!("helper {helper}: {}", what.into())).into()
}

/// Parameter `i`; a name that does not exist in the context is an error
/// (handlebars' strict mode lets helper parameters through as null).
fn param<'a, 'rc>(
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
fn number_param(
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

fn value_number(v: &Value) -> Result<Option<Decimal>, String> {
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

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("chữ “{s}”"),
        Value::Object(_) => "một đối tượng".into(),
        Value::Array(_) => "một danh sách".into(),
        Value::Bool(b) => format!("{b}"),
        other => other.to_string(),
    }
}

fn object_param<'a>(
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

fn field(o: &serde_json::Map<String, Value>, k: &str) -> Option<Decimal> {
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

/// `{{so_voi_cung_ky ct}}`: `tăng 12,5%` / `giảm 33,45%` / `không đổi`; for
/// a rate `tăng 2,3 điểm phần trăm` (`don_vi="%"` gives `tăng 2,3%`).
fn so_voi_cung_ky(
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
fn pham_vi(
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

/// A signed difference with its unit, for a table cell: `+2,3 điểm %`,
/// `-0,5 bác sĩ/vạn dân`.
fn signed_points(d: Decimal, dvt: &str) -> String {
    let sign = if d > Decimal::ZERO { "+" } else { "" };
    let unit = match dvt {
        "%" => " điểm %".to_string(),
        "" => String::new(),
        other => format!(" {}", escape_markdown(other)),
    };
    format!("{sign}{}{unit}", format_decimal(d))
}

/// One appendix cell: a count's % (`48,73`), a rate's difference in its
/// unit (`+2,3 điểm %`), with the note number `(1)` when the comparison
/// covers fewer units than the result.
fn table_cell(o: &serde_json::Map<String, Value>, key: &str, pct: &str, diff: &str) -> String {
    let rate = o.get("la_ty_le").and_then(Value::as_bool).unwrap_or(false);
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    let text = if rate {
        field(o, diff).map(|d| signed_points(d, dvt))
    } else {
        field(o, pct).map(format_decimal)
    };
    let Some(mut text) = text else {
        return String::new();
    };
    if let Some(n) = o
        .get(key)
        .and_then(|c| c.get("chu_thich"))
        .and_then(Value::as_u64)
    {
        text.push_str(&format!(" ({n})"));
    }
    text
}

/// `{{o_ke_hoach ct}}`: the appendix's "so với kế hoạch" cell.
fn o_ke_hoach(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "o_ke_hoach")?;
    out.write(&table_cell(
        o,
        "so_sanh_ke_hoach",
        "ty_le_ke_hoach",
        "chenh_lech_ke_hoach",
    ))?;
    Ok(())
}

/// `{{o_cung_ky ct}}`: the appendix's "so sánh cùng kỳ" cell.
fn o_cung_ky(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "o_cung_ky")?;
    out.write(&table_cell(
        o,
        "so_sanh_cung_ky",
        "so_voi_cung_ky",
        "chenh_lech_cung_ky",
    ))?;
    Ok(())
}

/// `{{chenh_lech_cung_ky ct}}`: `giảm 73.066 ca`, with the indicator's unit.
fn chenh_lech_cung_ky(
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
fn so_voi_ke_hoach(
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

/// `{{cau_chi_tieu ct}}`: one full sentence on an indicator, by level where
/// more than one level reported it; nothing when nobody reported it.
/// `Tổng số lượt khám bệnh: 324.358 lượt, đạt 46,73% kế hoạch, tăng 5,2% so
/// với cùng kỳ năm 2023; trong đó tuyến tỉnh 167.093 lượt, đạt 46,8% kế
/// hoạch; tuyến huyện 157.265 lượt, đạt 46,67% kế hoạch.`
fn cau_chi_tieu(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let o = object_param(h, "cau_chi_tieu")?;
    let cung_ky = ctx
        .data()
        .pointer("/bao_cao/cung_ky")
        .and_then(Value::as_str)
        .unwrap_or("cùng kỳ")
        .to_string();
    if let Some(s) = sentence(o, &cung_ky) {
        out.write(&s)?;
    }
    Ok(())
}

fn value_with_unit(o: &serde_json::Map<String, Value>) -> Option<String> {
    let v = field(o, "gia_tri")?;
    let dvt = o.get("dvt").and_then(Value::as_str).unwrap_or("").trim();
    Some(if dvt == "%" {
        format!("{}%", format_decimal(v))
    } else if dvt.is_empty() {
        format_decimal(v)
    } else {
        format!("{} {}", format_decimal(v), escape_markdown(dvt))
    })
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

/// `, đạt 48,73% kế hoạch, giảm 0,54% so với cùng kỳ năm 2023 (tính trên
/// 4/5 đơn vị có đủ số liệu)`: the plan and (when `cung_ky` names the
/// period) same-period clauses, each with its coverage when partial; one
/// coverage note for both when they cover the same number of units.
fn comparisons(o: &serde_json::Map<String, Value>, cung_ky: Option<&str>) -> String {
    let plan = plan_words(o).map(|p| (p, coverage(o.get("so_sanh_ke_hoach"))));
    let same = cung_ky.and_then(|ck| {
        same_period_words(o, false).map(|c| {
            (
                format!("{c} so với {}", escape_markdown(ck)),
                coverage(o.get("so_sanh_cung_ky")),
            )
        })
    });
    let mut s = String::new();
    match (plan, same) {
        (Some((p, Some(pc))), Some((c, Some(sc)))) if pc == sc => {
            s.push_str(&format!(", {p}, {c} (cả hai so sánh {pc})"));
        }
        (plan, same) => {
            for (text, cov) in [plan, same].into_iter().flatten() {
                s.push_str(", ");
                s.push_str(&text);
                if let Some(c) = cov {
                    s.push_str(&format!(" ({c})"));
                }
            }
        }
    }
    s
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
