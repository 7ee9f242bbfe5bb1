//! Figures the Vietnamese way: formatting (`1.234.567`, `46,8`) with exact
//! rounding half away from zero, and reading numbers typed as text in
//! either the Vietnamese or the English style.

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// Figures must stay below this magnitude: 10^15, a thousand trillion (a
/// province's health figures stay far below it). Why it is enough: with
/// every figure under it, a sum over all the units a registry can list (at
/// most a million rows, the sheet layer's cell limit) stays under 10^21;
/// compile multiplies such sums by at most [`max_factor`] and by 100, so
/// every intermediate stays under 10^28, inside `Decimal`'s range
/// (7.9 × 10^28). Intake and the catalogue refuse larger figures at their
/// cell, so compile's arithmetic cannot overflow.
pub fn max_figure() -> Decimal {
    Decimal::from(1_000_000_000_000_000i64)
}

/// The largest rate factor (`Hệ số`) accepted: 10^6 (1, 100, 10 000 per
/// vạn dân and 100 000 are the ones in use).
pub fn max_factor() -> Decimal {
    Decimal::from(1_000_000)
}

/// True when a figure is small enough to be summed safely ([`max_figure`]).
pub fn in_range(d: Decimal) -> bool {
    d.abs() < max_figure()
}

/// Round half away from zero to `dp` decimals.
pub fn round_half_away(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `1.234.567`, `9,6`: at most two decimals.
pub fn format_decimal(d: Decimal) -> String {
    format_decimal_dp(d, 2)
}

/// Like [`format_decimal`] with another maximum of decimals.
pub fn format_decimal_dp(d: Decimal, max_dp: u32) -> String {
    let r = round_half_away(d, max_dp).normalize();
    let s = r.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// Exact decimal from the shortest representation of an `f64`.
pub fn f64_to_decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    // Whole numbers, most figures, without formatting and parsing text
    // (the same value: integers below 2^53 are exact in an f64; -0 keeps
    // its sign the slow way).
    if x.fract() == 0.0 && x.abs() < 9.0e15 && !(x == 0.0 && x.is_sign_negative()) {
        return Some(Decimal::from(x as i64));
    }
    // The shortest text that reads back as `x`, written on the stack
    // when it fits (very large and very small numbers take many digits).
    let mut buf = [0u8; 64];
    let mut w = std::io::Cursor::new(&mut buf[..]);
    if std::io::Write::write_fmt(&mut w, format_args!("{x}")).is_ok() {
        let n = w.position() as usize;
        return Decimal::from_str(std::str::from_utf8(&buf[..n]).ok()?).ok();
    }
    Decimal::from_str(&format!("{x}")).ok()
}

/// Format an `f64` the Vietnamese way.
pub fn format_f64(x: f64) -> String {
    f64_to_decimal(x).map(format_decimal).unwrap_or_default()
}

/// How to read a separator that could be either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `.` thousands, `,` decimals.
    Vietnamese,
    /// `,` thousands, `.` decimals.
    English,
}

/// What a number text says about its writer's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// No separators.
    None,
    /// Only readable the Vietnamese way.
    Vietnamese,
    /// Only readable the English way.
    English,
    /// Readable both ways.
    Ambiguous,
}

/// A number text, read.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedNumber {
    /// Nothing written.
    Empty,
    /// `-` or `x`.
    NotApplicable,
    /// A number.
    Value {
        /// The value.
        value: Decimal,
        /// A trailing `%` was written.
        percent: bool,
        /// Style evidence.
        evidence: Evidence,
    },
    /// Not a number.
    Invalid,
}

/// Read a number typed as text.
///
/// Rules: spaces, non-breaking and narrow spaces are ignored; a leading `+`
/// is dropped; a leading `-` (or U+2212) or `(…)` makes it negative; a
/// trailing `%` sets `percent`. `-`, `x`, `–`, `—` alone mean "not
/// applicable"; nothing means "not reported".
/// - Both `.` and `,` present: the last one is the decimal mark
///   (`1.234.567,25` Vietnamese, `1,169.5` English); the other must group
///   by threes.
/// - One kind, several times (`1.234.567`, `1,234,567`): thousands.
/// - One mark once: followed by exactly three digits it is ambiguous
///   (`1.169`, `1,169`) and read per `ambiguous_as`; otherwise it is the
///   decimal mark (`46,8` Vietnamese, `46.8` English).
pub fn parse_number(s: &str, ambiguous_as: Style) -> ParsedNumber {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(*c, '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    if t.is_empty() {
        return ParsedNumber::Empty;
    }
    if matches!(t.as_str(), "-" | "x" | "X" | "–" | "—") {
        return ParsedNumber::NotApplicable;
    }
    let (t, percent) = match t.strip_suffix('%') {
        Some(r) => (r.to_string(), true),
        None => (t, false),
    };
    let (t, negative) = if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}'))
    {
        (r.to_string(), true)
    } else if let Some(r) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (r.to_string(), true)
    } else {
        (t.strip_prefix('+').unwrap_or(&t).to_string(), false)
    };
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !t.starts_with(|c: char| c.is_ascii_digit())
    {
        return ParsedNumber::Invalid;
    }
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let (int_part, frac_part, group, evidence) = match (dots, commas) {
        (0, 0) => (t.as_str(), "", None, Evidence::None),
        (_, 0) | (0, _) => {
            let mark = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let (head, tail) = t.rsplit_once(mark).unwrap_or((&t, ""));
            if count > 1 {
                (
                    t.as_str(),
                    "",
                    Some(mark),
                    if mark == '.' {
                        Evidence::Vietnamese
                    } else {
                        Evidence::English
                    },
                )
            } else if tail.len() == 3 {
                let vn_grouping = ambiguous_as == Style::Vietnamese;
                // `.` groups in Vietnamese, `,` in English.
                if (mark == '.') == vn_grouping {
                    (t.as_str(), "", Some(mark), Evidence::Ambiguous)
                } else {
                    (head, tail, None, Evidence::Ambiguous)
                }
            } else {
                (
                    head,
                    tail,
                    None,
                    if mark == ',' {
                        Evidence::Vietnamese
                    } else {
                        Evidence::English
                    },
                )
            }
        }
        _ => {
            let last_dot = t.rfind('.').unwrap_or(0);
            let last_comma = t.rfind(',').unwrap_or(0);
            let (dec, grp, ev) = if last_comma > last_dot {
                (',', '.', Evidence::Vietnamese)
            } else {
                ('.', ',', Evidence::English)
            };
            if t.matches(dec).count() != 1 {
                return ParsedNumber::Invalid;
            }
            let (head, tail) = t.rsplit_once(dec).unwrap_or((&t, ""));
            if head.contains(dec) {
                return ParsedNumber::Invalid;
            }
            (head, tail, Some(grp), ev)
        }
    };
    // Grouped digits: 1–3 first, then exactly three per group.
    let digits: String = match group {
        Some(g) => {
            let parts: Vec<&str> = int_part.split(g).collect();
            let ok = parts.len() > 1
                && (1..=3).contains(&parts[0].len())
                && parts[1..].iter().all(|p| p.len() == 3)
                && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
            if !ok {
                return ParsedNumber::Invalid;
            }
            parts.concat()
        }
        None => int_part.to_string(),
    };
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return ParsedNumber::Invalid;
    }
    let text = if frac_part.is_empty() {
        digits
    } else {
        format!("{digits}.{frac_part}")
    };
    match Decimal::from_str(&text) {
        Ok(v) => ParsedNumber::Value {
            value: if negative { -v } else { v },
            percent,
            evidence,
        },
        Err(_) => ParsedNumber::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_become_the_decimals_they_print_as() {
        for x in [
            0.0, -0.0, 1.0, -3.0, 1234567.0, 8.9e15, 9.1e15, 0.5, 46.8, 1e-7, 1e20, 1e-40, 1e60,
            80.8, 75.75, 123456.789,
        ] {
            let slow = Decimal::from_str(&format!("{x}")).ok();
            let fast = f64_to_decimal(x);
            assert_eq!(fast, slow, "{x}");
            assert_eq!(
                fast.map(|d| (d.scale(), d.is_sign_negative())),
                slow.map(|d| (d.scale(), d.is_sign_negative())),
                "{x}"
            );
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn val(s: &str, st: Style) -> (Decimal, Evidence) {
        match parse_number(s, st) {
            ParsedNumber::Value {
                value, evidence, ..
            } => (value, evidence),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn formats_the_vietnamese_way() {
        assert_eq!(format_decimal(d("1234567")), "1.234.567");
        assert_eq!(format_decimal(d("9.60")), "9,6");
        assert_eq!(format_decimal(d("-1234.5")), "-1.234,5");
        assert_eq!(format_decimal(d("46.799")), "46,8");
        assert_eq!(format_decimal(d("46.665")), "46,67");
        assert_eq!(format_decimal(d("-2.345")), "-2,35");
        assert_eq!(format_decimal(d("0.004")), "0");
        assert_eq!(format_decimal(d("-0.004")), "0");
        assert_eq!(format_decimal(d("100")), "100");
        assert_eq!(format_decimal(d("999.999")), "1.000");
        assert_eq!(format_f64(46.8), "46,8");
        assert_eq!(format_f64(12.345), "12,35");
    }

    #[test]
    fn reads_both_styles_by_the_written_rule() {
        let vn = Style::Vietnamese;
        let en = Style::English;
        assert_eq!(val("1.169", vn), (d("1169"), Evidence::Ambiguous));
        assert_eq!(val("1,169", vn), (d("1.169"), Evidence::Ambiguous));
        assert_eq!(val("1.169", en), (d("1.169"), Evidence::Ambiguous));
        assert_eq!(val("1,169", en), (d("1169"), Evidence::Ambiguous));
        assert_eq!(val("46,8", vn), (d("46.8"), Evidence::Vietnamese));
        assert_eq!(val("46.8", vn), (d("46.8"), Evidence::English));
        assert_eq!(val("1.234.567", en), (d("1234567"), Evidence::Vietnamese));
        assert_eq!(val("1,234,567", vn), (d("1234567"), Evidence::English));
        assert_eq!(
            val("1.234.567,25", vn),
            (d("1234567.25"), Evidence::Vietnamese)
        );
        assert_eq!(val("1,169.5", vn), (d("1169.5"), Evidence::English));
        assert_eq!(val(" 1\u{a0}234 ", vn), (d("1234"), Evidence::None));
        assert_eq!(val("-5", vn).0, d("-5"));
        assert_eq!(val("(5)", vn).0, d("-5"));
        assert!(matches!(
            parse_number("97,15%", vn),
            ParsedNumber::Value { percent: true, .. }
        ));
        assert_eq!(val("97,15%", vn).0, d("97.15"));
        assert_eq!(parse_number("", vn), ParsedNumber::Empty);
        assert_eq!(parse_number("   ", vn), ParsedNumber::Empty);
        assert_eq!(parse_number("-", vn), ParsedNumber::NotApplicable);
        assert_eq!(parse_number("x", vn), ParsedNumber::NotApplicable);
        assert_eq!(val("0", vn).0, Decimal::ZERO);
        for bad in [
            "1.23.4",
            "1,2,3",
            "12.34.567",
            "abc",
            "1,234.5,6",
            "1.2,3.4",
            ".5",
            "5 ca",
        ] {
            assert_eq!(parse_number(bad, vn), ParsedNumber::Invalid, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse_number(&s, Style::Vietnamese);
            let _ = parse_number(&s, Style::English);
        }

        #[test]
        fn format_then_parse_round_trips(n in -1_000_000_000i64..1_000_000_000, cents in 0i64..100) {
            let v = Decimal::new(n * 100 + if n < 0 { -cents } else { cents }, 2);
            let text = format_decimal(v);
            match parse_number(&text, Style::Vietnamese) {
                ParsedNumber::Value { value, .. } => proptest::prop_assert_eq!(value, v.normalize()),
                other => proptest::prop_assert!(false, "{} → {:?}", text, other),
            }
        }
    }
}
