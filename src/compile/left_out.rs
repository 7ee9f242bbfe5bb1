//! The cells whose blank (or `-`) left a unit's figures out of a
//! comparison or a rate. Each cell is said once, with everything it was
//! left out of, however many indicators and levels it touches.

use std::collections::BTreeMap;

use super::rows::Rows;
use super::Accepted;
use crate::catalog::Catalogue;
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::intake::{Figure, FigureRow, Value};

/// Which of a row's three figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Col {
    /// `Kế hoạch năm`.
    KeHoach,
    /// `Thực hiện`.
    ThucHien,
    /// `Cùng kỳ năm trước`.
    CungKy,
}

impl Col {
    /// The three, in their order ([`Col::index`]).
    pub const ALL: [Col; 3] = [Col::KeHoach, Col::ThucHien, Col::CungKy];
    /// Its place in a unit's three figures (plan, result, same period).
    pub fn index(self) -> usize {
        match self {
            Col::KeHoach => 0,
            Col::ThucHien => 1,
            Col::CungKy => 2,
        }
    }
    /// The figure of a row.
    pub fn pick(self, row: &FigureRow) -> &Figure {
        match self {
            Col::KeHoach => &row.ke_hoach,
            Col::ThucHien => &row.thuc_hien,
            Col::CungKy => &row.cung_ky,
        }
    }
    /// The column's label in the form.
    pub fn label(self) -> &'static str {
        match self {
            Col::KeHoach => "Kế hoạch năm",
            Col::ThucHien => "Thực hiện",
            Col::CungKy => "Cùng kỳ năm trước",
        }
    }
    /// The label inside a sentence.
    pub fn label_lower(self) -> &'static str {
        match self {
            Col::KeHoach => "kế hoạch năm",
            Col::ThucHien => "thực hiện",
            Col::CungKy => "cùng kỳ năm trước",
        }
    }
    /// The compiled figure this column makes (`số cùng kỳ của …`).
    pub fn figure_words(self) -> &'static str {
        match self {
            Col::KeHoach => "kế hoạch",
            Col::ThucHien => "số thực hiện",
            Col::CungKy => "số cùng kỳ",
        }
    }
}

/// What a cell was left out of: (what, the scopes it was left out in).
type Uses = Vec<(String, Vec<String>)>;

/// Cells left out, gathered while compiling, said at the end.
#[derive(Debug, Default)]
pub struct LeftOutCells {
    /// (unit index, indicator code, column) → what it was left out of.
    cells: BTreeMap<(usize, String, Col), Uses>,
}

impl LeftOutCells {
    /// Unit `unit`'s `col` of indicator `code` is missing, so its figures
    /// are left out of `what` in `scope`.
    pub fn add(&mut self, unit: usize, code: &str, col: Col, what: &str, scope: &str) {
        let uses = self.cells.entry((unit, code.to_string(), col)).or_default();
        match uses.iter_mut().find(|(w, _)| w == what) {
            Some((_, scopes)) => {
                if !scopes.iter().any(|s| s == scope) {
                    scopes.push(scope.to_string());
                }
            }
            None => uses.push((what.to_string(), vec![scope.to_string()])),
        }
    }

    /// Take in the cells gathered by another (one indicator's, compiled
    /// apart), as if its additions had been made here after this one's.
    pub fn absorb(&mut self, other: LeftOutCells) {
        for ((unit, code, col), uses) in other.cells {
            for (what, scopes) in uses {
                for scope in scopes {
                    self.add(unit, &code, col, &what, &scope);
                }
            }
        }
    }

    /// One diagnostic per place: the cell, or the sheet when the row or the
    /// whole column is missing.
    pub(super) fn emit(
        self,
        accepted: &[Accepted],
        rows: &Rows<'_>,
        catalogue: &Catalogue,
        diags: &mut Vec<Diagnostic>,
    ) {
        // (unit, location, what the place lacks) → (all N/A, uses)
        type Key = (usize, Location, String);
        let mut places: BTreeMap<Key, (bool, Uses)> = BTreeMap::new();
        for ((unit, code, col), uses) in self.cells {
            let a = &accepted[unit];
            let nhan = catalogue.nhan(&code);
            let (loc, lacks, na) = match rows.row(a, &code) {
                None => (
                    Location::sheet(&a.report.file, &a.report.sheet),
                    format!("bảng không có dòng {nhan}"),
                    false,
                ),
                Some(r) => {
                    let fig = col.pick(r);
                    if fig.nguon.is_none() {
                        (
                            Location::sheet(&a.report.file, &a.report.sheet),
                            format!("bảng không có cột {}", col.label()),
                            false,
                        )
                    } else {
                        let na = fig.value == Value::NotApplicable;
                        let state = if na {
                            "ghi “-” (không áp dụng)"
                        } else {
                            "không có số"
                        };
                        (
                            fig.nguon.location(&a.report.file),
                            format!("ô {} của {nhan} {state}", col.label()),
                            na,
                        )
                    }
                }
            };
            let slot = places
                .entry((unit, loc, lacks))
                .or_insert((true, Vec::new()));
            slot.0 &= na;
            for (what, scopes) in uses {
                match slot.1.iter_mut().find(|(w, _)| *w == what) {
                    Some((_, s)) => {
                        for sc in scopes {
                            if !s.contains(&sc) {
                                s.push(sc);
                            }
                        }
                    }
                    None => slot.1.push((what, scopes)),
                }
            }
        }
        for ((unit, loc, lacks), (na, uses)) in places {
            let items: Vec<String> = uses
                .iter()
                .map(|(what, scopes)| format!("{what} ({})", scopes.join(", ")))
                .collect();
            let severity = if na {
                Severity::Info
            } else {
                Severity::Warning
            };
            diags.push(Diagnostic::new(
                severity,
                loc,
                format!(
                    "{}: {lacks}; vì vậy số liệu của đơn vị không được tính vào {}",
                    accepted[unit].don_vi.ten,
                    items.join("; ")
                ),
            ));
        }
    }
}
