//! Checking the catalogue's definitions before anything is computed: every
//! broken definition is an error at its cell in `danh-muc.xlsx › ChiTieu`,
//! and the indicator is kept (units' rows still match it) but marked, so no
//! figure is ever printed from it.

use rust_decimal::Decimal;

use super::{code_key, CachSoSanh, CachTongHop, ChiTieu, MauSo};
use crate::diagnostics::{Diagnostic, Location};
use crate::vi::fold::fold;
use crate::vi::number::{format_decimal, max_factor};

/// The catalogue columns, in the order `read_catalogue` asks for them.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// `Mã chỉ tiêu`.
    Ma = 0,
    /// `Cách tổng hợp`.
    Cach = 4,
    /// `Tử số`.
    TuSo = 5,
    /// `Mẫu số`.
    MauSo = 6,
    /// `Hệ số`.
    HeSo = 7,
    /// `Cách so sánh`.
    SoSanh = 9,
}

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Ma => "Mã chỉ tiêu",
            Field::Cach => "Cách tổng hợp",
            Field::TuSo => "Tử số",
            Field::MauSo => "Mẫu số",
            Field::HeSo => "Hệ số",
            Field::SoSanh => "Cách so sánh",
        }
    }
}

/// Where one catalogue row's cells are (absolute row, and the absolute
/// column of each of the ten fields when the sheet has it).
#[derive(Debug, Clone)]
pub struct Cells {
    /// File shown to users.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Absolute row.
    pub row: u32,
    /// Absolute column of each field, None when the column is absent.
    pub cols: [Option<u32>; 10],
}

impl Cells {
    /// The cell of a field; the code's cell when the column is absent.
    pub fn at(&self, f: Field) -> Location {
        let col = self.cols[f as usize]
            .or(self.cols[Field::Ma as usize])
            .unwrap_or(0);
        Location::cell(&self.file, &self.sheet, self.row, col)
    }
    fn missing_column(&self, f: Field) -> bool {
        self.cols[f as usize].is_none()
    }
}

/// A row's definition as typed, before it is checked.
#[derive(Debug, Clone)]
pub struct RawDefinition {
    /// `Cách tổng hợp` as typed.
    pub cach: String,
    /// `Tử số` (uppercased).
    pub tu_so: String,
    /// `Mẫu số` (uppercased).
    pub mau_so: String,
    /// `Hệ số`, when a number was there.
    pub he_so: Option<Decimal>,
}

/// `Cách so sánh` as typed: an unknown value is an error at its cell and
/// the default (per cent) is used; `cả hai` on a rate is a warning (a
/// rate's change is a difference in points; a per cent change of a rate is
/// not written) and the difference is used.
pub fn so_sanh(
    ma: &str,
    ten: &str,
    text: &str,
    rate: bool,
    cells: &Cells,
    diags: &mut Vec<Diagnostic>,
) -> CachSoSanh {
    let nhan = label(ma, ten);
    match CachSoSanh::parse(text) {
        Some(CachSoSanh::CaHai) if rate => {
            diags.push(Diagnostic::warning(
                cells.at(Field::SoSanh),
                format!(
                    "{nhan}: Cách so sánh “{text}”, nhưng đây là một tỷ lệ: so với cùng kỳ được viết bằng chênh lệch (điểm phần trăm với tỷ lệ %), không viết % tăng giảm của một tỷ lệ; đã dùng số tuyệt đối"
                ),
            ));
            CachSoSanh::SoTuyetDoi
        }
        Some(c) => c,
        None => {
            diags.push(Diagnostic::error(
                cells.at(Field::SoSanh),
                format!(
                    "{nhan}: Cách so sánh “{}” không có; cần phần trăm, số tuyệt đối hoặc cả hai (hoặc để trống: phần trăm); đã dùng phần trăm",
                    crate::sheet::short(text, 100)
                ),
            ));
            CachSoSanh::PhanTram
        }
    }
}

const NOT_COMPUTED: &str =
    "chỉ tiêu này không được tính (để trống trong báo cáo) cho đến khi sửa danh mục";

/// Check one row on its own: how it combines, a rate's two sides and its
/// factor. Returns the definition and, when broken, why.
pub fn definition(
    ma: &str,
    ten: &str,
    dvt: &str,
    raw: &RawDefinition,
    cells: &Cells,
    diags: &mut Vec<Diagnostic>,
) -> (CachTongHop, Option<String>) {
    let nhan = label(ma, ten);
    let broken = |at: Location, why: String, diags: &mut Vec<Diagnostic>| {
        diags.push(Diagnostic::error(
            at,
            format!("{nhan}: {why}; {NOT_COMPUTED}"),
        ));
        Some(why)
    };
    match fold(&raw.cach).as_str() {
        "tong" | "" => {
            // Sides filled in on a `tong` row: the clerk meant a rate, and a
            // sum of the units' rates would be printed.
            if !raw.tu_so.is_empty() || !raw.mau_so.is_empty() {
                let why = format!(
                    "có Tử số/Mẫu số nhưng Cách tổng hợp là “{}”; cần ty-le cho một tỷ lệ (cộng các tỷ lệ của đơn vị không ra tỷ lệ của tỉnh)",
                    if raw.cach.is_empty() { "tong (để trống)" } else { raw.cach.as_str() }
                );
                let loi = broken(cells.at(Field::Cach), why, diags);
                return (CachTongHop::Tong, loi);
            }
            (CachTongHop::Tong, None)
        }
        "ty le" => {
            for (side, f) in [(&raw.tu_so, Field::TuSo), (&raw.mau_so, Field::MauSo)] {
                if side.is_empty() {
                    let why = if cells.missing_column(f) {
                        format!("là tỷ lệ nhưng danh mục không có cột {}", f.label())
                    } else {
                        format!(
                            "là tỷ lệ nhưng ô {} để trống; cần mã một chỉ tiêu",
                            f.label()
                        )
                    };
                    let loi = broken(cells.at(f), why, diags);
                    return (placeholder(raw), loi);
                }
            }
            let he_so = match raw.he_so {
                None => {
                    let why = if cells.missing_column(Field::HeSo) {
                        "là tỷ lệ nhưng danh mục không có cột Hệ số; cần 100 cho tỷ lệ %, 10000 cho tỷ lệ trên vạn dân, 1 cho tỷ số".to_string()
                    } else {
                        "là tỷ lệ nhưng ô Hệ số để trống hoặc không phải số; cần 100 cho tỷ lệ %, 10000 cho tỷ lệ trên vạn dân, 1 cho tỷ số".to_string()
                    };
                    let loi = broken(cells.at(Field::HeSo), why, diags);
                    return (placeholder(raw), loi);
                }
                // A larger factor could take compile's products past
                // Decimal's range (see `max_figure`).
                Some(h) if h > max_factor() => {
                    let why = format!(
                        "Hệ số là {}, quá lớn (tối đa {})",
                        format_decimal(h),
                        format_decimal(max_factor())
                    );
                    let loi = broken(cells.at(Field::HeSo), why, diags);
                    return (placeholder(raw), loi);
                }
                Some(h) if h <= Decimal::ZERO => {
                    let why = format!(
                        "Hệ số là {}; cần một số dương (100 cho tỷ lệ %)",
                        format_decimal(h)
                    );
                    let loi = broken(cells.at(Field::HeSo), why, diags);
                    return (placeholder(raw), loi);
                }
                Some(h) => h,
            };
            if dvt.trim() == "%" && he_so != Decimal::ONE_HUNDRED {
                let why = format!(
                    "đơn vị tính là % nhưng Hệ số là {}; tỷ lệ % cần Hệ số 100",
                    format_decimal(he_so)
                );
                let loi = broken(cells.at(Field::HeSo), why, diags);
                return (placeholder(raw), loi);
            }
            (
                CachTongHop::TyLe {
                    tu_so: raw.tu_so.clone(),
                    mau_so: mau_so(&raw.mau_so),
                    he_so,
                },
                None,
            )
        }
        _ => {
            let why = format!(
                "Cách tổng hợp “{}” không hợp lệ; cần tong (cộng các đơn vị) hoặc ty-le (tỷ lệ tính lại từ tử số và mẫu số)",
                raw.cach
            );
            let loi = broken(cells.at(Field::Cach), why, diags);
            (CachTongHop::Tong, loi)
        }
    }
}

fn mau_so(code: &str) -> MauSo {
    if code_key(code) == "DAN_SO" {
        MauSo::DanSo
    } else {
        MauSo::ChiTieu(code.to_string())
    }
}

/// A broken rate keeps what was typed, so later checks can still name it.
fn placeholder(raw: &RawDefinition) -> CachTongHop {
    CachTongHop::TyLe {
        tu_so: raw.tu_so.clone(),
        mau_so: mau_so(&raw.mau_so),
        he_so: raw.he_so.unwrap_or(Decimal::ONE),
    }
}

fn label(ma: &str, ten: &str) -> String {
    if ten.trim().is_empty() {
        ma.to_string()
    } else {
        format!("{} ({ma})", ten.trim())
    }
}

/// A second row with a code already used: which definition was meant is
/// unknown, so neither is used.
pub fn duplicate(
    first: &mut ChiTieu,
    first_cells: &Cells,
    dup: &Cells,
    diags: &mut Vec<Diagnostic>,
) {
    let why = format!(
        "mã {} có ở hai dòng ({} và {}); mỗi mã chỉ một dòng",
        first.ma,
        first_cells.row + 1,
        dup.row + 1
    );
    diags.push(Diagnostic::error(
        dup.at(Field::Ma),
        format!("{}: {why}; {NOT_COMPUTED}", first.nhan()),
    ));
    if first.loi.is_none() {
        first.loi = Some(why);
    }
}

/// Checks across rows: a rate's sides must name indicators of the
/// catalogue that are sums (a sum of the units' rates is no rate; a rate
/// on itself or in a cycle of rates has no value), and a rate on a broken
/// indicator is broken too.
pub fn rates(indicators: &mut [ChiTieu], cells: &[Cells], diags: &mut Vec<Diagnostic>) {
    let index = |code: &str, inds: &[ChiTieu]| {
        let k = code_key(code);
        inds.iter().position(|c| code_key(&c.ma) == k)
    };
    let mut verdicts: Vec<(usize, Field, String)> = Vec::new();
    // Sides written loosely (`kcb-luot`) name the indicator by its exact code.
    let mut exact: Vec<(usize, String, Option<String>)> = Vec::new();
    for (i, ct) in indicators.iter().enumerate() {
        if ct.loi.is_some() {
            continue;
        }
        let CachTongHop::TyLe { tu_so, mau_so, .. } = &ct.cach else {
            continue;
        };
        let mut sides = vec![(tu_so.as_str(), Field::TuSo)];
        if let MauSo::ChiTieu(m) = mau_so {
            sides.push((m.as_str(), Field::MauSo));
        }
        let named: Vec<Option<String>> = sides
            .iter()
            .map(|(c, _)| index(c, indicators).map(|j| indicators[j].ma.clone()))
            .collect();
        if let Some(Some(t)) = named.first() {
            exact.push((i, t.clone(), named.get(1).cloned().flatten()));
        }
        for (code, field) in sides {
            let what = if matches!(field, Field::TuSo) {
                "tử số"
            } else {
                "mẫu số"
            };
            let Some(j) = index(code, indicators) else {
                let extra = if matches!(field, Field::TuSo) && code_key(code) == "DAN_SO" {
                    " (DAN_SO chỉ dùng làm mẫu số)"
                } else {
                    ""
                };
                verdicts.push((
                    i,
                    field,
                    format!("{what} “{code}” không phải mã chỉ tiêu nào trong danh mục{extra}; cần mã một chỉ tiêu tong"),
                ));
                break;
            };
            if j == i {
                verdicts.push((
                    i,
                    field,
                    format!(
                        "{what} là chính chỉ tiêu này; một tỷ lệ phải dựng từ hai chỉ tiêu khác"
                    ),
                ));
                break;
            }
            let side = &indicators[j];
            if side.la_ty_le() {
                let why = match cycle(i, indicators) {
                    Some(path) => format!(
                        "{what} {} là một tỷ lệ, và các tỷ lệ dựng vòng lên nhau ({path}); không tính được",
                        side.nhan()
                    ),
                    None => format!(
                        "{what} {} là một tỷ lệ; tỷ lệ phải dựng từ hai chỉ tiêu tong (cộng các tỷ lệ của đơn vị không ra tỷ lệ của tỉnh)",
                        side.nhan()
                    ),
                };
                verdicts.push((i, field, why));
                break;
            }
            if side.loi.is_some() {
                verdicts.push((
                    i,
                    field,
                    format!(
                        "{what} {} có lỗi trong danh mục (xem lỗi ở dòng {})",
                        side.nhan(),
                        cells[j].row + 1
                    ),
                ));
                break;
            }
        }
    }
    for (i, t, m) in exact {
        if let CachTongHop::TyLe { tu_so, mau_so, .. } = &mut indicators[i].cach {
            *tu_so = t;
            if let (MauSo::ChiTieu(x), Some(m)) = (mau_so, m) {
                *x = m;
            }
        }
    }
    for (i, field, why) in verdicts {
        diags.push(Diagnostic::error(
            cells[i].at(field),
            format!("{}: {why}; {NOT_COMPUTED}", indicators[i].nhan()),
        ));
        indicators[i].loi = Some(why);
    }
}

/// The cycle of rates starting at `start`, written `A → B → A`, if any.
fn cycle(start: usize, inds: &[ChiTieu]) -> Option<String> {
    let next = |i: usize| -> Vec<usize> {
        match &inds[i].cach {
            CachTongHop::TyLe { tu_so, mau_so, .. } => {
                let mut v = vec![tu_so.as_str()];
                if let MauSo::ChiTieu(m) = mau_so {
                    v.push(m.as_str());
                }
                v.into_iter()
                    .filter_map(|c| inds.iter().position(|x| code_key(&x.ma) == code_key(c)))
                    .filter(|&j| inds[j].la_ty_le())
                    .collect()
            }
            CachTongHop::Tong => Vec::new(),
        }
    };
    // Depth-first search over rate → rate edges; the catalogue is small.
    let mut stack = vec![(start, vec![start])];
    let mut seen = vec![false; inds.len()];
    while let Some((i, path)) = stack.pop() {
        for j in next(i) {
            if j == start {
                let mut names: Vec<&str> = path.iter().map(|&k| inds[k].ma.as_str()).collect();
                names.push(inds[start].ma.as_str());
                return Some(names.join(" → "));
            }
            if !seen[j] {
                seen[j] = true;
                let mut p = path.clone();
                p.push(j);
                stack.push((j, p));
            }
        }
    }
    None
}
