//! Where each unit's row of each indicator is, found once per compile and
//! looked up by catalogue position: with thousands of units, looking rows
//! up by code (a hash of a string per use) was most of compiling.

use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::left_out::Col;
use super::{Accepted, UnitFigure};
use crate::catalog::{Catalogue, Registry};
use crate::intake::FigureRow;

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
/// the catalogue, by position.
pub(super) fn index_rows(accepted: &mut [Accepted], pos: &FxHashMap<&str, u32>) {
    accepted.par_iter_mut().for_each(|a| {
        let mut index: Vec<(u32, u32)> = a
            .report
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| pos.get(r.ma.as_str()).map(|&p| (p, i as u32)))
            .collect();
        // Stable: of two rows of one code, the first stays first.
        index.sort_by_key(|&(p, _)| p);
        index.dedup_by_key(|&mut (p, _)| p);
        a.index = index;
    });
}

/// The accepted units' rows, by indicator, in unit order, and each unit's
/// level.
pub(super) struct Rows<'a> {
    pos: FxHashMap<&'a str, u32>,
    by_pos: Vec<Vec<(usize, &'a FigureRow)>>,
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
        let mut by_pos: Vec<Vec<(usize, &FigureRow)>> = vec![Vec::new(); indicators];
        for (i, a) in accepted.iter().enumerate() {
            for &(p, r) in &a.index {
                by_pos[p as usize].push((i, &a.report.rows[r as usize]));
            }
        }
        let levels = &registry.levels;
        let level = accepted
            .iter()
            .map(|a| first_level(levels, &a.don_vi.tuyen))
            .collect();
        Rows {
            pos,
            by_pos,
            level,
            levels,
        }
    }
    /// The accepted units (indices, in order) with a row of `code`, and
    /// that row.
    pub(super) fn units(&self, code: &str) -> &[(usize, &'a FigureRow)] {
        match self.pos.get(code) {
            Some(&p) => &self.by_pos[p as usize],
            None => &[],
        }
    }
    /// Each unit's figures of the indicator at catalogue position `p`, in
    /// unit order (its first row of it).
    pub(super) fn unit_figures(&self, p: usize, accepted: &[Accepted]) -> Vec<UnitFigure> {
        self.by_pos[p]
            .iter()
            .map(|&(i, row)| UnitFigure {
                don_vi: accepted[i].unit,
                gia_tri: row.thuc_hien.value.number(),
                ke_hoach: row.ke_hoach.value.number(),
                cung_ky: row.cung_ky.value.number(),
                nguon: row.thuc_hien.nguon.clone(),
                nguon_ke_hoach: row.ke_hoach.nguon.clone(),
                nguon_cung_ky: row.cung_ky.nguon.clone(),
            })
            .collect()
    }
    /// A unit's row of an indicator, by the catalogue's exact code.
    pub(super) fn row<'b>(&self, a: &'b Accepted, code: &str) -> Option<&'b FigureRow> {
        let p = *self.pos.get(code)?;
        let k = a.index.binary_search_by_key(&p, |&(p, _)| p).ok()?;
        a.report.rows.get(a.index[k].1 as usize)
    }
    /// One unit's figure: an indicator's column.
    pub(super) fn given(&self, a: &Accepted, code: &str, col: Col) -> Option<Decimal> {
        self.row(a, code).and_then(|r| col.pick(r).value.number())
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

fn first_level(levels: &[crate::catalog::Level], key: &str) -> u32 {
    levels
        .iter()
        .position(|l| l.key == key)
        .map_or(u32::MAX, |i| i as u32)
}

/// The sum of figures, exactly as adding them in order: whole numbers
/// (most figures) are added as integers, and a sum with anything else is
/// made the plain way.
pub(super) fn sum<I>(values: I) -> Decimal
where
    I: Iterator<Item = Decimal> + Clone,
{
    let mut whole: i128 = 0;
    for v in values.clone() {
        let next = (v.scale() == 0)
            .then(|| whole.checked_add(v.mantissa()))
            .flatten();
        match next {
            Some(n) => whole = n,
            None => return values.sum(),
        }
    }
    // A zero sum keeps whatever sign adding in order gives it.
    match Decimal::try_from_i128_with_scale(whole, 0) {
        Ok(total) if whole != 0 => total,
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
        ];
        for c in cases {
            let plain: Decimal = c.iter().copied().sum();
            let fast = sum(c.iter().copied());
            assert_eq!(fast, plain, "{c:?}");
            assert_eq!(fast.scale(), plain.scale(), "{c:?}");
            assert_eq!(fast.is_sign_negative(), plain.is_sign_negative(), "{c:?}");
        }
    }
}
