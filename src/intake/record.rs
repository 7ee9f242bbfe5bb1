//! Last year's record (`cung_ky_tu`): the `Theo đơn vị` sheet of a
//! `tong-hop.xlsx` as `baocao build` writes it (`write::xlsx`), one row per
//! unit and indicator, with the unit's `Thực hiện` of that year.

use std::collections::HashMap;

use calamine::Data;
use rust_decimal::Decimal;

use crate::catalog::code_key;
use crate::catalog::table::{find_header, Matcher};
use crate::diagnostics::a1;
use crate::sheet;
use crate::vi::fold::fold;
use crate::vi::number::f64_to_decimal;

/// The sheet of `tong-hop.xlsx` holding every unit's figures.
pub const SHEET: &str = "Theo đơn vị";

/// What each unit reported in last year's period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The record's file as the user named it (for messages).
    pub file: String,
    /// The period the record says it is for (`6 tháng đầu năm 2023`), when
    /// the workbook says so (its document subject).
    pub ky: Option<String>,
    /// (unit code key, indicator code key) → (result, cell in A1 style).
    entries: HashMap<(String, String), (Decimal, String)>,
}

impl Record {
    /// The result a unit reported for an indicator, with its place
    /// (`file › Theo đơn vị › H12`).
    pub fn thuc_hien(&self, unit: &str, code: &str) -> Option<(Decimal, String)> {
        self.entries
            .get(&(code_key(unit).into_owned(), code_key(code).into_owned()))
            .map(|(v, cell)| (*v, format!("{} › {SHEET} › {cell}", self.file)))
    }

    /// How many unit figures the record holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the record holds no figure.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn is_ma_don_vi(l: &str) -> bool {
    l == "ma don vi"
}
fn is_ma_chi_tieu(l: &str) -> bool {
    l == "ma chi tieu"
}
fn is_thuc_hien(l: &str) -> bool {
    l == "thuc hien"
}

/// Read a record from the bytes of a `tong-hop.xlsx`; the error says, in
/// Vietnamese, why the file is not one.
pub fn read_record(bytes: Vec<u8>, file: &str) -> Result<Record, String> {
    let mut wb = sheet::open(bytes).map_err(|e| e.0)?;
    let ky = wb
        .properties()
        .and_then(|p| p.subject)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let sheet = wb
        .sheets()
        .into_iter()
        .find(|s| fold(&s.name) == fold(SHEET))
        .ok_or_else(|| format!("không có trang “{SHEET}” như tong-hop.xlsx do baocao build ghi"))?;
    let g = wb.grid(&sheet.name).map_err(|e| e.0)?;
    let fields: [(Matcher, bool); 3] = [
        (is_ma_don_vi, true),
        (is_ma_chi_tieu, true),
        (is_thuc_hien, true),
    ];
    let h = find_header(&g, &fields).ok_or_else(|| {
        format!("trang “{SHEET}” không có các cột Mã đơn vị, Mã chỉ tiêu, Thực hiện như tong-hop.xlsx do baocao build ghi")
    })?;
    let [Some(cu), Some(ci), Some(ct)] = [h.cols[0], h.cols[1], h.cols[2]] else {
        return Err(format!("trang “{SHEET}” thiếu cột"));
    };
    let mut entries = HashMap::new();
    for r in h.data_start..g.height() {
        let unit = g.text(r, cu).trim().to_string();
        let code = g.text(r, ci).trim().to_string();
        if unit.is_empty() || code.is_empty() {
            continue;
        }
        let value = match g.get(r, ct) {
            Data::Float(f) => f64_to_decimal(*f),
            Data::Int(i) => Some(Decimal::from(*i)),
            _ => None,
        };
        if let Some(v) = value {
            let (ar, ac) = g.abs(r, ct);
            entries
                .entry((code_key(&unit).into_owned(), code_key(&code).into_owned()))
                .or_insert((v, a1(ar, ac)));
        }
    }
    Ok(Record {
        file: file.to_string(),
        ky,
        entries,
    })
}
