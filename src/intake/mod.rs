//! Intake: one unit workbook → [`UnitReport`], coping with what real files
//! do, and saying what it did in diagnostics. The only stage that knows
//! spreadsheets are messy.

pub mod cache;
mod cells;
mod header;
mod narrative;
pub mod nguon;
pub mod record;
mod table;
mod text;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::Catalogue;
use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Loai;
use crate::sheet::{self, Grid};
pub use nguon::Nguon;

/// A figure as the unit gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Nothing written, or nothing usable (a diagnostic said why).
    Missing,
    /// `-` or `x`: not applicable to this unit.
    NotApplicable,
    /// A number.
    Number(Decimal),
}

impl Value {
    /// The number, if any.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            _ => None,
        }
    }
}

/// A figure and the cell it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The value.
    pub value: Value,
    /// `file › sheet › cell`.
    pub nguon: Nguon,
}

/// One indicator row of a unit's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRow {
    /// Catalogue code.
    pub ma: String,
    /// `Kế hoạch năm`.
    pub ke_hoach: Figure,
    /// `Thực hiện …`.
    pub thuc_hien: Figure,
    /// `Cùng kỳ năm trước`.
    pub cung_ky: Figure,
}

/// One text a unit wrote in its `NoiDung` sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narrative {
    /// Section: `UU_DIEM`, `TON_TAI`, `PHUONG_HUONG`, `KIEN_NGHI`, `CHI_DAO`,
    /// or a catalogue group's key.
    pub muc: String,
    /// The text (NFC).
    pub text: String,
    /// Where it came from.
    pub nguon: String,
}

/// Everything read from one unit workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitReport {
    /// File name relative to the report folder.
    pub file: String,
    /// The sheet the figures came from.
    pub sheet: String,
    /// `Mã đơn vị` as written.
    pub ma_don_vi: Option<String>,
    /// The cell the unit code was read from (A1 style), for messages.
    pub ma_o: Option<String>,
    /// `Tên đơn vị` as written.
    pub ten_don_vi: Option<String>,
    /// `Kỳ báo cáo` as written.
    pub ky: Option<String>,
    /// Indicator rows matched to the catalogue, in sheet order.
    pub rows: Vec<FigureRow>,
    /// Narrative texts.
    pub narrative: Vec<Narrative>,
    /// File modification time (Unix seconds), set by the caller; the last
    /// resort when a unit sent two workbooks.
    pub modified: Option<i64>,
    /// When the workbook says it was last saved (its own document
    /// properties, UTC), which copying does not change.
    pub luu_luc: Option<NaiveDateTime>,
    /// Whether `Kỳ báo cáo` names the report's period (None: no such line).
    pub ky_khop: Option<bool>,
}

/// What intake checks a workbook against.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The catalogue (codes and names).
    pub catalogue: &'a Catalogue,
    /// The report's period.
    pub period: (Loai, i32, Option<u8>),
}

/// The sheet read for figures.
pub const SHEET_BAO_CAO: &str = "BaoCao";
/// The sheet read for narrative text.
pub const SHEET_NOI_DUNG: &str = "NoiDung";

/// Read one unit workbook. Never panics; every problem is a diagnostic.
/// Returns None when nothing usable was found.
pub fn read_unit(
    bytes: Vec<u8>,
    file: &str,
    expect: Expect<'_>,
) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let report = read_inner(bytes, file, expect, &mut diags);
    (report, diags)
}

fn read_inner(
    bytes: Vec<u8>,
    file: &str,
    expect: Expect<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<UnitReport> {
    let mut wb = match sheet::open(bytes) {
        Ok(w) => w,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::file(file),
                format!("{}; đã bỏ qua tệp", e.0),
            ));
            return None;
        }
    };
    let luu_luc = wb
        .properties()
        .and_then(|p| p.modified)
        .and_then(|t| saved_time(&t));
    let sheets = wb.sheets();
    let chosen = sheets
        .iter()
        .find(|s| {
            s.visible && crate::vi::fold::fold(&s.name) == crate::vi::fold::fold(SHEET_BAO_CAO)
        })
        .or_else(|| {
            sheets.iter().find(|s| {
                s.visible && crate::vi::fold::fold(&s.name) != crate::vi::fold::fold(SHEET_NOI_DUNG)
            })
        });
    let Some(chosen) = chosen else {
        diags.push(Diagnostic::error(
            Location::file(file),
            "không có trang tính nào hiển thị để đọc (cần trang BaoCao); đã bỏ qua tệp",
        ));
        return None;
    };
    if crate::vi::fold::fold(&chosen.name) != crate::vi::fold::fold(SHEET_BAO_CAO) {
        let hidden = sheets.iter().find(|s| {
            !s.visible && crate::vi::fold::fold(&s.name) == crate::vi::fold::fold(SHEET_BAO_CAO)
        });
        let (severity, message) = match hidden {
            Some(h) => (crate::diagnostics::Severity::Warning, format!(
                "trang “{}” bị ẩn nên không được đọc (trang ẩn không bao giờ được đọc); đã đọc trang hiển thị đầu tiên “{}”",
                h.name, chosen.name
            )),
            None => (crate::diagnostics::Severity::Info, format!(
                "không có trang BaoCao; đã đọc trang hiển thị đầu tiên “{}”",
                chosen.name
            )),
        };
        diags.push(Diagnostic::new(
            severity,
            Location::sheet(file, &chosen.name),
            message,
        ));
    }
    let kind = wb.format.extension();
    let grid = match wb.grid(&chosen.name) {
        Ok(g) => g,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::sheet(file, &chosen.name),
                format!("{}; đã bỏ qua tệp", e.0),
            ));
            return None;
        }
    };
    let narrative = sheets
        .iter()
        .find(|s| crate::vi::fold::fold(&s.name) == crate::vi::fold::fold(SHEET_NOI_DUNG))
        .filter(|s| s.visible)
        .map(|s| wb.grid(&s.name).map_err(|e| (s.name.clone(), e)));
    read_grids(grid, narrative, file, kind, expect, diags).map(|mut r| {
        r.luu_luc = luu_luc;
        r
    })
}

/// A sheet read for the narrative, or the sheet that could not be read.
pub type NarrativeSheet = Result<Grid, (String, sheet::OpenError)>;

/// The part of intake after the sheet layer: a unit's figures from its
/// table sheet, and its narrative from the `NoiDung` sheet if any. `kind`
/// names the file format for messages (`.xlsx`).
pub fn read_grids(
    mut grid: Grid,
    narrative: Option<NarrativeSheet>,
    file: &str,
    kind: &str,
    expect: Expect<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<UnitReport> {
    diags.extend(text::fix_grid(&mut grid, file, kind));
    let head = header::read_header(&grid, file);
    let rows = table::read_table(&grid, file, expect.catalogue, diags);
    if let Some((ky, loc)) = &head.ky {
        header::check_period(ky, loc, expect.period, diags);
    }
    if head.ma.is_none() {
        diags.push(Diagnostic::error(
            Location::sheet(file, &grid.sheet),
            "không tìm thấy dòng “Mã đơn vị: …” ở đầu trang; cần mã để nhận ra đơn vị; sẽ thử nhận theo tên đơn vị",
        ));
    }
    let narrative = match narrative {
        Some(Ok(mut g)) => {
            diags.extend(text::fix_grid(&mut g, file, kind));
            narrative::read_narrative(&g, file, expect.catalogue, diags)
        }
        Some(Err((name, e))) => {
            diags.push(Diagnostic::warning(
                Location::sheet(file, &name),
                format!("{}; đã bỏ qua phần nội dung", e.0),
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    let rows = rows?;
    Some(UnitReport {
        file: file.to_string(),
        sheet: grid.sheet.clone(),
        ma_o: head.ma.as_ref().and_then(|(_, loc)| loc.cell.clone()),
        ma_don_vi: head.ma.map(|(m, _)| m),
        ten_don_vi: head.ten.map(|(t, _)| t),
        ky_khop: head
            .ky
            .as_ref()
            .map(|(k, _)| crate::vi::period::parse_period(k) == Some(expect.period)),
        ky: head.ky.map(|(k, _)| k),
        rows,
        narrative,
        modified: None,
        luu_luc: None,
    })
}

/// A document-properties time as UTC: `2024-07-05T08:30:00Z` from xlsx
/// and xls; `2024-07-05T15:30:00.123` from ods has no zone and is the
/// saving computer's clock, taken as Vietnam's (UTC+7).
pub fn saved_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|local| local - chrono::Duration::hours(7))
}
