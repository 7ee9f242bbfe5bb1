//! Figures the Vietnamese way (placeholder until the full module lands).

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

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
pub fn parse_number(s: &str, _ambiguous_as: Style) -> ParsedNumber {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if t.is_empty() {
        return ParsedNumber::Empty;
    }
    if matches!(t.as_str(), "-" | "x" | "X") {
        return ParsedNumber::NotApplicable;
    }
    let (t, percent) = match t.strip_suffix('%') {
        Some(r) => (r.to_string(), true),
        None => (t, false),
    };
    let v = t.replace('.', "").replace(',', ".");
    match Decimal::from_str(&v) {
        Ok(value) => ParsedNumber::Value {
            value,
            percent,
            evidence: Evidence::None,
        },
        Err(_) => ParsedNumber::Invalid,
    }
}
