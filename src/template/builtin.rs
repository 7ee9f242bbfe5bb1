//! The built-in templates, compiled into the program so it runs anywhere;
//! `baocao init` copies them into `mau/` for editing.

use super::Source;

/// (name, text) of every built-in template.
pub const BUILTIN: &[(&str, &str)] = &[
    ("bao-cao", include_str!("../../templates/bao-cao.hbs")),
    ("nhom", include_str!("../../templates/nhom.hbs")),
    ("doan-van", include_str!("../../templates/doan-van.hbs")),
    ("phu-luc", include_str!("../../templates/phu-luc.hbs")),
];

/// The built-in templates as sources.
pub fn sources() -> Vec<Source> {
    BUILTIN
        .iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            file: format!("(mẫu có sẵn) {name}.hbs"),
            text: text.to_string(),
        })
        .collect()
}
