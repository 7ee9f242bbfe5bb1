//! Matching workbooks to registry units: by code, else by name; unknown
//! codes and second workbooks for one unit are reported, never silent.

use chrono::NaiveDateTime;

use crate::catalog::{DonVi, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::intake::UnitReport;

/// A workbook accepted as a registry unit's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The unit's position in the registry.
    pub unit: usize,
    /// The unit.
    pub don_vi: DonVi,
    /// Its report.
    pub report: UnitReport,
    /// Other workbooks the unit sent, passed over by the rule below.
    pub passed_over: Vec<String>,
    /// (catalogue position, row in `report.rows`, place among the units
    /// with a row of that indicator) of each indicator the report has, its
    /// first row only, by position: filled by compile so that rows and
    /// figures are looked up directly.
    pub index: Vec<(u32, u32, u32)>,
}

/// Assign reports to units, in registry order. Of two workbooks of one
/// unit the later one is used (a unit that resends corrects its earlier
/// file), judged by what the files say before the file system's times
/// (see [`later`]). Both files are named in a warning that says why.
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
                    .and_then(|t| registry.index_by_name(t));
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
    for (pos, (unit, mut reps)) in registry.units.iter().zip(slots).enumerate() {
        if reps.is_empty() {
            continue;
        }
        // In path order, so the choice never depends on the folder walk.
        reps.sort_by(|a, b| a.file.cmp(&b.file));
        // Saved times decide only when every file has one, so the order
        // stays the same whichever pair is compared.
        let saved = reps.iter().all(|r| r.luu_luc.is_some());
        let mut best = 0;
        for i in 1..reps.len() {
            if later(&reps[i], &reps[best], saved).0 {
                best = i;
            }
        }
        let used = reps.remove(best);
        for other in &reps {
            let (_, why) = later(&used, other, saved);
            diags.push(Diagnostic::warning(
                Location::file(&other.file),
                format!(
                    "đơn vị {} ({}) có {} tệp: {} và {}; đã dùng {} vì {why}; bỏ qua tệp này",
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
            unit: pos,
            don_vi: unit.clone(),
            report: used,
            passed_over: reps.into_iter().map(|r| r.file).collect(),
            index: Vec::new(),
        });
    }
    out
}

/// A saved time (UTC) as the office reads it: Vietnam's clock.
fn when(t: NaiveDateTime) -> String {
    (t + chrono::Duration::hours(7))
        .format("%H:%M:%S ngày %d/%m/%Y")
        .to_string()
}

/// Whether workbook `a` should be used rather than `b`, and why, in
/// words naming both: first the time each file says it was saved (which
/// copying does not change), then whether it names the report's period,
/// then the file system's modification time, then the path.
fn later(a: &UnitReport, b: &UnitReport, saved: bool) -> (bool, String) {
    if let (true, Some(ta), Some(tb)) = (saved, a.luu_luc, b.luu_luc) {
        if ta != tb {
            let (x, y) = if ta > tb { (a, ta) } else { (b, tb) };
            let other = if ta > tb { tb } else { ta };
            return (
                ta > tb,
                format!(
                    "theo thời điểm lưu ghi trong tệp, {} được lưu sau (lúc {}, tệp kia lúc {}, giờ Việt Nam)",
                    x.file,
                    when(y),
                    when(other)
                ),
            );
        }
    }
    let right = |r: &UnitReport| r.ky_khop == Some(true);
    if right(a) != right(b) {
        let (x, y) = if right(a) { (a, b) } else { (b, a) };
        return (
            right(a),
            format!(
                "{} ghi đúng kỳ của báo cáo, còn {} ghi kỳ “{}”",
                x.file,
                y.file,
                y.ky.as_deref().unwrap_or("(không ghi)")
            ),
        );
    }
    let how = if saved {
        "hai tệp ghi cùng thời điểm lưu"
    } else {
        "không phải tệp nào cũng ghi thời điểm lưu"
    };
    if a.modified != b.modified {
        return (
            a.modified > b.modified,
            format!("{how}, nên chọn tệp sửa sau cùng theo ngày giờ của thư mục (ngày giờ này có thể đổi khi sao chép tệp)"),
        );
    }
    (
        a.file > b.file,
        format!("{how} và ngày giờ sửa như nhau, nên chọn theo tên tệp (xếp sau cùng)"),
    )
}
