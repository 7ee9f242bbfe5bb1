//! Legacy Vietnamese encodings (TCVN3, VNI). Not yet decoded: `to_unicode`
//! recognises nothing, so such text passes through as typed (see the
//! closing note of issue 4).

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
