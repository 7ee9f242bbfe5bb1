//! Legacy Vietnamese encodings (placeholder until the full module lands).

/// A legacy encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712:1993 (ABC).
    Tcvn3,
    /// VNI-Windows.
    Vni,
}

/// Detect, decode and NFC-normalise; None when nothing needs converting.
pub fn to_unicode(_s: &str) -> Option<(String, Legacy)> {
    None
}
