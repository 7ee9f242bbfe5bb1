//! The checks a reviewer applies to each unit's figures; each failure is a
//! warning naming the unit and the cells.

use rust_decimal::Decimal;

use super::figures::location_of;
use super::Accepted;
use crate::catalog::{code_key, CachTongHop, Catalogue, MauSo};
use crate::diagnostics::Diagnostic;
use crate::intake::FigureRow;
use crate::vi::number::format_decimal;

fn row<'a>(a: &'a Accepted, code: &str) -> Option<&'a FigureRow> {
    let k = code_key(code);
    a.report.rows.iter().find(|r| code_key(&r.ma) == k)
}

/// Run every rule over every accepted unit.
pub fn check(cat: &Catalogue, accepted: &[Accepted], diags: &mut Vec<Diagnostic>) {
    let three = Decimal::from(3);
    for ct in &cat.indicators {
        let is_pct = ct.dvt.trim() == "%";
        let plan_given_somewhere = accepted.iter().any(|a| {
            row(a, &ct.ma)
                .and_then(|r| r.ke_hoach.value.number())
                .is_some()
        });
        for a in accepted {
            let unit = &a.don_vi.ten;
            let Some(r) = row(a, &ct.ma) else { continue };
            let loc = |n: &str| location_of(Some(n), &a.report.file);
            for (fig, what) in [
                (&r.ke_hoach, "kế hoạch"),
                (&r.thuc_hien, "thực hiện"),
                (&r.cung_ky, "cùng kỳ"),
            ] {
                let Some(v) = fig.value.number() else {
                    continue;
                };
                if v.is_sign_negative() && !v.is_zero() {
                    diags.push(Diagnostic::warning(
                        loc(&fig.nguon),
                        format!("{unit}: {what} của {} là số âm ({}); cần số không âm; vẫn dùng, đề nghị kiểm tra", ct.ma, format_decimal(v)),
                    ));
                }
                if is_pct && v > Decimal::ONE_HUNDRED {
                    diags.push(Diagnostic::warning(
                        loc(&fig.nguon),
                        format!(
                            "{unit}: {what} của {} là {}%, vượt 100%; đề nghị kiểm tra",
                            ct.ma,
                            format_decimal(v)
                        ),
                    ));
                }
            }
            if matches!(ct.cach, CachTongHop::Tong) {
                if let (Some(v), Some(ck)) = (r.thuc_hien.value.number(), r.cung_ky.value.number())
                {
                    if ck > Decimal::ZERO && v > Decimal::ZERO && (v > ck * three || v * three < ck)
                    {
                        diags.push(Diagnostic::warning(
                            loc(&r.thuc_hien.nguon),
                            format!(
                                "{unit}: {} thực hiện {} so với cùng kỳ {} ({}) chênh hơn 3 lần; đề nghị kiểm tra",
                                ct.ma,
                                format_decimal(v),
                                format_decimal(ck),
                                r.cung_ky.nguon.rsplit(" › ").next().unwrap_or("")
                            ),
                        ));
                    }
                }
                if plan_given_somewhere
                    && r.thuc_hien.value.number().is_some()
                    && r.ke_hoach.value.number().is_none()
                    && !r.ke_hoach.nguon.is_empty()
                {
                    diags.push(Diagnostic::warning(
                        loc(&r.ke_hoach.nguon),
                        format!("{unit}: {} có số thực hiện nhưng thiếu kế hoạch năm, trong khi đơn vị khác có; tỷ lệ đạt kế hoạch của tỉnh chỉ tính trên các đơn vị có kế hoạch", ct.ma),
                    ));
                }
            }
            if let CachTongHop::TyLe {
                tu_so,
                mau_so: MauSo::ChiTieu(m),
                he_so,
            } = &ct.cach
            {
                if *he_so == Decimal::ONE_HUNDRED {
                    let num = row(a, tu_so).map(|x| (&x.thuc_hien, x.thuc_hien.value.number()));
                    let den = row(a, m).map(|x| (&x.thuc_hien, x.thuc_hien.value.number()));
                    if let (Some((nf, Some(n))), Some((df, Some(d)))) = (num, den) {
                        if n > d {
                            let cell = |s: &str| s.rsplit(" › ").next().unwrap_or("").to_string();
                            diags.push(Diagnostic::warning(
                                loc(&nf.nguon),
                                format!(
                                    "{unit}: tử số {tu_so} ({}, ô {}) lớn hơn mẫu số {m} ({}, ô {}) của tỷ lệ {}; đề nghị kiểm tra",
                                    format_decimal(n),
                                    cell(&nf.nguon),
                                    format_decimal(d),
                                    cell(&df.nguon),
                                    ct.ma
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
}
