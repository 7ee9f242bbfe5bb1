//! A sheet as the layers above see it: a grid of cells with absolute
//! positions, its merged regions, formula texts and fonts where known.

use std::collections::HashMap;

use calamine::{Data, Dimensions};

pub use crate::vi::fold::is_unprintable;

/// A sheet's name and whether it is visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    /// Name as in the file.
    pub name: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
}

/// A sheet as a grid of cells with absolute positions.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sheet name.
    pub sheet: String,
    /// Absolute (row, col) of `cells[0][0]`.
    pub origin: (u32, u32),
    /// Cells row by row.
    pub cells: Vec<Vec<Data>>,
    /// Merged regions (xlsx and xls only).
    pub merges: Vec<Dimensions>,
    /// Formula text by relative position, where the reader gives it.
    pub formulas: Vec<Vec<String>>,
    /// Font names of text cells that may be legacy-encoded, by absolute
    /// position; cells absent use `default_font`.
    pub fonts: HashMap<(u32, u32), String>,
    /// The workbook's default font (style 0).
    pub default_font: Option<String>,
    /// True when the format gave cell fonts (xlsx); false for xls and ods,
    /// whose fonts calamine does not read.
    pub fonts_known: bool,
    /// Absolute (row, col) of text cells from which control characters
    /// were removed (they cannot be printed, and XML cannot hold most).
    pub cleaned: Vec<(u32, u32)>,
}

static EMPTY: Data = Data::Empty;

impl Grid {
    /// Number of rows.
    pub fn height(&self) -> usize {
        self.cells.len()
    }
    /// Number of columns.
    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }
    /// Cell at a relative position (empty when outside).
    pub fn get(&self, row: usize, col: usize) -> &Data {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }
    /// Absolute (row, col) of a relative position, for diagnostics.
    pub fn abs(&self, row: usize, col: usize) -> (u32, u32) {
        (self.origin.0 + row as u32, self.origin.1 + col as u32)
    }
    /// The formula text at a relative position, if any.
    pub fn formula(&self, row: usize, col: usize) -> Option<&str> {
        self.formulas
            .get(row)
            .and_then(|r| r.get(col))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    /// The font of the cell at an absolute position, where known.
    pub fn font(&self, row: u32, col: u32) -> Option<&str> {
        if !self.fonts_known {
            return None;
        }
        self.fonts
            .get(&(row, col))
            .or(self.default_font.as_ref())
            .map(String::as_str)
    }
    /// Text of a cell for label matching (numbers as written, empty as "").
    pub fn text(&self, row: usize, col: usize) -> String {
        cell_text(self.get(row, col))
    }
    /// [`Grid::text`], borrowed when the cell holds text.
    pub fn text_ref(&self, row: usize, col: usize) -> std::borrow::Cow<'_, str> {
        match self.get(row, col) {
            Data::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            Data::Empty => std::borrow::Cow::Borrowed(""),
            d => std::borrow::Cow::Owned(cell_text(d)),
        }
    }
    /// Whether a cell is empty or only spaces.
    pub fn is_blank(&self, row: usize, col: usize) -> bool {
        match self.get(row, col) {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            d => cell_text(d).trim().is_empty(),
        }
    }
}

/// A cell's content as text (numbers in Rust's shortest form).
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

impl Grid {
    /// What every grid gets before it leaves the sheet layer: merged
    /// regions turned the right way round and clipped to the grid (the
    /// layers above index with them), and control characters removed from
    /// text, each such cell listed in `cleaned`.
    pub fn tidy(&mut self, max_merges: usize) -> Result<(), super::OpenError> {
        if self.merges.len() > max_merges {
            return Err(super::OpenError(format!(
                "trang tính có {} vùng gộp ô, quá giới hạn {} (nghi là tệp hỏng hoặc độc hại)",
                super::vn(self.merges.len() as u64),
                super::vn(max_merges as u64)
            )));
        }
        let (r0, c0) = self.origin;
        let r1 = r0.saturating_add(self.height().saturating_sub(1) as u32);
        let c1 = c0.saturating_add(self.width().saturating_sub(1) as u32);
        let empty = self.cells.is_empty();
        self.merges = std::mem::take(&mut self.merges)
            .into_iter()
            .filter_map(|m| {
                let (top, bottom) = (m.start.0.min(m.end.0), m.start.0.max(m.end.0));
                let (left, right) = (m.start.1.min(m.end.1), m.start.1.max(m.end.1));
                let (top, left) = (top.max(r0), left.max(c0));
                let (bottom, right) = (bottom.min(r1), right.min(c1));
                (!empty && top <= bottom && left <= right).then_some(Dimensions {
                    start: (top, left),
                    end: (bottom, right),
                })
            })
            .collect();
        for (r, row) in self.cells.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                if let Data::String(s) = cell {
                    if crate::vi::fold::has_unprintable(s) {
                        s.retain(|ch| !is_unprintable(ch));
                        self.cleaned.push((r0 + r as u32, c0 + c as u32));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_clipped_and_controls_removed() {
        let mut g = Grid {
            origin: (2, 1),
            cells: vec![
                vec![Data::String("a\u{7}b\u{1b}[2J".into()), Data::Float(1.0)],
                vec![Data::String("dòng 1\ndòng 2\tcột".into())],
            ],
            merges: vec![
                Dimensions {
                    start: (3, 5),
                    end: (0, 0),
                },
                Dimensions {
                    start: (100, 100),
                    end: (200, 200),
                },
            ],
            ..Grid::default()
        };
        g.tidy(10).unwrap();
        assert_eq!(g.get(0, 0), &Data::String("ab[2J".into()));
        assert_eq!(g.get(1, 0), &Data::String("dòng 1\ndòng 2\tcột".into()));
        assert_eq!(g.cleaned, vec![(2, 1)]);
        assert_eq!(
            g.merges,
            vec![Dimensions {
                start: (2, 1),
                end: (3, 2)
            }]
        );
        g.merges = vec![Dimensions::new((2, 1), (2, 2)); 11];
        assert!(g.tidy(10).is_err());
    }
}
