//! Table column widths from their content, measured with the family's
//! metrics, for both writers (so Word, LibreOffice and the PDF draw the
//! same columns): a column is never narrower than its longest word (a
//! number, `STT`, a header word never breaks), and the room left goes to
//! the columns whose text would otherwise wrap, in proportion to how much
//! they would. This is the automatic table layout of CSS, in a few lines;
//! no crate does it for a given font.

use crate::document::{Inline, Table};
use crate::write::fonts::{Face, Fonts};
use crate::write::text::NBSP;

/// Room added to every measured width: Word and LibreOffice round text
/// widths to their own units, and a word that fits exactly may not.
const SLACK: f32 = 2.0;

/// Widest word and widest line of a cell, in points.
fn measure(fonts: &Fonts, cell: &[Inline], size: f32, bold: bool) -> (f32, f32) {
    let mut word = 0.0f32;
    let mut line = 0.0f32;
    let mut cur_word = 0.0f32;
    let mut cur_line = 0.0f32;
    for r in cell {
        let face = Face::of(bold || r.bold, r.italic);
        for c in r.text.chars() {
            if c == '\n' {
                word = word.max(cur_word);
                line = line.max(cur_line);
                cur_word = 0.0;
                cur_line = 0.0;
                continue;
            }
            let w = fonts.width(c.encode_utf8(&mut [0; 4]), face, size);
            cur_line += w;
            if c.is_whitespace() && c != NBSP {
                word = word.max(cur_word);
                cur_word = 0.0;
            } else {
                cur_word += w;
            }
        }
    }
    (word.max(cur_word), line.max(cur_line))
}

/// Column widths in points summing to `total`, for cells set at `size`
/// with `pad` on each side; header and emphasised rows are measured bold.
/// Widths grow by stages: every column's longest word; its body on one
/// line with its header on three lines, then two, then one; each stage is
/// reached by every column before the next begins, and the last stage
/// that does not fit is shared in proportion to what each column still
/// wants.
pub fn column_widths(fonts: &Fonts, t: &Table, total: f32, size: f32, pad: f32) -> Vec<f32> {
    let n = t.columns.len();
    if n == 0 {
        return Vec::new();
    }
    // Longest word, longest body line, longest header line, per column.
    let mut word = vec![size; n];
    let mut body = vec![0.0f32; n];
    let mut head = vec![0.0f32; n];
    let rows = t
        .header
        .iter()
        .map(|r| (r, true, true))
        .chain(t.rows.iter().map(|r| (r, r.emphasis, false)));
    for (r, bold, is_head) in rows {
        for (i, cell) in r.cells.iter().enumerate().take(n) {
            let (w, l) = measure(fonts, cell, size, bold);
            word[i] = word[i].max(w);
            let slot = if is_head { &mut head[i] } else { &mut body[i] };
            *slot = slot.max(l);
        }
    }
    let extra = 2.0 * pad + SLACK;
    let stage = |lines: Option<f32>| -> Vec<f32> {
        (0..n)
            .map(|i| {
                let w = match lines {
                    None => word[i],
                    Some(k) => word[i].max(body[i]).max(head[i] / k),
                };
                w + extra
            })
            .collect()
    };
    let stages = [
        stage(None),
        stage(Some(3.0)),
        stage(Some(2.0)),
        stage(Some(1.0)),
    ];
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    if sum(&stages[0]) >= total {
        // Too many columns for the page: shrink evenly (words will break).
        let s0 = sum(&stages[0]);
        return stages[0].iter().map(|m| m * total / s0).collect();
    }
    for k in 0..3 {
        let (lo, hi) = (&stages[k], &stages[k + 1]);
        if sum(hi) > total {
            let want = sum(hi) - sum(lo);
            return (0..n)
                .map(|i| lo[i] + (total - sum(lo)) * (hi[i] - lo[i]) / want)
                .collect();
        }
    }
    // Everything fits on one line: share the rest by width.
    let last = &stages[3];
    let s3 = sum(last);
    last.iter().map(|m| m + (total - s3) * m / s3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, Column, Row};

    fn cell(s: &str) -> Vec<Inline> {
        vec![Inline::plain(s)]
    }

    #[test]
    fn numbers_and_stt_never_narrower_than_themselves() {
        let fonts = crate::write::fonts::fonts().unwrap();
        let mut t = Table {
            columns: vec![
                Column {
                    width: 1.0,
                    align: Align::Center,
                };
                4
            ],
            header: vec![Row {
                cells: vec![
                    cell("STT"),
                    cell("Chỉ tiêu"),
                    cell("Kế hoạch năm"),
                    cell("Thực hiện"),
                ],
                emphasis: true,
            }],
            rows: Vec::new(),
        };
        for i in 0..40 {
            t.rows.push(Row {
                cells: vec![
                    cell(&i.to_string()),
                    cell("Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin trong Chương trình Tiêm chủng mở rộng"),
                    cell("1.500.000.000"),
                    cell("46,8\u{a0}(12)"),
                ],
                emphasis: false,
            });
        }
        let size = 12.0;
        let w = column_widths(fonts, &t, 400.0, size, 3.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01);
        for (text, col, bold) in [
            ("STT", 0, true),
            ("1.500.000.000", 2, false),
            ("46,8\u{a0}(12)", 3, false),
        ] {
            let need = fonts.width(text, Face::of(bold, false), size) + 6.0;
            assert!(w[col] >= need, "{text}: {} < {need}", w[col]);
        }
        // The long names take what is left.
        assert!(w[1] > w[0] + w[2] + w[3], "{w:?}");
    }
}
