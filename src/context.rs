//! Compiled figures + settings → the template context, exactly the names
//! `report-folder.md` lists (plus a few documented extras), as JSON.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::catalog::{CachTongHop, Catalogue, Registry};
use crate::compile::{Comparison, Compiled, CompiledIndicator, Figures};
use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Settings;
use crate::vi::date::ngay_thang_nam;
use crate::vi::fold::fold;
use crate::vi::period::{period_words_of, trich_yeu_of};

mod notes;
pub mod sections;

/// A number for the context: integers stay integers, absent is null.
pub fn num(d: Option<Decimal>) -> Value {
    match d {
        None => Value::Null,
        Some(d) if d.fract().is_zero() => d.to_i64().map(Value::from).unwrap_or(Value::Null),
        Some(d) => d
            .to_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
    }
}

/// A comparison beside its figures: the units it covers out of those
/// counted in the result, and the bases it compared.
fn comparison_json(c: Option<&Comparison>, base: &str, counted: usize) -> Value {
    let Some(c) = c else {
        return Value::Null;
    };
    let mut m = Map::new();
    m.insert("so_don_vi".into(), json!(c.so_don_vi));
    m.insert("so_don_vi_bao_cao".into(), json!(counted));
    m.insert("day_du".into(), json!(c.so_don_vi >= counted));
    m.insert("gia_tri".into(), num(c.gia_tri));
    m.insert(base.into(), num(c.co_so));
    m.insert("ty_le".into(), num(c.ty_le));
    m.insert("chenh_lech".into(), num(c.chenh_lech));
    if base == "ke_hoach" {
        m.insert("ke_hoach_tinh".into(), json!(c.ke_hoach_tinh));
    }
    m.insert(
        "khong_tinh".into(),
        Value::Array(
            c.khong_tinh
                .iter()
                .map(|u| json!({"ma": u.ma, "ten": u.ten, "thieu": u.thieu}))
                .collect(),
        ),
    );
    m.insert("chu_thich".into(), Value::Null);
    Value::Object(m)
}

fn figures_json(f: &Figures) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("gia_tri".into(), num(f.gia_tri));
    m.insert("ke_hoach".into(), num(f.ke_hoach));
    m.insert("cung_ky".into(), num(f.cung_ky));
    m.insert("ty_le_ke_hoach".into(), num(f.ty_le_ke_hoach));
    m.insert("chenh_lech_ke_hoach".into(), num(f.chenh_lech_ke_hoach));
    m.insert("so_voi_cung_ky".into(), num(f.so_voi_cung_ky));
    m.insert("chenh_lech_cung_ky".into(), num(f.chenh_lech_cung_ky));
    m.insert("so_don_vi_bao_cao".into(), json!(f.so_don_vi_bao_cao));
    m.insert(
        "so_sanh_ke_hoach".into(),
        comparison_json(f.so_sanh_ke_hoach.as_ref(), "ke_hoach", f.so_don_vi_bao_cao),
    );
    m.insert(
        "so_sanh_cung_ky".into(),
        comparison_json(f.so_sanh_cung_ky.as_ref(), "cung_ky", f.so_don_vi_bao_cao),
    );
    m.insert("dan_so".into(), num(f.dan_so));
    m
}

fn indicator_json(ci: &CompiledIndicator, compiled: &Compiled) -> Value {
    let ct = &ci.chi_tieu;
    let mut m = Map::new();
    m.insert("ma".into(), json!(ct.ma));
    m.insert("ten".into(), json!(ct.ten));
    m.insert("dvt".into(), json!(ct.dvt));
    m.insert("nhom".into(), json!(ct.nhom));
    let la_ty_le = matches!(ct.cach, CachTongHop::TyLe { .. });
    m.insert(
        "cach".into(),
        json!(if la_ty_le { "ty-le" } else { "tong" }),
    );
    m.insert("la_ty_le".into(), json!(la_ty_le));
    m.insert("cach_so_sanh".into(), json!(ct.so_sanh.key()));
    m.insert("loi_danh_muc".into(), json!(ct.loi));
    m.extend(figures_json(&ci.tinh));
    let mut tt = Map::new();
    for (key, f) in &ci.theo_tuyen {
        let mut lm = figures_json(f);
        let ten = compiled
            .levels
            .iter()
            .find(|l| &l.key == key)
            .map(|l| l.ten.clone())
            .unwrap_or_default();
        lm.insert("ten".into(), json!(ten));
        // So that wording helpers work on a level's figures directly.
        lm.insert("dvt".into(), json!(ct.dvt));
        lm.insert("la_ty_le".into(), json!(la_ty_le));
        lm.insert("cach_so_sanh".into(), json!(ct.so_sanh.key()));
        tt.insert(key.clone(), Value::Object(lm));
    }
    m.insert("theo_tuyen".into(), Value::Object(tt));
    Value::Object(m)
}

/// An indicator's `theo_don_vi`: every unit's own figures and their cells.
fn unit_figures_json(ci: &CompiledIndicator, registry: &Registry) -> Value {
    Value::Array(
        ci.theo_don_vi
            .iter()
            .filter_map(|u| Some((u, registry.units.get(u.don_vi)?)))
            .map(|(u, dv)| {
                json!({
                    "ma": dv.ma, "ten": dv.ten, "tuyen": dv.tuyen,
                    "gia_tri": num(u.gia_tri), "ke_hoach": num(u.ke_hoach), "cung_ky": num(u.cung_ky),
                    "nguon": u.nguon, "nguon_ke_hoach": u.nguon_ke_hoach, "nguon_cung_ky": u.nguon_cung_ky,
                })
            })
            .collect(),
    )
}

/// Whether templates name the units' own figures (`theo_don_vi`), which
/// [`build_context`] leaves out.
pub fn needs_unit_figures<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    // A chart by unit (`{{bieu_do … theo="don_vi"}}`) draws them too.
    texts
        .into_iter()
        .any(|t| t.contains(UNIT_FIGURES) || (t.contains("bieu_do") && t.contains("don_vi\"")))
}

/// The name of the units' own figures in an indicator.
pub const UNIT_FIGURES: &str = "theo_don_vi";

/// Fill in every indicator's `theo_don_vi` (in `chi_tieu` and in each
/// group's list). They are left out of [`build_context`]: one object per
/// unit and indicator, twice, is most of the context's memory with
/// thousands of units (a GB for 10,000 units of 60 indicators) and of the
/// time templates take, while the built-in templates never use them; they
/// are added for `check --json` and when a template names them.
pub fn add_unit_figures(ctx: &mut Value, compiled: &Compiled, registry: &Registry) {
    let by_code: std::collections::HashMap<&str, &CompiledIndicator> = compiled
        .indicators
        .iter()
        .map(|ci| (ci.chi_tieu.ma.as_str(), ci))
        .collect();
    if let Some(Value::Object(ct)) = ctx.get_mut("chi_tieu") {
        for (code, v) in ct.iter_mut() {
            if let (Some(ci), Value::Object(m)) = (by_code.get(code.as_str()), v) {
                m.insert(UNIT_FIGURES.into(), unit_figures_json(ci, registry));
            }
        }
    }
    if let Some(Value::Array(groups)) = ctx.get_mut("nhom") {
        for g in groups {
            if let Some(Value::Array(items)) = g.get_mut("chi_tieu") {
                for v in items {
                    let ci = v
                        .get("ma")
                        .and_then(Value::as_str)
                        .and_then(|m| by_code.get(m));
                    if let (Some(ci), Value::Object(m)) = (ci, v) {
                        m.insert(UNIT_FIGURES.into(), unit_figures_json(ci, registry));
                    }
                }
            }
        }
    }
}

/// One section of the office's own `noi-dung.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeSection {
    /// Section key (`TON_TAI`, a group key …).
    pub muc: String,
    /// Markdown text.
    pub markdown: String,
}

/// Split `noi-dung.md` by its level-2 headings; a heading that names no
/// section is a warning naming its line.
pub fn parse_noi_dung(
    text: &str,
    file: &str,
    catalogue: &Catalogue,
) -> (Vec<OfficeSection>, Vec<Diagnostic>) {
    let mut out: Vec<OfficeSection> = Vec::new();
    let mut diags = Vec::new();
    let mut current: Option<usize> = None;
    let mut skipping = false;
    for (i, line) in text.lines().enumerate() {
        if let Some(h) = line.strip_prefix("## ") {
            skipping = false;
            match office_key(h, catalogue) {
                Some(k) => {
                    out.push(OfficeSection {
                        muc: k,
                        markdown: String::new(),
                    });
                    current = Some(out.len() - 1);
                }
                None => {
                    diags.push(Diagnostic::warning(
                        Location {
                            file: Some(file.to_string()),
                            sheet: None,
                            cell: Some(format!("dòng {}", i + 1)),
                        },
                        format!(
                            "tiêu đề “{}” không phải mục nào (tên nhóm chỉ tiêu, Ưu điểm, Tồn tại, hạn chế, Phương hướng, nhiệm vụ, Đề xuất, kiến nghị, Chỉ đạo, điều hành); đoạn này không được đưa vào báo cáo",
                            h.trim()
                        ),
                    ));
                    current = None;
                    skipping = true;
                }
            }
            continue;
        }
        if skipping {
            continue;
        }
        if let Some(c) = current {
            out[c].markdown.push_str(line);
            out[c].markdown.push('\n');
        }
    }
    for s in &mut out {
        s.markdown = s.markdown.trim().to_string();
    }
    out.retain(|s| !s.markdown.is_empty());
    (out, diags)
}

fn office_key(heading: &str, cat: &Catalogue) -> Option<String> {
    let f = fold(heading);
    let fixed = [
        ("uu diem", "UU_DIEM"),
        ("ton tai", "TON_TAI"),
        ("han che", "TON_TAI"),
        ("phuong huong", "PHUONG_HUONG"),
        ("nhiem vu", "PHUONG_HUONG"),
        ("de xuat", "KIEN_NGHI"),
        ("kien nghi", "KIEN_NGHI"),
        ("chi dao", "CHI_DAO"),
        ("xay dung dang", "XAY_DUNG_DANG"),
        ("cong tac xay dung dang", "XAY_DUNG_DANG"),
    ];
    if let Some(g) = cat.group(heading) {
        return Some(g.khoa.clone());
    }
    fixed
        .iter()
        .find(|(w, _)| f.starts_with(w))
        .map(|(_, k)| k.to_string())
}

/// `5/BC-SYT` → `05/BC-SYT`: numbers below 10 get a leading zero.
pub fn so_hien_thi(so: &str) -> String {
    let so = so.trim();
    let digits = so.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 1 {
        format!("0{so}")
    } else {
        so.to_string()
    }
}

/// Build the template context, without the units' own figures
/// ([`add_unit_figures`] adds them).
pub fn build_context(
    settings: &Settings,
    compiled: &Compiled,
    catalogue: &Catalogue,
    office: &[OfficeSection],
) -> Value {
    let b = &settings.bao_cao;
    let words = period_words_of(b);
    let trich_yeu = if settings.van_ban.trich_yeu.trim().is_empty() {
        trich_yeu_of(b)
    } else {
        settings.van_ban.trich_yeu.trim().to_string()
    };
    // "Thực hiện" and its period ("năm 2023", "quý II", "6 tháng") each
    // stay on one line of the appendix's narrow header cell.
    let thuc_hien = glue_pairs(&words.thuc_hien);
    let bao_cao = json!({
        "loai": b.loai.key(), "nam": b.nam, "quy": b.quy,
        "ky": words.ky, "ky_ngan": words.ky_ngan, "ky_toi": words.ky_toi, "ky_toi_ngan": words.ky_toi_ngan,
        "cung_ky": words.cung_ky, "thuc_hien": thuc_hien, "so_ket": words.so_ket,
        "linh_vuc": b.linh_vuc, "trich_yeu": trich_yeu,
        "chu_de": b.chu_de.trim(), "giai_doan": b.giai_doan.trim(),
        "so": so_hien_thi(&settings.van_ban.so), "ngay": settings.van_ban.ngay.to_string(),
        "ngay_chu": ngay_thang_nam(settings.van_ban.ngay),
        "dia_danh": settings.co_quan.dia_danh, "kinh_gui": settings.van_ban.kinh_gui,
    });
    let c = &compiled.completeness;
    let mut theo_tuyen = Map::new();
    for (l, n) in &c.theo_tuyen {
        theo_tuyen.insert(
            l.key.clone(),
            json!({"ten": l.ten, "du_kien": n.du_kien, "da_nop": n.da_nop}),
        );
    }
    let level_name = |k: &str| {
        compiled
            .levels
            .iter()
            .find(|l| l.key == k)
            .map(|l| l.ten.clone())
            .unwrap_or_default()
    };
    let don_vi = json!({
        "du_kien": c.tong.du_kien, "da_nop": c.tong.da_nop,
        "thieu": c.thieu.iter().map(|u| json!({"ma": u.ma, "ten": u.ten, "tuyen": level_name(&u.tuyen)})).collect::<Vec<_>>(),
        "theo_tuyen": theo_tuyen,
    });
    let mut chi_tieu = Map::new();
    let mut chu_thich = Vec::new();
    for ci in &compiled.indicators {
        let mut v = indicator_json(ci, compiled);
        if let Some(note) = notes::note(ci, chu_thich.len() + 1) {
            for k in notes::marked(ci) {
                v[k]["chu_thich"] = json!(chu_thich.len() + 1);
            }
            chu_thich.push(note);
        }
        v["chu_thich_tuyen"] = Value::Null;
        chi_tieu.insert(ci.chi_tieu.ma.clone(), v);
    }
    // The note under the table by level, numbered on from the main table's.
    let rates: Vec<&CompiledIndicator> = compiled
        .indicators
        .iter()
        .filter(|ci| notes::per_population(ci))
        .collect();
    let n = chu_thich.len() + 1;
    let chu_thich_tuyen: Vec<Value> = notes::level_note(&rates, compiled, n).into_iter().collect();
    if !chu_thich_tuyen.is_empty() {
        for ci in &rates {
            chi_tieu[&ci.chi_tieu.ma]["chu_thich_tuyen"] = json!(n);
        }
    }
    // Sections: the office's text first, then the units' in registry order.
    let mut noi_dung = Map::new();
    for k in [
        "UU_DIEM",
        "TON_TAI",
        "PHUONG_HUONG",
        "KIEN_NGHI",
        "CHI_DAO",
        "XAY_DUNG_DANG",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(catalogue.groups.iter().map(|g| g.khoa.clone()))
    {
        let mut items: Vec<Value> = office
            .iter()
            .filter(|s| s.muc == k)
            .map(|s| json!({"don_vi": "", "van_ban": s.markdown, "markdown": true}))
            .collect();
        items.extend(
            compiled
                .texts
                .iter()
                .filter(|t| t.muc == k)
                .map(|t| json!({"don_vi": t.don_vi, "van_ban": t.van_ban, "markdown": false})),
        );
        noi_dung.insert(k, Value::Array(items));
    }
    let nhom: Vec<Value> = catalogue
        .groups
        .iter()
        .map(|g| {
            let items: Vec<Value> = compiled
                .indicators
                .iter()
                .filter(|ci| ci.chi_tieu.nhom == g.ten)
                .map(|ci| chi_tieu[&ci.chi_tieu.ma].clone())
                .collect();
            let co_so_lieu = items.iter().any(|i| !i["gia_tri"].is_null());
            // Moved in, not through json! (which would copy every item again).
            let mut m = Map::new();
            m.insert("ten".into(), json!(g.ten));
            m.insert("khoa".into(), json!(g.khoa));
            m.insert("chi_tieu".into(), Value::Array(items));
            m.insert("co_so_lieu".into(), json!(co_so_lieu));
            m.insert(
                "noi_dung".into(),
                noi_dung.get(&g.khoa).cloned().unwrap_or(json!([])),
            );
            Value::Object(m)
        })
        .collect();
    let muc = sections::muc(&noi_dung, &nhom, catalogue);
    // How many indicators with a plan reached it (for the year's overview).
    let (mut co_ke_hoach, mut dat) = (0usize, 0usize);
    for ci in &compiled.indicators {
        let f = &ci.tinh;
        let reached = match (&ci.chi_tieu.cach, f.ty_le_ke_hoach, f.chenh_lech_ke_hoach) {
            (CachTongHop::Tong, Some(p), _) => Some(p >= Decimal::ONE_HUNDRED),
            (CachTongHop::TyLe { .. }, _, Some(d)) => Some(d >= Decimal::ZERO),
            _ => None,
        };
        if let Some(r) = reached {
            co_ke_hoach += 1;
            dat += usize::from(r);
        }
    }
    let tong_quan = json!({"co_ke_hoach": co_ke_hoach, "dat": dat, "chua_dat": co_ke_hoach - dat});
    let tuyen: Vec<Value> = compiled
        .levels
        .iter()
        .map(|l| json!({"khoa": l.key, "ten": l.ten}))
        .collect();
    // The large parts are moved in: json! would copy them whole.
    let mut ctx = Map::new();
    ctx.insert("bao_cao".into(), bao_cao);
    ctx.insert(
        "co_quan".into(),
        json!({
            "kieu": settings.co_quan.kieu, "chu_quan": settings.co_quan.chu_quan,
            "ban_hanh": settings.co_quan.ban_hanh, "dia_danh": settings.co_quan.dia_danh,
            "ten_goi": settings.co_quan.ten_goi(),
        }),
    );
    ctx.insert("ky".into(), json!(settings.ky));
    ctx.insert("noi_nhan".into(), json!(settings.van_ban.noi_nhan));
    ctx.insert("don_vi".into(), don_vi);
    ctx.insert("tuyen".into(), Value::Array(tuyen));
    ctx.insert("chi_tieu".into(), Value::Object(chi_tieu));
    ctx.insert("nhom".into(), Value::Array(nhom));
    ctx.insert("noi_dung".into(), Value::Object(noi_dung));
    ctx.insert("muc".into(), muc);
    ctx.insert("tong_quan".into(), tong_quan);
    ctx.insert("chu_thich".into(), Value::Array(chu_thich));
    ctx.insert("chu_thich_tuyen".into(), Value::Array(chu_thich_tuyen));
    Value::Object(ctx)
}

/// `Thực hiện năm 2023` with no-break spaces (U+00A0) inside its first
/// and last two words: a table header breaks only between `Thực hiện` and
/// `năm 2023`.
fn glue_pairs(s: &str) -> String {
    let mut out = s.replacen(' ', "\u{a0}", 1);
    if let Some(i) = out.rfind(' ') {
        out.replace_range(i..i + 1, "\u{a0}");
    }
    out
}
