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
        if c.is_alphanumeric() {
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
        decompose_canonical(ch, |c| {
            if is_combining_mark(c) {
                return;
            }
            let c = match c {
                'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
                _ => c,
            };
            push(c, &mut out);
        });
    }
    out
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

/// NFC form of `s`.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// True when the text is already NFC.
pub fn is_nfc(s: &str) -> bool {
    unicode_normalization::is_nfc(s)
}

#[cfg(test)]
mod tests {
    use super::*;

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
