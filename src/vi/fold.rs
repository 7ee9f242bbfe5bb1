//! Folding Vietnamese text for matching labels, codes and keys: without
//! regard to case, diacritics, spacing or punctuation.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Fold for matching: NFD, marks dropped, `đ` → `d`, lowercase, every run of
/// non-alphanumerics → one space, trimmed.
/// `"Thực hiện\n6 tháng"` → `"thuc hien 6 thang"`.
///
/// Each character is decomposed on its own rather than the whole text put
/// through NFD: the same letters come out (NFD only reorders characters of
/// a non-zero combining class, and all of them are marks, which are
/// dropped; a test checks this over every character), without NFD's
/// reordering buffer. ASCII, which codes are, takes a shorter path. Folding
/// is done for every label, code and name read, so it is worth the care.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if is_alphanumeric(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            pending_space = true;
        }
    };
    for ch in s.chars() {
        if ch.is_ascii() {
            push(ch, &mut out);
            continue;
        }
        // Vietnamese letters fold to one ASCII letter: from a table made
        // by the path below, once.
        if let Some(b) = latin_fold(ch) {
            push(b as char, &mut out);
            continue;
        }
        fold_char(ch, &mut |c| push(c, &mut out));
    }
    out
}

/// The letters one character folds to, before case and spacing: its
/// canonical decomposition without marks, `đ` as `d`.
fn fold_char(ch: char, f: &mut impl FnMut(char)) {
    decompose_canonical(ch, |c| {
        if is_combining_mark(c) {
            return;
        }
        let c = match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            _ => c,
        };
        f(c)
    });
}

/// Latin-1 Supplement, Latin Extended-A and B, and Latin Extended
/// Additional: where every Vietnamese letter is.
const LATIN: [(u32, u32); 2] = [(0x80, 0x250), (0x1E00, 0x1F00)];

/// The lowercase ASCII letter a Latin character folds to, when it folds
/// to exactly one; None for the others (taken the long way).
fn latin_fold(ch: char) -> Option<u8> {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let u = u32::from(ch);
    let mut base = 0usize;
    for (lo, hi) in LATIN {
        if (lo..hi).contains(&u) {
            let t = TABLE.get_or_init(|| {
                LATIN
                    .iter()
                    .flat_map(|&(lo, hi)| lo..hi)
                    .map(|u| {
                        let mut one = Vec::new();
                        if let Some(c) = char::from_u32(u) {
                            fold_char(c, &mut |c| one.push(c));
                        }
                        match one.as_slice() {
                            [c] if c.is_ascii_alphanumeric() => c.to_ascii_lowercase() as u8,
                            _ => 0,
                        }
                    })
                    .collect()
            });
            let b = t[base + (u - lo) as usize];
            return (b != 0).then_some(b);
        }
        base += (hi - lo) as usize;
    }
    None
}

/// Whether a character is a letter or a digit, quickly for the Latin
/// letters Vietnamese is written in.
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    latin_fold(c).is_some() || c.is_alphanumeric()
}

/// A key for the template context: folded, spaces as `_`.
/// `"Khám, chữa bệnh"` → `"kham_chua_benh"`.
pub fn key(s: &str) -> String {
    fold(s).replace(' ', "_")
}

/// A level's key: folded, a leading `tuyến` / `cấp` dropped, spaces as `_`.
/// `"tuyến tỉnh"` → `"tinh"`, `"Cấp xã"` → `"xa"`, `"chuyên sâu"` → `"chuyen_sau"`.
pub fn level_key(s: &str) -> String {
    let f = fold(s);
    let rest = f
        .strip_prefix("tuyen ")
        .or_else(|| f.strip_prefix("cap "))
        .unwrap_or(&f);
    rest.replace(' ', "_")
}

/// Characters no output should carry: C0 and C1 controls other than tab,
/// line feed and carriage return, DEL, and the two non-characters XML
/// forbids (`_x0007_` in an `.xlsx` arrives as U+0007; an escape sequence
/// would drive the terminal it is printed on).
pub fn is_unprintable(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether a text holds a character [`is_unprintable`] finds: its bytes
/// looked at first (every such character starts with a control byte,
/// 0xC2 or 0xEF in UTF-8), the characters only when one of those is there.
pub fn has_unprintable(s: &str) -> bool {
    // Without branches, so that the compiler checks many bytes at once
    // (every text cell of every workbook is looked at).
    let flagged = s.bytes().fold(0u8, |acc, b| {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        acc | u8::from(control | (b == 0x7F) | (b == 0xC2) | (b == 0xEF))
    });
    flagged != 0 && s.contains(is_unprintable)
}

/// NFC form of `s`.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// True when the text is already NFC.
pub fn is_nfc(s: &str) -> bool {
    quick_nfc(s) || unicode_normalization::is_nfc(s)
}

/// Whether every character is below the combining marks (U+0300) or a
/// precomposed letter of Latin Extended Additional: each is NFC by itself
/// and starts no composition (tested over both ranges). Read from the
/// UTF-8 bytes without branching on each (every text cell is checked): no
/// lead byte of a character from U+0300 up may stand but 0xE1, and each
/// 0xE1 must start U+1E00..U+1EFF (0xE1 0xB8..0xBB).
fn quick_nfc(s: &str) -> bool {
    let b = s.as_bytes();
    let outside = b
        .iter()
        .fold(0u8, |acc, &x| acc | u8::from((x >= 0xCC) & (x != 0xE1)));
    outside == 0 && memchr::memchr_iter(0xE1, b).all(|i| matches!(b.get(i + 1), Some(0xB8..=0xBB)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latin_table_folds_as_the_long_way() {
        for &(lo, hi) in &LATIN {
            for c in (lo..hi).filter_map(char::from_u32) {
                let mut long = String::new();
                fold_char(c, &mut |x| long.extend(x.to_lowercase()));
                let long: String = long.chars().filter(|c| c.is_alphanumeric()).collect();
                let table = latin_fold(c).map(|b| (b as char).to_string());
                if let Some(t) = &table {
                    assert_eq!(t, &long, "{c:?}");
                }
                assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
                // The fold of a one-letter text is the same either way.
                let mut slow = String::new();
                fold_char(c, &mut |x| {
                    if x.is_alphanumeric() {
                        slow.extend(x.to_lowercase())
                    }
                });
                assert_eq!(fold(&c.to_string()), slow, "{c:?}");
            }
        }
        assert_eq!(latin_fold('ự'), Some(b'u'));
        assert_eq!(latin_fold('Đ'), Some(b'd'));
        assert_eq!(latin_fold('×'), None);
    }

    #[test]
    fn the_quick_nfc_ranges_are_nfc() {
        // Every pair of characters from the quick ranges is NFC as it stands.
        let quick: Vec<char> = (0..0x300u32)
            .chain(0x1E00..0x1F00)
            .filter_map(char::from_u32)
            .collect();
        // Each is "yes" to the quick check (never "maybe": none composes
        // with what stands before it) and of combining class 0, so any
        // text of them is "yes" too.
        for &a in &quick {
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(a)),
                unicode_normalization::IsNormalized::Yes,
                "{a:?}"
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(a),
                0,
                "{a:?}"
            );
        }
        // The byte check says the same as the characters, over every character.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let t = format!("aĐ{c}ự");
            let by_chars = t
                .chars()
                .all(|c| c < '\u{300}' || ('\u{1E00}'..'\u{1F00}').contains(&c));
            assert_eq!(quick_nfc(&t), by_chars, "{c:?}");
        }
        // Decomposed text is not taken for NFC.
        assert!(!is_nfc("Tie\u{0302}\u{0301}n"));
        assert!(is_nfc("Tiến độ ự Đ"));
    }

    #[test]
    fn unprintable_characters_are_found_by_their_bytes() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let t = format!("ab{c}cd");
            assert_eq!(has_unprintable(&t), is_unprintable(c), "{c:?}");
        }
    }

    #[test]
    fn folds_labels() {
        assert_eq!(fold("Thực hiện\n6 tháng"), "thuc hien 6 thang");
        assert_eq!(fold("  MÃ  ĐƠN VỊ: "), "ma don vi");
        assert_eq!(fold("Mã chỉ tiêu"), fold("ma chi tieu"));
        // Decomposed input folds the same as composed.
        assert_eq!(fold("Tie\u{0302}\u{0301}n"), fold("Tiến"));
    }

    #[test]
    fn folding_each_character_is_folding_the_nfd_text() {
        // Every character NFD may reorder is a mark, and marks are dropped.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if unicode_normalization::char::canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "{c:?} reorders but is kept");
            }
        }
        let by_nfd = |s: &str| {
            let mut out = String::new();
            let mut pending = false;
            for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
                let c = if matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð') {
                    'd'
                } else {
                    c
                };
                if c.is_alphanumeric() {
                    if pending && !out.is_empty() {
                        out.push(' ');
                    }
                    pending = false;
                    out.extend(c.to_lowercase());
                } else {
                    pending = true;
                }
            }
            out
        };
        for s in [
            "Thực hiện\n6 tháng",
            "  MÃ  ĐƠN VỊ: ",
            "Tie\u{0302}\u{0301}n, KCB_LUOT-2 ½ Ǆ ﬁ 한국어 Ωμέγα İstanbul",
            "a\u{0301}\u{0323}b\u{0323}\u{0301} ǅ ᾏ",
        ] {
            assert_eq!(fold(s), by_nfd(s), "{s}");
        }
    }

    #[test]
    fn keys() {
        assert_eq!(key("Khám, chữa bệnh"), "kham_chua_benh");
        assert_eq!(level_key("tuyến tỉnh"), "tinh");
        assert_eq!(level_key("Cấp xã"), "xa");
        assert_eq!(level_key("huyện"), "huyen");
        assert_eq!(level_key("chuyên sâu"), "chuyen_sau");
        assert_eq!(level_key("Khu vực"), "khu_vuc");
    }
}
