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
const SECTIONS: [(&str, &[&str]); 5] = [
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

/// Read the narrative rows; unknown sections are warnings.
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
    for r in h.data_start..g.height() {
        let (ar, amc) = g.abs(r, mc);
        let (_, anc) = g.abs(r, nc);
        let muc = g.text(r, mc).trim().to_string();
        let text = g.text(r, nc).trim().to_string();
        if text.is_empty() {
            continue;
        }
        match section_key(&muc, cat) {
            Some(k) => out.push(Narrative {
                muc: k,
                text,
                nguon: format!("{file} › {} › {}", g.sheet, a1(ar, anc)),
            }),
            None => diags.push(Diagnostic::warning(
                Location::cell(file, &g.sheet, ar, amc),
                format!(
                    "mục “{}” không phải tên nhóm trong danh mục hay TON_TAI, PHUONG_HUONG, KIEN_NGHI; đoạn văn ở dòng {} không được đưa vào báo cáo",
                    crate::sheet::short(&muc, super::cells::QUOTE),
                    ar + 1
                ),
            )),
        }
    }
    out
}
