//! Text made safe for each format at the one place it leaves the pipeline:
//! characters XML cannot hold are removed (a unit's own cells were already
//! cleaned, with a diagnostic, by the sheet layer; what remains here comes
//! from the office's settings, `noi-dung.md` and templates), and a cell
//! longer than Excel holds is cut.

use std::borrow::Cow;

use crate::vi::fold::is_unprintable;

/// Most UTF-16 units Excel keeps in a cell.
pub const EXCEL_CELL_MAX: usize = 32_767;

/// `s` without the characters XML 1.0 cannot hold, nor other controls.
pub fn xml(s: &str) -> Cow<'_, str> {
    if s.contains(is_unprintable) {
        Cow::Owned(s.chars().filter(|c| !is_unprintable(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell's text for `tong-hop.xlsx`: safe for XML and at most Excel's
/// length, cut with `…`; true when it was cut.
pub fn excel_cell(s: &str) -> (Cow<'_, str>, bool) {
    let s = xml(s);
    if s.len() <= EXCEL_CELL_MAX || s.encode_utf16().count() <= EXCEL_CELL_MAX {
        return (s, false);
    }
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > EXCEL_CELL_MAX - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (Cow::Owned(out), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_go_and_long_cells_are_cut() {
        assert_eq!(xml("a\u{7}b\u{1b}[0m\tc\n"), "ab[0m\tc\n");
        assert!(matches!(xml("Sở Y tế"), Cow::Borrowed(_)));
        let long = "ạ".repeat(40_000);
        let (cut, was) = excel_cell(&long);
        assert!(was);
        assert_eq!(cut.encode_utf16().count(), EXCEL_CELL_MAX);
        assert!(cut.ends_with('…'));
        // Characters outside the BMP count two units and are never split.
        let emoji = "😀".repeat(20_000);
        let (cut, _) = excel_cell(&emoji);
        assert!(cut.encode_utf16().count() <= EXCEL_CELL_MAX);
        assert!(!excel_cell("ngắn").1);
    }
}
