//! The spreadsheet layer: opening any workbook safely and reading one sheet
//! into a grid of cells. `catalog` and `intake` both stand on it; untrusted
//! bytes are met here and nowhere else, so the layers above need not
//! defend themselves.
//!
//! What it guarantees, whatever the bytes (`docs/decisions.md`, "Hostile
//! and broken files"; `docs/calamine-upstream.md` for the reader's own
//! defects):
//! - no panic escapes: every call into the reader runs under
//!   [`guard::guarded`], and a panic is an [`OpenError`] for that workbook;
//! - memory is bounded by [`Limits`]: sizes and counts the file declares are
//!   checked before calamine allocates from them (zip sizes, shared string
//!   counts, `.ods` repeats, every `.xls` record), and each sheet's cells,
//!   extent and text are counted;
//! - a grid never holds control characters, and its merged regions lie
//!   inside it.

mod attrs;
mod container;
mod grid;
mod guard;
mod inflate;
mod ods;
mod repack;
mod summary;
mod xls;
mod xlsx;

use std::io::Cursor;

use calamine::{Data, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

pub use grid::{cell_text, is_unprintable, Grid, SheetInfo};

/// What one workbook may take. Memory follows from these: see the figures
/// measured in `docs/decisions.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read.
    pub file_bytes: u64,
    /// Largest total uncompressed size of a zip-based workbook.
    pub unzipped_bytes: u64,
    /// Most entries in a zip-based workbook.
    pub zip_entries: usize,
    /// Most cells: of a sheet's extent (rows × columns of what it uses), and
    /// in total over the sheets a format reads at once (`.xls`, `.ods`).
    pub cells: u64,
    /// Most bytes of text held for a workbook's cells, copies included.
    pub text_bytes: u64,
    /// Most sheets.
    pub sheets: usize,
    /// Most merged regions in a sheet.
    pub merges: usize,
}

/// The limits every workbook is read under.
pub const LIMITS: Limits = Limits {
    file_bytes: 64 * 1024 * 1024,
    unzipped_bytes: 256 * 1024 * 1024,
    zip_entries: 10_000,
    cells: 1_000_000,
    text_bytes: 32 * 1024 * 1024,
    sheets: 256,
    merges: 20_000,
};

/// Largest workbook file we read (units send a few hundred KB).
pub const MAX_FILE_BYTES: u64 = LIMITS.file_bytes;

impl Limits {
    fn too_wide(&self, height: u64, width: u64) -> OpenError {
        OpenError(format!(
            "trang tính có vùng dữ liệu {} × {} ô, quá giới hạn {} ô (nghi là tệp hỏng hoặc độc hại)",
            vn(height),
            vn(width),
            vn(self.cells)
        ))
    }
    fn too_many_cells(&self, n: u64) -> OpenError {
        OpenError(format!(
            "bảng tính có {} ô có dữ liệu, quá giới hạn {} ô (nghi là tệp hỏng hoặc độc hại)",
            vn(n),
            vn(self.cells)
        ))
    }
    fn too_much_text(&self) -> OpenError {
        OpenError(format!(
            "bảng tính chứa hơn {} MB chữ, quá giới hạn (nghi là tệp hỏng hoặc độc hại)",
            self.text_bytes / (1024 * 1024)
        ))
    }
    fn too_many_sheets(&self) -> OpenError {
        OpenError(format!(
            "bảng tính có hơn {} trang tính, quá giới hạn (nghi là tệp hỏng hoặc độc hại)",
            self.sheets
        ))
    }
    /// Refuse a sheet whose extent is absurd.
    fn check_extent(&self, height: u64, width: u64) -> Result<(), OpenError> {
        if height.saturating_mul(width) > self.cells {
            return Err(self.too_wide(height, width));
        }
        Ok(())
    }
}

/// The container formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Binary Excel 97–2003 (`.xls`).
    Xls,
    /// OpenDocument (`.ods`).
    Ods,
}

impl Format {
    /// The usual file ending, for messages.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => ".xlsx",
            Format::Xls => ".xls",
            Format::Ods => ".ods",
        }
    }
}

/// What a workbook says about itself (its document properties).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    /// When it was last saved, as written (`2024-07-05T08:30:00Z`).
    pub modified: Option<String>,
    /// Its subject (`tong-hop.xlsx` names its period there).
    pub subject: Option<String>,
}

/// Why a file could not be opened, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError(pub String);

const PASSWORD: &str = "tệp được bảo vệ bằng mật khẩu (đã mã hóa), không đọc được; đề nghị đơn vị gửi lại tệp không đặt mật khẩu";

/// An opened workbook.
pub struct Workbook {
    /// Detected format.
    pub format: Format,
    inner: Inner,
    limits: Limits,
    /// Set when the reader panicked: nothing more is read from it.
    broken: Option<OpenError>,
    /// The document properties, for the formats whose reader is given a
    /// file without them: `.xls` (rebuilt record by record), `.xlsx`
    /// (repacked without them, [`repack`]).
    props: Option<Properties>,
}

enum Inner {
    /// The reader, and whether any of its sheets has merged regions.
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>, bool),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Open a workbook from its bytes, deciding the format by content, not by
/// the file's name (units rename files freely).
pub fn open(bytes: Vec<u8>) -> Result<Workbook, OpenError> {
    open_with(bytes, &LIMITS)
}

/// [`open`] under other limits (tests use small ones).
pub fn open_with(bytes: Vec<u8>, limits: &Limits) -> Result<Workbook, OpenError> {
    open_as(bytes, limits, true)
}

/// [`open_with`], an `.xlsx` repacked for the reader or not.
fn open_as(bytes: Vec<u8>, limits: &Limits, repack: bool) -> Result<Workbook, OpenError> {
    if bytes.len() as u64 > limits.file_bytes {
        return Err(OpenError(format!(
            "tệp lớn hơn {} MB, không giống biểu mẫu báo cáo",
            limits.file_bytes / (1024 * 1024)
        )));
    }
    let xls_saved = if bytes.starts_with(CFB_MAGIC) {
        guard::guarded(|| Ok(summary::last_saved(&bytes)))
            .ok()
            .flatten()
    } else {
        None
    };
    let (inner, props) = guard::guarded(|| open_inner(bytes, limits, repack))?;
    let props = props.or_else(|| {
        xls_saved.map(|t| Properties {
            modified: Some(t),
            subject: None,
        })
    });
    let format = match inner {
        Inner::Xlsx(..) => Format::Xlsx,
        Inner::Xls(_) => Format::Xls,
        Inner::Ods(_) => Format::Ods,
    };
    Ok(Workbook {
        format,
        inner,
        limits: limits.clone(),
        broken: None,
        props,
    })
}

fn open_inner(
    bytes: Vec<u8>,
    limits: &Limits,
    repack: bool,
) -> Result<(Inner, Option<Properties>), OpenError> {
    if bytes.starts_with(CFB_MAGIC) {
        let clean = xls::sanitize(&bytes, limits)?;
        drop(bytes);
        return Xls::new(Cursor::new(clean))
            .map(|w| (Inner::Xls(Box::new(w)), None))
            .map_err(|e| describe(&e.to_string()));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(OpenError(
            "không phải tệp bảng tính (không có dấu hiệu của .xlsx, .xls hay .ods)".into(),
        ));
    }
    let container::Inside {
        kind,
        mut archive,
        merges,
        inflated,
    } = container::inspect_zip(&bytes, limits)?;
    match kind {
        container::ZipKind::Xlsb => Err(OpenError(
            "tệp .xlsb (bảng tính nhị phân của Excel) không được hỗ trợ; đề nghị đơn vị lưu lại thành .xlsx".into(),
        )),
        container::ZipKind::Ods => {
            ods::precheck(&mut archive, limits)?;
            drop(archive);
            Ods::new(Cursor::new(bytes))
                .map(|w| (Inner::Ods(Box::new(w)), None))
                .map_err(|e| describe(&e.to_string()))
        }
        container::ZipKind::Xlsx => {
            xlsx::precheck(&mut archive, inflated.as_deref(), limits)?;
            let props = repack::core_properties(&mut archive, inflated.as_deref());
            let repacked = inflated
                .filter(|_| repack)
                .and_then(|parts| repack::repack(&bytes, &mut archive, parts));
            drop(archive);
            // The repacked package when it could be made, with the
            // document properties read here; else the file as it came.
            let (bytes, props) = match repacked {
                Some(b) => (b, Some(props.unwrap_or_default())),
                None => (bytes, None),
            };
            Xlsx::new(Cursor::new(bytes))
                .map(|w| (Inner::Xlsx(Box::new(w), merges), props))
                .map_err(|e| describe(&e.to_string()))
        }
    }
}

/// Reader errors in the user's words.
fn describe(err: &str) -> OpenError {
    if err.to_lowercase().contains("password") {
        OpenError(PASSWORD.into())
    } else {
        OpenError(format!(
            "tệp bị hỏng hoặc không trọn vẹn, không đọc được ({})",
            short(err, 200)
        ))
    }
}

impl Workbook {
    /// Sheets in file order with their visibility.
    pub fn sheets(&self) -> Vec<SheetInfo> {
        let meta = match &self.inner {
            Inner::Xlsx(w, _) => w.sheets_metadata(),
            Inner::Xls(w) => w.sheets_metadata(),
            Inner::Ods(w) => w.sheets_metadata(),
        };
        // Chart sheets and the like hold no table.
        meta.iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .take(self.limits.sheets)
            .map(|s| SheetInfo {
                name: s.name.clone(),
                visible: s.visible == SheetVisible::Visible,
            })
            .collect()
    }

    /// What the workbook says about itself (document properties): when it
    /// was last saved and its subject, without control characters and cut
    /// to a sane length; None when it says nothing or cannot be read.
    pub fn properties(&mut self) -> Option<Properties> {
        if self.broken.is_some() {
            return None;
        }
        let inner = &mut self.inner;
        let p = match (&self.props, &inner) {
            (Some(p), _) => p.clone(),
            (None, Inner::Xls(_)) => Properties::default(),
            (None, _) => guard::guarded(|| {
                Ok(match inner {
                    Inner::Xlsx(w, _) => w.workbook_properties().ok(),
                    Inner::Xls(_) => None,
                    Inner::Ods(w) => w.workbook_properties().ok(),
                })
            })
            .ok()
            .flatten()
            .map(|p| Properties {
                modified: p.modified,
                subject: p.subject,
            })?,
        };
        let clean = |s: Option<String>| {
            s.map(|s| {
                short(
                    &s.chars()
                        .filter(|c| !is_unprintable(*c))
                        .collect::<String>(),
                    200,
                )
            })
            .filter(|s| !s.trim().is_empty())
        };
        Some(Properties {
            modified: clean(p.modified),
            subject: clean(p.subject),
        })
    }

    /// Read one sheet, within the limits; the grid is tidied (see the
    /// module comment).
    pub fn grid(&mut self, sheet: &str) -> Result<Grid, OpenError> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        let limits = self.limits.clone();
        let inner = &mut self.inner;
        let r = guard::guarded(|| {
            let mut g = read_grid(inner, sheet, &limits)?;
            g.tidy(limits.merges)?;
            Ok(g)
        });
        if let Err(e) = &r {
            if e.0.contains("trình đọc bảng tính dừng lại") {
                self.broken = Some(e.clone());
            }
        }
        r
    }
}

fn read_grid(inner: &mut Inner, sheet: &str, limits: &Limits) -> Result<Grid, OpenError> {
    let range = match inner {
        Inner::Xlsx(w, merges) => return xlsx::grid(w, sheet, limits, *merges),
        Inner::Xls(w) => w.worksheet_range(sheet).map_err(|e| e.to_string()),
        Inner::Ods(w) => w.worksheet_range(sheet).map_err(|e| e.to_string()),
    }
    .map_err(|e| describe(&e))?;
    limits.check_extent(range.height() as u64, range.width() as u64)?;
    let origin = range.start().unwrap_or((0, 0));
    let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    drop(range);
    let merges = match inner {
        Inner::Xls(w) => w.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    let formulas = match inner {
        Inner::Ods(w) => ods_formulas(w, sheet, origin, cells.len()),
        _ => Vec::new(),
    };
    Ok(Grid {
        sheet: sheet.to_string(),
        origin,
        cells,
        merges,
        formulas,
        ..Grid::default()
    })
}

/// Formula texts aligned to the value grid (for telling a missing cached
/// result from a real zero), cut for messages.
fn ods_formulas(
    w: &mut Ods<Cursor<Vec<u8>>>,
    sheet: &str,
    origin: (u32, u32),
    height: usize,
) -> Vec<Vec<String>> {
    let Ok(range) = w.worksheet_formula(sheet) else {
        return Vec::new();
    };
    let Some(start) = range.start() else {
        return Vec::new();
    };
    let mut out = vec![Vec::new(); height];
    for (r, c, f) in range.used_cells() {
        let (ar, ac) = (start.0 + r as u32, start.1 + c as u32);
        if ar < origin.0 || ac < origin.1 {
            continue;
        }
        let (rr, cc) = ((ar - origin.0) as usize, (ac - origin.1) as usize);
        if let Some(row) = out.get_mut(rr) {
            if row.len() <= cc {
                row.resize(cc + 1, String::new());
            }
            row[cc] = short(f, 200);
        }
    }
    out
}

/// At most `n` characters of `s`, with `…` when cut.
pub fn short(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A count the Vietnamese way (`5.000.000`).
fn vn(n: u64) -> String {
    crate::vi::number::format_decimal(n.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbooks(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                workbooks(&p, out);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                out.push(p);
            }
        }
    }

    /// Every `.xlsx` of the project's fixtures and samples reads the same
    /// repacked as read as it came: sheets, every sheet's grid (cells,
    /// formulas, merged regions, fonts) and the document properties.
    #[test]
    fn a_repacked_workbook_reads_as_the_original() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        workbooks(&root.join("tests/fixtures"), &mut files);
        workbooks(&root.join("samples"), &mut files);
        files.sort();
        let (mut compared, mut repacked) = (0, 0);
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let (a, b) = (
                open_as(bytes.clone(), &LIMITS, true),
                open_as(bytes, &LIMITS, false),
            );
            let (mut a, mut b) = match (a, b) {
                (Ok(a), Ok(b)) => (a, b),
                (a, b) => {
                    assert_eq!(a.err(), b.err(), "{}", f.display());
                    continue;
                }
            };
            // Repacked: its properties were read here.
            repacked += usize::from(a.props.is_some() && b.props.is_none());
            assert_eq!(a.sheets(), b.sheets(), "{}", f.display());
            assert_eq!(a.properties(), b.properties(), "{}", f.display());
            // A grid as comparable text (its fonts in order).
            let shown = |g: Result<Grid, OpenError>| {
                g.map(|mut g| {
                    let mut fonts: Vec<_> = std::mem::take(&mut g.fonts).into_iter().collect();
                    fonts.sort();
                    format!("{g:?} {fonts:?}")
                })
            };
            for s in a.sheets() {
                let (ga, gb) = (shown(a.grid(&s.name)), shown(b.grid(&s.name)));
                assert_eq!(ga, gb, "{} › {}", f.display(), s.name);
            }
            compared += 1;
        }
        assert!(compared >= 50, "only {compared} workbooks compared");
        assert!(repacked >= 50, "only {repacked} of {compared} repacked");
    }
}
