//! `Document` → DOCX bytes (docx-rs).

use super::WriteError;
use crate::document::Document;

/// Write the document as a Word file; the same document gives the same bytes.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, WriteError> {
    let _ = doc;
    Err(WriteError::Backend("chưa có".into()))
}
