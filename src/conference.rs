//! The conference's own inputs for the handout: the commendation list
//! (`khen-thuong.xlsx` › `KhenThuong`) read through the safe sheet layer,
//! and the context part templates see (`hoi_nghi`, `khen_thuong`).

use serde::Serialize;
use serde_json::{json, Value};

use crate::catalog::table::{find_header, Matcher};
use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Settings;
use crate::sheet::{self, short};
use crate::vi::date::ngay_thang_nam;
use crate::vi::fold::{fold, nfc};

/// The sheet the list is on (any case, with or without diacritics).
pub const SHEET: &str = "KhenThuong";

/// Collective or individual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DoiTuong {
    /// `tập thể`.
    TapThe,
    /// `cá nhân`.
    CaNhan,
}

/// One commended collective or person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KhenThuong {
    /// Collective or individual.
    pub doi_tuong: DoiTuong,
    /// The collective's name or the person's full name.
    pub ten: String,
    /// For a person: position and unit.
    pub don_vi: String,
    /// What for.
    pub thanh_tich: String,
    /// `Giấy khen của Giám đốc Sở Y tế` …
    pub hinh_thuc: String,
}

fn is_doi_tuong(l: &str) -> bool {
    l.starts_with("doi tuong") || l == "loai"
}
fn is_ten(l: &str) -> bool {
    l == "ten" || l.starts_with("ten ") || l.starts_with("ho va ten") || l.starts_with("ho ten")
}
fn is_don_vi(l: &str) -> bool {
    l.starts_with("don vi") || l.starts_with("chuc vu")
}
fn is_thanh_tich(l: &str) -> bool {
    l.starts_with("thanh tich")
}
fn is_hinh_thuc(l: &str) -> bool {
    l.starts_with("hinh thuc")
}

/// Read the list from the bytes of `khen-thuong.xlsx`. A row without a
/// name or with an unknown `Đối tượng` is an error at its cell and left
/// out; the other rows are kept.
pub fn read(bytes: Vec<u8>, file: &str) -> (Vec<KhenThuong>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut wb = match sheet::open(bytes) {
        Ok(w) => w,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::file(file),
                format!("{}; danh sách khen thưởng không đưa vào tài liệu", e.0),
            ));
            return (Vec::new(), diags);
        }
    };
    let sheets = wb.sheets();
    let Some(info) = sheets
        .iter()
        .find(|s| fold(&s.name) == fold(SHEET))
        .or(sheets.first())
    else {
        diags.push(Diagnostic::error(
            Location::file(file),
            format!("không có trang tính {SHEET}"),
        ));
        return (Vec::new(), diags);
    };
    let g = match wb.grid(&info.name) {
        Ok(g) => g,
        Err(e) => {
            diags.push(Diagnostic::error(Location::sheet(file, &info.name), e.0));
            return (Vec::new(), diags);
        }
    };
    let fields: [(Matcher, bool); 5] = [
        (is_doi_tuong, true),
        (is_ten, true),
        (is_don_vi, false),
        (is_thanh_tich, false),
        (is_hinh_thuc, false),
    ];
    let Some(h) = find_header(&g, &fields) else {
        diags.push(Diagnostic::error(
            Location::sheet(file, &g.sheet),
            "không tìm thấy hàng tiêu đề; cần các cột Đối tượng, Tên (và Đơn vị, Thành tích, Hình thức); danh sách khen thưởng không đưa vào tài liệu",
        ));
        return (Vec::new(), diags);
    };
    let text = |r: usize, i: usize| -> String {
        h.cols[i]
            .map(|c| nfc(g.text(r, c).trim()))
            .unwrap_or_default()
    };
    let at = |r: usize, i: usize| {
        let (ar, ac) = g.abs(r, h.cols[i].unwrap_or(0));
        Location::cell(file, &g.sheet, ar, ac)
    };
    let mut out = Vec::new();
    for r in h.data_start..g.height() {
        let row: Vec<String> = (0..5).map(|i| text(r, i)).collect();
        if row.iter().all(String::is_empty) {
            continue;
        }
        let line = g.abs(r, 0).0 + 1;
        let kind = match fold(&row[0]).as_str() {
            "tap the" => Some(DoiTuong::TapThe),
            "ca nhan" => Some(DoiTuong::CaNhan),
            _ => None,
        };
        let Some(doi_tuong) = kind else {
            let found = if row[0].is_empty() {
                "ô trống".to_string()
            } else {
                format!("“{}”", short(&row[0], 40))
            };
            diags.push(Diagnostic::error(
                at(r, 0),
                format!("Đối tượng là {found}; cần “tập thể” hoặc “cá nhân”; đã bỏ dòng {line} ({}) khỏi danh sách khen thưởng", short(&row[1], 60)),
            ));
            continue;
        };
        if row[1].is_empty() {
            diags.push(Diagnostic::error(
                at(r, 1),
                format!("dòng {line} không có Tên; cần tên tập thể hoặc họ tên cá nhân; đã bỏ dòng này khỏi danh sách khen thưởng"),
            ));
            continue;
        }
        let [_, ten, don_vi, thanh_tich, hinh_thuc]: [String; 5] =
            row.try_into().unwrap_or_default();
        out.push(KhenThuong {
            doi_tuong,
            ten,
            don_vi,
            thanh_tich,
            hinh_thuc,
        });
    }
    (out, diags)
}

/// "12 tập thể và 34 cá nhân" (one side alone when the other is none).
pub fn count_words(tap_the: usize, ca_nhan: usize) -> String {
    match (tap_the, ca_nhan) {
        (0, 0) => String::new(),
        (t, 0) => format!("{t} tập thể"),
        (0, c) => format!("{c} cá nhân"),
        (t, c) => format!("{t} tập thể và {c} cá nhân"),
    }
}

/// The context's `khen_thuong`: counts, the sentence and both lists.
pub fn context(list: &[KhenThuong]) -> Value {
    let of =
        |k: DoiTuong| -> Vec<&KhenThuong> { list.iter().filter(|x| x.doi_tuong == k).collect() };
    let (t, c) = (of(DoiTuong::TapThe), of(DoiTuong::CaNhan));
    let item = |x: &&KhenThuong| json!({"ten": x.ten, "don_vi": x.don_vi, "thanh_tich": x.thanh_tich, "hinh_thuc": x.hinh_thuc});
    json!({
        "tap_the": t.len(), "ca_nhan": c.len(), "tong": list.len(),
        "so_luong": count_words(t.len(), c.len()),
        "danh_sach_tap_the": t.iter().map(item).collect::<Vec<_>>(),
        "danh_sach_ca_nhan": c.iter().map(item).collect::<Vec<_>>(),
    })
}

/// The context's `hoi_nghi`: the conference from settings (null when none).
pub fn hoi_nghi(settings: &Settings) -> Value {
    let Some(h) = &settings.hoi_nghi else {
        return Value::Null;
    };
    json!({
        "ten": h.ten, "dia_diem": h.dia_diem,
        "ngay": h.ngay.map(|d| d.to_string()),
        "ngay_chu": h.ngay.map(ngay_thang_nam),
        "chuong_trinh": h.chuong_trinh,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_written_out() {
        assert_eq!(count_words(12, 34), "12 tập thể và 34 cá nhân");
        assert_eq!(count_words(3, 0), "3 tập thể");
        assert_eq!(count_words(0, 1), "1 cá nhân");
    }
}
