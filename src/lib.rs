//! `baocao`: compiles the figures units send in into the department's
//! review report (DOCX and PDF).
//!
//! One pipeline, one direction: intake → compile → context → template →
//! document → writers. See `docs/` and `../shared/docs/architecture.md`.

pub mod catalog;
pub mod compile;
pub mod context;
pub mod diagnostics;
pub mod document;
pub mod intake;
pub mod settings;
pub mod vi;
pub mod write;
