//! `Document` → PDF bytes (printpdf + our own layout).

use super::WriteError;
use crate::document::Document;

/// Typeset the document as a PDF with embedded, subset fonts; deterministic bytes.
pub fn write_pdf(doc: &Document) -> Result<Vec<u8>, WriteError> {
    let _ = doc;
    Err(WriteError::Backend("chưa có".into()))
}
