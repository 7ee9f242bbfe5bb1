//! The indicator table: found by its labels, rows matched to the catalogue
//! by code, or by name where the code column is missing or blank.

use super::cells::QUOTE;
use super::cells::{file_style, read_figure, CellRef};
use super::FigureRow;
use crate::catalog::table::{find_header, Matcher};
use crate::catalog::Catalogue;
use crate::diagnostics::{Diagnostic, Location};
use crate::sheet::{short, Grid};

fn is_ma(l: &str) -> bool {
    l.starts_with("ma chi tieu") || l == "ma" || l == "ma so" || l == "ma ct"
}
fn is_ten(l: &str) -> bool {
    l.starts_with("ten chi tieu")
        || l == "chi tieu"
        || l == "noi dung"
        || l.starts_with("ten chi so")
}
fn is_dvt(l: &str) -> bool {
    l.starts_with("don vi tinh") || l == "dvt"
}
fn is_ke_hoach(l: &str) -> bool {
    l.starts_with("ke hoach")
}
fn is_thuc_hien(l: &str) -> bool {
    l.starts_with("thuc hien")
}
fn is_cung_ky(l: &str) -> bool {
    l.contains("cung ky")
}

const FIELDS: [(Matcher, bool); 6] = [
    (is_ma, false),
    (is_ten, true),
    (is_dvt, false),
    (is_ke_hoach, false),
    (is_thuc_hien, true),
    (is_cung_ky, false),
];

/// Read the table's rows; None (with an error) when no table matches.
pub fn read_table(
    g: &Grid,
    file: &str,
    cat: &Catalogue,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<FigureRow>> {
    let Some(h) = find_header(g, &FIELDS) else {
        diags.push(Diagnostic::error(
            Location::sheet(file, &g.sheet),
            "không tìm thấy bảng chỉ tiêu: cần một hàng tiêu đề có “Tên chỉ tiêu” và “Thực hiện …” (thêm “Mã chỉ tiêu”, “Kế hoạch năm”, “Cùng kỳ năm trước”); đã bỏ qua tệp",
        ));
        return None;
    };
    let [ma_col, ten_col, _dvt, kh_col, th_col, ck_col] = [
        h.cols[0], h.cols[1], h.cols[2], h.cols[3], h.cols[4], h.cols[5],
    ];
    if ma_col.is_none() {
        diags.push(Diagnostic::info(
            Location::sheet(file, &g.sheet),
            "bảng không có cột “Mã chỉ tiêu”; các chỉ tiêu được nhận theo tên",
        ));
    }
    let value_cols: Vec<usize> = [kh_col, th_col, ck_col].into_iter().flatten().collect();
    let style = file_style(
        (h.data_start..g.height())
            .flat_map(|r| value_cols.iter().map(move |&c| (r, c)))
            .filter_map(|(r, c)| match g.get(r, c) {
                calamine::Data::String(s) => Some(s.as_str()),
                _ => None,
            }),
    );
    let mut rows = Vec::new();
    let place = std::sync::Arc::new(super::nguon::Place {
        file: file.to_string(),
        sheet: g.sheet.clone(),
    });
    // Indicators already read, by catalogue position.
    let mut seen = vec![false; cat.indicators.len()];
    for r in h.data_start..g.height() {
        let code_raw = ma_col.map(|c| g.text_ref(r, c)).unwrap_or_default();
        let code_raw = code_raw.trim();
        let name = ten_col.map(|c| g.text_ref(r, c)).unwrap_or_default();
        let name = name.trim();
        // Data is a number or a number-like text; a signature line such as
        // "Thủ trưởng đơn vị" standing in a value column is not.
        let has_values = value_cols.iter().any(|&c| match g.get(r, c) {
            calamine::Data::Empty => false,
            calamine::Data::String(s) => !matches!(
                crate::vi::number::parse_number(s, style.style),
                crate::vi::number::ParsedNumber::Invalid | crate::vi::number::ParsedNumber::Empty
            ),
            _ => true,
        });
        if code_raw.is_empty() && name.is_empty() && !has_values {
            continue; // blank row
        }
        let position = if code_raw.is_empty() {
            cat.position_by_name(name)
        } else {
            cat.position(code_raw)
        };
        let Some((pos, ct)) = position.map(|i| (i, &cat.indicators[i])) else {
            // A code-looking text (no spaces) or any row with figures is
            // reported; words with no figures (a signature such as
            // "NGƯỜI LẬP BIỂU" under the code column) are not data.
            let looks_like_code = !code_raw.contains(char::is_whitespace);
            if !code_raw.is_empty() && (has_values || looks_like_code) {
                let (ar, ac) = g.abs(r, ma_col.unwrap_or(0));
                diags.push(Diagnostic::warning(
                    Location::cell(file, &g.sheet, ar, ac),
                    format!(
                        "mã chỉ tiêu “{}” ({}) không có trong danh mục ChiTieu; cần một mã của danh mục; số liệu dòng {} không được tổng hợp",
                        short(code_raw, QUOTE),
                        short(name, QUOTE),
                        ar + 1
                    ),
                ));
            } else if has_values {
                let (ar, ac) = g.abs(r, ten_col.unwrap_or(0));
                diags.push(Diagnostic::warning(
                    Location::cell(file, &g.sheet, ar, ac),
                    format!(
                        "dòng “{}” có số liệu nhưng không có mã và tên không khớp chỉ tiêu nào trong danh mục; số liệu dòng {} không được tổng hợp",
                        short(name, QUOTE),
                        ar + 1
                    ),
                ));
            }
            continue; // a group heading, a note or a signature line
        };
        if std::mem::replace(&mut seen[pos], true) {
            let (ar, ac) = g.abs(r, ma_col.or(ten_col).unwrap_or(0));
            diags.push(Diagnostic::warning(
                Location::cell(file, &g.sheet, ar, ac),
                format!(
                    "chỉ tiêu {} xuất hiện lần nữa ở dòng {}; đã dùng dòng đầu tiên, bỏ dòng này",
                    ct.nhan(),
                    ar + 1
                ),
            ));
            continue;
        }
        let read = |col: Option<usize>, what: &str, diags: &mut Vec<Diagnostic>| {
            let c = col.unwrap_or(usize::MAX);
            let (ar, ac) = g.abs(r, col.unwrap_or(0));
            let at = CellRef {
                file,
                sheet: &g.sheet,
                row: ar,
                col: ac,
                what,
                chi_tieu: ct,
                place: &place,
            };
            if col.is_none() {
                return super::Figure {
                    value: super::Value::Missing,
                    nguon: super::Nguon::None,
                };
            }
            read_figure(g.get(r, c), g.formula(r, c), &at, style, diags)
        };
        let ke_hoach = read(kh_col, "Kế hoạch năm", diags);
        let thuc_hien = read(th_col, "Thực hiện", diags);
        let cung_ky = read(ck_col, "Cùng kỳ năm trước", diags);
        rows.push(FigureRow {
            ma: ct.ma.clone(),
            ke_hoach,
            thuc_hien,
            cung_ky,
        });
    }
    if rows.is_empty() {
        diags.push(Diagnostic::warning(
            Location::sheet(file, &g.sheet),
            "bảng chỉ tiêu không có dòng nào khớp danh mục; đơn vị được tính là đã nộp nhưng không có số liệu",
        ));
    }
    Some(rows)
}
