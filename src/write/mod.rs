//! Writers: the document model (and the compiled figures) to files.

pub mod docx;
pub mod forms;
pub mod pdf;
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
