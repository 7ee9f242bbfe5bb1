//! Diagnostics: every problem any stage finds, as a value the CLI shows.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user should know, nothing wrong.
    Info,
    /// A figure or file was used with a doubt, or part of it was skipped.
    Warning,
    /// A figure or file could not be used.
    Error,
}

impl Severity {
    /// The Vietnamese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "thông tin",
            Severity::Warning => "cảnh báo",
            Severity::Error => "lỗi",
        }
    }
}

/// Where a problem was found: `file › sheet › cell`, any part may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// File name as the user sees it (relative to the report folder).
    pub file: Option<String>,
    /// Sheet name.
    pub sheet: Option<String>,
    /// Cell in A1 style.
    pub cell: Option<String>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Default::default()
        }
    }

    /// A location naming a file and a sheet.
    pub fn sheet(file: impl Into<String>, sheet: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            sheet: Some(sheet.into()),
            cell: None,
        }
    }

    /// A location naming a file, a sheet and a cell given by zero-based row and column.
    pub fn cell(file: impl Into<String>, sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Location {
            file: Some(file.into()),
            sheet: Some(sheet.into()),
            cell: Some(a1(row, col)),
        }
    }

    /// True when no part is known.
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.sheet.is_none() && self.cell.is_none()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = [&self.file, &self.sheet, &self.cell]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        f.write_str(&parts.join(" › "))
    }
}

/// Zero-based row and column to an A1 reference (`(11, 5)` → `F12`).
pub fn a1(row: u32, col: u32) -> String {
    let mut s = String::with_capacity(8);
    push_a1(&mut s, row, col);
    s
}

/// [`a1`] written onto `out` (figures' sources are made by the thousand).
pub fn push_a1(out: &mut String, row: u32, col: u32) {
    let mut letters = [0u8; 8];
    let mut n = 0;
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters[n] = b'A' + rem as u8;
        n += 1;
        c = (c - 1) / 26;
    }
    for &l in letters[..n].iter().rev() {
        out.push(l as char);
    }
    // Digits by hand: this runs for every figure read.
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut r = row as u64 + 1;
    while r > 0 {
        i -= 1;
        digits[i] = b'0' + (r % 10) as u8;
        r /= 10;
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// One problem: severity, where, and a Vietnamese message saying what was
/// found, what was expected and what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious.
    pub severity: Severity,
    /// Where.
    #[serde(flatten)]
    pub location: Location,
    /// What, in Vietnamese.
    pub message: String,
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, location, message)
    }
    /// A warning at a location.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, location, message)
    }
    /// An info note at a location.
    pub fn info(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, location, message)
    }
    /// A diagnostic of any severity.
    pub fn new(severity: Severity, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "[{}] {}", self.severity.label(), self.message)
        } else {
            write!(
                f,
                "[{}] {}: {}",
                self.severity.label(),
                self.location,
                self.message
            )
        }
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 5), "F12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn location_display() {
        let l = Location::cell("DaKhoaTinh.xlsx", "BaoCao", 11, 5);
        assert_eq!(l.to_string(), "DaKhoaTinh.xlsx › BaoCao › F12");
    }
}
