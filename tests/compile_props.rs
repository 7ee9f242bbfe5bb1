//! Properties of compiling, on generated units: a province's sum is the sum
//! of its levels, and a rate is never the mean of the units' rates.

use std::str::FromStr;

use baocao::catalog::{CachTongHop, Catalogue, ChiTieu, DonVi, Group, Level, MauSo, Registry};
use baocao::compile::compile;
use baocao::intake::{Figure, FigureRow, UnitReport, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn fig(v: Option<i64>) -> Figure {
    Figure {
        value: v
            .map(|x| Value::Number(Decimal::from(x)))
            .unwrap_or(Value::Missing),
        nguon: "t.xlsx › BaoCao › F9".into(),
    }
}

fn catalogue() -> Catalogue {
    let ct = |ma: &str, cach: CachTongHop| ChiTieu {
        ma: ma.into(),
        ten: ma.into(),
        dvt: "%".into(),
        nhom: "Nhóm".into(),
        cach,
        ke_hoach_tinh: None,
        so_sanh: Default::default(),
        loi: None,
    };
    Catalogue::new(
        vec![
            ct("TU", CachTongHop::Tong),
            ct("MAU", CachTongHop::Tong),
            ct(
                "TY_LE",
                CachTongHop::TyLe {
                    tu_so: "TU".into(),
                    mau_so: MauSo::ChiTieu("MAU".into()),
                    he_so: Decimal::ONE_HUNDRED,
                },
            ),
        ],
        vec![Group {
            ten: "Nhóm".into(),
            khoa: "nhom".into(),
        }],
    )
}

fn setup(units: &[(usize, Option<i64>, Option<i64>)]) -> (Registry, Vec<UnitReport>) {
    let levels = ["tinh", "huyen", "xa"];
    let mut reg = Registry::new(
        Vec::new(),
        levels
            .iter()
            .map(|l| Level {
                key: l.to_string(),
                ten: format!("tuyến {l}"),
            })
            .collect(),
    );
    let mut reports = Vec::new();
    for (i, (lvl, tu, mau)) in units.iter().enumerate() {
        let ma = format!("DV{i}");
        reg.units.push(DonVi {
            ma: ma.clone(),
            ten: ma.clone(),
            tuyen: levels[*lvl].into(),
            dan_so: None,
        });
        reports.push(UnitReport {
            file: format!("{ma}.xlsx"),
            sheet: "BaoCao".into(),
            ma_don_vi: Some(ma),
            ma_o: None,
            ten_don_vi: None,
            ky: None,
            rows: vec![
                FigureRow {
                    ma: "TU".into(),
                    ke_hoach: fig(None),
                    thuc_hien: fig(*tu),
                    cung_ky: fig(None),
                },
                FigureRow {
                    ma: "MAU".into(),
                    ke_hoach: fig(None),
                    thuc_hien: fig(*mau),
                    cung_ky: fig(None),
                },
            ],
            narrative: vec![],
            modified: None,
            luu_luc: None,
            ky_khop: None,
        });
    }
    (reg, reports)
}

proptest! {
    #[test]
    fn province_sum_is_sum_of_levels(units in prop::collection::vec((0usize..3, prop::option::of(0i64..1_000_000), prop::option::of(1i64..1_000_000)), 1..30)) {
        let (reg, reports) = setup(&units);
        let (c, _) = compile(reports, &reg, &catalogue());
        let tu = &c.indicators[0];
        let levels: Vec<Decimal> = tu.theo_tuyen.iter().filter_map(|(_, f)| f.gia_tri).collect();
        let expected: Option<Decimal> = units.iter().filter_map(|u| u.1).map(Decimal::from).fold(None, |a, x| Some(a.unwrap_or_default() + x));
        prop_assert_eq!(tu.tinh.gia_tri, expected);
        if let Some(total) = tu.tinh.gia_tri {
            prop_assert_eq!(levels.iter().copied().sum::<Decimal>(), total);
        }
        let n: usize = tu.theo_tuyen.iter().map(|(_, f)| f.so_don_vi_bao_cao).sum();
        prop_assert_eq!(n, tu.tinh.so_don_vi_bao_cao);
    }

    #[test]
    fn rate_is_ratio_of_sums_never_mean_of_rates(units in prop::collection::vec((0usize..3, 0i64..10_000, 1i64..10_000), 2..20)) {
        let units: Vec<(usize, Option<i64>, Option<i64>)> = units.into_iter().map(|(l, t, m)| (l, Some(t.min(m)), Some(m))).collect();
        let (reg, reports) = setup(&units);
        let (c, _) = compile(reports, &reg, &catalogue());
        let rate = c.indicators[2].tinh.gia_tri.expect("rate");
        let sum_t: i64 = units.iter().map(|u| u.1.unwrap()).sum();
        let sum_m: i64 = units.iter().map(|u| u.2.unwrap()).sum();
        let exact = Decimal::from(sum_t) * Decimal::ONE_HUNDRED / Decimal::from(sum_m);
        prop_assert_eq!(rate, baocao::vi::number::round_half_away(exact, 2));
        // Where the mean of the units' rates differs from the ratio of sums
        // by more than rounding, the compiled rate is not that mean.
        let mean = units.iter().map(|u| Decimal::from(u.1.unwrap()) * Decimal::ONE_HUNDRED / Decimal::from(u.2.unwrap())).sum::<Decimal>() / Decimal::from(units.len());
        if (mean - exact).abs() > Decimal::from_str("0.01").unwrap() {
            prop_assert_ne!(rate, baocao::vi::number::round_half_away(mean, 2));
        }
    }
}

/// The seeds' figures: 167.093 against 357.037 is 46,8%; 157.265 against
/// 336.967 is 46,67%; and the rounding edge x,xx5 goes away from zero.
#[test]
fn seed_percentages_and_rounding_edges() {
    let units = [
        (0, Some(167_093), Some(357_037)),
        (1, Some(157_265), Some(336_967)),
        (2, Some(1), Some(8)),
    ];
    let (reg, reports) = setup(&units);
    let (c, _) = compile(reports, &reg, &catalogue());
    let r = &c.indicators[2];
    assert_eq!(
        r.theo_tuyen[0].1.gia_tri,
        Some(Decimal::from_str("46.80").unwrap())
    );
    assert_eq!(
        baocao::vi::number::format_decimal(r.theo_tuyen[0].1.gia_tri.unwrap()),
        "46,8"
    );
    assert_eq!(
        baocao::vi::number::format_decimal(r.theo_tuyen[1].1.gia_tri.unwrap()),
        "46,67"
    );
    // 1/8 = 12,5% exactly; 1/800 ×100 = 0,125 → 0,13 (half away from zero).
    assert_eq!(
        baocao::vi::number::format_decimal(r.theo_tuyen[2].1.gia_tri.unwrap()),
        "12,5"
    );
    let (reg, reports) = setup(&[(0, Some(1), Some(800))]);
    let (c, _) = compile(reports, &reg, &catalogue());
    assert_eq!(
        c.indicators[2].tinh.gia_tri,
        Some(Decimal::from_str("0.13").unwrap())
    );
    // A zero denominator leaves the rate absent, not zero.
    let (reg, reports) = setup(&[(0, Some(0), Some(0))]);
    let (c, _) = compile(reports, &reg, &catalogue());
    assert_eq!(c.indicators[2].tinh.gia_tri, None);
    assert_eq!(c.indicators[1].tinh.gia_tri, Some(Decimal::ZERO));
}

/// A unit's three figures (plan, result, same period) for TU and for MAU.
type Figs = [[Option<i64>; 3]; 2];

fn fig3(v: [Option<i64>; 3], ma: &str) -> FigureRow {
    FigureRow {
        ma: ma.into(),
        ke_hoach: fig(v[0]),
        thuc_hien: fig(v[1]),
        cung_ky: fig(v[2]),
    }
}

/// The test catalogue plus a per-population rate and a sum with the
/// province's own plan (`TU_KHT` mirrors `TU`'s figures).
fn catalogue_full() -> Catalogue {
    let mut c = catalogue();
    let mut ds = c.indicators[2].clone();
    ds.ma = "TY_DS".into();
    ds.dvt = "trẻ/vạn dân".into();
    ds.cach = CachTongHop::TyLe {
        tu_so: "TU".into(),
        mau_so: MauSo::DanSo,
        he_so: Decimal::from(10_000),
    };
    let mut kht = c.indicators[0].clone();
    kht.ma = "TU_KHT".into();
    kht.ke_hoach_tinh = Some(Decimal::from(5_000));
    c.indicators.push(ds);
    c.indicators.push(kht);
    c
}

fn registry_of(units: &[(usize, Option<i64>, Figs)]) -> Registry {
    let levels = ["tinh", "huyen", "xa"];
    Registry::new(
        units
            .iter()
            .enumerate()
            .map(|(i, (lvl, pop, _))| DonVi {
                ma: format!("DV{i}"),
                ten: format!("Đơn vị {i}"),
                tuyen: levels[*lvl].into(),
                dan_so: pop.map(Decimal::from),
            })
            .collect(),
        levels
            .iter()
            .map(|l| Level {
                key: l.to_string(),
                ten: format!("tuyến {l}"),
            })
            .collect(),
    )
}

fn report_of(i: usize, f: &Figs) -> UnitReport {
    let ma = format!("DV{i}");
    UnitReport {
        file: format!("{ma}.xlsx"),
        sheet: "BaoCao".into(),
        ma_don_vi: Some(ma),
        ma_o: None,
        ten_don_vi: None,
        ky: None,
        rows: vec![fig3(f[0], "TU"), fig3(f[1], "MAU"), fig3(f[0], "TU_KHT")],
        narrative: vec![],
        modified: None,
        luu_luc: None,
        ky_khop: None,
    }
}

fn figs() -> impl Strategy<Value = Figs> {
    let one = prop::option::of(0i64..100_000);
    let three = [one.clone(), one.clone(), one.clone()];
    [three.clone(), three]
}

/// Every comparison, in every scope, of every indicator.
fn comparisons(c: &baocao::compile::Compiled) -> Vec<String> {
    let mut out = Vec::new();
    for ci in &c.indicators {
        for (scope, f) in std::iter::once(("toàn tỉnh".to_string(), &ci.tinh))
            .chain(ci.theo_tuyen.iter().map(|(k, f)| (k.clone(), f)))
        {
            out.push(format!(
                "{} {scope}: {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                ci.chi_tieu.ma,
                f.gia_tri,
                f.so_don_vi_bao_cao,
                f.ty_le_ke_hoach,
                f.chenh_lech_ke_hoach,
                f.so_voi_cung_ky,
                f.chenh_lech_cung_ky,
                f.so_sanh_ke_hoach,
                f.so_sanh_cung_ky
            ));
        }
    }
    out
}

proptest! {
    /// A unit that reported only a plan, or only a same-period figure,
    /// never changes any comparison (nor any result).
    #[test]
    fn a_unit_with_only_a_plan_or_a_same_period_changes_no_comparison(
        units in prop::collection::vec((0usize..3, prop::option::of(1i64..500_000), figs()), 1..12),
        extra_level in 0usize..3,
        extra_pop in prop::option::of(1i64..500_000),
        only in 0usize..2,
        values in [prop::option::of(0i64..100_000), prop::option::of(0i64..100_000)],
    ) {
        let col = if only == 0 { 0 } else { 2 };
        let mut extra: Figs = [[None; 3]; 2];
        extra[0][col] = values[0];
        extra[1][col] = values[1];
        let mut all = units.clone();
        all.push((extra_level, extra_pop, extra));
        // The registry is the same both times: the extra unit is expected
        // in both runs, and sends its workbook in the second.
        let reg = registry_of(&all);
        let cat = catalogue_full();
        let without: Vec<UnitReport> = units.iter().enumerate().map(|(i, u)| report_of(i, &u.2)).collect();
        let mut with = without.clone();
        with.push(report_of(units.len(), &extra));
        let (a, _) = compile(without, &reg, &cat);
        let (b, _) = compile(with, &reg, &cat);
        prop_assert_eq!(comparisons(&a), comparisons(&b));
    }

    /// A comparison's two sides are sums over the same units: those that
    /// gave both figures.
    #[test]
    fn both_sides_of_a_comparison_cover_the_same_units(
        units in prop::collection::vec((0usize..3, prop::option::of(1i64..500_000), figs()), 1..12),
    ) {
        let reg = registry_of(&units);
        let reports: Vec<UnitReport> = units.iter().enumerate().map(|(i, u)| report_of(i, &u.2)).collect();
        let (c, _) = compile(reports, &reg, &catalogue_full());
        let tu = &c.indicators[0].tinh;
        for (k, cmp) in [(0usize, &tu.so_sanh_ke_hoach), (2, &tu.so_sanh_cung_ky)] {
            let both: Vec<&[Option<i64>; 3]> = units.iter().map(|u| &u.2[0]).filter(|f| f[1].is_some() && f[k].is_some()).collect();
            match cmp {
                None => prop_assert!(both.is_empty()),
                Some(x) => {
                    prop_assert_eq!(x.so_don_vi, both.len());
                    prop_assert_eq!(x.gia_tri, Some(Decimal::from(both.iter().map(|f| f[1].unwrap()).sum::<i64>())));
                    prop_assert_eq!(x.co_so, Some(Decimal::from(both.iter().map(|f| f[k].unwrap()).sum::<i64>())));
                }
            }
        }
    }
}
