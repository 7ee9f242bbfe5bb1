//! Opening a workbook safely and reading one sheet into a grid of cells.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

/// Largest workbook file we read (units send a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest total uncompressed size of a zip-based workbook (zip bomb guard).
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// Largest sheet we accept, in cells (rows × columns of the used range).
pub const MAX_CELLS: u64 = 5_000_000;

/// The container formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Binary Excel 97–2003 (`.xls`).
    Xls,
    /// OpenDocument (`.ods`).
    Ods,
    /// Binary Office Open XML (`.xlsb`).
    Xlsb,
}

/// Why a file could not be opened, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError(pub String);

/// An opened workbook.
pub struct Workbook {
    /// Detected format.
    pub format: Format,
    inner: Inner,
}

enum Inner {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
    Xlsb(Box<Xlsb<Cursor<Vec<u8>>>>),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Open a workbook from its bytes, deciding the format by content, not by
/// the file's name (units rename files freely).
pub fn open(bytes: Vec<u8>) -> Result<Workbook, OpenError> {
    if bytes.starts_with(CFB_MAGIC) {
        return open_cfb(bytes);
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(OpenError(
            "không phải tệp bảng tính (không có dấu hiệu của .xlsx, .xls hay .ods)".into(),
        ));
    }
    let kind = inspect_zip(&bytes)?;
    let cur = Cursor::new(bytes);
    let (format, inner) = match kind {
        ZipKind::Ods => (
            Format::Ods,
            Ods::new(cur)
                .map(|w| Inner::Ods(Box::new(w)))
                .map_err(|e| describe(&e.to_string())),
        ),
        ZipKind::Xlsb => (
            Format::Xlsb,
            Xlsb::new(cur)
                .map(|w| Inner::Xlsb(Box::new(w)))
                .map_err(|e| describe(&e.to_string())),
        ),
        ZipKind::Xlsx => (
            Format::Xlsx,
            Xlsx::new(cur)
                .map(|w| Inner::Xlsx(Box::new(w)))
                .map_err(|e| describe(&e.to_string())),
        ),
    };
    Ok(Workbook {
        format,
        inner: inner?,
    })
}

/// A compound file is either a real `.xls` or an encrypted Office file.
fn open_cfb(bytes: Vec<u8>) -> Result<Workbook, OpenError> {
    if contains_utf16(&bytes, "EncryptedPackage") || contains_utf16(&bytes, "EncryptionInfo") {
        return Err(OpenError(
            "tệp được bảo vệ bằng mật khẩu (đã mã hóa), không đọc được; đề nghị đơn vị gửi lại tệp không đặt mật khẩu".into(),
        ));
    }
    match Xls::new(Cursor::new(bytes)) {
        Ok(w) => Ok(Workbook {
            format: Format::Xls,
            inner: Inner::Xls(Box::new(w)),
        }),
        Err(e) => Err(describe(&e.to_string())),
    }
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

enum ZipKind {
    Xlsx,
    Ods,
    Xlsb,
}

/// Look inside the zip before any reader inflates it: refuse archives whose
/// declared sizes are absurd (zip bombs) and tell the formats apart.
fn inspect_zip(bytes: &[u8]) -> Result<ZipKind, OpenError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        OpenError("tệp bị hỏng hoặc không trọn vẹn (không đọc được cấu trúc nén)".into())
    })?;
    let mut total: u64 = 0;
    let mut kind = None;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| OpenError("tệp bị hỏng hoặc không trọn vẹn (mục nén hỏng)".into()))?;
        total = total.saturating_add(entry.size());
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        match name.as_str() {
            "mimetype" => kind = Some(ZipKind::Ods),
            "xl/workbook.bin" => kind = Some(ZipKind::Xlsb),
            "xl/workbook.xml" if kind.is_none() => kind = Some(ZipKind::Xlsx),
            _ => {}
        }
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(OpenError(format!(
            "tệp khai báo {} MB dữ liệu sau khi giải nén, quá giới hạn {} MB (nghi là tệp độc hại)",
            total / (1024 * 1024),
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        )));
    }
    // Declared sizes can lie (the reader calamine uses trusts them): inflate
    // every entry once against the same budget; the zip crate stops an
    // entry that inflates past its declared size.
    let mut budget = MAX_UNZIPPED_BYTES;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            OpenError(format!(
                "tệp bị hỏng hoặc không trọn vẹn (mục nén thứ {} không đọc được: {e})",
                i + 1
            ))
        })?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let n = std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
            .map_err(|e| {
                OpenError(format!(
                    "tệp bị hỏng, không trọn vẹn hoặc độc hại: mục “{name}” không giải nén được như khai báo ({e})"
                ))
            })?;
        if n > budget {
            return Err(OpenError(format!(
                "tệp giải nén ra hơn {} MB dữ liệu (nghi là tệp độc hại, “bom zip”)",
                MAX_UNZIPPED_BYTES / (1024 * 1024)
            )));
        }
        budget -= n;
    }
    if let Some(ZipKind::Ods) = kind {
        // An ODF package names its type in the first entry.
        let mut mt = String::new();
        if let Ok(mut f) = archive.by_name("mimetype") {
            let _ = f.by_ref().take(200).read_to_string(&mut mt);
        }
        if !mt.contains("spreadsheet") {
            return Err(OpenError(format!(
                "tệp OpenDocument nhưng không phải bảng tính (loại: {})",
                mt.trim()
            )));
        }
    }
    kind.ok_or_else(|| {
        OpenError(
            "tệp nén nhưng không phải bảng tính (không có xl/workbook.xml hay nội dung .ods)"
                .into(),
        )
    })
}

/// Reader errors in the user's words.
fn describe(err: &str) -> OpenError {
    if err.contains("password") {
        OpenError("tệp được bảo vệ bằng mật khẩu, không đọc được; đề nghị đơn vị gửi lại tệp không đặt mật khẩu".into())
    } else {
        OpenError(format!(
            "tệp bị hỏng hoặc không trọn vẹn, không đọc được ({err})"
        ))
    }
}

/// A sheet's name and whether it is visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    /// Name as in the file.
    pub name: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
}

/// A sheet as a grid of cells with absolute positions.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sheet name.
    pub sheet: String,
    /// Absolute (row, col) of `cells[0][0]`.
    pub origin: (u32, u32),
    /// Cells row by row.
    pub cells: Vec<Vec<Data>>,
    /// Merged regions (xlsx and xls only).
    pub merges: Vec<Dimensions>,
    /// Formula text by relative position, where the reader gives it.
    pub formulas: Vec<Vec<String>>,
    /// Font names of text cells that may be legacy-encoded, by absolute
    /// position; cells absent use `default_font`.
    pub fonts: HashMap<(u32, u32), String>,
    /// The workbook's default font (style 0).
    pub default_font: Option<String>,
    /// True when the format gave cell fonts (xlsx); false for xls and ods,
    /// whose fonts calamine does not read.
    pub fonts_known: bool,
}

static EMPTY: Data = Data::Empty;

impl Grid {
    /// Number of rows.
    pub fn height(&self) -> usize {
        self.cells.len()
    }
    /// Number of columns.
    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }
    /// Cell at a relative position (empty when outside).
    pub fn get(&self, row: usize, col: usize) -> &Data {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }
    /// Absolute (row, col) of a relative position, for diagnostics.
    pub fn abs(&self, row: usize, col: usize) -> (u32, u32) {
        (self.origin.0 + row as u32, self.origin.1 + col as u32)
    }
    /// The formula text at a relative position, if any.
    pub fn formula(&self, row: usize, col: usize) -> Option<&str> {
        self.formulas
            .get(row)
            .and_then(|r| r.get(col))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    /// The font of the cell at an absolute position, where known.
    pub fn font(&self, row: u32, col: u32) -> Option<&str> {
        if !self.fonts_known {
            return None;
        }
        self.fonts
            .get(&(row, col))
            .or(self.default_font.as_ref())
            .map(String::as_str)
    }
    /// Text of a cell for label matching (numbers as written, empty as "").
    pub fn text(&self, row: usize, col: usize) -> String {
        cell_text(self.get(row, col))
    }
}

/// A cell's content as text (numbers in Rust's shortest form).
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

impl Workbook {
    /// Sheets in file order with their visibility.
    pub fn sheets(&self) -> Vec<SheetInfo> {
        let meta = match &self.inner {
            Inner::Xlsx(w) => w.sheets_metadata().to_vec(),
            Inner::Xls(w) => w.sheets_metadata().to_vec(),
            Inner::Ods(w) => w.sheets_metadata().to_vec(),
            Inner::Xlsb(w) => w.sheets_metadata().to_vec(),
        };
        meta.into_iter()
            .map(|s| SheetInfo {
                name: s.name,
                visible: s.visible == SheetVisible::Visible,
            })
            .collect()
    }

    /// Read one sheet. Refuses sheets whose used range is absurdly large;
    /// for xlsx before any grid is built, so memory stays bounded.
    pub fn grid(&mut self, sheet: &str) -> Result<Grid, OpenError> {
        let range = match &mut self.inner {
            Inner::Xlsx(w) => return xlsx_grid(w, sheet),
            Inner::Xls(w) => w.worksheet_range(sheet).map_err(|e| e.to_string()),
            Inner::Ods(w) => w.worksheet_range(sheet).map_err(|e| e.to_string()),
            Inner::Xlsb(w) => w.worksheet_range(sheet).map_err(|e| e.to_string()),
        }
        .map_err(|e| describe(&e))?;
        check_extent(range.height() as u64, range.width() as u64)?;
        let origin = range.start().unwrap_or((0, 0));
        let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let merges = match &mut self.inner {
            Inner::Xls(w) => w.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        let formulas = self.formulas(sheet, origin, cells.len());
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
    /// result from a real zero).
    fn formulas(&mut self, sheet: &str, origin: (u32, u32), height: usize) -> Vec<Vec<String>> {
        let range = match &mut self.inner {
            Inner::Ods(w) => w.worksheet_formula(sheet).ok(),
            _ => None,
        };
        let Some(range) = range else {
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
                row[cc] = f.clone();
            }
        }
        out
    }
}

/// Refuse a sheet whose extent is absurd.
fn check_extent(height: u64, width: u64) -> Result<(), OpenError> {
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(OpenError(format!(
            "trang tính có vùng dữ liệu {} × {} ô, quá giới hạn {} ô (nghi là tệp hỏng hoặc độc hại)",
            vn(height),
            vn(width),
            vn(MAX_CELLS)
        )));
    }
    Ok(())
}

/// Read an xlsx sheet cell by cell (values, cached formula results and
/// formula texts in one pass), refusing it as soon as it holds more cells
/// than we accept or spans an absurd extent, before any grid is allocated.
/// Cell fonts are read in a second pass only when some text may be in a
/// legacy encoding.
fn xlsx_grid(w: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Result<Grid, OpenError> {
    let merges = w.merge_cells_by_sheet_name(sheet).unwrap_or_default();
    let mut sparse: Vec<((u32, u32), Data, Option<String>)> = Vec::new();
    let (mut r0, mut c0, mut r1, mut c1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    let mut legacy_positions = Vec::new();
    {
        let mut reader = w
            .worksheet_cells_reader(sheet)
            .map_err(|e| describe(&e.to_string()))?;
        while let Some(rec) = reader
            .next_cell_with_formula()
            .map_err(|e| describe(&e.to_string()))?
        {
            let value: Data = rec.value.into();
            if value == Data::Empty && rec.formula.is_none() {
                continue;
            }
            if sparse.len() as u64 >= MAX_CELLS {
                return Err(OpenError(format!(
                    "trang tính có hơn {} ô có dữ liệu, quá giới hạn (nghi là tệp hỏng hoặc độc hại)",
                    vn(MAX_CELLS)
                )));
            }
            let (r, c) = rec.pos;
            (r0, c0, r1, c1) = (r0.min(r), c0.min(c), r1.max(r), c1.max(c));
            if let Data::String(s) = &value {
                if crate::vi::legacy::may_be_legacy(s) {
                    legacy_positions.push((r, c));
                }
            }
            sparse.push(((r, c), value, rec.formula));
        }
    }
    if sparse.is_empty() {
        return Ok(Grid {
            sheet: sheet.to_string(),
            merges,
            fonts_known: true,
            ..Grid::default()
        });
    }
    let (height, width) = ((r1 - r0 + 1) as u64, (c1 - c0 + 1) as u64);
    check_extent(height, width)?;
    let mut cells = vec![Vec::new(); height as usize];
    let mut formulas: Vec<Vec<String>> = vec![Vec::new(); height as usize];
    for ((r, c), value, formula) in sparse {
        let (rr, cc) = ((r - r0) as usize, (c - c0) as usize);
        let row = &mut cells[rr];
        if row.len() <= cc {
            row.resize(cc + 1, Data::Empty);
        }
        row[cc] = value;
        if let Some(f) = formula.filter(|f| !f.is_empty()) {
            let frow = &mut formulas[rr];
            if frow.len() <= cc {
                frow.resize(cc + 1, String::new());
            }
            frow[cc] = f;
        }
    }
    let (fonts, default_font) = if legacy_positions.is_empty() {
        (HashMap::new(), None)
    } else {
        xlsx_fonts(w, sheet, &legacy_positions)
    };
    Ok(Grid {
        sheet: sheet.to_string(),
        origin: (r0, c0),
        cells,
        merges,
        formulas,
        fonts,
        default_font,
        fonts_known: true,
    })
}

/// Font names of the given cells, and the default font (style 0).
fn xlsx_fonts(
    w: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    wanted: &[(u32, u32)],
) -> (HashMap<(u32, u32), String>, Option<String>) {
    let mut fonts = HashMap::new();
    let Ok(mut reader) = w.worksheet_cells_reader(sheet) else {
        return (fonts, None);
    };
    let font_of = |styles: &[calamine::Style], id: usize| {
        styles
            .get(id)
            .and_then(|s| s.font.as_ref())
            .and_then(|f| f.name.clone())
    };
    let default_font = font_of(reader.styles(), 0);
    let wanted: std::collections::HashSet<(u32, u32)> = wanted.iter().copied().collect();
    while let Ok(Some((r, c, id))) = reader.next_style_id() {
        if wanted.contains(&(r, c)) {
            if let Some(name) = font_of(reader.styles(), id) {
                fonts.insert((r, c), name);
            }
        }
    }
    (fonts, default_font)
}

/// A count the Vietnamese way (`5.000.000`).
fn vn(n: u64) -> String {
    crate::vi::number::format_decimal(n.into())
}
