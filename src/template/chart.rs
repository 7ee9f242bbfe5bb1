//! Charts in templates: the `bieu_do` helper writes a `[[bieu-do CODE BY]]`
//! directive; the Markdown stage turns it into a [`Chart`] with the
//! context's figures (this period, the same period, the plan).

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use serde_json::Value;

use super::helpers::{err, param};
use crate::document::{Chart, Series};

/// How a chart groups its bars.
pub const BY: &[(&str, &str)] = &[("tuyen", "theo tuyến"), ("don_vi", "theo đơn vị")];

/// `{{bieu_do "KCB_LUOT" theo="tuyen"}}` or `{{bieu_do this theo="don_vi"}}`
/// (an indicator object): a chart of the indicator, on its own line.
pub fn bieu_do(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let p = param(h, 0, "bieu_do")?;
    let ma = match p.value() {
        Value::String(s) => s.trim().to_string(),
        Value::Object(o) => o
            .get("ma")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        other => {
            return Err(err(
                "bieu_do",
                format!("tham số phải là mã chỉ tiêu hoặc một chỉ tiêu, gặp {other}"),
            ))
        }
    };
    if ctx.data().pointer(&format!("/chi_tieu/{ma}")).is_none() {
        return Err(err(
            "bieu_do",
            format!("không có chỉ tiêu mã “{ma}” trong danh mục"),
        ));
    }
    let by = match h.hash_get("theo").map(|v| v.value()) {
        None => "tuyen".to_string(),
        Some(Value::String(s)) if BY.iter().any(|(k, _)| k == s) => s.clone(),
        Some(v) => {
            return Err(err(
                "bieu_do",
                format!("theo=… phải là \"tuyen\" hoặc \"don_vi\", gặp {v}"),
            ))
        }
    };
    out.write(&format!("\n\n[[bieu-do {ma} {by}]]\n\n"))?;
    Ok(())
}

/// Read a `[[bieu-do CODE BY]]` directive: (code, by).
pub fn directive(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("[[bieu-do ")?.strip_suffix("]]")?;
    let mut parts = inner.split_whitespace();
    let ma = parts.next()?;
    let by = parts.next().unwrap_or("tuyen");
    parts.next().is_none().then_some((ma, by))
}

fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn upper_first(t: &str) -> String {
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The chart numbered `n` of indicator `ma`, grouped `by` level or unit;
/// Err says why nothing is drawn.
pub fn build(ctx: &Value, ma: &str, by: &str, n: usize) -> Result<Chart, String> {
    let ind = ctx
        .pointer(&format!("/chi_tieu/{ma}"))
        .ok_or_else(|| format!("biểu đồ: không có chỉ tiêu mã “{ma}” trong danh mục"))?;
    let ten = s(ind, "/ten");
    let named = format!("“{ten}” ({ma})");
    // (category name, figures object)
    let rows: Vec<(String, &Value)> = match by {
        "don_vi" => ind["theo_don_vi"]
            .as_array()
            .map(|a| a.iter().map(|u| (s(u, "/ten").to_string(), u)).collect())
            .unwrap_or_default(),
        _ => ctx["tuyen"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| {
                        let k = l["khoa"].as_str()?;
                        let f = ind["theo_tuyen"].get(k)?;
                        Some((upper_first(s(l, "/ten")), f))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let vals =
        |key: &str| -> Vec<Option<f64>> { rows.iter().map(|(_, f)| f[key].as_f64()).collect() };
    let this = vals("gia_tri");
    if this.iter().all(Option::is_none) {
        return Err(format!(
            "biểu đồ chỉ tiêu {named} không vẽ: không đơn vị nào báo cáo chỉ tiêu này"
        ));
    }
    if rows.len() > crate::document::MAX_CHART_CATEGORIES {
        return Err(format!(
            "biểu đồ chỉ tiêu {named} không vẽ: {} nhóm cột, quá {} (dùng theo=\"tuyen\")",
            rows.len(),
            crate::document::MAX_CHART_CATEGORIES
        ));
    }
    let ky = s(ctx, "/bao_cao/ky");
    let cung_ky = s(ctx, "/bao_cao/cung_ky");
    let mut series = vec![Series {
        name: upper_first(ky),
        values: this,
    }];
    let same = vals("cung_ky");
    let has_same = same.iter().any(Option::is_some);
    if has_same {
        series.push(Series {
            name: upper_first(cung_ky),
            values: same,
        });
    }
    let plan = vals("ke_hoach");
    let has_plan = plan.iter().any(Option::is_some);
    if has_plan {
        series.push(Series {
            name: "Kế hoạch".into(),
            values: plan,
        });
    }
    let by_words = BY.iter().find(|(k, _)| *k == by).map_or("", |(_, w)| w);
    let mut compare = Vec::new();
    if has_same {
        compare.push(cung_ky.to_string());
    }
    if has_plan {
        compare.push("kế hoạch".to_string());
    }
    let vs = if compare.is_empty() {
        String::new()
    } else {
        format!(" so với {}", compare.join(" và "))
    };
    let dvt = s(ind, "/dvt");
    let unit = if dvt.is_empty() {
        String::new()
    } else {
        format!(" (đơn vị tính: {dvt})")
    };
    Ok(Chart {
        ma: ma.to_string(),
        categories: rows.into_iter().map(|(n, _)| n).collect(),
        series,
        dvt: dvt.to_string(),
        caption: format!("Biểu đồ {n}. {ten} {by_words}, {ky}{vs}{unit}"),
        png: Default::default(),
    })
}
