//! Last year's record against the units' `Cùng kỳ năm trước` cells: a
//! blank cell is filled from what the unit reported last year; a typed
//! figure that differs is kept and warned about. Units' own figures win.

use rust_decimal::Decimal;

use super::Accepted;
use crate::catalog::Catalogue;
use crate::diagnostics::{Diagnostic, Location};
use crate::intake::record::Record;
use crate::intake::Value;
use crate::vi::number::format_decimal;

/// Figures closer than this are the same figure (the record stores what
/// the unit typed, as a spreadsheet number).
fn tolerance() -> Decimal {
    Decimal::new(5, 3)
}

/// Fill and compare every accepted unit's same-period cells. Only rows
/// with a result are filled: a same-period figure alone compares nothing.
pub fn fill_same_period(
    accepted: &mut [Accepted],
    record: &Record,
    catalogue: &Catalogue,
    diags: &mut Vec<Diagnostic>,
) {
    let mut filled = 0usize;
    for a in accepted.iter_mut() {
        let unit = a.don_vi.ten.clone();
        let file = a.report.file.clone();
        for row in &mut a.report.rows {
            let Some((last, place)) = record.thuc_hien(&a.don_vi.ma, &row.ma) else {
                continue;
            };
            let nhan = catalogue.nhan(&row.ma);
            let dvt = catalogue
                .get(&row.ma)
                .map(|c| c.dvt.trim().to_string())
                .unwrap_or_default();
            let amount = |v: Decimal| {
                if dvt.is_empty() {
                    format_decimal(v)
                } else if dvt == "%" {
                    format!("{}%", format_decimal(v))
                } else {
                    format!("{} {dvt}", format_decimal(v))
                }
            };
            match row.cung_ky.value {
                Value::Number(typed) if (typed - last).abs() > tolerance() => {
                    diags.push(Diagnostic::warning(
                            row.cung_ky.nguon.location(&file),
                            format!(
                                "{unit}: cùng kỳ năm trước của {nhan} ghi {} nhưng năm trước đơn vị báo cáo {} ({place}); đã dùng số đơn vị ghi năm nay, đề nghị kiểm tra",
                                amount(typed),
                                amount(last)
                            ),
                        ));
                }
                Value::Missing if row.thuc_hien.value.number().is_some() => {
                    let (loc, cell_words) = if row.cung_ky.nguon.is_none() {
                        (
                            row.thuc_hien.nguon.location(&file),
                            "bảng không có cột Cùng kỳ năm trước".to_string(),
                        )
                    } else {
                        (
                            row.cung_ky.nguon.location(&file),
                            "ô cùng kỳ năm trước để trống".to_string(),
                        )
                    };
                    diags.push(Diagnostic::info(
                        loc,
                        format!(
                            "{unit}: {nhan}: {cell_words}; đã lấy {} là số đơn vị báo cáo cùng kỳ năm trước ({place})",
                            amount(last)
                        ),
                    ));
                    row.cung_ky.value = Value::Number(last);
                    row.cung_ky.nguon = place.into();
                    filled += 1;
                }
                // `-` (not applicable) stays as the unit wrote it.
                _ => {}
            }
        }
    }
    if filled == 0 && !accepted.is_empty() {
        diags.push(Diagnostic::info(
            Location::file(&record.file),
            format!(
                "bản tổng hợp năm trước có {} số liệu của các đơn vị; không ô cùng kỳ nào cần lấy từ đó",
                record.len()
            ),
        ));
    }
}
