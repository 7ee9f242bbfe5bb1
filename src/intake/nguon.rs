//! Where a figure came from, kept small: a unit's workbook gives hundreds
//! of figures from one sheet, so the file and sheet are shared by all of
//! them and only the cell is the figure's own (written out as text only
//! where a person reads it: `file › sheet › F9`).

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::diagnostics::{push_a1, Location};

/// A sheet of a file, shared by the figures read from it.
#[derive(Debug, PartialEq, Eq)]
pub struct Place {
    /// File name relative to the report folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
}

/// A figure's source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Nguon {
    /// None: the table has no column for the figure.
    #[default]
    None,
    /// A cell (absolute row and column) of a sheet.
    Cell(Arc<Place>, u32, u32),
    /// A place written out (last year's record: `tong-hop.xlsx › Theo đơn vị › H12`).
    Text(Arc<str>),
}

impl Nguon {
    /// A cell of a sheet.
    pub fn cell(place: &Arc<Place>, row: u32, col: u32) -> Nguon {
        Nguon::Cell(Arc::clone(place), row, col)
    }
    /// Whether there is no source (no such column).
    pub fn is_none(&self) -> bool {
        match self {
            Nguon::None => true,
            Nguon::Text(t) => t.is_empty(),
            Nguon::Cell(..) => false,
        }
    }
    /// The cell alone (`F9`), as messages name it beside the unit's file.
    pub fn cell_name(&self) -> String {
        match self {
            Nguon::None => String::new(),
            Nguon::Cell(_, r, c) => crate::diagnostics::a1(*r, *c),
            Nguon::Text(t) => t.rsplit(" › ").next().unwrap_or("").to_string(),
        }
    }
    /// Whether it is a cell of `file` (rather than a place elsewhere).
    pub fn in_file(&self, file: &str) -> bool {
        match self {
            Nguon::None => false,
            Nguon::Cell(p, ..) => p.file == file,
            Nguon::Text(t) => t.starts_with(&format!("{file} › ")),
        }
    }
    /// Where a message about the figure points: its cell, or `file` when
    /// it has none.
    pub fn location(&self, file: &str) -> Location {
        match self {
            Nguon::Cell(p, r, c) => Location::cell(&p.file, &p.sheet, *r, *c),
            Nguon::Text(t) => {
                let parts: Vec<&str> = t.split(" › ").collect();
                match parts[..] {
                    [f, s, c] => Location {
                        file: Some(f.to_string()),
                        sheet: Some(s.to_string()),
                        cell: Some(c.to_string()),
                    },
                    _ => Location::file(file),
                }
            }
            Nguon::None => Location::file(file),
        }
    }
}

impl fmt::Display for Nguon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nguon::None => Ok(()),
            Nguon::Cell(p, r, c) => {
                let mut cell = String::with_capacity(8);
                push_a1(&mut cell, *r, *c);
                write!(f, "{} › {} › {cell}", p.file, p.sheet)
            }
            Nguon::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for Nguon {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&str> for Nguon {
    fn from(s: &str) -> Nguon {
        if s.is_empty() {
            Nguon::None
        } else {
            Nguon::Text(s.into())
        }
    }
}

impl From<String> for Nguon {
    fn from(s: String) -> Nguon {
        Nguon::from(s.as_str())
    }
}

impl PartialEq<&str> for Nguon {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Nguon::None => other.is_empty(),
            Nguon::Text(t) => **t == **other,
            Nguon::Cell(p, r, c) => other
                .strip_prefix(p.file.as_str())
                .and_then(|o| o.strip_prefix(" › "))
                .and_then(|o| o.strip_prefix(p.sheet.as_str()))
                .and_then(|o| o.strip_prefix(" › "))
                .is_some_and(|o| o == crate::diagnostics::a1(*r, *c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_reads_as_its_place() {
        let p = Arc::new(Place {
            file: "don-vi/a.xlsx".into(),
            sheet: "BaoCao".into(),
        });
        let n = Nguon::cell(&p, 8, 5);
        assert_eq!(n.to_string(), "don-vi/a.xlsx › BaoCao › F9");
        assert_eq!(n, "don-vi/a.xlsx › BaoCao › F9");
        assert_eq!(n.cell_name(), "F9");
        assert!(n.in_file("don-vi/a.xlsx") && !n.in_file("don-vi/b.xlsx"));
        assert_eq!(
            n.location("x"),
            Location::cell("don-vi/a.xlsx", "BaoCao", 8, 5)
        );
        // Written out, the same answers.
        let t = Nguon::from(n.to_string());
        assert_eq!(t.cell_name(), "F9");
        assert!(t.in_file("don-vi/a.xlsx"));
        assert_eq!(t.location("x"), n.location("x"));
        assert_eq!(
            serde_json::to_value(&n).unwrap(),
            serde_json::json!("don-vi/a.xlsx › BaoCao › F9")
        );
        assert!(Nguon::from("").is_none() && Nguon::None.to_string().is_empty());
        assert_eq!(Nguon::None.location("x"), Location::file("x"));
    }
}
