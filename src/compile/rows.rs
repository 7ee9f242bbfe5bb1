//! Where each unit's row of each indicator is, found once per compile and
//! looked up by catalogue position: with thousands of units, looking rows
//! up by code (a hash of a string per use) was most of compiling.

use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::left_out::Col;
use super::{Accepted, UnitFigure};
use crate::catalog::{Catalogue, Registry};
use crate::intake::{FigureRow, Nguon};

/// Catalogue positions by exact code (intake writes the catalogue's own
/// codes, and rates' sides are normalised to them when it is read); the
/// first of equal codes.
pub(super) fn positions(cat: &Catalogue) -> FxHashMap<&str, u32> {
    let mut pos = FxHashMap::default();
    for (i, ct) in cat.indicators.iter().enumerate() {
        pos.entry(ct.ma.as_str()).or_insert(i as u32);
    }
    pos
}

/// Fill each accepted unit's `index`: its first row of each indicator of
/// the catalogue, by position, and that row's place among the rows of the
/// indicator ([`Rows`] lays them out in unit order).
pub(super) fn index_rows(accepted: &mut [Accepted], pos: &FxHashMap<&str, u32>, indicators: usize) {
    accepted.par_iter_mut().for_each(|a| {
        let mut index: Vec<(u32, u32, u32)> = a
            .report
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| pos.get(r.ma.as_str()).map(|&p| (p, i as u32, 0)))
            .collect();
        // Stable: of two rows of one code, the first stays first.
        index.sort_by_key(|&(p, ..)| p);
        index.dedup_by_key(|&mut (p, ..)| p);
        a.index = index;
    });
    let mut next = vec![0u32; indicators];
    for a in accepted.iter_mut() {
        for (p, _, slot) in &mut a.index {
            *slot = next[*p as usize];
            next[*p as usize] += 1;
        }
    }
}

/// The accepted units' rows and figures, by indicator, in unit order, and
/// each unit's level.
pub(super) struct Rows<'a> {
    pos: FxHashMap<&'a str, u32>,
    by_pos: Vec<Vec<(usize, &'a FigureRow)>>,
    /// Each unit's figures of each indicator, beside `by_pos`: read from
    /// the rows once, then read from here by the sums, rates and rules (a
    /// unit's rows lie apart from every other unit's, so reading them
    /// indicator by indicator was a cache miss a figure). Values only:
    /// where one came from is read from its row when a message names it.
    vals: Vec<Vec<Given>>,
    /// Each accepted unit's level: the position of the first registry
    /// level of its key (`u32::MAX` for none).
    level: Vec<u32>,
    levels: &'a [crate::catalog::Level],
}

impl<'a> Rows<'a> {
    /// Rows of units whose `index` is filled ([`index_rows`]).
    pub(super) fn new(
        accepted: &'a [Accepted],
        pos: FxHashMap<&'a str, u32>,
        registry: &'a Registry,
        indicators: usize,
    ) -> Rows<'a> {
        let by_pos = by_position(accepted, indicators);
        let vals = by_pos
            .par_iter()
            .map(|rows| rows.iter().map(|&(_, row)| given(row)).collect())
            .collect();
        let levels = &registry.levels;
        let level = accepted
            .iter()
            .map(|a| first_level(levels, &a.don_vi.tuyen))
            .collect();
        Rows {
            pos,
            by_pos,
            vals,
            level,
            levels,
        }
    }
    /// The accepted units (indices, in order) with a row of the indicator
    /// at catalogue position `p`.
    pub(super) fn units_at(&self, p: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.by_pos[p].iter().map(|&(i, _)| i)
    }
    /// The catalogue position of an indicator, by its exact code.
    pub(super) fn position(&self, code: &str) -> Option<usize> {
        self.pos.get(code).map(|&p| p as usize)
    }
    /// Each unit's figures of the indicator at catalogue position `p`, in
    /// unit order (as [`Rows::units_at`]).
    pub(super) fn figures_at(&self, p: usize) -> impl Iterator<Item = Fig<'_>> + '_ {
        self.by_pos[p]
            .iter()
            .zip(&self.vals[p])
            .map(|(&(_, row), vals)| Fig { vals, row })
    }
    /// A unit's row of an indicator, by the catalogue's exact code.
    pub(super) fn row<'b>(&self, a: &'b Accepted, code: &str) -> Option<&'b FigureRow> {
        let k = self.entry(a, code)?;
        a.report.rows.get(a.index[k].1 as usize)
    }
    /// A unit's figures of an indicator, by the catalogue's exact code.
    pub(super) fn figure<'b>(&'b self, a: &'b Accepted, code: &str) -> Option<Fig<'b>> {
        let k = self.entry(a, code)?;
        let (p, r, slot) = a.index[k];
        Some(Fig {
            vals: self.vals.get(p as usize)?.get(slot as usize)?,
            row: a.report.rows.get(r as usize)?,
        })
    }
    fn entry(&self, a: &Accepted, code: &str) -> Option<usize> {
        let p = *self.pos.get(code)?;
        a.index.binary_search_by_key(&p, |&(p, ..)| p).ok()
    }
    /// The level of accepted unit `i` (see [`Rows::level_of_key`]).
    pub(super) fn level_of(&self, i: usize) -> u32 {
        self.level[i]
    }
    /// The level a scope's key names, as units' levels are numbered.
    pub(super) fn level_of_key(&self, key: &str) -> u32 {
        first_level(self.levels, key)
    }
}

/// A unit's three figures of an indicator (plan, result, same period).
type Given = [Option<Decimal>; 3];

fn given(row: &FigureRow) -> Given {
    Col::ALL.map(|c| c.pick(row).value.number())
}

/// A unit's figures of one indicator, as the sums and rules read them.
#[derive(Clone, Copy)]
pub(super) struct Fig<'a> {
    vals: &'a Given,
    row: &'a FigureRow,
}

impl<'a> Fig<'a> {
    /// The figure of one column.
    pub(super) fn value(&self, col: Col) -> Option<Decimal> {
        self.vals[col.index()]
    }
    /// Where the figure of one column came from.
    pub(super) fn source(&self, col: Col) -> &'a Nguon {
        &col.pick(self.row).nguon
    }
}

/// Every indicator's unit figures with their cells, by catalogue position,
/// each in unit order (as [`Rows`] lays them out): what reports and
/// `check --json` show of each unit (`theo_don_vi`). Made from the units'
/// `index` ([`index_rows`]).
pub(super) fn unit_figures(accepted: &[Accepted], indicators: usize) -> Vec<Vec<UnitFigure>> {
    by_position(accepted, indicators)
        .par_iter()
        .map(|rows| {
            rows.iter()
                .map(|&(i, row)| {
                    let [ke_hoach, gia_tri, cung_ky] = given(row);
                    UnitFigure {
                        don_vi: accepted[i].unit,
                        gia_tri,
                        ke_hoach,
                        cung_ky,
                        nguon: row.thuc_hien.nguon.clone(),
                        nguon_ke_hoach: row.ke_hoach.nguon.clone(),
                        nguon_cung_ky: row.cung_ky.nguon.clone(),
                    }
                })
                .collect()
        })
        .collect()
}

/// Each indicator's (accepted unit, its row), by catalogue position, in
/// unit order, from the units' `index` ([`index_rows`]).
fn by_position(accepted: &[Accepted], indicators: usize) -> Vec<Vec<(usize, &FigureRow)>> {
    let mut by_pos: Vec<Vec<(usize, &FigureRow)>> = vec![Vec::new(); indicators];
    for (i, a) in accepted.iter().enumerate() {
        for &(p, r, _) in &a.index {
            by_pos[p as usize].push((i, &a.report.rows[r as usize]));
        }
    }
    by_pos
}

fn first_level(levels: &[crate::catalog::Level], key: &str) -> u32 {
    levels
        .iter()
        .position(|l| l.key == key)
        .map_or(u32::MAX, |i| i as u32)
}

/// The sum of figures, exactly as adding them in order: the figures are
/// added as integers at the largest scale among them (a Decimal's sum has
/// that scale, and is exact while every partial sum fits its 96 bits);
/// anything else (a figure or partial sum past that, a zero sum, whose sign
/// follows the order) is added the plain way.
pub(super) fn sum<I>(values: I) -> Decimal
where
    I: Iterator<Item = Decimal> + Clone,
{
    let Some(scale) = values.clone().map(|v| v.scale()).max() else {
        return Decimal::ZERO;
    };
    // Largest mantissa a Decimal holds.
    const MAX: i128 = (1i128 << 96) - 1;
    let mut total: i128 = 0;
    for v in values.clone() {
        let step = 10i128
            .checked_pow(scale - v.scale())
            .and_then(|p| v.mantissa().checked_mul(p))
            .and_then(|m| total.checked_add(m))
            .filter(|t| t.abs() <= MAX);
        match step {
            Some(t) => total = t,
            None => return values.sum(),
        }
    }
    match Decimal::try_from_i128_with_scale(total, scale) {
        Ok(d) if total != 0 => d,
        _ => values.sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn sums_as_in_order() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let cases: Vec<Vec<Decimal>> = vec![
            vec![],
            vec![d("1"), d("2"), d("-3")],
            vec![d("1"), d("0.5"), d("2")],
            vec![d("1000000000000000"); 1000],
            vec![d("-0"), d("0")],
            vec![d("-5"), d("5")],
            vec![d("-5")],
            vec![d("0.1000000000000000000000000001"), d("100000000"), d("1")],
            vec![d("1.50"), d("2"), d("0.125")],
            vec![d("98.4"), d("-98.4"), d("0.0")],
            vec![d("-0.5"), d("0.25")],
            vec![d("79228162514264337593543950335"), d("-1")],
            vec![d("7.9228162514264337593543950335"), d("1000000000000000")],
            vec![
                d("0.0000000000000000000000000001"),
                d("123456789012345.678"),
            ],
        ];
        for c in cases {
            let plain: Decimal = c.iter().copied().sum();
            let fast = sum(c.iter().copied());
            assert_eq!(fast, plain, "{c:?}");
            assert_eq!(fast.scale(), plain.scale(), "{c:?}");
            assert_eq!(fast.is_sign_negative(), plain.is_sign_negative(), "{c:?}");
        }
    }

    proptest::proptest! {
        /// Figures as units give them (up to 10^15, a few decimals, some
        /// negative or zero): the same value and scale as adding in order.
        #[test]
        fn sums_as_in_order_for_any_figures(
            figs in proptest::collection::vec((-1_000_000_000_000_000i64..=1_000_000_000_000_000, 0u32..=12), 0..60)
        ) {
            let c: Vec<Decimal> = figs.iter().map(|&(m, s)| Decimal::new(m, s)).collect();
            let plain: Decimal = c.iter().copied().sum();
            let fast = sum(c.iter().copied());
            proptest::prop_assert_eq!(fast, plain);
            proptest::prop_assert_eq!(fast.scale(), plain.scale());
            proptest::prop_assert_eq!(fast.is_sign_negative(), plain.is_sign_negative());
        }
    }
}
