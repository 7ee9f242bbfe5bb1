//! `lien-ket-nop.xlsx`: each unit's link to its page, for the office to
//! send (rust_xlsxwriter).

use rust_xlsxwriter::{Format, FormatBorder, Url, Workbook};

use super::WriteError;

/// One unit's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    /// Unit code.
    pub ma: String,
    /// Unit name.
    pub ten: String,
    /// Level name.
    pub tuyen: String,
    /// The link; None when it was made earlier and is not known any more.
    pub lien_ket: Option<String>,
    /// When the link was made.
    pub cap_luc: String,
}

fn be(e: rust_xlsxwriter::XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

/// The workbook: a note on what the links are, then one row per unit.
pub fn links_workbook(rows: &[LinkRow]) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(crate::submit::links::LINKS_SHEET).map_err(be)?;
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    ws.write_string_with_format(0, 0, "LIÊN KẾT NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ", &bold)
        .map_err(be)?;
    ws.write_string(
        1,
        0,
        "Mỗi đơn vị một liên kết riêng: chỉ gửi cho đúng đơn vị đó (thư điện tử, tin nhắn). Ai có liên kết thì nộp được bảng tính thay đơn vị; giữ tệp này trong văn phòng.",
    )
    .map_err(be)?;
    let heads = [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "Tuyến",
        "Liên kết nộp báo cáo",
        "Cấp lúc",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)
            .map_err(be)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &cell)
            .map_err(be)?;
        ws.write_string_with_format(row, 1, &r.ma, &cell)
            .map_err(be)?;
        ws.write_string_with_format(row, 2, &r.ten, &cell)
            .map_err(be)?;
        ws.write_string_with_format(row, 3, &r.tuyen, &cell)
            .map_err(be)?;
        match &r.lien_ket {
            Some(l) => {
                ws.write_url_with_text(row, 4, Url::new(l), l).map_err(be)?;
            }
            None => {
                ws.write_string_with_format(
                    row,
                    4,
                    "(đã cấp trước đây, không còn trong tệp này; dùng baocao lien-ket --moi MÃ để cấp lại)",
                    &cell,
                )
                .map_err(be)?;
            }
        }
        ws.write_string_with_format(row, 5, &r.cap_luc, &cell)
            .map_err(be)?;
    }
    for (c, w) in [5.0, 14.0, 40.0, 14.0, 62.0, 17.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(be)?;
    }
    wb.save_to_buffer().map_err(be)
}
