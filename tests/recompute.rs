//! Every figure of the sample's `tong-hop.xlsx`, recomputed independently
//! from the unit workbooks and the catalogue with plain calamine and f64
//! arithmetic: sums per level and for the province, rates from summed
//! numerators and denominators, per-population ratios from the registry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, DataType, Reader};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

struct Indicator {
    code: String,
    how: String,
    num: String,
    den: String,
    factor: f64,
    plan: Option<f64>,
}

/// Level of a registry text, reduced to its last word (tỉnh, huyện, xã).
fn level(t: &str) -> String {
    t.to_lowercase()
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn every_compiled_figure_recomputes_from_the_workbooks() {
    let root = sample();
    let mut wb = open_workbook_auto(root.join("danh-muc.xlsx")).unwrap();
    let reg = wb.worksheet_range("DonVi").unwrap();
    // code → (level, population)
    let mut units: HashMap<String, (String, Option<f64>)> = HashMap::new();
    for r in reg.rows().skip(1) {
        let code = text(&r[0]);
        if code.is_empty() || code.contains(' ') {
            continue;
        }
        units.insert(
            code,
            (level(&text(&r[2])), r.get(3).and_then(|d| d.as_f64())),
        );
    }
    let cat = wb.worksheet_range("ChiTieu").unwrap();
    let inds: Vec<Indicator> = cat
        .rows()
        .skip(1)
        .filter(|r| !text(&r[0]).is_empty())
        .map(|r| Indicator {
            code: text(&r[0]),
            how: text(&r[4]),
            num: text(&r[5]),
            den: text(&r[6]),
            factor: r.get(7).and_then(|d| d.as_f64()).unwrap_or(1.0),
            plan: r.get(8).and_then(|d| d.as_f64()),
        })
        .collect();
    // (unit, code) → [plan, result, same period]
    let mut figs: HashMap<(String, String), [Option<f64>; 3]> = HashMap::new();
    let mut stack = vec![root.join("don-vi")];
    let mut reported = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let mut w = open_workbook_auto(&p).unwrap();
            let s = w.worksheet_range("BaoCao").unwrap();
            let rows: Vec<&[Data]> = s.rows().collect();
            let unit = rows
                .iter()
                .flat_map(|r| r.iter().enumerate().map(move |(i, c)| (i, c, r)))
                .find_map(|(i, c, r)| {
                    let t = text(c);
                    let rest = t.strip_prefix("Mã đơn vị:")?.trim().to_string();
                    Some(if rest.is_empty() {
                        text(&r[i + 2])
                    } else {
                        rest
                    })
                })
                .expect("unit code");
            reported.push(unit.clone());
            let head = rows
                .iter()
                .position(|r| r.iter().any(|c| text(c) == "Mã chỉ tiêu"))
                .unwrap();
            let col = |label: &str| {
                rows[head]
                    .iter()
                    .position(|c| text(c).starts_with(label))
                    .unwrap()
            };
            let (kh, th, ck) = (col("Kế hoạch"), col("Thực hiện"), col("Cùng kỳ"));
            for r in &rows[head + 1..] {
                let code = text(&r[1]);
                if code.is_empty() {
                    continue;
                }
                let v = |c: usize| r.get(c).and_then(|d| d.as_f64());
                figs.insert((unit.clone(), code), [v(kh), v(th), v(ck)]);
            }
        }
    }
    let scopes = ["toàn tỉnh", "tỉnh", "huyện", "xã"];
    let in_scope = |u: &str, s: &str| s == "toàn tỉnh" || units[u].0 == s;
    let sum = |code: &str, k: usize, s: &str| -> Option<f64> {
        let vals: Vec<f64> = reported
            .iter()
            .filter(|u| in_scope(u, s))
            .filter_map(|u| figs.get(&(u.clone(), code.to_string())).and_then(|f| f[k]))
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let pop = |s: &str| -> Option<f64> {
        let v: Vec<f64> = units
            .iter()
            .filter(|(u, _)| in_scope(u, s))
            .filter_map(|(_, (_, p))| *p)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    // What baocao wrote.
    let out = tempfile::tempdir().unwrap();
    baocao::build(&root, Some(out.path()), &[baocao::Format::Xlsx], &|_, _| {}).unwrap();
    let mut th: Xlsx = open(out.path().join("tong-hop.xlsx"));
    let sheets = [
        ("toàn tỉnh", "Toàn tỉnh"),
        ("tỉnh", "Tuyến tỉnh"),
        ("huyện", "Tuyến huyện"),
        ("xã", "Tuyến xã"),
    ];
    let mut checked = 0;
    for (scope, sheet) in sheets {
        assert!(scopes.contains(&scope));
        let r = th.worksheet_range(sheet).unwrap();
        for (i, ind) in inds.iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(
                r.get_value((row, 1)).map(text).as_deref(),
                Some(ind.code.as_str())
            );
            let got = |c: u32| r.get_value((row, c)).and_then(|d| d.as_f64());
            let (kh, val, ck) = if ind.how == "tong" {
                (
                    sum(&ind.code, 0, scope),
                    sum(&ind.code, 1, scope),
                    sum(&ind.code, 2, scope),
                )
            } else {
                let side = |k: usize| -> Option<f64> {
                    let n = sum(&ind.num, k, scope)?;
                    let d = if ind.den == "DAN_SO" {
                        pop(scope)?
                    } else {
                        sum(&ind.den, k, scope)?
                    };
                    (d != 0.0).then(|| n * ind.factor / d)
                };
                (side(0), side(1), side(2))
            };
            let kh = if scope == "toàn tỉnh" {
                ind.plan.or(kh)
            } else {
                kh
            };
            for (c, want) in [(4, kh), (5, val), (8, ck)] {
                match (want, got(c)) {
                    (None, None) => {}
                    (Some(w), Some(g)) => assert!(
                        (w - g).abs() < 0.0051,
                        "{sheet} {} col {c}: want {w}, got {g}",
                        ind.code
                    ),
                    (w, g) => panic!("{sheet} {} col {c}: want {w:?}, got {g:?}", ind.code),
                }
                checked += 1;
            }
            // % of plan for counts; change against the same period.
            if let (Some(v), Some(p), "tong") = (val, kh, ind.how.as_str()) {
                let g = got(6).unwrap();
                assert!(
                    (v / p * 100.0 - g).abs() < 0.0051,
                    "{sheet} {} % plan",
                    ind.code
                );
            }
            if let (Some(v), Some(c)) = (val, ck) {
                if c != 0.0 {
                    let g = got(9).unwrap();
                    assert!(
                        ((v - c) / c * 100.0 - g).abs() < 0.0051,
                        "{sheet} {} vs same period",
                        ind.code
                    );
                }
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

type Xlsx = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

fn open(p: PathBuf) -> Xlsx {
    calamine::open_workbook(p).unwrap()
}
