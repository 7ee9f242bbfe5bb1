//! Line breaking: styled words into justified lines. A careful greedy fill:
//! lines are filled to the measure, spaces stretched evenly on every line
//! but a paragraph's last; a word longer than the measure is broken by
//! characters so it never runs into the margin. Centred titles are
//! balanced instead ([`break_balanced`]). A no-break space joins words.

use crate::document::Inline;
use crate::write::fonts::{Face, Fonts};
use unicode_normalization::UnicodeNormalization;

/// A piece of a word in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Text (NFC).
    pub text: String,
    /// Face.
    pub face: Face,
    /// Width in points.
    pub width: f32,
}

/// A word: pieces with no space between them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    /// Pieces.
    pub pieces: Vec<Piece>,
    /// Total width.
    pub width: f32,
}

/// A set line: words and the space between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Words.
    pub words: Vec<Word>,
    /// Width of the words alone.
    pub words_width: f32,
    /// The paragraph's last line (not stretched).
    pub last: bool,
    /// Hard line break inside a paragraph.
    pub forced: bool,
}

/// Split styled runs into words; `\n` forces a line break (an empty word
/// marked by `None` in the output).
pub fn words(
    runs: &[Inline],
    fonts: &Fonts,
    size: f32,
    bold: bool,
    italic: bool,
) -> Vec<Option<Word>> {
    let mut out: Vec<Option<Word>> = Vec::new();
    let mut cur = Word::default();
    let mut open = false;
    for r in runs {
        let face = Face::of(bold || r.bold, italic || r.italic);
        let text: String = r.text.nfc().collect();
        let mut buf = String::new();
        let flush_piece = |buf: &mut String, cur: &mut Word| {
            if !buf.is_empty() {
                let w = fonts.width(buf, face, size);
                cur.width += w;
                cur.pieces.push(Piece {
                    text: std::mem::take(buf),
                    face,
                    width: w,
                });
            }
        };
        for c in text.chars() {
            if c == '\n' {
                flush_piece(&mut buf, &mut cur);
                if open {
                    out.push(Some(std::mem::take(&mut cur)));
                }
                open = false;
                out.push(None);
            } else if crate::vi::fold::is_unprintable(c) {
                // Controls have no glyph and no place on a page.
                continue;
            } else if c.is_whitespace() && c != NBSP {
                flush_piece(&mut buf, &mut cur);
                if open {
                    out.push(Some(std::mem::take(&mut cur)));
                }
                open = false;
            } else {
                buf.push(c);
                open = true;
            }
        }
        flush_piece(&mut buf, &mut cur);
    }
    if open {
        out.push(Some(cur));
    }
    out
}

/// The no-break space: a space that never breaks a line (`6,08\u{a0}(1)`).
pub const NBSP: char = '\u{a0}';

/// Whether a word ends a clause (a good place to break a title).
fn ends_clause(w: &Word) -> bool {
    w.pieces
        .last()
        .and_then(|p| p.text.chars().last())
        .is_some_and(|c| matches!(c, ',' | ';' | ':' | '.' | ')' | '-' | '–'))
}

/// Break words into as many lines as a greedy fill of `measure` needs,
/// as evenly as possible, preferring breaks after a comma or other end of
/// a clause (a title never leaves one short word or `năm 2024` alone on
/// its last line, nor splits `phương | hướng` when `năm, | phương` is as
/// good). Returns where each line starts; `[0]` for one line. None when
/// the words cannot be balanced (a hard break, a word wider than the
/// measure).
pub fn balanced_starts(words: &[Word], measure: f32, space: f32) -> Option<Vec<usize>> {
    // A hair inside the measure, so that Word, which breaks the DOCX's
    // title lines itself too, never finds a balanced line too long.
    let measure = measure * 0.99;
    let m = words.len();
    if m == 0 || words.iter().any(|w| w.width > measure) {
        return None;
    }
    // Lines a greedy fill needs.
    let mut n = 1;
    let mut cur = 0.0f32;
    for (i, w) in words.iter().enumerate() {
        let need = if i == 0 || cur == 0.0 {
            w.width
        } else {
            cur + space + w.width
        };
        if need > measure && cur > 0.0 {
            n += 1;
            cur = w.width;
        } else {
            cur = need;
        }
    }
    if n == 1 {
        return Some(vec![0]);
    }
    let width = |a: usize, b: usize| {
        words[a..b].iter().map(|w| w.width).sum::<f32>() + space * (b - a - 1) as f32
    };
    let avg = width(0, m) / n as f32;
    // A break inside a clause costs as much as lines uneven by an eighth
    // of the measure.
    let penalty = (measure / 8.0).powi(2);
    // best[k][j]: least cost of the first j words in k lines, and where the
    // last of those lines starts.
    let inf = f32::INFINITY;
    let mut best = vec![vec![(inf, 0usize); m + 1]; n + 1];
    best[0][0] = (0.0, 0);
    for k in 1..=n {
        for j in k..=m {
            for i in (k - 1)..j {
                let (prev, _) = best[k - 1][i];
                let w = width(i, j);
                if prev == inf || w > measure {
                    continue;
                }
                let brk = if i > 0 && !ends_clause(&words[i - 1]) {
                    penalty
                } else {
                    0.0
                };
                let cost = prev + (avg - w).powi(2) + brk;
                if cost < best[k][j].0 {
                    best[k][j] = (cost, i);
                }
            }
        }
    }
    if best[n][m].0 == inf {
        return None;
    }
    let mut starts = vec![0usize; n];
    let mut j = m;
    for k in (1..=n).rev() {
        let i = best[k][j].1;
        starts[k - 1] = i;
        j = i;
    }
    Some(starts)
}

/// Balanced lines ([`balanced_starts`]); the greedy fill when the words
/// cannot be balanced.
pub fn break_balanced(
    items: Vec<Option<Word>>,
    measure: f32,
    space: f32,
    fonts: &Fonts,
    size: f32,
) -> Vec<Line> {
    let words: Option<Vec<Word>> = items.iter().cloned().collect();
    let starts = words
        .as_ref()
        .and_then(|w| balanced_starts(w, measure, space));
    let (Some(words), Some(starts)) = (words, starts) else {
        return break_lines(items, measure, measure, space, fonts, size);
    };
    let n = starts.len();
    (0..n)
        .map(|k| {
            let end = starts.get(k + 1).copied().unwrap_or(words.len());
            let ws = words[starts[k]..end].to_vec();
            Line {
                words_width: ws.iter().map(|w| w.width).sum(),
                words: ws,
                last: true,
                forced: false,
            }
        })
        .collect()
}

/// Break a word wider than `max` into pieces that fit, by characters.
fn split_long(word: Word, max: f32, fonts: &Fonts, size: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    for p in word.pieces {
        for c in p.text.chars() {
            let w = fonts.width(&c.to_string(), p.face, size);
            if cur.width + w > max && cur.width > 0.0 {
                out.push(std::mem::take(&mut cur));
            }
            cur.width += w;
            match cur.pieces.last_mut() {
                Some(last) if last.face == p.face => {
                    last.text.push(c);
                    last.width += w;
                }
                _ => cur.pieces.push(Piece {
                    text: c.to_string(),
                    face: p.face,
                    width: w,
                }),
            }
        }
    }
    if !cur.pieces.is_empty() {
        out.push(cur);
    }
    out
}

/// Fill lines of `first` width (the first line, after an indent) then
/// `rest` width.
pub fn break_lines(
    items: Vec<Option<Word>>,
    first: f32,
    rest: f32,
    space: f32,
    fonts: &Fonts,
    size: f32,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut cur: Vec<Word> = Vec::new();
    let mut cur_w = 0.0f32;
    let measure = |n: usize| if n == 0 { first } else { rest };
    let mut queue: std::collections::VecDeque<Option<Word>> = items.into();
    while let Some(item) = queue.pop_front() {
        let Some(word) = item else {
            lines.push(Line {
                words: std::mem::take(&mut cur),
                words_width: cur_w,
                last: true,
                forced: true,
            });
            cur_w = 0.0;
            continue;
        };
        let max = measure(lines.len());
        if word.width > max {
            // Put what fits of it here, the rest on the next lines.
            if !cur.is_empty() {
                lines.push(Line {
                    words: std::mem::take(&mut cur),
                    words_width: cur_w,
                    last: false,
                    forced: false,
                });
                cur_w = 0.0;
            }
            for (i, part) in split_long(word, measure(lines.len()).min(rest), fonts, size)
                .into_iter()
                .enumerate()
                .rev()
            {
                let _ = i;
                queue.push_front(Some(part));
            }
            continue;
        }
        let needed = if cur.is_empty() {
            word.width
        } else {
            cur_w + space + word.width
        };
        if needed > max && !cur.is_empty() {
            lines.push(Line {
                words: std::mem::take(&mut cur),
                words_width: cur_w,
                last: false,
                forced: false,
            });
            cur_w = word.width;
            cur.push(word);
        } else {
            cur_w = needed;
            cur.push(word);
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(Line {
            words: cur,
            words_width: cur_w,
            last: true,
            forced: false,
        });
    }
    if let Some(l) = lines.last_mut() {
        l.last = true;
    }
    for l in &mut lines {
        // words_width counted spaces; keep only the words.
        l.words_width = l.words.iter().map(|w| w.width).sum();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, measure: f32) -> Vec<String> {
        let fonts = crate::write::fonts::fonts().unwrap();
        let ws: Vec<Word> = words(&[Inline::bold(text)], fonts, 14.0, false, false)
            .into_iter()
            .map(Option::unwrap)
            .collect();
        let space = fonts.width(" ", Face::Regular, 14.0);
        let starts = balanced_starts(&ws, measure, space).unwrap();
        (0..starts.len())
            .map(|k| {
                let end = starts.get(k + 1).copied().unwrap_or(ws.len());
                ws[starts[k]..end]
                    .iter()
                    .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_title_never_leaves_a_short_last_line() {
        // Greedy, this leaves "năm 2024" alone on the second line.
        let t = "Báo cáo kết quả thực hiện công tác phòng, chống dịch bệnh truyền nhiễm năm 2024";
        let fonts = crate::write::fonts::fonts().unwrap();
        let full = fonts.width(t, Face::Bold, 14.0);
        let got = lines(t, full - 30.0);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].split(' ').count() >= 5, "{got:?}");
        // The break goes after the comma when that is about as even.
        assert_eq!(
            got[0], "Báo cáo kết quả thực hiện công tác phòng,",
            "{got:?}"
        );
        // One line when it fits.
        assert_eq!(lines(t, full + 20.0).len(), 1);
    }
}
