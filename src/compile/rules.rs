//! The checks a reviewer applies to each unit's figures; each failure is a
//! warning naming the unit and the cells. Also: a unit's own value in a
//! rate row is checked against the rate recomputed from its own numerator
//! and denominator, never silently ignored.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::left_out::Col;
use super::rows::Rows;
use super::Accepted;
use crate::catalog::{CachTongHop, Catalogue, ChiTieu, MauSo, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::vi::number::{format_decimal, round_half_away};

/// Run every rule over every accepted unit.
pub(super) fn check(
    cat: &Catalogue,
    registry: &Registry,
    accepted: &[Accepted],
    index: &Rows<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    // Indicator by indicator in parallel, said in catalogue order.
    let per: Vec<(Vec<Diagnostic>, Vec<String>)> = cat
        .indicators
        .par_iter()
        .enumerate()
        .filter(|(_, c)| c.loi.is_none())
        .map(|(p, ct)| {
            let mut diags = Vec::new();
            let mut rates_agree = Vec::new();
            one(
                (p, ct),
                cat,
                registry,
                accepted,
                index,
                &mut rates_agree,
                &mut diags,
            );
            (diags, rates_agree)
        })
        .collect();
    let mut rates_agree: Vec<String> = Vec::new();
    for (d, r) in per {
        diags.extend(d);
        rates_agree.extend(r);
    }
    if !rates_agree.is_empty() {
        rates_agree.dedup();
        diags.push(Diagnostic::info(
            Location::default(),
            format!(
                "các dòng tỷ lệ được tính lại từ tử số và mẫu số, không lấy số đơn vị ghi ở dòng tỷ lệ; số các đơn vị ghi ở dòng tỷ lệ khớp với số tính lại (chênh không quá 0,5): {}",
                rates_agree.join(", ")
            ),
        ));
    }
}

/// The rules of one indicator over the units that gave it.
fn one(
    (p, ct): (usize, &ChiTieu),
    cat: &Catalogue,
    registry: &Registry,
    accepted: &[Accepted],
    index: &Rows<'_>,
    rates_agree: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let three = Decimal::from(3);
    let is_pct = ct.dvt.trim() == "%";
    let nhan = ct.nhan();
    // Only the units with a row of it, in order.
    for (i, f) in index.units_at(p).zip(index.figures_at(p)) {
        let a = &accepted[i];
        let unit = &a.don_vi.ten;
        let loc = |n: &crate::intake::Nguon| n.location(&a.report.file);
        for col in Col::ALL {
            let Some(v) = f.value(col) else {
                continue;
            };
            if v.is_sign_negative() && !v.is_zero() {
                diags.push(Diagnostic::warning(
                    loc(f.source(col)),
                    format!("{unit}: {} của {nhan} là số âm ({}); cần số không âm; vẫn dùng, đề nghị kiểm tra", col.label_lower(), format_decimal(v)),
                ));
            }
            if is_pct && v > Decimal::ONE_HUNDRED {
                diags.push(Diagnostic::warning(
                    loc(f.source(col)),
                    format!(
                        "{unit}: {} của {nhan} là {}%, vượt 100%; đề nghị kiểm tra",
                        col.label_lower(),
                        format_decimal(v)
                    ),
                ));
            }
        }
        match &ct.cach {
            CachTongHop::Tong => {
                if let (Some(v), Some(ck)) = (f.value(Col::ThucHien), f.value(Col::CungKy)) {
                    if ck > Decimal::ZERO && v > Decimal::ZERO && (v > ck * three || v * three < ck)
                    {
                        diags.push(Diagnostic::warning(
                            loc(f.source(Col::ThucHien)),
                            format!(
                                "{unit}: {nhan} thực hiện {} so với cùng kỳ {} ({}) chênh hơn 3 lần; đề nghị kiểm tra",
                                format_decimal(v),
                                format_decimal(ck),
                                // Filled from last year's record: its whole place.
                                if f.source(Col::CungKy).in_file(&a.report.file) {
                                    f.source(Col::CungKy).cell_name()
                                } else {
                                    f.source(Col::CungKy).to_string()
                                }
                            ),
                        ));
                    }
                }
            }
            CachTongHop::TyLe {
                tu_so,
                mau_so,
                he_so,
            } => {
                if let (MauSo::ChiTieu(m), true) = (mau_so, *he_so == Decimal::ONE_HUNDRED) {
                    numerator_above_denominator(a, index, ct, tu_so, m, cat, diags);
                }
                own_rate(a, index, ct, registry, cat, rates_agree, diags);
            }
        }
    }
}

fn numerator_above_denominator(
    a: &Accepted,
    index: &Rows<'_>,
    ct: &ChiTieu,
    tu_so: &str,
    m: &str,
    cat: &Catalogue,
    diags: &mut Vec<Diagnostic>,
) {
    let num = index
        .figure(a, tu_so)
        .map(|x| (x.source(Col::ThucHien), x.value(Col::ThucHien)));
    let den = index
        .figure(a, m)
        .map(|x| (x.source(Col::ThucHien), x.value(Col::ThucHien)));
    if let (Some((nf, Some(n))), Some((df, Some(d)))) = (num, den) {
        if n > d {
            diags.push(Diagnostic::warning(
                nf.location(&a.report.file),
                format!(
                    "{}: tử số {} ({}, ô {}) lớn hơn mẫu số {} ({}, ô {}) của tỷ lệ {}; đề nghị kiểm tra",
                    a.don_vi.ten,
                    cat.nhan(tu_so),
                    format_decimal(n),
                    nf.cell_name(),
                    cat.nhan(m),
                    format_decimal(d),
                    df.cell_name(),
                    ct.nhan()
                ),
            ));
        }
    }
}

/// A value the unit typed in a rate row: compared with the rate recomputed
/// from the unit's own numerator and denominator (more than half a point
/// apart is a warning); one that cannot be recomputed is said not to be used.
fn own_rate(
    a: &Accepted,
    index: &Rows<'_>,
    ct: &ChiTieu,
    registry: &Registry,
    cat: &Catalogue,
    agree: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let CachTongHop::TyLe {
        tu_so,
        mau_so,
        he_so,
    } = &ct.cach
    else {
        return;
    };
    let Some(r) = index.figure(a, &ct.ma) else {
        return;
    };
    let half = Decimal::new(5, 1);
    let unit = &a.don_vi.ten;
    let dvt = ct.dvt.trim();
    let show = |v: Decimal| {
        let v = format_decimal(round_half_away(v, 2));
        if dvt == "%" {
            format!("{v}%")
        } else {
            format!("{v} {dvt}")
        }
    };
    for col in Col::ALL {
        let Some(typed) = r.value(col) else {
            continue;
        };
        let given = |code: &str| index.figure(a, code).and_then(|f| f.value(col));
        let num = given(tu_so);
        let (den, den_words) = match mau_so {
            MauSo::ChiTieu(m) => (given(m), format!("mẫu số {}", cat.nhan(m))),
            MauSo::DanSo => (
                registry.find(&a.don_vi.ma).and_then(|u| u.dan_so),
                "dân số của đơn vị trong danh sách đơn vị".to_string(),
            ),
        };
        let recomputed = match (num, den) {
            (Some(n), Some(d)) if !d.is_zero() => {
                n.checked_mul(*he_so).and_then(|x| x.checked_div(d))
            }
            _ => None,
        };
        let loc = r.source(col).location(&a.report.file);
        match recomputed {
            Some(x) if typed.checked_sub(x).is_none_or(|d| d.abs() > half) => diags.push(Diagnostic::warning(
                loc,
                format!(
                    "{unit}: {} của {} ghi {} nhưng tính lại từ tử số {} và {den_words} của đơn vị là {}, chênh hơn 0,5 {}; báo cáo dùng số tính lại, đề nghị đơn vị kiểm tra",
                    col.label_lower(),
                    ct.nhan(),
                    show(typed),
                    cat.nhan(tu_so),
                    show(x),
                    if dvt == "%" { "điểm phần trăm" } else { dvt }
                ),
            )),
            Some(_) => agree.push(ct.nhan()),
            None => diags.push(Diagnostic::warning(
                loc,
                format!(
                    "{unit}: {} của {} ghi {} nhưng đơn vị không có tử số {} hoặc {den_words} ở cột {} để tính lại; số ghi ở dòng tỷ lệ không được dùng (tỷ lệ luôn tính lại từ tử số và mẫu số)",
                    col.label_lower(),
                    ct.nhan(),
                    show(typed),
                    cat.nhan(tu_so),
                    col.label()
                ),
            )),
        }
    }
}
