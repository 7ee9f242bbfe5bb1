//! Sums, recomputed rates and derived figures for one indicator, for the
//! province and for each level. Exact decimals; derived figures rounded
//! half away from zero to two decimals, once, at the end.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Accepted, CompiledIndicator, UnitFigure};
use crate::catalog::{code_key, CachTongHop, Catalogue, ChiTieu, MauSo, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::intake::{FigureRow, Value};
use crate::vi::number::round_half_away;

/// The compiled figures of one indicator in one scope. Absent is None,
/// never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Result.
    pub gia_tri: Option<Decimal>,
    /// Plan.
    pub ke_hoach: Option<Decimal>,
    /// Same period last year.
    pub cung_ky: Option<Decimal>,
    /// Result as % of plan (count indicators).
    pub ty_le_ke_hoach: Option<Decimal>,
    /// Result − plan (points for rates).
    pub chenh_lech_ke_hoach: Option<Decimal>,
    /// Change against the same period, %.
    pub so_voi_cung_ky: Option<Decimal>,
    /// Result − same period (points for rates).
    pub chenh_lech_cung_ky: Option<Decimal>,
    /// Units that reported the result (the numerator, for rates).
    pub so_don_vi_bao_cao: usize,
}

/// Which units a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Every unit.
    Province,
    /// Units of one level.
    Level(&'a str),
}

impl Scope<'_> {
    fn contains(&self, level: &str) -> bool {
        match self {
            Scope::Province => true,
            Scope::Level(l) => *l == level,
        }
    }
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Which of a row's three figures.
#[derive(Clone, Copy)]
enum Col {
    KeHoach,
    ThucHien,
    CungKy,
}

fn pick(row: &FigureRow, col: Col) -> &Value {
    match col {
        Col::KeHoach => &row.ke_hoach.value,
        Col::ThucHien => &row.thuc_hien.value,
        Col::CungKy => &row.cung_ky.value,
    }
}

fn row_of<'a>(a: &'a Accepted, code: &str) -> Option<&'a FigureRow> {
    let k = code_key(code);
    a.report.rows.iter().find(|r| code_key(&r.ma) == k)
}

/// Sum of one column over the units in scope; None when nobody gave it.
fn sum(accepted: &[Accepted], code: &str, col: Col, scope: Scope<'_>) -> (Option<Decimal>, usize) {
    let mut total: Option<Decimal> = None;
    let mut n = 0;
    for a in accepted.iter().filter(|a| scope.contains(&a.don_vi.tuyen)) {
        if let Some(v) = row_of(a, code).and_then(|r| pick(r, col).number()) {
            total = Some(total.unwrap_or_default() + v);
            n += 1;
        }
    }
    (total, n)
}

/// Population of every registry unit in scope; None when none has one.
fn population(registry: &Registry, scope: Scope<'_>) -> Option<Decimal> {
    registry
        .units
        .iter()
        .filter(|u| scope.contains(&u.tuyen))
        .filter_map(|u| u.dan_so)
        .fold(None, |acc, p| Some(acc.unwrap_or_default() + p))
}

fn ratio(num: Option<Decimal>, den: Option<Decimal>, factor: Decimal) -> Option<Decimal> {
    let (n, d) = (num?, den?);
    if d.is_zero() {
        return None;
    }
    n.checked_mul(factor)?.checked_div(d)
}

/// Figures of one indicator in one scope.
pub fn figures(
    ct: &ChiTieu,
    registry: &Registry,
    accepted: &[Accepted],
    scope: Scope<'_>,
) -> Figures {
    let (gia_tri, ke_hoach, cung_ky, n, is_rate) = match &ct.cach {
        CachTongHop::Tong => {
            let (v, n) = sum(accepted, &ct.ma, Col::ThucHien, scope);
            let (kh, _) = sum(accepted, &ct.ma, Col::KeHoach, scope);
            let (ck, _) = sum(accepted, &ct.ma, Col::CungKy, scope);
            (v, kh, ck, n, false)
        }
        CachTongHop::TyLe {
            tu_so,
            mau_so,
            he_so,
        } => {
            let side = |col: Col| {
                let (num, n) = sum(accepted, tu_so, col, scope);
                let den = match mau_so {
                    MauSo::ChiTieu(m) => sum(accepted, m, col, scope).0,
                    MauSo::DanSo => population(registry, scope),
                };
                (ratio(num, den, *he_so), n)
            };
            let (v, n) = side(Col::ThucHien);
            (v, side(Col::KeHoach).0, side(Col::CungKy).0, n, true)
        }
    };
    let ke_hoach = match (scope, ct.ke_hoach_tinh) {
        (Scope::Province, Some(k)) => Some(k),
        _ => ke_hoach,
    };
    derive(gia_tri, ke_hoach, cung_ky, n, is_rate)
}

/// Derived figures, then everything rounded to two decimals once.
fn derive(
    v: Option<Decimal>,
    kh: Option<Decimal>,
    ck: Option<Decimal>,
    n: usize,
    is_rate: bool,
) -> Figures {
    let r = |d: Option<Decimal>| d.map(|d| round_half_away(d, 2));
    // Rates can come near Decimal's range (a tiny denominator), so the
    // difference of two is checked; absent when it cannot be held.
    let diff = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_sub(b?);
    Figures {
        gia_tri: r(v),
        ke_hoach: r(kh),
        cung_ky: r(ck),
        ty_le_ke_hoach: if is_rate {
            None
        } else {
            r(ratio(v, kh, HUNDRED))
        },
        chenh_lech_ke_hoach: r(diff(v, kh)),
        so_voi_cung_ky: r(diff(v, ck).and_then(|d| ratio(Some(d), ck, HUNDRED))),
        chenh_lech_cung_ky: r(diff(v, ck)),
        so_don_vi_bao_cao: n,
    }
}

/// Compile one indicator everywhere, with per-unit figures and diagnostics
/// for absent denominators.
pub fn compile_indicator(
    ct: &ChiTieu,
    _catalogue: &Catalogue,
    registry: &Registry,
    accepted: &[Accepted],
    diags: &mut Vec<Diagnostic>,
) -> CompiledIndicator {
    let tinh = figures(ct, registry, accepted, Scope::Province);
    let theo_tuyen = registry
        .levels
        .iter()
        .map(|l| {
            (
                l.key.clone(),
                figures(ct, registry, accepted, Scope::Level(&l.key)),
            )
        })
        .collect();
    if let CachTongHop::TyLe { tu_so, mau_so, .. } = &ct.cach {
        rate_side_warnings(ct, tu_so, mau_so, accepted, diags);
        if tinh.gia_tri.is_none() && tinh.so_don_vi_bao_cao > 0 {
            let why = match mau_so {
                MauSo::DanSo => "không đơn vị nào trong danh sách có dân số".to_string(),
                MauSo::ChiTieu(m) => format!("mẫu số {m} không có hoặc bằng 0"),
            };
            diags.push(Diagnostic::warning(
                Location::default(),
                format!("tỷ lệ {} ({}) để trống vì {why}", ct.ma, ct.ten),
            ));
        }
    }
    let theo_don_vi = accepted
        .iter()
        .filter_map(|a| {
            let row = row_of(a, &ct.ma)?;
            Some(UnitFigure {
                ma: a.don_vi.ma.clone(),
                ten: a.don_vi.ten.clone(),
                tuyen: a.don_vi.tuyen.clone(),
                gia_tri: row.thuc_hien.value.number(),
                ke_hoach: row.ke_hoach.value.number(),
                cung_ky: row.cung_ky.value.number(),
                nguon: row.thuc_hien.nguon.clone(),
            })
        })
        .collect();
    CompiledIndicator {
        chi_tieu: ct.clone(),
        tinh,
        theo_tuyen,
        theo_don_vi,
    }
}

/// A unit that gave a rate's numerator and not its denominator (or the
/// reverse) distorts the rate: say so.
fn rate_side_warnings(
    ct: &ChiTieu,
    tu_so: &str,
    mau_so: &MauSo,
    accepted: &[Accepted],
    diags: &mut Vec<Diagnostic>,
) {
    let MauSo::ChiTieu(m) = mau_so else {
        return;
    };
    for a in accepted {
        let num = row_of(a, tu_so).and_then(|r| r.thuc_hien.value.number());
        let den = row_of(a, m).and_then(|r| r.thuc_hien.value.number());
        let (given, missing, nguon) = match (num, den) {
            (Some(_), None) => (
                tu_so,
                m.as_str(),
                row_of(a, tu_so).map(|r| r.thuc_hien.nguon.clone()),
            ),
            (None, Some(_)) => (
                m.as_str(),
                tu_so,
                row_of(a, m).map(|r| r.thuc_hien.nguon.clone()),
            ),
            _ => continue,
        };
        diags.push(Diagnostic::warning(
            location_of(nguon.as_deref(), &a.report.file),
            format!(
                "{} báo cáo {given} nhưng không báo cáo {missing}; tỷ lệ {} của tỉnh tính tử số và mẫu số trên các đơn vị có báo cáo từng số, có thể lệch",
                a.don_vi.ten, ct.ma
            ),
        ));
    }
}

/// A `file › sheet › cell` string back to a location.
pub fn location_of(nguon: Option<&str>, file: &str) -> Location {
    match nguon.map(|s| s.split(" › ").collect::<Vec<_>>()) {
        Some(p) if p.len() == 3 => Location {
            file: Some(p[0].to_string()),
            sheet: Some(p[1].to_string()),
            cell: Some(p[2].to_string()),
        },
        _ => Location::file(file),
    }
}
