//! `danh-muc.xlsx` → [`Registry`] and [`Catalogue`], with diagnostics.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::check::{self, Cells, Field, RawDefinition};
use super::table::{find_header, Matcher};
use super::{code_key, level_name, Catalogue, ChiTieu, DonVi, Group, Level, Registry};
use crate::diagnostics::{Diagnostic, Location};
use crate::sheet::{self, Grid, Workbook};
use crate::vi::fold::{fold, key, level_key};
use crate::vi::number::{format_decimal, in_range, max_figure, parse_number, ParsedNumber, Style};

/// Read the registry and the catalogue from the bytes of `danh-muc.xlsx`.
/// `file` names it in diagnostics. Errors that make the file unusable are
/// diagnostics too; the registry or catalogue is then empty.
pub fn read_danh_muc(bytes: Vec<u8>, file: &str) -> (Registry, Catalogue, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut wb = match sheet::open(bytes) {
        Ok(w) => w,
        Err(e) => {
            diags.push(Diagnostic::error(Location::file(file), e.0));
            return (Registry::default(), Catalogue::default(), diags);
        }
    };
    let registry = match read_sheet(&mut wb, file, "DonVi", &mut diags) {
        Some(g) => read_registry(&g, file, &mut diags),
        None => Registry::default(),
    };
    let catalogue = match read_sheet(&mut wb, file, "ChiTieu", &mut diags) {
        Some(g) => read_catalogue(&g, file, &mut diags),
        None => Catalogue::default(),
    };
    (registry, catalogue, diags)
}

fn read_sheet(
    wb: &mut Workbook,
    file: &str,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Grid> {
    let found = wb
        .sheets()
        .into_iter()
        .find(|s| fold(&s.name) == fold(name));
    let Some(info) = found else {
        diags.push(Diagnostic::error(
            Location::file(file),
            format!("không có trang tính {name}; cần trang {name} theo mẫu danh mục"),
        ));
        return None;
    };
    match wb.grid(&info.name) {
        Ok(g) => Some(g),
        Err(e) => {
            diags.push(Diagnostic::error(Location::sheet(file, &info.name), e.0));
            None
        }
    }
}

fn is_ma_don_vi(l: &str) -> bool {
    l.starts_with("ma don vi") || l == "ma"
}
fn is_ten_don_vi(l: &str) -> bool {
    l.starts_with("ten don vi") || l == "ten"
}
fn is_tuyen(l: &str) -> bool {
    l.starts_with("tuyen") || l.starts_with("cap")
}
fn is_dan_so(l: &str) -> bool {
    l.starts_with("dan so")
}

fn read_registry(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) -> Registry {
    let fields: [(Matcher, bool); 4] = [
        (is_ma_don_vi, true),
        (is_ten_don_vi, true),
        (is_tuyen, true),
        (is_dan_so, false),
    ];
    let Some(h) = find_header(g, &fields) else {
        diags.push(Diagnostic::error(
            Location::sheet(file, &g.sheet),
            "không tìm thấy hàng tiêu đề; cần các cột Mã đơn vị, Tên đơn vị, Tuyến (và Dân số)",
        ));
        return Registry::default();
    };
    let col = |i: usize| h.cols[i].unwrap_or(usize::MAX);
    let mut reg = Registry::default();
    let mut seen = HashSet::new();
    for r in h.data_start..g.height() {
        let ma = g.text(r, col(0)).trim().to_string();
        let ten = g.text(r, col(1)).trim().to_string();
        let tuyen_text = g.text(r, col(2)).trim().to_string();
        if ma.is_empty() && ten.is_empty() && tuyen_text.is_empty() {
            continue;
        }
        // A note under the table ("Ghi chú: …") is not a unit.
        if ten.is_empty() && tuyen_text.is_empty() && ma.contains(char::is_whitespace) {
            continue;
        }
        let (ar, _) = g.abs(r, 0);
        let at = |c: usize| {
            let (ar, ac) = g.abs(r, c);
            Location::cell(file, &g.sheet, ar, ac)
        };
        if ma.is_empty() {
            diags.push(Diagnostic::error(
                at(col(0)),
                format!(
                    "đơn vị “{ten}” không có mã; cần Mã đơn vị; đã bỏ qua dòng {}",
                    ar + 1
                ),
            ));
            continue;
        }
        if !seen.insert(code_key(&ma).into_owned()) {
            diags.push(Diagnostic::error(
                at(col(0)),
                format!("mã đơn vị {ma} bị trùng; mỗi mã chỉ một dòng; đã dùng dòng đầu tiên"),
            ));
            continue;
        }
        if tuyen_text.is_empty() {
            diags.push(Diagnostic::error(
                at(col(2)),
                format!("đơn vị {ma} không ghi tuyến; cần tỉnh, huyện, xã …; đã bỏ qua đơn vị"),
            ));
            continue;
        }
        let dan_so = match h.cols[3] {
            Some(c) => number_cell(g, r, c, file, diags, "dân số"),
            None => None,
        };
        let lk = level_key(&tuyen_text);
        if !reg.levels.iter().any(|l| l.key == lk) {
            reg.levels.push(Level {
                key: lk.clone(),
                ten: level_name(&tuyen_text),
            });
        }
        reg.units.push(DonVi {
            ma,
            ten,
            tuyen: lk,
            dan_so,
        });
    }
    if reg.units.is_empty() {
        diags.push(Diagnostic::error(
            Location::sheet(file, &g.sheet),
            "danh sách đơn vị trống; cần ít nhất một đơn vị",
        ));
    }
    reg
}

/// A numeric cell of the catalogue files; text numbers read the Vietnamese way.
fn number_cell(
    g: &Grid,
    r: usize,
    c: usize,
    file: &str,
    diags: &mut Vec<Diagnostic>,
    what: &str,
) -> Option<Decimal> {
    use calamine::Data;
    let (ar, ac) = g.abs(r, c);
    let at = || Location::cell(file, &g.sheet, ar, ac);
    let value = match g.get(r, c) {
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::Float(f) => crate::vi::number::f64_to_decimal(*f),
        Data::Empty => None,
        other => {
            let text = sheet::cell_text(other);
            match parse_number(&text, Style::Vietnamese) {
                ParsedNumber::Value { value, .. } => Some(value),
                ParsedNumber::Empty | ParsedNumber::NotApplicable => None,
                ParsedNumber::Invalid => {
                    diags.push(Diagnostic::error(
                        at(),
                        format!(
                            "{what}: gặp “{}”, cần một số; đã bỏ trống",
                            sheet::short(&text, 100)
                        ),
                    ));
                    None
                }
            }
        }
    };
    match value {
        Some(v) if !in_range(v) => {
            diags.push(Diagnostic::error(
                at(),
                format!(
                    "{what}: số {} quá lớn (từ {} trở lên); đã bỏ trống",
                    format_decimal(v),
                    format_decimal(max_figure())
                ),
            ));
            None
        }
        v => v,
    }
}

fn is_ma_ct(l: &str) -> bool {
    l.starts_with("ma chi tieu") || l == "ma" || l == "ma so"
}
fn is_ten_ct(l: &str) -> bool {
    l.starts_with("ten chi tieu") || l == "chi tieu"
}
fn is_dvt(l: &str) -> bool {
    l.starts_with("don vi tinh") || l == "dvt"
}
fn is_nhom(l: &str) -> bool {
    l.starts_with("nhom")
}
fn is_cach(l: &str) -> bool {
    l.starts_with("cach tong hop")
}
fn is_tu_so(l: &str) -> bool {
    l.starts_with("tu so")
}
fn is_mau_so(l: &str) -> bool {
    l.starts_with("mau so")
}
fn is_he_so(l: &str) -> bool {
    l.starts_with("he so")
}
fn is_so_sanh(l: &str) -> bool {
    l.starts_with("cach so sanh")
}
fn is_kh_tinh(l: &str) -> bool {
    l.starts_with("ke hoach tinh") || l.starts_with("ke hoach")
}

fn read_catalogue(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) -> Catalogue {
    // The order is `check::Field`'s.
    let fields: [(Matcher, bool); 10] = [
        (is_ma_ct, true),
        (is_ten_ct, true),
        (is_dvt, true),
        (is_nhom, true),
        (is_cach, true),
        (is_tu_so, false),
        (is_mau_so, false),
        (is_he_so, false),
        (is_kh_tinh, false),
        (is_so_sanh, false),
    ];
    let Some(h) = find_header(g, &fields) else {
        diags.push(Diagnostic::error(
            Location::sheet(file, &g.sheet),
            "không tìm thấy hàng tiêu đề; cần các cột Mã chỉ tiêu, Tên chỉ tiêu, Đơn vị tính, Nhóm, Cách tổng hợp",
        ));
        return Catalogue::default();
    };
    let text = |r: usize, i: usize| {
        h.cols[i]
            .map(|c| g.text(r, c).trim().to_string())
            .unwrap_or_default()
    };
    let mut cat = Catalogue::default();
    let mut cells: Vec<Cells> = Vec::new();
    for r in h.data_start..g.height() {
        let ma = text(r, 0);
        let ten = text(r, 1);
        if ma.is_empty() && ten.is_empty() {
            continue;
        }
        let row_cells = Cells {
            file: file.to_string(),
            sheet: g.sheet.clone(),
            row: g.abs(r, 0).0,
            cols: std::array::from_fn(|i| h.cols[i].map(|c| g.abs(r, c).1)),
        };
        if ma.is_empty() || !ma.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            diags.push(Diagnostic::error(
                row_cells.at(Field::Ma),
                format!(
                    "mã chỉ tiêu “{}” không hợp lệ; cần chữ A–Z, số và dấu _; đã bỏ qua chỉ tiêu “{}”",
                    sheet::short(&ma, 100),
                    sheet::short(&ten, 100)
                ),
            ));
            continue;
        }
        let ma = ma.to_uppercase();
        let he_so = h.cols[7].and_then(|c| number_cell(g, r, c, file, diags, "hệ số"));
        let raw = RawDefinition {
            cach: text(r, 4),
            tu_so: text(r, 5).to_uppercase(),
            mau_so: text(r, 6).to_uppercase(),
            he_so,
        };
        let (cach, loi) = check::definition(&ma, &ten, &text(r, 2), &raw, &row_cells, diags);
        let ke_hoach_tinh =
            h.cols[8].and_then(|c| number_cell(g, r, c, file, diags, "kế hoạch tỉnh"));
        let so_sanh = check::so_sanh(
            &ma,
            &ten,
            &text(r, 9),
            matches!(cach, super::CachTongHop::TyLe { .. }),
            &row_cells,
            diags,
        );
        let nhom = text(r, 3);
        let nhom = if nhom.is_empty() {
            "Chỉ tiêu khác".to_string()
        } else {
            nhom
        };
        let ct = ChiTieu {
            ma,
            ten,
            dvt: text(r, 2),
            nhom,
            cach,
            ke_hoach_tinh,
            so_sanh,
            loi,
        };
        if let Some(first) = cat.indicators.iter().position(|c| c.ma == ct.ma) {
            check::duplicate(&mut cat.indicators[first], &cells[first], &row_cells, diags);
            continue;
        }
        if !cat.groups.iter().any(|gr| gr.khoa == key(&ct.nhom)) {
            cat.groups.push(Group {
                ten: ct.nhom.clone(),
                khoa: key(&ct.nhom),
            });
        }
        cat.indicators.push(ct);
        cells.push(row_cells);
    }
    check::rates(&mut cat.indicators, &cells, diags);
    cat
}
