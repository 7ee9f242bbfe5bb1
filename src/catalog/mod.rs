//! The registry of units (`DonVi`) and the indicator catalogue (`ChiTieu`),
//! both read from `danh-muc.xlsx`.

mod check;
mod read;
pub mod table;

pub use read::read_danh_muc;
pub use table::HeaderMap;

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::vi::fold::{fold, key, level_key};

/// One unit the office expects to report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DonVi {
    /// Unit code (matches `Mã đơn vị` in its workbook).
    pub ma: String,
    /// Display name.
    pub ten: String,
    /// The level's key (`tinh`, `huyen`, `xa`, `chuyen_sau` …).
    pub tuyen: String,
    /// Population served, where given.
    pub dan_so: Option<Decimal>,
}

/// A level of units, in the registry's first-seen order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    /// Key (`tinh`).
    pub key: String,
    /// Display name (`tuyến tỉnh`).
    pub ten: String,
}

impl Level {
    /// The display name of the level `key` among `levels`.
    pub fn name<'a>(levels: &'a [Level], key: &str) -> Option<&'a str> {
        levels.iter().find(|l| l.key == key).map(|l| l.ten.as_str())
    }
}

/// The registry: every expected unit and the levels they belong to.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Units in registry order.
    pub units: Vec<DonVi>,
    /// Levels in first-seen order.
    pub levels: Vec<Level>,
    /// Units by folded code and name, made on the first look-up.
    lookup: OnceLock<Lookup>,
}

impl PartialEq for Registry {
    fn eq(&self, other: &Self) -> bool {
        self.units == other.units && self.levels == other.levels
    }
}

/// Positions by folded key, the first of equal keys kept (as a search in
/// order finds it): each name is folded once, not at every look-up, which
/// with thousands of units was the slowest part of a check.
#[derive(Debug, Clone, Default)]
struct Lookup {
    /// How many entries it was made over: a list grown afterwards is
    /// searched in order instead.
    len: usize,
    // Fx: codes are looked up for every row of every workbook; the maps
    // are made from the office's own catalogue, not from what units send.
    by_code: FxHashMap<String, usize>,
    by_name: FxHashMap<String, usize>,
}

impl Lookup {
    fn new<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> Lookup {
        let mut l = Lookup::default();
        for (i, (code, name)) in items.enumerate() {
            l.len += 1;
            l.by_code.entry(code_key(code).into_owned()).or_insert(i);
            l.by_name.entry(fold(name)).or_insert(i);
        }
        l
    }
}

impl Registry {
    /// A registry of these units and levels.
    pub fn new(units: Vec<DonVi>, levels: Vec<Level>) -> Registry {
        Registry {
            units,
            levels,
            lookup: OnceLock::new(),
        }
    }
    fn lookup(&self) -> Option<&Lookup> {
        let l = self.lookup.get_or_init(|| {
            Lookup::new(self.units.iter().map(|u| (u.ma.as_str(), u.ten.as_str())))
        });
        (l.len == self.units.len()).then_some(l)
    }
    /// Make the maps units are looked up in now, rather than at the first
    /// lookup (with thousands of units, while other work goes on).
    pub fn prepare_lookup(&self) {
        self.lookup();
    }
    /// A unit by code (codes compare without regard to case or spacing).
    pub fn find(&self, code: &str) -> Option<&DonVi> {
        self.index_of(code).map(|i| &self.units[i])
    }
    /// Index of a unit in registry order.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        let k = code_key(code);
        match self.lookup() {
            Some(l) => l.by_code.get(k.as_ref()).copied(),
            None => self.units.iter().position(|u| code_key(&u.ma) == k),
        }
    }
    /// Index of a unit by its name, matched without regard to case,
    /// diacritics, spacing or punctuation.
    pub fn index_by_name(&self, name: &str) -> Option<usize> {
        let f = fold(name);
        match self.lookup() {
            Some(l) => l.by_name.get(&f).copied(),
            None => self.units.iter().position(|u| fold(&u.ten) == f),
        }
    }
}

/// A code folded for comparison: uppercase ASCII, spaces and dashes as `_`.
pub fn code_key(code: &str) -> Cow<'_, str> {
    // Most codes are already keys (`KCB_LUOT`, `N1_01`): borrowed as they
    // are (a lookup per row of every workbook allocates nothing).
    let b = code.as_bytes();
    if !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
        && b[0] != b'_'
        && b[b.len() - 1] != b'_'
        && !code.contains("__")
    {
        return Cow::Borrowed(code);
    }
    let k = fold(code);
    if k.is_ascii() {
        return k
            .chars()
            .map(|c| {
                if c == ' ' {
                    '_'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect::<String>()
            .into();
    }
    k.replace(' ', "_").to_uppercase().into()
}

/// Display name of a level from the registry's free text:
/// `tỉnh` → `tuyến tỉnh`, `Cấp xã` → `cấp xã`, `chuyên sâu` → `cấp chuyên sâu`.
pub fn level_name(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let f = fold(&lower);
    if f.starts_with("tuyen ") || f.starts_with("cap ") || f.starts_with("khu vuc") {
        return lower;
    }
    let rest = level_key(&lower);
    match rest.as_str() {
        "ban_dau" | "co_ban" | "chuyen_sau" => format!("cấp {lower}"),
        _ => format!("tuyến {lower}"),
    }
}

/// How an indicator's province figure is made.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "cach", rename_all = "kebab-case")]
pub enum CachTongHop {
    /// The sum of the units' figures.
    Tong,
    /// A rate recomputed from summed numerator and denominator.
    TyLe {
        /// Numerator indicator code.
        tu_so: String,
        /// Denominator.
        mau_so: MauSo,
        /// Multiplier: 100 for %, 10000 per vạn dân.
        he_so: Decimal,
    },
}

/// How a count's change against the same period is written (`Cách so
/// sánh`): in per cent (the default), as the difference in the indicator's
/// unit with last year's figure, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CachSoSanh {
    /// `giảm 33,45% so với cùng kỳ năm 2023`.
    #[default]
    PhanTram,
    /// `giảm 73.066 ca so với cùng kỳ năm 2022 (73.071 ca)`.
    SoTuyetDoi,
    /// `giảm 73.066 ca (99,99%) so với cùng kỳ năm 2022`.
    CaHai,
}

impl CachSoSanh {
    /// The name templates see: `phan-tram`, `so-tuyet-doi`, `ca-hai`.
    pub fn key(self) -> &'static str {
        match self {
            CachSoSanh::PhanTram => "phan-tram",
            CachSoSanh::SoTuyetDoi => "so-tuyet-doi",
            CachSoSanh::CaHai => "ca-hai",
        }
    }
    /// Read a catalogue cell like a label (any case, with or without
    /// diacritics); empty is the default; None for anything else.
    pub fn parse(text: &str) -> Option<CachSoSanh> {
        match fold(text).as_str() {
            "" | "phan tram" | "ty le phan tram" => Some(CachSoSanh::PhanTram),
            "so tuyet doi" | "tuyet doi" => Some(CachSoSanh::SoTuyetDoi),
            "ca hai" => Some(CachSoSanh::CaHai),
            _ => None,
        }
    }
    /// Whether the per cent change is written.
    pub fn phan_tram(self) -> bool {
        self != CachSoSanh::SoTuyetDoi
    }
    /// Whether the difference is written.
    pub fn tuyet_doi(self) -> bool {
        self != CachSoSanh::PhanTram
    }
}

/// A rate's denominator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MauSo {
    /// Another indicator.
    ChiTieu(String),
    /// The registry's population of the units in scope.
    DanSo,
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiTieu {
    /// Code (`KCB_LUOT`).
    pub ma: String,
    /// Printed name.
    pub ten: String,
    /// Unit of measure.
    pub dvt: String,
    /// Group (report section).
    pub nhom: String,
    /// How it combines.
    pub cach: CachTongHop,
    /// The province's own target, overriding the units' plans.
    pub ke_hoach_tinh: Option<Decimal>,
    /// How its change against the same period is written.
    pub so_sanh: CachSoSanh,
    /// Why the definition cannot be used (an error was given at its cell);
    /// no figure is computed from a broken definition.
    pub loi: Option<String>,
}

impl ChiTieu {
    /// How messages name the indicator: `Số ca phẫu thuật (KCB_PHAU_THUAT)`.
    pub fn nhan(&self) -> String {
        if self.ten.trim().is_empty() {
            self.ma.clone()
        } else {
            format!("{} ({})", self.ten.trim(), self.ma)
        }
    }
    /// True for a rate (`ty-le`).
    pub fn la_ty_le(&self) -> bool {
        matches!(self.cach, CachTongHop::TyLe { .. })
    }
}

/// A catalogue group, in first-seen order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Name as printed.
    pub ten: String,
    /// Folded key (`kham_chua_benh`).
    pub khoa: String,
}

/// The catalogue: indicators in appendix order and their groups.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Indicators in catalogue order.
    pub indicators: Vec<ChiTieu>,
    /// Groups in first-seen order.
    pub groups: Vec<Group>,
    /// Indicators by folded code and name, made on the first look-up.
    lookup: OnceLock<Lookup>,
}

impl PartialEq for Catalogue {
    fn eq(&self, other: &Self) -> bool {
        self.indicators == other.indicators && self.groups == other.groups
    }
}

impl Catalogue {
    /// A catalogue of these indicators and groups.
    pub fn new(indicators: Vec<ChiTieu>, groups: Vec<Group>) -> Catalogue {
        Catalogue {
            indicators,
            groups,
            lookup: OnceLock::new(),
        }
    }
    fn lookup(&self) -> Option<&Lookup> {
        let l = self.lookup.get_or_init(|| {
            Lookup::new(
                self.indicators
                    .iter()
                    .map(|c| (c.ma.as_str(), c.ten.as_str())),
            )
        });
        (l.len == self.indicators.len()).then_some(l)
    }
    /// An indicator by code.
    pub fn get(&self, code: &str) -> Option<&ChiTieu> {
        self.position(code).map(|i| &self.indicators[i])
    }
    /// An indicator's place in the catalogue, by code.
    pub fn position(&self, code: &str) -> Option<usize> {
        let k = code_key(code);
        match self.lookup() {
            Some(l) => l.by_code.get(k.as_ref()).copied(),
            None => self.indicators.iter().position(|c| code_key(&c.ma) == k),
        }
    }
    /// How messages name an indicator given by code: `Tên (MÃ)`, or the
    /// code alone when the catalogue does not have it.
    pub fn nhan(&self, code: &str) -> String {
        self.get(code)
            .map(ChiTieu::nhan)
            .unwrap_or_else(|| code.to_string())
    }
    /// An indicator by printed name, matched without regard to case,
    /// diacritics, spacing or punctuation.
    pub fn by_name(&self, name: &str) -> Option<&ChiTieu> {
        self.position_by_name(name).map(|i| &self.indicators[i])
    }
    /// An indicator's place in the catalogue, by printed name.
    pub fn position_by_name(&self, name: &str) -> Option<usize> {
        let f = fold(name);
        if f.is_empty() {
            return None;
        }
        match self.lookup() {
            Some(l) => l.by_name.get(&f).copied(),
            None => self.indicators.iter().position(|c| fold(&c.ten) == f),
        }
    }
    /// A group by a heading or `Mục` text, matched like labels.
    pub fn group(&self, text: &str) -> Option<&Group> {
        let f = key(text);
        self.groups.iter().find(|g| g.khoa == f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names() {
        assert_eq!(level_name("tỉnh"), "tuyến tỉnh");
        assert_eq!(level_name("Tuyến huyện"), "tuyến huyện");
        assert_eq!(level_name("Cấp xã"), "cấp xã");
        assert_eq!(level_name("chuyên sâu"), "cấp chuyên sâu");
        assert_eq!(level_name("khu vực"), "khu vực");
    }

    #[test]
    fn codes_compare_loosely() {
        assert_eq!(code_key(" kcb_luot "), "KCB_LUOT");
        assert_eq!(code_key("TTYT-Tan Phu"), "TTYT_TAN_PHU");
    }
}
