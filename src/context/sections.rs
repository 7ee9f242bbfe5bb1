//! The report's narrative sections: what each is called, what goes in it,
//! whether anyone wrote it (`muc` in the context), and the warning `check`
//! gives for a section the report will print as a placeholder.

use serde_json::{json, Map, Value};

use crate::catalog::Catalogue;
use crate::diagnostics::{Diagnostic, Location};

/// The fixed sections: key, the heading that names it in `noi-dung.md`
/// (and the `Mục` a unit writes in its NoiDung sheet), what to write.
pub const FIXED: [(&str, &str, &str); 6] = [
    (
        "UU_DIEM",
        "Ưu điểm",
        "những kết quả nổi bật, việc làm tốt trong kỳ",
    ),
    (
        "TON_TAI",
        "Tồn tại, hạn chế",
        "những việc chưa làm được, chỉ tiêu chưa đạt và nguyên nhân",
    ),
    (
        "PHUONG_HUONG",
        "Phương hướng, nhiệm vụ",
        "nhiệm vụ, giải pháp trọng tâm của kỳ tới",
    ),
    (
        "KIEN_NGHI",
        "Đề xuất, kiến nghị",
        "những đề xuất, kiến nghị với cấp trên",
    ),
    (
        "CHI_DAO",
        "Chỉ đạo, điều hành",
        "công tác chỉ đạo, điều hành trong kỳ",
    ),
    (
        "XAY_DUNG_DANG",
        "Công tác xây dựng Đảng",
        "kết quả công tác chính trị tư tưởng, tổ chức, kiểm tra, giám sát của Đảng",
    ),
];

/// What a group's section asks for.
const GROUP_HINT: &str =
    "số liệu các chỉ tiêu của lĩnh vực (trong bảng tính của đơn vị) và những kết quả nổi bật";

/// `muc` for the context: `{KEY: {ten, goi_y, nhom, co_noi_dung}}` for every
/// fixed section and every catalogue group (by its `khoa`); a group has
/// content when some figure of it was reported or someone wrote about it.
pub fn muc(noi_dung: &Map<String, Value>, nhom: &[Value], catalogue: &Catalogue) -> Value {
    let has_text = |k: &str| {
        noi_dung
            .get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let mut m = Map::new();
    for (k, ten, goi_y) in FIXED {
        m.insert(
            k.into(),
            json!({"ten": ten, "goi_y": goi_y, "nhom": false, "co_noi_dung": has_text(k)}),
        );
    }
    for g in &catalogue.groups {
        let figures = nhom
            .iter()
            .find(|n| n["khoa"] == g.khoa)
            .is_some_and(|n| n["co_so_lieu"] == json!(true));
        m.insert(
            g.khoa.clone(),
            json!({"ten": g.ten, "goi_y": GROUP_HINT, "nhom": true,
                   "co_noi_dung": figures || has_text(&g.khoa)}),
        );
    }
    Value::Object(m)
}

/// The placeholder's text for a section of `muc`: what is missing, what
/// to write and where.
pub fn placeholder(m: &Value) -> String {
    let ten = m["ten"].as_str().unwrap_or("");
    let goi_y = m["goi_y"].as_str().unwrap_or("");
    if m["nhom"] == json!(true) {
        format!(
            "[Chưa có số liệu và nội dung về lĩnh vực “{ten}”. Cần có: {goi_y}. Các đơn vị ghi số liệu vào bảng tính; lời văn viết dưới tiêu đề “## {ten}” trong noi-dung.md, hoặc đơn vị ghi vào trang NoiDung của bảng tính (cột Mục: “{ten}”); rồi tạo lại báo cáo.]"
        )
    } else {
        format!(
            "[Chưa có nội dung mục “{ten}”. Cần viết: {goi_y}. Viết dưới tiêu đề “## {ten}” trong noi-dung.md, hoặc để đơn vị ghi vào trang NoiDung của bảng tính (cột Mục: “{ten}”); rồi tạo lại báo cáo.]"
        )
    }
}

/// A warning for each section `keys` names (and each catalogue group, once
/// some unit's workbook was received: before that, every group is empty
/// and the units' status says why) that the report will print as a
/// placeholder, naming it by its heading.
pub fn warnings(ctx: &Value, keys: &[&str], file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(muc) = ctx.get("muc").and_then(Value::as_object) else {
        return out;
    };
    let received = ctx["don_vi"]["da_nop"].as_u64().unwrap_or(0) > 0;
    let wanted = muc
        .iter()
        .filter(|(k, m)| keys.contains(&k.as_str()) || (received && m["nhom"] == json!(true)));
    for (_, m) in wanted {
        if m["co_noi_dung"] == json!(true) {
            continue;
        }
        let ten = m["ten"].as_str().unwrap_or("");
        let what = if m["nhom"] == json!(true) {
            format!("lĩnh vực “{ten}” chưa có số liệu hay nội dung")
        } else {
            format!("mục “{ten}” chưa có nội dung")
        };
        out.push(Diagnostic::warning(
            Location::file(file),
            format!(
                "{what}: báo cáo in ở chỗ đó một dòng nhắc (tô vàng trong DOCX) thay cho nội dung; viết dưới tiêu đề “## {ten}” trong noi-dung.md, hoặc để đơn vị ghi vào trang NoiDung (cột Mục: “{ten}”)"
            ),
        ));
    }
    out
}
