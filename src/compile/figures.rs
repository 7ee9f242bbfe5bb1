//! Sums, recomputed rates and comparisons for one indicator, for the
//! province and for each level. Every comparison is like for like: it is
//! made over the units that gave every figure it needs, and both of its
//! sides are summed over those units only. Exact decimals; derived figures
//! rounded half away from zero to two decimals, once, at the end.

use rust_decimal::Decimal;
use serde::Serialize;

use super::left_out::{Col, LeftOutCells};
use super::rows::Rows;
use super::{Accepted, CompiledIndicator};
use crate::catalog::{code_key, CachTongHop, ChiTieu, MauSo, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::vi::number::round_half_away;

/// A comparison (with the plan or with the same period) and the bases it
/// compared, over the units it covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Units covered: those that gave every figure the comparison needs.
    pub so_don_vi: usize,
    /// The result over the covered units (a rate recomputed over them).
    pub gia_tri: Option<Decimal>,
    /// The base over the covered units: the plan, or the same period.
    pub co_so: Option<Decimal>,
    /// Plan: result as % of plan (sums only). Same period: change in %.
    pub ty_le: Option<Decimal>,
    /// Result − base (points for a % rate).
    pub chenh_lech: Option<Decimal>,
    /// The base is the province's own plan (`Kế hoạch tỉnh`).
    pub ke_hoach_tinh: bool,
    /// Units counted in the result but left out of this comparison.
    pub khong_tinh: Vec<LeftOut>,
}

/// A unit counted in the result and left out of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Unit code.
    pub ma: String,
    /// Unit name.
    pub ten: String,
    /// What it did not give (`cùng kỳ năm trước`).
    pub thieu: String,
}

/// The compiled figures of one indicator in one scope. Absent is None,
/// never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Result, over every unit that gave it (a rate: both its sides).
    pub gia_tri: Option<Decimal>,
    /// Plan: the province's own, or what the units' plans add up to (a
    /// rate: recomputed over the units that gave both sides of the plan).
    pub ke_hoach: Option<Decimal>,
    /// Same period last year, over every unit that gave it (a rate: both sides).
    pub cung_ky: Option<Decimal>,
    /// Result as % of plan, like for like (sums only).
    pub ty_le_ke_hoach: Option<Decimal>,
    /// Result − plan, like for like (points for a % rate).
    pub chenh_lech_ke_hoach: Option<Decimal>,
    /// Change against the same period in %, like for like.
    pub so_voi_cung_ky: Option<Decimal>,
    /// Result − same period, like for like (points for a % rate).
    pub chenh_lech_cung_ky: Option<Decimal>,
    /// Units counted in the result.
    pub so_don_vi_bao_cao: usize,
    /// The comparison with the plan; None when no unit gave both sides.
    pub so_sanh_ke_hoach: Option<Comparison>,
    /// The comparison with the same period; None when no unit gave both.
    pub so_sanh_cung_ky: Option<Comparison>,
    /// For a rate over the registry's population (`DAN_SO`): the population
    /// of the scope it used; None otherwise, or when the scope has none.
    pub dan_so: Option<Decimal>,
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

/// How an indicator is made from the units' figures, column by column.
struct Def<'a> {
    /// The unit figures one column needs: the indicator itself for a sum,
    /// the two sides of a rate (only the numerator over a population).
    sides: Vec<&'a str>,
    /// For a rate: the factor, and whether the denominator is the population.
    rate: Option<(Decimal, bool)>,
    /// The accepted units (indices, in order) with a row of some side;
    /// the others give nothing to any column.
    units: Vec<usize>,
    /// Each of those units' level ([`Rows::level_of`]).
    level: Vec<u32>,
    /// Each of those units' figure of each side, by column
    /// (`[col][k * sides + side]`): looked up once, then read in order for
    /// every scope and comparison.
    vals: [Vec<Option<Decimal>>; 3],
}

fn def<'a>(ct: &'a ChiTieu, index: &Rows<'a>) -> Def<'a> {
    let (sides, rate) = match &ct.cach {
        CachTongHop::Tong => (vec![ct.ma.as_str()], None),
        CachTongHop::TyLe {
            tu_so,
            mau_so: MauSo::ChiTieu(m),
            he_so,
        } => (vec![tu_so.as_str(), m.as_str()], Some((*he_so, false))),
        CachTongHop::TyLe {
            tu_so,
            mau_so: MauSo::DanSo,
            he_so,
        } => (vec![tu_so.as_str()], Some((*he_so, true))),
    };
    let at: Vec<Option<usize>> = sides.iter().map(|s| index.position(s)).collect();
    let mut units: Vec<usize> = at
        .iter()
        .flatten()
        .flat_map(|&p| index.units_at(p))
        .collect();
    // One side: already in order, without repeats.
    if sides.len() > 1 {
        units.sort_unstable();
        units.dedup();
    }
    let ns = sides.len();
    let mut vals: [Vec<Option<Decimal>>; 3] = std::array::from_fn(|_| vec![None; units.len() * ns]);
    for (si, p) in at.iter().enumerate() {
        let Some(p) = *p else { continue };
        // Both lists are in unit order: walk them together.
        let mut k = 0;
        for (u, f) in index.units_at(p).zip(index.figures_at(p)) {
            while units[k] < u {
                k += 1;
            }
            for col in Col::ALL {
                vals[col.index()][k * ns + si] = f.value(col);
            }
        }
    }
    let level = units.iter().map(|&u| index.level_of(u)).collect();
    Def {
        sides,
        rate,
        units,
        level,
        vals,
    }
}

impl Def<'_> {
    /// The `k`-th unit's figure of side `side` in one column.
    fn given(&self, k: usize, side: usize, col: Col) -> Option<Decimal> {
        self.vals[col.index()][k * self.sides.len() + side]
    }
    /// Whether the `k`-th unit gave every side of one column.
    fn complete(&self, k: usize, col: Col) -> bool {
        let ns = self.sides.len();
        self.vals[col.index()][k * ns..(k + 1) * ns]
            .iter()
            .all(Option::is_some)
    }
    /// The figure of one column over a set of units: the sum, or the rate
    /// recomputed from the summed sides. None for an empty set.
    fn value(&self, units: &[usize], col: Col, population: Option<Decimal>) -> Option<Decimal> {
        if units.is_empty() {
            return None;
        }
        let sum = |side: usize| -> Decimal {
            super::rows::sum(units.iter().filter_map(move |&k| self.given(k, side, col)))
        };
        match self.rate {
            None => Some(sum(0)),
            Some((k, false)) => ratio(sum(0), sum(1), k),
            Some((k, true)) => ratio(sum(0), population?, k),
        }
    }
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

/// The population of the province and of each level (registry order),
/// summed once for every indicator.
pub(super) struct Populations {
    province: Option<Decimal>,
    levels: Vec<Option<Decimal>>,
}

impl Populations {
    pub(super) fn new(registry: &Registry) -> Populations {
        Populations {
            province: population(registry, Scope::Province),
            levels: registry
                .levels
                .iter()
                .map(|l| population(registry, Scope::Level(&l.key)))
                .collect(),
        }
    }
}

fn ratio(num: Decimal, den: Decimal, factor: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    num.checked_mul(factor)?.checked_div(den)
}

fn r2(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|d| round_half_away(d, 2))
}

/// What a comparison is called in messages, and which column it compares with.
#[derive(Clone, Copy)]
enum Kind {
    Plan,
    SamePeriod,
}

impl Kind {
    fn col(self) -> Col {
        match self {
            Kind::Plan => Col::KeHoach,
            Kind::SamePeriod => Col::CungKy,
        }
    }
    fn words(self) -> &'static str {
        match self {
            Kind::Plan => "so sánh với kế hoạch",
            Kind::SamePeriod => "so sánh với cùng kỳ",
        }
    }
}

/// Figures of one indicator in one scope; the cells whose figures were
/// left out go to `left`.
fn figures(
    ct: &ChiTieu,
    d: &Def<'_>,
    population: Option<Decimal>,
    accepted: &[Accepted],
    (scope, scope_level): (Scope<'_>, Option<u32>),
    scope_name: &str,
    left: &mut LeftOutCells,
) -> Figures {
    let pop = if matches!(d.rate, Some((_, true))) {
        population
    } else {
        None
    };
    // Positions in `d.units`.
    let in_scope: Vec<usize> = match scope_level {
        None => (0..d.units.len()).collect(),
        Some(li) => (0..d.units.len()).filter(|&k| d.level[k] == li).collect(),
    };
    let with = |col: Col| -> Vec<usize> {
        in_scope
            .iter()
            .copied()
            .filter(|&i| d.complete(i, col))
            .collect()
    };
    let result_units = with(Col::ThucHien);
    let gia_tri = d.value(&result_units, Col::ThucHien, pop);
    let units_plan = with(Col::KeHoach);
    let province_plan = match scope {
        Scope::Province => ct.ke_hoach_tinh,
        Scope::Level(_) => None,
    };
    let ke_hoach = province_plan.or_else(|| d.value(&units_plan, Col::KeHoach, pop));
    let cung_ky = d.value(&with(Col::CungKy), Col::CungKy, pop);

    // A rate side given without its other side is left out of that column:
    // always said for the result; for the plan and the same period only
    // where some unit gave both (otherwise the rate has none to leave out of).
    if d.sides.len() == 2 {
        for col in [Col::ThucHien, Col::KeHoach, Col::CungKy] {
            if col != Col::ThucHien && with(col).is_empty() {
                continue;
            }
            let what = format!("{} của {}", col.figure_words(), ct.nhan());
            for &k in &in_scope {
                let got = [d.given(k, 0, col).is_some(), d.given(k, 1, col).is_some()];
                if got.iter().any(|g| *g) && !got.iter().all(|g| *g) {
                    for (s, g) in d.sides.iter().zip(&got) {
                        if !g {
                            left.add(d.units[k], s, col, &what, scope_name);
                        }
                    }
                }
            }
        }
    }

    let mut compare = |kind: Kind| -> Option<Comparison> {
        if let (Kind::Plan, Some(plan)) = (kind, province_plan) {
            // The province's own plan is the plan of the whole province.
            return (!result_units.is_empty()).then(|| Comparison {
                so_don_vi: result_units.len(),
                gia_tri,
                co_so: Some(plan),
                ke_hoach_tinh: true,
                ..Default::default()
            });
        }
        let col = kind.col();
        let what = format!("{} của {}", kind.words(), ct.nhan());
        let mut cover = Vec::new();
        let mut khong_tinh = Vec::new();
        let mut gaps: Vec<(usize, &str, Col)> = Vec::new();
        for &k in &in_scope {
            let i = d.units[k];
            let a = &accepted[i];
            let has_result = d.complete(k, Col::ThucHien);
            let has_base = d.complete(k, col);
            match (has_result, has_base) {
                (true, true) => cover.push(k),
                (true, false) => {
                    let missing: Vec<&str> = (0..d.sides.len())
                        .filter(|&s| d.given(k, s, col).is_none())
                        .map(|s| d.sides[s])
                        .collect();
                    khong_tinh.push(LeftOut {
                        ma: a.don_vi.ma.clone(),
                        ten: a.don_vi.ten.clone(),
                        thieu: missing_words(ct, &missing, col),
                    });
                    gaps.extend(missing.into_iter().map(|s| (i, s, col)));
                }
                (false, true) => {
                    // The base a unit gave without its result is left out too.
                    for (s, side) in d.sides.iter().enumerate() {
                        if d.given(k, s, Col::ThucHien).is_none() {
                            left.add(i, side, Col::ThucHien, &what, scope_name);
                        }
                    }
                }
                (false, false) => {}
            }
        }
        if cover.is_empty() {
            return None;
        }
        for (i, s, c) in gaps {
            left.add(i, s, c, &what, scope_name);
        }
        let v = d.value(&cover, Col::ThucHien, pop);
        let base = d.value(&cover, col, pop);
        Some(Comparison {
            so_don_vi: cover.len(),
            gia_tri: v,
            co_so: base,
            khong_tinh,
            ..Default::default()
        })
    };
    let plan = compare(Kind::Plan);
    let same = compare(Kind::SamePeriod);
    Figures {
        dan_so: pop,
        ..finish(
            gia_tri,
            ke_hoach,
            cung_ky,
            result_units.len(),
            plan,
            same,
            d.rate.is_some(),
        )
    }
}

/// Derived figures of each comparison, then everything rounded once.
fn finish(
    gia_tri: Option<Decimal>,
    ke_hoach: Option<Decimal>,
    cung_ky: Option<Decimal>,
    n: usize,
    plan: Option<Comparison>,
    same: Option<Comparison>,
    is_rate: bool,
) -> Figures {
    // Rates can come near Decimal's range (a tiny denominator), so the
    // difference of two is checked; absent when it cannot be held.
    let diff = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_sub(b?);
    let plan = plan.map(|c| Comparison {
        ty_le: if is_rate {
            None
        } else {
            r2(c.gia_tri
                .zip(c.co_so)
                .and_then(|(v, k)| ratio(v, k, HUNDRED)))
        },
        chenh_lech: r2(diff(c.gia_tri, c.co_so)),
        gia_tri: r2(c.gia_tri),
        co_so: r2(c.co_so),
        ..c
    });
    let same = same.map(|c| Comparison {
        ty_le: r2(diff(c.gia_tri, c.co_so)
            .zip(c.co_so)
            .and_then(|(d, b)| ratio(d, b, HUNDRED))),
        chenh_lech: r2(diff(c.gia_tri, c.co_so)),
        gia_tri: r2(c.gia_tri),
        co_so: r2(c.co_so),
        ..c
    });
    Figures {
        gia_tri: r2(gia_tri),
        ke_hoach: r2(ke_hoach),
        cung_ky: r2(cung_ky),
        ty_le_ke_hoach: plan.as_ref().and_then(|c| c.ty_le),
        chenh_lech_ke_hoach: plan.as_ref().and_then(|c| c.chenh_lech),
        so_voi_cung_ky: same.as_ref().and_then(|c| c.ty_le),
        chenh_lech_cung_ky: same.as_ref().and_then(|c| c.chenh_lech),
        so_don_vi_bao_cao: n,
        so_sanh_ke_hoach: plan,
        so_sanh_cung_ky: same,
        dan_so: None,
    }
}

/// What a unit did not give: `cùng kỳ năm trước`, or for a rate
/// `cùng kỳ năm trước của tử số và mẫu số`.
fn missing_words(ct: &ChiTieu, missing: &[&str], col: Col) -> String {
    let CachTongHop::TyLe { tu_so, .. } = &ct.cach else {
        return col.label_lower().to_string();
    };
    let sides: Vec<&str> = missing
        .iter()
        .map(|s| {
            if code_key(s) == code_key(tu_so) {
                "tử số"
            } else {
                "mẫu số"
            }
        })
        .collect();
    format!("{} của {}", col.label_lower(), sides.join(" và "))
}

/// Compile one indicator everywhere, with per-unit figures; cells left out
/// of a comparison go to `left`, other problems to `diags`.
pub(super) fn compile_indicator(
    ct: &ChiTieu,
    registry: &Registry,
    accepted: &[Accepted],
    index: &Rows<'_>,
    populations: &Populations,
    left: &mut LeftOutCells,
    diags: &mut Vec<Diagnostic>,
) -> CompiledIndicator {
    // Filled by the caller ([`Rows::unit_figures`]).
    let theo_don_vi = Vec::new();
    if ct.loi.is_some() {
        // A broken definition computes nothing; its error names the cell.
        let none = Figures::default();
        return CompiledIndicator {
            chi_tieu: ct.clone(),
            tinh: none.clone(),
            theo_tuyen: registry
                .levels
                .iter()
                .map(|l| (l.key.clone(), none.clone()))
                .collect(),
            theo_don_vi,
        };
    }
    let d = def(ct, index);
    let tinh = figures(
        ct,
        &d,
        populations.province,
        accepted,
        (Scope::Province, None),
        "toàn tỉnh",
        left,
    );
    let theo_tuyen = registry
        .levels
        .iter()
        .zip(&populations.levels)
        .map(|(l, pop)| {
            let level = Some(index.level_of_key(&l.key));
            let scope = (Scope::Level(&l.key), level);
            let f = figures(ct, &d, *pop, accepted, scope, &l.ten, left);
            (l.key.clone(), f)
        })
        .collect();
    if let CachTongHop::TyLe { mau_so, .. } = &ct.cach {
        if tinh.gia_tri.is_none() && tinh.so_don_vi_bao_cao > 0 {
            let why = match mau_so {
                MauSo::DanSo => "không đơn vị nào trong danh sách đơn vị có dân số".to_string(),
                MauSo::ChiTieu(m) => format!("tổng mẫu số {m} bằng 0"),
            };
            diags.push(Diagnostic::warning(
                Location::default(),
                format!("{}: để trống vì {why} (không chia được)", ct.nhan()),
            ));
        }
    }
    CompiledIndicator {
        chi_tieu: ct.clone(),
        tinh,
        theo_tuyen,
        theo_don_vi,
    }
}
