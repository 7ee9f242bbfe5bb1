//! Every figure of the sample's `tong-hop.xlsx`, recomputed independently
//! from the unit workbooks and the catalogue with plain calamine and f64
//! arithmetic: sums per level and for the province, rates from summed
//! numerators and denominators over the units that gave both,
//! per-population ratios from the registry, and every comparison like for
//! like: over the units that gave every figure it needs.

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
    let get = |u: &str, code: &str, k: usize| -> Option<f64> {
        figs.get(&(u.to_string(), code.to_string()))
            .and_then(|f| f[k])
    };
    // The units in scope that gave every (code, column) asked.
    let giving = |needs: &[(&str, usize)], s: &str| -> Vec<String> {
        reported
            .iter()
            .filter(|u| in_scope(u, s))
            .filter(|u| needs.iter().all(|(c, k)| get(u, c, *k).is_some()))
            .cloned()
            .collect()
    };
    let sum_over = |us: &[String], code: &str, k: usize| -> f64 {
        us.iter().filter_map(|u| get(u, code, k)).sum()
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
    let mut partial = 0;
    for (scope, sheet) in sheets {
        assert!(scopes.contains(&scope));
        let r = th.worksheet_range(sheet).unwrap();
        // Under the sheet's title rows, the header row names the columns.
        let head = (0..10u32)
            .find(|&k| r.get_value((k, 1)).map(text).as_deref() == Some("Mã chỉ tiêu"))
            .expect("the header row");
        for (i, ind) in inds.iter().enumerate() {
            let row = head + 1 + i as u32;
            assert_eq!(
                r.get_value((row, 1)).map(text).as_deref(),
                Some(ind.code.as_str())
            );
            let got = |c: u32| r.get_value((row, c)).and_then(|d| d.as_f64());
            // The unit figures one column needs, and that column's figure
            // over a set of units.
            let sides: Vec<&str> = if ind.how == "tong" {
                vec![ind.code.as_str()]
            } else if ind.den == "DAN_SO" {
                vec![ind.num.as_str()]
            } else {
                vec![ind.num.as_str(), ind.den.as_str()]
            };
            let needs = |ks: &[usize]| -> Vec<(&str, usize)> {
                ks.iter()
                    .flat_map(|k| sides.iter().map(move |c| (*c, *k)))
                    .collect()
            };
            let value = |us: &[String], k: usize| -> Option<f64> {
                if us.is_empty() {
                    return None;
                }
                if ind.how == "tong" {
                    return Some(sum_over(us, &ind.code, k));
                }
                let n = sum_over(us, &ind.num, k);
                let d = if ind.den == "DAN_SO" {
                    pop(scope)?
                } else {
                    sum_over(us, &ind.den, k)
                };
                (d != 0.0).then(|| n * ind.factor / d)
            };
            let val = value(&giving(&needs(&[1]), scope), 1);
            let kh = value(&giving(&needs(&[0]), scope), 0);
            let ck = value(&giving(&needs(&[2]), scope), 2);
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
            // % of plan and the change against the same period, each over
            // the units that gave both sides (the province's own plan is
            // compared with the whole result); the covered count and both
            // bases are in the sheet too (columns M–R).
            let province_plan = scope == "toàn tỉnh" && ind.plan.is_some();
            let cover_kh = if province_plan {
                giving(&needs(&[1]), scope)
            } else {
                giving(&needs(&[1, 0]), scope)
            };
            let cover_ck = giving(&needs(&[1, 2]), scope);
            if !cover_ck.is_empty() && cover_ck.len() < giving(&needs(&[1]), scope).len() {
                partial += 1;
            }
            let (v_kh, b_kh) = if province_plan {
                (val, ind.plan)
            } else {
                (value(&cover_kh, 1), value(&cover_kh, 0))
            };
            let (v_ck, b_ck) = (value(&cover_ck, 1), value(&cover_ck, 2));
            let close = |w: f64, c: u32, what: &str| {
                let g = got(c).unwrap_or_else(|| panic!("{sheet} {} {what}: empty", ind.code));
                assert!(
                    (w - g).abs() < 0.0051,
                    "{sheet} {} {what}: want {w}, got {g}",
                    ind.code
                );
            };
            if !cover_kh.is_empty() {
                close(cover_kh.len() as f64, 12, "units compared with plan");
                if let (Some(v), Some(p)) = (v_kh, b_kh) {
                    close(v, 13, "result compared with plan");
                    close(p, 14, "plan compared");
                    close(v - p, 7, "difference from plan");
                    if ind.how == "tong" && p != 0.0 {
                        close(v / p * 100.0, 6, "% of plan");
                    }
                }
            } else {
                assert_eq!(got(6), None, "{sheet} {} % of plan", ind.code);
            }
            if !cover_ck.is_empty() {
                close(cover_ck.len() as f64, 15, "units compared with same period");
                if let (Some(v), Some(c)) = (v_ck, b_ck) {
                    close(v, 16, "result compared with same period");
                    close(c, 17, "same period compared");
                    close(v - c, 10, "difference from same period");
                    if c != 0.0 {
                        close((v - c) / c * 100.0, 9, "change against same period");
                    }
                }
            } else {
                assert_eq!(got(9), None, "{sheet} {} vs same period", ind.code);
            }
        }
    }
    // The sample's blank same-period cells make some comparisons partial.
    assert!(partial >= 4, "{partial}");
    assert!(checked > 300, "{checked}");
}

type Xlsx = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

fn open(p: PathBuf) -> Xlsx {
    calamine::open_workbook(p).unwrap()
}
