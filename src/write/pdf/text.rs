//! Line breaking: styled words into justified lines. A careful greedy fill:
//! lines are filled to the measure, spaces stretched evenly on every line
//! but a paragraph's last; a word longer than the measure is broken by
//! characters so it never runs into the margin.

use super::fonts::{Face, Fonts};
use crate::document::Inline;
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
            } else if c.is_whitespace() {
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
