//! The optional `NoiDung` sheet: `Mục` | `Nội dung`.

use super::Narrative;
use crate::catalog::table::{find_header, Matcher};
use crate::catalog::Catalogue;
use crate::diagnostics::{a1, Diagnostic, Location};
use crate::sheet::Grid;
use crate::vi::fold::fold;

fn is_muc(l: &str) -> bool {
    l == "muc" || l.starts_with("muc ")
}
fn is_noi_dung(l: &str) -> bool {
    l.starts_with("noi dung")
}

/// The fixed sections and the words that name them (folded).
const SECTIONS: [(&str, &[&str]); 6] = [
    ("UU_DIEM", &["uu diem", "uu_diem"]),
    (
        "TON_TAI",
        &["ton tai", "ton_tai", "ton tai han che", "han che"],
    ),
    (
        "PHUONG_HUONG",
        &[
            "phuong huong",
            "phuong_huong",
            "phuong huong nhiem vu",
            "nhiem vu",
        ],
    ),
    (
        "KIEN_NGHI",
        &["kien nghi", "kien_nghi", "de xuat kien nghi", "de xuat"],
    ),
    ("CHI_DAO", &["chi dao", "chi_dao", "chi dao dieu hanh"]),
    (
        "XAY_DUNG_DANG",
        &["xay dung dang", "xay_dung_dang", "cong tac xay dung dang"],
    ),
];

/// The section a `Mục` text names: a fixed key or a catalogue group's key.
pub fn section_key(muc: &str, cat: &Catalogue) -> Option<String> {
    let f = fold(muc);
    let f_loose = f.replace(" va nguyen nhan", "");
    for (k, words) in SECTIONS {
        if words.contains(&f.as_str()) || words.contains(&f_loose.as_str()) {
            return Some(k.to_string());
        }
    }
    cat.group(muc).map(|g| g.khoa.clone())
}

/// Most characters of narrative one unit brings into the report (about
/// twenty pages): the documents' layout costs memory per character, and a
/// unit's contribution to a provincial review is a few pages.
pub const MAX_NARRATIVE_CHARS: usize = 50_000;

/// Read the narrative rows; unknown sections are warnings; text past
/// [`MAX_NARRATIVE_CHARS`] is cut with a warning at its cell.
pub fn read_narrative(
    g: &Grid,
    file: &str,
    cat: &Catalogue,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Narrative> {
    let fields: [(Matcher, bool); 2] = [(is_muc, true), (is_noi_dung, true)];
    let Some(h) = find_header(g, &fields) else {
        diags.push(Diagnostic::warning(
            Location::sheet(file, &g.sheet),
            "trang NoiDung không có hàng tiêu đề “Mục | Nội dung”; đã bỏ qua phần nội dung",
        ));
        return Vec::new();
    };
    let (mc, nc) = (h.cols[0].unwrap_or(0), h.cols[1].unwrap_or(1));
    let mut out = Vec::new();
    let mut room = MAX_NARRATIVE_CHARS;
    for r in h.data_start..g.height() {
        let (ar, amc) = g.abs(r, mc);
        let (_, anc) = g.abs(r, nc);
        let muc = g.text(r, mc).trim().to_string();
        let mut text = g.text(r, nc).trim().to_string();
        if text.is_empty() {
            continue;
        }
        let Some(muc_key) = section_key(&muc, cat) else {
            diags.push(Diagnostic::warning(
                Location::cell(file, &g.sheet, ar, amc),
                format!(
                    "mục “{}” không phải tên một nhóm chỉ tiêu trong danh mục, cũng không phải Ưu điểm; Tồn tại, hạn chế; Phương hướng, nhiệm vụ; Đề xuất, kiến nghị; Chỉ đạo, điều hành; đoạn văn ở dòng {} không được đưa vào báo cáo",
                    crate::sheet::short(&muc, super::cells::QUOTE),
                    ar + 1
                ),
            ));
            continue;
        };
        let limit = crate::vi::number::format_decimal((MAX_NARRATIVE_CHARS as u64).into());
        if room == 0 {
            diags.push(Diagnostic::warning(
                Location::cell(file, &g.sheet, ar, anc),
                format!(
                    "phần nội dung của đơn vị đã quá {limit} ký tự; đoạn văn ở dòng {} và các dòng sau không được đưa vào báo cáo",
                    ar + 1
                ),
            ));
            break;
        }
        let n = text.chars().count();
        if n > room {
            text = text.chars().take(room).collect();
            text.push('…');
            diags.push(Diagnostic::warning(
                Location::cell(file, &g.sheet, ar, anc),
                format!(
                    "phần nội dung của đơn vị dài quá {limit} ký tự; đoạn văn ở dòng {} đã bị cắt, còn {} trên {} ký tự",
                    ar + 1,
                    crate::vi::number::format_decimal((room as u64).into()),
                    crate::vi::number::format_decimal((n as u64).into())
                ),
            ));
        }
        room = room.saturating_sub(n);
        out.push(Narrative {
            muc: muc_key,
            text,
            nguon: format!("{file} › {} › {}", g.sheet, a1(ar, anc)),
        });
    }
    out
}
