//! Compile: the units' figures → the province's, by level, with
//! completeness, derived figures, validation rules and provenance.

mod assign;
mod figures;
mod left_out;
mod record;
mod rows;
mod rules;

pub use assign::{assign_units, Accepted};
pub use figures::{Comparison, Figures, LeftOut, Scope};
pub use left_out::Col;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::{Catalogue, ChiTieu, DonVi, Level, Registry};
use crate::diagnostics::Diagnostic;
use crate::intake::record::Record;
use crate::intake::{Nguon, UnitReport};

/// One unit's figures for one indicator, with where they came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitFigure {
    /// The unit's position in the registry (its code, name and level are
    /// there, not copied into each of its figures).
    pub don_vi: usize,
    /// `Thực hiện`.
    pub gia_tri: Option<Decimal>,
    /// `Kế hoạch năm`.
    pub ke_hoach: Option<Decimal>,
    /// `Cùng kỳ năm trước`.
    pub cung_ky: Option<Decimal>,
    /// `file › sheet › cell` of the result.
    pub nguon: Nguon,
    /// `file › sheet › cell` of the plan (none when the table has no such column).
    pub nguon_ke_hoach: Nguon,
    /// `file › sheet › cell` of the same period (last year's record when filled from it).
    pub nguon_cung_ky: Nguon,
}

impl UnitFigure {
    /// The figure of one column.
    pub fn value(&self, col: Col) -> Option<Decimal> {
        match col {
            Col::KeHoach => self.ke_hoach,
            Col::ThucHien => self.gia_tri,
            Col::CungKy => self.cung_ky,
        }
    }
    /// Where the figure of one column came from.
    pub fn source(&self, col: Col) -> &Nguon {
        match col {
            Col::KeHoach => &self.nguon_ke_hoach,
            Col::ThucHien => &self.nguon,
            Col::CungKy => &self.nguon_cung_ky,
        }
    }
}

/// One indicator, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledIndicator {
    /// The catalogue entry.
    pub chi_tieu: ChiTieu,
    /// Whole province.
    pub tinh: Figures,
    /// Per level, in registry order (key, figures).
    pub theo_tuyen: Vec<(String, Figures)>,
    /// Per unit that sent a workbook, in registry order.
    pub theo_don_vi: Vec<UnitFigure>,
}

/// Who was expected and who reported, in a level or overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// Expected units.
    pub du_kien: usize,
    /// Units whose workbook was used.
    pub da_nop: usize,
}

/// Completeness of reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct Completeness {
    /// Overall.
    pub tong: Count,
    /// Units that did not report, in registry order.
    pub thieu: Vec<DonVi>,
    /// Per level.
    pub theo_tuyen: Vec<(Level, Count)>,
}

/// A narrative text with the unit that wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    /// Section key.
    pub muc: String,
    /// Unit name.
    pub don_vi: String,
    /// The text.
    pub van_ban: String,
}

/// Everything compile produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// Indicators in catalogue order.
    pub indicators: Vec<CompiledIndicator>,
    /// Who reported.
    pub completeness: Completeness,
    /// Units' narrative texts in registry order.
    pub texts: Vec<Text>,
    /// Levels in registry order.
    pub levels: Vec<Level>,
    /// The workbook used for each unit that reported: (unit code, file).
    pub used: Vec<(String, String)>,
    /// Units that sent more than one workbook: (unit code, file passed over).
    pub passed_over: Vec<(String, String)>,
}

/// Compile the units' reports.
pub fn compile(
    reports: Vec<UnitReport>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> (Compiled, Vec<Diagnostic>) {
    compile_with(reports, registry, catalogue, None)
}

/// Compile the units' reports, filling blank same-period cells from last
/// year's record when there is one (`cung_ky_tu`).
pub fn compile_with(
    reports: Vec<UnitReport>,
    registry: &Registry,
    catalogue: &Catalogue,
    last_year: Option<&Record>,
) -> (Compiled, Vec<Diagnostic>) {
    let (mut compiled, diags, accepted) = compile_keeping(reports, registry, catalogue, last_year);
    fill_unit_figures(&mut compiled, &accepted);
    (compiled, diags)
}

/// Fill every indicator's `theo_don_vi` (each unit's own figures and
/// their cells) from the reports [`compile_keeping`] gave back: left
/// empty by it, since only the per-unit sheet, templates that name them
/// and `check --json` show them (60,000 of them for 1,000 units).
pub fn fill_unit_figures(compiled: &mut Compiled, accepted: &[Accepted]) {
    let figs = rows::unit_figures(accepted, compiled.indicators.len());
    for (ci, figs) in compiled.indicators.iter_mut().zip(figs) {
        ci.theo_don_vi = figs;
    }
}

/// [`compile_with`], giving back the reports as they were accepted, for
/// the caller to free when it frees the rest (tens of thousands of small
/// allocations at scale: a command that exits need not free them at all),
/// and leaving each indicator's `theo_don_vi` empty until
/// [`fill_unit_figures`] is called with them.
pub fn compile_keeping(
    reports: Vec<UnitReport>,
    registry: &Registry,
    catalogue: &Catalogue,
    last_year: Option<&Record>,
) -> (Compiled, Vec<Diagnostic>, Vec<Accepted>) {
    let mut diags = Vec::new();
    let mut accepted = assign_units(reports, registry, &mut diags);
    if let Some(rec) = last_year {
        record::fill_same_period(&mut accepted, rec, catalogue, &mut diags);
    }
    let completeness = completeness(&accepted, registry);
    let mut indicators = Vec::with_capacity(catalogue.indicators.len());
    let mut left = left_out::LeftOutCells::default();
    {
        let pos = rows::positions(catalogue);
        rows::index_rows(&mut accepted, &pos, catalogue.indicators.len());
        let index = rows::Rows::new(&accepted, pos, registry, catalogue.indicators.len());
        let populations = figures::Populations::new(registry);
        // Indicator by indicator in parallel; what each leaves out and
        // says is taken in catalogue order, so the result is the same
        // whatever the threads.
        let per: Vec<_> = catalogue
            .indicators
            .par_iter()
            .map(|ct| {
                let mut left = left_out::LeftOutCells::default();
                let mut diags = Vec::new();
                let ci = figures::compile_indicator(
                    ct,
                    registry,
                    &accepted,
                    &index,
                    &populations,
                    &mut left,
                    &mut diags,
                );
                (ci, left, diags)
            })
            .collect();
        for (ci, l, d) in per {
            indicators.push(ci);
            left.absorb(l);
            diags.extend(d);
        }
        rules::check(catalogue, registry, &accepted, &index, &mut diags);
        left.emit(&accepted, &index, catalogue, &mut diags);
    }
    let texts = accepted
        .iter()
        .flat_map(|a| {
            a.report.narrative.iter().map(|n| Text {
                muc: n.muc.clone(),
                don_vi: a.don_vi.ten.clone(),
                van_ban: n.text.clone(),
            })
        })
        .collect();
    let used = accepted
        .iter()
        .map(|a| (a.don_vi.ma.clone(), a.report.file.clone()))
        .collect();
    let passed_over = accepted
        .iter()
        .flat_map(|a| {
            a.passed_over
                .iter()
                .map(|f| (a.don_vi.ma.clone(), f.clone()))
        })
        .collect();
    (
        Compiled {
            indicators,
            completeness,
            texts,
            levels: registry.levels.clone(),
            used,
            passed_over,
        },
        diags,
        accepted,
    )
}

fn completeness(accepted: &[Accepted], registry: &Registry) -> Completeness {
    let codes: std::collections::HashSet<&str> =
        accepted.iter().map(|a| a.don_vi.ma.as_str()).collect();
    let reported = |u: &DonVi| codes.contains(u.ma.as_str());
    let thieu: Vec<DonVi> = registry
        .units
        .iter()
        .filter(|u| !reported(u))
        .cloned()
        .collect();
    let theo_tuyen = registry
        .levels
        .iter()
        .map(|l| {
            let units: Vec<&DonVi> = registry.units.iter().filter(|u| u.tuyen == l.key).collect();
            let da_nop = units.iter().filter(|u| reported(u)).count();
            (
                l.clone(),
                Count {
                    du_kien: units.len(),
                    da_nop,
                },
            )
        })
        .collect();
    Completeness {
        tong: Count {
            du_kien: registry.units.len(),
            da_nop: registry.units.len() - thieu.len(),
        },
        thieu,
        theo_tuyen,
    }
}
