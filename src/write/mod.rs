//! Writers: the document model (and the compiled figures) to files.

pub mod catalogue;
pub mod chart;
pub mod docx;
pub(crate) mod fonts;
pub mod forms;
pub mod handout;
pub mod links;
pub mod pdf;
pub mod pdf_pages;
pub mod safe;
pub(crate) mod text;
pub(crate) mod widths;
pub mod xlsx;

/// Why a writer could not produce its file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A block the writer cannot express (e.g. an image that is not a PNG).
    #[error("không ghi được {what}: {why}")]
    Content {
        /// What was being written.
        what: String,
        /// Why it failed.
        why: String,
    },
    /// The underlying library failed.
    #[error("lỗi khi tạo tệp: {0}")]
    Backend(String),
}

/// Width and height of a PNG from its IHDR chunk; None if it is not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIG: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];
    if bytes.len() < 24 || bytes[..8] != SIG || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    (w > 0 && h > 0 && w < 100_000 && h < 100_000).then_some((w, h))
}
