//! Finding a table's header row by its labels, not by position: any case,
//! with or without diacritics, broken over two lines, or spread over two
//! header rows.

use std::borrow::Cow;

use crate::sheet::Grid;
use crate::vi::fold::fold;

/// How to recognise one column's label (folded text).
pub type Matcher = fn(&str) -> bool;

/// Where the header is and which column holds each wanted field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    /// Relative row of the (first) header row.
    pub row: usize,
    /// Relative row where data starts (after one or two header rows and a
    /// column-numbering row such as `(1) (2) (3)`).
    pub data_start: usize,
    /// Column of each field, in the order asked; None when absent.
    pub cols: Vec<Option<usize>>,
}

/// How many rows from the top we look for a header.
const SEARCH_ROWS: usize = 60;

/// Find the header row: the row (optionally with the row below it, for
/// labels spread over two merged rows) that matches the most fields, among
/// rows matching every required field. `fields` are (matcher, required).
pub fn find_header(grid: &Grid, fields: &[(Matcher, bool)]) -> Option<HeaderMap> {
    let width = grid.width();
    let rows = grid.height().min(SEARCH_ROWS);
    // Each cell of the rows looked at is folded once, when first needed
    // (every workbook's header is searched for).
    let mut folded: Vec<Option<Vec<String>>> = vec![None; (rows + 1).min(grid.height())];
    let fold_row = |folded: &mut Vec<Option<Vec<String>>>, r: usize| {
        if folded[r].is_none() {
            folded[r] = Some((0..width).map(|c| fold(&grid.text_ref(r, c))).collect());
        }
    };
    // A one-row header names each required field in a column of its own.
    let required = fields.iter().filter(|(_, req)| *req).count();
    let mut best: Option<(usize, HeaderMap)> = None;
    for r in 0..rows {
        for span in [1usize, 2] {
            if r + span > grid.height()
                || (span == 2
                    && !(spreads_down(grid, r, width) && is_continuation(grid, r + 1, width)))
            {
                continue;
            }
            if span == 1 && (0..width).filter(|&c| !grid.is_blank(r, c)).count() < required {
                continue;
            }
            fold_row(&mut folded, r);
            if span == 2 {
                fold_row(&mut folded, r + 1);
            }
            let own = folded[r].as_deref().unwrap_or_default();
            // The first of two header rows must name a field itself (a title
            // row above the real header is not a header row).
            if span == 2 && !own.iter().any(|l| fields.iter().any(|(m, _)| m(l))) {
                continue;
            }
            // Each column's label, and for two rows also the lower label
            // alone (under a group label such as `Kết quả` spanning it).
            let labels: Vec<(Cow<'_, str>, Option<&str>)> = if span == 1 {
                own.iter()
                    .map(|l| (Cow::Borrowed(l.as_str()), None))
                    .collect()
            } else {
                let below = folded[r + 1].as_deref().unwrap_or_default();
                own.iter()
                    .zip(below)
                    .enumerate()
                    .map(|(c, (above, below))| {
                        // A second header row continues the label above it,
                        // or names a column the merged cell above spans
                        // (folded apart and joined: the same as folding
                        // the two texts joined by a space).
                        let above = if grid.text_ref(r, c).trim().is_empty() {
                            Cow::Owned(fold(&merged_left_label(grid, r, c)))
                        } else {
                            Cow::Borrowed(above.as_str())
                        };
                        let joined = match (above.is_empty(), below.is_empty()) {
                            (true, _) => Cow::Borrowed(below.as_str()),
                            (false, true) => above,
                            (false, false) => Cow::Owned(format!("{above} {below}")),
                        };
                        (joined, Some(below.as_str()))
                    })
                    .collect()
            };
            let matches = |c: usize, m: &Matcher| {
                let (l, lower) = &labels[c];
                m(l) || lower.as_deref().is_some_and(m)
            };
            let mut cols = vec![None; fields.len()];
            let mut used = vec![false; width];
            for (i, (m, _)) in fields.iter().enumerate() {
                if let Some(c) = (0..width).find(|&c| !used[c] && matches(c, m)) {
                    cols[i] = Some(c);
                    used[c] = true;
                }
            }
            let ok = fields
                .iter()
                .zip(&cols)
                .all(|((_, req), c)| !*req || c.is_some());
            if !ok {
                continue;
            }
            // A continuation row below wins ties: its labels complete the header.
            let score = cols.iter().filter(|c| c.is_some()).count() * 2 + (span - 1);
            let mut data_start = r + span;
            if is_numbering_row(grid, data_start, width) {
                data_start += 1;
            }
            let map = HeaderMap {
                row: r,
                data_start,
                cols,
            };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, map));
            }
        }
        if best.is_some() {
            // The first row that matches wins over later look-alikes.
            break;
        }
    }
    best.map(|(_, m)| m)
}

/// The text of a merged header cell that spans (r, c) from the left.
fn merged_left_label(grid: &Grid, r: usize, c: usize) -> String {
    let (ar, ac) = grid.abs(r, c);
    for m in &grid.merges {
        if m.start.0 <= ar && ar <= m.end.0 && m.start.1 <= ac && ac <= m.end.1 {
            let rr = (m.start.0 - grid.origin.0) as usize;
            let cc = (m.start.1 - grid.origin.1) as usize;
            return grid.text(rr, cc);
        }
    }
    String::new()
}

/// A row that continues a header: some text, no numbers, no codes, and
/// nothing that starts a table row (a row number such as `1` or `I`).
fn is_continuation(grid: &Grid, r: usize, width: usize) -> bool {
    let texts: Vec<_> = (0..width).map(|c| grid.text_ref(r, c)).collect();
    let cells: Vec<&str> = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let Some(first) = cells.first() else {
        return false;
    };
    if is_numbering_row(grid, r, width) {
        return false;
    }
    let numberish = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit())
            && t.chars().all(|c| c.is_ascii_digit() || ".,% ".contains(c))
    };
    let roman = |t: &str| t.chars().all(|c| "IVXLC.".contains(c));
    !numberish(first)
        && !roman(first)
        && cells.iter().all(|t| !numberish(t) && !t.contains('_'))
        && (0..width).all(|c| {
            !matches!(
                grid.get(r, c),
                calamine::Data::Float(_) | calamine::Data::Int(_)
            )
        })
}

/// Whether the header in row `r` is laid out over two rows: a merged cell
/// in it (xlsx, xls), or a column empty in row `r` that the next row fills
/// (the sub-labels under a merged group label, as ods files read).
fn spreads_down(grid: &Grid, r: usize, width: usize) -> bool {
    let (ar, _) = grid.abs(r, 0);
    let merged = grid
        .merges
        .iter()
        .any(|m| m.start.0 <= ar && ar <= m.end.0 && m.end != m.start);
    merged || (0..width).any(|c| grid.is_blank(r, c) && !grid.is_blank(r + 1, c))
}

/// A row like `(1) (2) (3) …` or `1 2 3 …` under the header.
fn is_numbering_row(grid: &Grid, r: usize, width: usize) -> bool {
    let texts: Vec<_> = (0..width).map(|c| grid.text_ref(r, c)).collect();
    let texts: Vec<&str> = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    texts.len() >= 3
        && texts.iter().all(|t| {
            let inner = t.trim_start_matches('(').trim_end_matches(')');
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '=' || ch == '+' || ch == '/')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Data;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: "S".into(),
            cells: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Data::Empty
                            } else {
                                Data::String(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn ma(l: &str) -> bool {
        l.starts_with("ma")
    }
    fn th(l: &str) -> bool {
        l.starts_with("thuc hien")
    }

    #[test]
    fn first_data_row_is_not_taken_for_a_header_row() {
        let g = grid(&[&["Mã", "Thực hiện"], &["BVDK", "Bệnh viện"], &["X", "Y"]]);
        let h = find_header(&g, &[(ma, true), (th, true)]).unwrap();
        assert_eq!(h.data_start, 1);
    }

    #[test]
    fn finds_two_row_header_and_numbering() {
        let mut g = grid(&[
            &["BÁO CÁO", "", ""],
            &["Mã", "Thực hiện", ""],
            &["", "6 tháng", ""],
            &["(1)", "(2)", "(3)"],
            &["KCB", "5", ""],
        ]);
        // "Mã" is merged over the two header rows.
        g.merges.push(calamine::Dimensions {
            start: (1, 0),
            end: (2, 0),
        });
        let h = find_header(&g, &[(ma, true), (th, true)]).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(h.cols, vec![Some(0), Some(1)]);
        assert_eq!(h.data_start, 4);
    }
}
