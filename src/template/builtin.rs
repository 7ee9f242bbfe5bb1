//! The built-in templates, compiled into the program so it runs anywhere;
//! `baocao init` copies them into `mau/` for editing.

use super::Source;
use crate::settings::{Kieu, Settings};

/// (name, text) of every built-in template: one main per report kind, the
/// Party's main, and the shared partials.
pub const BUILTIN: &[(&str, &str)] = &[
    ("so-ket-quy", include_str!("../../templates/so-ket-quy.hbs")),
    (
        "so-ket-6-thang",
        include_str!("../../templates/so-ket-6-thang.hbs"),
    ),
    (
        "so-ket-9-thang",
        include_str!("../../templates/so-ket-9-thang.hbs"),
    ),
    (
        "tong-ket-nam",
        include_str!("../../templates/tong-ket-nam.hbs"),
    ),
    ("chuyen-de", include_str!("../../templates/chuyen-de.hbs")),
    ("dang", include_str!("../../templates/dang.hbs")),
    ("dau-trang", include_str!("../../templates/dau-trang.hbs")),
    ("ket-qua", include_str!("../../templates/ket-qua.hbs")),
    ("nhom", include_str!("../../templates/nhom.hbs")),
    ("doan-van", include_str!("../../templates/doan-van.hbs")),
    ("muc", include_str!("../../templates/muc.hbs")),
    ("ket-thuc", include_str!("../../templates/ket-thuc.hbs")),
    ("phu-luc", include_str!("../../templates/phu-luc.hbs")),
];

/// The main template for these settings: the Party's for `kieu = "dang"`,
/// otherwise the one named after `loai`.
pub fn main_name(settings: &Settings) -> &'static str {
    match settings.co_quan.kieu {
        Kieu::Dang => "dang",
        Kieu::HanhChinh => settings.bao_cao.loai.key(),
    }
}

/// The sections a built-in main template prints with a placeholder when
/// nobody wrote them (`{{> muc khoa="…"}}`), for `check`'s warnings; a
/// user's main template (`mau =`) is taken to follow its kind's.
pub fn required_sections(main: &str) -> &'static [&'static str] {
    match main {
        "so-ket-quy" => &["TON_TAI", "PHUONG_HUONG", "KIEN_NGHI"],
        "dang" => &["XAY_DUNG_DANG", "UU_DIEM", "TON_TAI", "PHUONG_HUONG"],
        _ => &["UU_DIEM", "TON_TAI", "PHUONG_HUONG", "KIEN_NGHI"],
    }
}

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
