//! Matching workbooks to registry units: by code, else by name; unknown
//! codes and second workbooks for one unit are reported, never silent.

use crate::catalog::{DonVi, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::intake::UnitReport;
use crate::vi::fold::fold;

/// A workbook accepted as a registry unit's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The unit.
    pub don_vi: DonVi,
    /// Its report.
    pub report: UnitReport,
    /// Other workbooks the unit sent, passed over by the rule below.
    pub passed_over: Vec<String>,
}

/// Assign reports to units, in registry order. Rule for two workbooks of
/// one unit: the one whose file was modified last is used (a unit that
/// resends corrects its earlier file); on equal times, the one whose path
/// sorts last. Both files are named in a warning.
pub fn assign_units(
    reports: Vec<UnitReport>,
    registry: &Registry,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Accepted> {
    let mut slots: Vec<Vec<UnitReport>> = vec![Vec::new(); registry.units.len()];
    for rep in reports {
        let idx = match &rep.ma_don_vi {
            Some(code) => match registry.index_of(code) {
                Some(i) => Some(i),
                None => {
                    diags.push(Diagnostic::error(
                        Location {
                            cell: rep.ma_o.clone(),
                            ..Location::sheet(&rep.file, &rep.sheet)
                        },
                        format!(
                            "mã đơn vị “{code}” ({}) không có trong danh sách đơn vị (danh-muc.xlsx › DonVi); số liệu của tệp không được tổng hợp",
                            rep.ten_don_vi.as_deref().unwrap_or("không rõ tên")
                        ),
                    ));
                    None
                }
            },
            None => {
                let by_name = rep
                    .ten_don_vi
                    .as_deref()
                    .and_then(|t| registry.units.iter().position(|u| fold(&u.ten) == fold(t)));
                match by_name {
                    Some(i) => {
                        diags.push(Diagnostic::warning(
                            Location::sheet(&rep.file, &rep.sheet),
                            format!(
                                "tệp không ghi mã đơn vị; đã nhận là {} ({}) theo tên đơn vị",
                                registry.units[i].ten, registry.units[i].ma
                            ),
                        ));
                        Some(i)
                    }
                    None => {
                        diags.push(Diagnostic::error(
                            Location::sheet(&rep.file, &rep.sheet),
                            "không nhận ra đơn vị (không có mã, tên không khớp danh sách); số liệu của tệp không được tổng hợp",
                        ));
                        None
                    }
                }
            }
        };
        if let Some(i) = idx {
            slots[i].push(rep);
        }
    }
    let mut out = Vec::new();
    for (unit, mut reps) in registry.units.iter().zip(slots) {
        if reps.is_empty() {
            continue;
        }
        reps.sort_by(|a, b| (a.modified, &a.file).cmp(&(b.modified, &b.file)));
        let used = reps.pop().expect("non-empty");
        for other in &reps {
            diags.push(Diagnostic::warning(
                Location::file(&other.file),
                format!(
                    "đơn vị {} ({}) có {} tệp: {} và {}; đã dùng {} (tệp sửa sau cùng), bỏ qua tệp này",
                    unit.ten,
                    unit.ma,
                    reps.len() + 1,
                    other.file,
                    used.file,
                    used.file
                ),
            ));
        }
        out.push(Accepted {
            don_vi: unit.clone(),
            report: used,
            passed_over: reps.into_iter().map(|r| r.file).collect(),
        });
    }
    out
}
