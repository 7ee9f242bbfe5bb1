//! Compiling does not depend on the order workbooks are read in, nor on
//! how many threads read and compile them; and a ministry's catalogue and
//! registry (5,000 indicators, 10,000 units) compile correctly.

use std::path::Path;

use baocao::catalog::{CachTongHop, Catalogue, ChiTieu, DonVi, Group, Level, MauSo, Registry};
use baocao::compile::{compile, Compiled};
use baocao::diagnostics::Diagnostic;
use baocao::intake::{Figure, FigureRow, UnitReport, Value};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

const LEVELS: [&str; 3] = ["tinh", "huyen", "xa"];

fn indicator(ma: &str, cach: CachTongHop) -> ChiTieu {
    ChiTieu {
        ma: ma.into(),
        ten: format!("Chỉ tiêu {ma}"),
        dvt: "lượt".into(),
        nhom: "Nhóm".into(),
        cach,
        ke_hoach_tinh: None,
        so_sanh: Default::default(),
        loi: None,
    }
}

fn rate(ma: &str, tu: &str, mau: MauSo) -> ChiTieu {
    indicator(
        ma,
        CachTongHop::TyLe {
            tu_so: tu.into(),
            mau_so: mau,
            he_so: Decimal::ONE_HUNDRED,
        },
    )
}

fn registry(units: usize, pop: impl Fn(usize) -> Option<i64>) -> Registry {
    Registry::new(
        (0..units)
            .map(|i| DonVi {
                ma: format!("DV{i}"),
                ten: format!("Đơn vị số {i}"),
                tuyen: LEVELS[i % 3].into(),
                dan_so: pop(i).map(Decimal::from),
            })
            .collect(),
        LEVELS
            .iter()
            .map(|l| Level {
                key: l.to_string(),
                ten: format!("tuyến {l}"),
            })
            .collect(),
    )
}

fn fig(v: Option<i64>, file: &str, cell: &str) -> Figure {
    Figure {
        value: v
            .map(|x| Value::Number(Decimal::from(x)))
            .unwrap_or(Value::Missing),
        nguon: format!("{file} › BaoCao › {cell}").into(),
    }
}

fn report(file: &str, unit: &str, rows: Vec<(&str, [Option<i64>; 3])>) -> UnitReport {
    UnitReport {
        file: file.into(),
        sheet: "BaoCao".into(),
        ma_don_vi: Some(unit.into()),
        ma_o: None,
        ten_don_vi: None,
        ky: None,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(r, (ma, [kh, th, ck]))| FigureRow {
                ma: ma.into(),
                ke_hoach: fig(kh, file, &format!("E{}", r + 9)),
                thuc_hien: fig(th, file, &format!("F{}", r + 9)),
                cung_ky: fig(ck, file, &format!("G{}", r + 9)),
            })
            .collect(),
        narrative: vec![],
        modified: None,
        luu_luc: None,
        ky_khop: None,
    }
}

/// What compiling says, comparably.
fn said(c: (Compiled, Vec<Diagnostic>)) -> (Compiled, Vec<String>) {
    (c.0, c.1.iter().map(|d| d.to_string()).collect())
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

type Figs = [[Option<i64>; 3]; 3];

fn figs() -> impl Strategy<Value = Figs> {
    let one = prop::option::of(0i64..100_000);
    let three = [one.clone(), one.clone(), one.clone()];
    [three.clone(), three.clone(), three]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Workbooks in any order, read and compiled by 1, 2 or 5 threads:
    /// the same figures and the same messages (some units send two
    /// workbooks, some none).
    #[test]
    fn figures_do_not_depend_on_read_order_or_threads(
        sent in prop::collection::vec((0usize..12, figs()), 1..30),
        order in any::<u64>(),
        pops in prop::collection::vec(prop::option::of(1i64..100_000), 12),
    ) {
        let reg = registry(12, |i| pops[i]);
        let cat = Catalogue::new(
            vec![
                indicator("TU", CachTongHop::Tong),
                indicator("MAU", CachTongHop::Tong),
                rate("TY_LE", "TU", MauSo::ChiTieu("MAU".into())),
                indicator("KHAC", CachTongHop::Tong),
                rate("VAN_DAN", "KHAC", MauSo::DanSo),
            ],
            vec![Group { ten: "Nhóm".into(), khoa: "nhom".into() }],
        );
        let reports: Vec<UnitReport> = sent
            .iter()
            .enumerate()
            .map(|(k, (u, f))| {
                let file = format!("don-vi/{k:02}.xlsx");
                report(&file, &format!("DV{u}"), vec![("TU", f[0]), ("MAU", f[1]), ("KHAC", f[2])])
            })
            .collect();
        let mut shuffled = reports.clone();
        // A permutation from the generated seed.
        let mut seed = order;
        for i in (1..shuffled.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let one = in_pool(1, || said(compile(reports.clone(), &reg, &cat)));
        let two = in_pool(2, || said(compile(shuffled.clone(), &reg, &cat)));
        let five = in_pool(5, || said(compile(shuffled.into_iter().rev().collect(), &reg, &cat)));
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(&one, &five);
    }
}

/// The same through the whole check, on real workbooks: read by one thread
/// or by four, the same context and the same messages.
#[test]
fn a_check_does_not_depend_on_threads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024");
    let run = |threads| {
        in_pool(threads, || {
            let c = baocao::check(&dir, &|_, _| {}).unwrap();
            let d: Vec<String> = c.diagnostics.iter().map(|d| d.to_string()).collect();
            (c.full_context(), d)
        })
    };
    let one = run(1);
    assert_eq!(one, run(4));
}

/// 5,000 indicators (a rate for every tenth), 10,000 units at three
/// levels; each unit reports 20 of the indicators. Every sum, count and
/// rate is what a plain count over the same figures gives.
#[test]
fn a_ministry_s_catalogue_and_registry_compile() {
    const INDICATORS: usize = 5_000;
    const UNITS: usize = 10_000;
    const PER_UNIT: usize = 20;
    let code = |k: usize| format!("CT{k:04}");
    let indicators: Vec<ChiTieu> = (0..INDICATORS)
        .map(|k| {
            if k % 10 == 9 {
                rate(&code(k), &code(k - 1), MauSo::ChiTieu(code(k - 2)))
            } else {
                indicator(&code(k), CachTongHop::Tong)
            }
        })
        .collect();
    let cat = Catalogue::new(
        indicators,
        vec![Group {
            ten: "Nhóm".into(),
            khoa: "nhom".into(),
        }],
    );
    let reg = registry(UNITS, |i| Some(1_000 + i as i64));
    // Unit i reports a band of 20 consecutive indicators (never a rate's
    // own row: rates are computed), all but the last unit of each hundred.
    let value = |i: usize, k: usize| (i * 7 + k * 3) as i64 % 1_000 + 1;
    let band = |i: usize| {
        let start = (i * PER_UNIT) % INDICATORS;
        (start..start + PER_UNIT).filter(|k| k % 10 != 9)
    };
    let reports: Vec<UnitReport> = (0..UNITS)
        .filter(|i| i % 100 != 99)
        .map(|i| {
            let file = format!("don-vi/dv{i:05}.xlsx");
            let codes: Vec<String> = band(i).map(code).collect();
            let rows = band(i)
                .zip(&codes)
                .map(|(k, c)| (c.as_str(), [None, Some(value(i, k)), None]))
                .collect();
            report(&file, &format!("DV{i}"), rows)
        })
        .collect();
    let (c, diags) = compile(reports, &reg, &cat);
    assert!(
        diags
            .iter()
            .all(|d| d.severity < baocao::diagnostics::Severity::Error),
        "{:?}",
        diags
            .iter()
            .find(|d| d.severity == baocao::diagnostics::Severity::Error)
    );
    assert_eq!(c.completeness.tong.du_kien, UNITS);
    assert_eq!(c.completeness.tong.da_nop, UNITS - UNITS / 100);
    assert_eq!(c.completeness.thieu.len(), UNITS / 100);
    assert_eq!(c.indicators.len(), INDICATORS);
    // Expected sums and counts, by indicator and by level.
    let mut sums = vec![[0i64; 4]; INDICATORS];
    let mut counts = vec![[0usize; 4]; INDICATORS];
    for i in (0..UNITS).filter(|i| i % 100 != 99) {
        for k in band(i) {
            for s in [0, 1 + i % 3] {
                sums[k][s] += value(i, k);
                counts[k][s] += 1;
            }
        }
    }
    for (k, ci) in c.indicators.iter().enumerate() {
        assert_eq!(ci.chi_tieu.ma, code(k));
        let scopes = std::iter::once(&ci.tinh).chain(ci.theo_tuyen.iter().map(|(_, f)| f));
        for (s, f) in scopes.enumerate() {
            if k % 10 == 9 {
                // The rate of the summed sides, over units that gave both.
                let (tu, mau) = (k - 1, k - 2);
                let both = |i: &usize| band(*i).any(|x| x == tu) && band(*i).any(|x| x == mau);
                let units: Vec<usize> = (0..UNITS)
                    .filter(|i| i % 100 != 99 && (s == 0 || 1 + i % 3 == s))
                    .filter(both)
                    .collect();
                let sum = |x: usize| units.iter().map(|&i| value(i, x)).sum::<i64>();
                // Rates are given to two decimals, halves away from zero.
                let want = (!units.is_empty()).then(|| {
                    (Decimal::from(sum(tu)) * Decimal::ONE_HUNDRED / Decimal::from(sum(mau)))
                        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                });
                assert_eq!(f.gia_tri, want, "{} scope {s}", code(k));
                assert_eq!(f.so_don_vi_bao_cao, units.len(), "{} scope {s}", code(k));
            } else {
                let want = (counts[k][s] > 0).then(|| Decimal::from(sums[k][s]));
                assert_eq!(f.gia_tri, want, "{} scope {s}", code(k));
                assert_eq!(f.so_don_vi_bao_cao, counts[k][s], "{} scope {s}", code(k));
            }
        }
        let unit_figures = ci.theo_don_vi.len();
        assert_eq!(unit_figures, counts[k][0], "{}", code(k));
    }
    // Spot check a known figure end to end.
    let first: i64 = (0..UNITS)
        .filter(|i| i % 100 != 99 && band(*i).any(|k| k == 0))
        .map(|i| value(i, 0))
        .sum();
    assert_eq!(c.indicators[0].tinh.gia_tri, Some(Decimal::from(first)));
}
