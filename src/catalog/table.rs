//! Finding a table's header row by its labels, not by position: any case,
//! with or without diacritics, broken over two lines, or spread over two
//! header rows.

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
    let mut best: Option<(usize, HeaderMap)> = None;
    for r in 0..grid.height().min(SEARCH_ROWS) {
        for span in [1usize, 2] {
            if r + span > grid.height()
                || (span == 2
                    && !(spreads_down(grid, r, width) && is_continuation(grid, r + 1, width)))
            {
                continue;
            }
            // The first of two header rows must name a field itself (a title
            // row above the real header is not a header row).
            if span == 2
                && !(0..width).any(|c| {
                    let own = fold(&grid.text_ref(r, c));
                    fields.iter().any(|(m, _)| m(&own))
                })
            {
                continue;
            }
            // Each column's label, and for two rows also the lower label
            // alone (under a group label such as `Kết quả` spanning it).
            let labels: Vec<Vec<String>> = (0..width)
                .map(|c| {
                    let t = grid.text_ref(r, c);
                    if span == 1 {
                        return vec![fold(&t)];
                    }
                    let below = grid.text_ref(r + 1, c);
                    // A second header row continues the label above it,
                    // or names a column the merged cell above spans.
                    let above = if t.trim().is_empty() {
                        merged_left_label(grid, r, c)
                    } else {
                        t.to_string()
                    };
                    vec![fold(&format!("{above} {below}")), fold(&below)]
                })
                .collect();
            let mut cols = vec![None; fields.len()];
            let mut used = vec![false; width];
            for (i, (m, _)) in fields.iter().enumerate() {
                if let Some(c) = (0..width).find(|&c| !used[c] && labels[c].iter().any(|l| m(l))) {
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
