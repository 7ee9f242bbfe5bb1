//! `danh-muc.xlsx` for `baocao init`: the registry (`DonVi`) and the
//! catalogue (`ChiTieu`), each header cell carrying a note (a cell comment)
//! that says what the column means with an example, and a first sheet
//! `Hướng dẫn` that explains both. The reader finds `DonVi` and `ChiTieu`
//! by name, so the guide is never read as data.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet,
    XlsxError,
};

use super::WriteError;
use crate::catalog::{CachSoSanh, CachTongHop, Catalogue, Level, MauSo, Registry};

fn be(e: XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

/// The guide sheet's name.
pub const GUIDE_SHEET: &str = "Hướng dẫn";

/// `DonVi`'s columns: label, width, what it means, example.
const DON_VI: [(&str, f64, &str, &str); 4] = [
    (
        "Mã đơn vị",
        14.0,
        "Mã của đơn vị, viết liền không dấu; phải giống ô “Mã đơn vị” trong bảng tính đơn vị gửi. Mỗi mã một dòng.",
        "BVDK, TTYT_AN_BINH",
    ),
    (
        "Tên đơn vị",
        40.0,
        "Tên đầy đủ của đơn vị, như in trong báo cáo.",
        "Bệnh viện Đa khoa tỉnh",
    ),
    (
        "Tuyến",
        14.0,
        "Tuyến (cấp) của đơn vị: tỉnh, huyện, xã (hoặc tuyến tỉnh, cấp xã, khu vực, ban đầu, cơ bản, chuyên sâu); viết hoa hay thường, có dấu hay không đều được. Báo cáo tổng hợp riêng từng tuyến.",
        "tỉnh",
    ),
    (
        "Dân số",
        12.0,
        "Dân số đơn vị phụ trách; chỉ cần cho chỉ tiêu tính trên dân số (Mẫu số DAN_SO). Để trống khi dân số đã tính ở đơn vị khác (trạm y tế xã khi huyện đã có).",
        "165000",
    ),
];

/// `ChiTieu`'s columns: label, width, what it means, example.
const CHI_TIEU: [(&str, f64, &str, &str); 10] = [
    (
        "Mã chỉ tiêu",
        18.0,
        "Mã chỉ tiêu: chữ A–Z, số và dấu _; phải giống cột “Mã chỉ tiêu” trong bảng tính đơn vị.",
        "KCB_LUOT",
    ),
    (
        "Tên chỉ tiêu",
        50.0,
        "Tên chỉ tiêu như in trong báo cáo và phụ lục.",
        "Tổng số lượt khám bệnh",
    ),
    (
        "Đơn vị tính",
        14.0,
        "Đơn vị tính, in sau con số: lượt, ca, người, %, bác sĩ/vạn dân …",
        "lượt",
    ),
    (
        "Nhóm",
        30.0,
        "Mục của báo cáo mà chỉ tiêu thuộc về; các chỉ tiêu cùng nhóm in chung một mục, theo thứ tự trong danh mục.",
        "Khám, chữa bệnh",
    ),
    (
        "Cách tổng hợp",
        14.0,
        "tong: cộng số của các đơn vị; ty-le: tỷ lệ tính lại từ tổng tử số và tổng mẫu số (không cộng hay lấy trung bình tỷ lệ của đơn vị).",
        "tong",
    ),
    (
        "Tử số",
        14.0,
        "Chỉ với ty-le: mã chỉ tiêu làm tử số.",
        "TCMR_DU_MUI",
    ),
    (
        "Mẫu số",
        14.0,
        "Chỉ với ty-le: mã chỉ tiêu làm mẫu số, hoặc DAN_SO để chia cho dân số trong trang DonVi.",
        "TCMR_DOI_TUONG hoặc DAN_SO",
    ),
    (
        "Hệ số",
        8.0,
        "Chỉ với ty-le: 100 cho tỷ lệ %, 10000 cho tính trên vạn dân, 1 cho một tỷ số.",
        "100",
    ),
    (
        "Kế hoạch tỉnh",
        12.0,
        "Không bắt buộc: chỉ tiêu kế hoạch của cả tỉnh; khi có, dùng thay cho tổng kế hoạch của các đơn vị.",
        "700000",
    ),
    (
        "Cách so sánh",
        14.0,
        "Không bắt buộc: cách viết so với cùng kỳ. phần trăm (để trống): “giảm 33,45% so với cùng kỳ năm 2023”; số tuyệt đối: “giảm 73.066 ca so với cùng kỳ năm 2022 (73.071 ca)”; cả hai: “giảm 73.066 ca (99,99%) so với cùng kỳ năm 2022”.",
        "số tuyệt đối",
    ),
];

/// A header row whose every cell carries a note: what the column means,
/// with an example.
fn header(
    ws: &mut Worksheet,
    cols: &[(&str, f64, &str, &str)],
    head: &Format,
) -> Result<(), XlsxError> {
    for (c, (label, width, what, example)) in cols.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *label, head)?;
        let note = Note::new(format!("{label}: {what}\nVí dụ: {example}"))
            .set_author("baocao")
            .add_author_prefix(false)
            .set_width(320)
            .set_height(140);
        ws.insert_note(0, c, &note)?;
        ws.set_column_width(c, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The guide: what the file is, then every column of both sheets.
fn guide(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7");
    let cell = wrap.clone().set_border(FormatBorder::Thin);
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 80)?;
    ws.set_column_width(2, 28)?;
    ws.merge_range(0, 0, 0, 2, "DANH MỤC CỦA BÁO CÁO: CÁCH ĐIỀN", &title)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let intro = [
        "Tệp này có hai trang baocao đọc: DonVi (các đơn vị phải báo cáo) và ChiTieu (các chỉ tiêu tổng hợp). Trang Hướng dẫn này không được đọc.",
        "Giữ nguyên tên hai trang và dòng tiêu đề; thứ tự cột có thể đổi. Di chuột lên ô tiêu đề để xem ghi chú của cột.",
        "Sau khi sửa, chạy “baocao check” để kiểm tra: mỗi ô sai được báo rõ trang và ô.",
    ];
    let mut r = 2u32;
    for t in intro {
        ws.merge_range(r, 0, r, 2, t, &wrap)?;
        ws.set_row_height(r, 32)?;
        r += 1;
    }
    for (sheet, cols) in [
        ("Trang DonVi", &DON_VI[..]),
        ("Trang ChiTieu", &CHI_TIEU[..]),
    ] {
        r += 1;
        ws.write_string_with_format(r, 0, sheet, &bold)?;
        r += 1;
        for (c, h) in ["Cột", "Ý nghĩa", "Ví dụ"].iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *h, &head)?;
        }
        r += 1;
        for (label, _, what, example) in cols {
            ws.write_string_with_format(r, 0, *label, &cell)?;
            ws.write_string_with_format(r, 1, *what, &cell)?;
            ws.write_string_with_format(r, 2, *example, &cell)?;
            let lines = (what.chars().count() as f64 / 78.0).ceil().max(1.0);
            ws.set_row_height(r, 15.0 * lines)?;
            r += 1;
        }
    }
    Ok(())
}

/// `danh-muc.xlsx` from a registry and a catalogue, with the guide sheet
/// first and a note on each header cell.
pub fn danh_muc(registry: &Registry, catalogue: &Catalogue) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let head = Format::new().set_bold().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(GUIDE_SHEET).map_err(be)?;
    guide(ws).map_err(be)?;

    let ws = wb.add_worksheet();
    ws.set_name("DonVi").map_err(be)?;
    header(ws, &DON_VI, &head).map_err(be)?;
    for (i, u) in registry.units.iter().enumerate() {
        let r = i as u32 + 1;
        let level = Level::name(&registry.levels, &u.tuyen).unwrap_or(&u.tuyen);
        ws.write_string(r, 0, &u.ma).map_err(be)?;
        ws.write_string(r, 1, &u.ten).map_err(be)?;
        ws.write_string(r, 2, level).map_err(be)?;
        if let Some(p) = u.dan_so.and_then(|d| d.to_f64()) {
            ws.write_number(r, 3, p).map_err(be)?;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("ChiTieu").map_err(be)?;
    header(ws, &CHI_TIEU, &head).map_err(be)?;
    for (i, ct) in catalogue.indicators.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &ct.ma).map_err(be)?;
        ws.write_string(r, 1, &ct.ten).map_err(be)?;
        ws.write_string(r, 2, &ct.dvt).map_err(be)?;
        ws.write_string(r, 3, &ct.nhom).map_err(be)?;
        match &ct.cach {
            CachTongHop::Tong => {
                ws.write_string(r, 4, "tong").map_err(be)?;
            }
            CachTongHop::TyLe {
                tu_so,
                mau_so,
                he_so,
            } => {
                ws.write_string(r, 4, "ty-le").map_err(be)?;
                ws.write_string(r, 5, tu_so).map_err(be)?;
                let m = match mau_so {
                    MauSo::DanSo => "DAN_SO",
                    MauSo::ChiTieu(m) => m.as_str(),
                };
                ws.write_string(r, 6, m).map_err(be)?;
                ws.write_number(r, 7, he_so.to_f64().unwrap_or(1.0))
                    .map_err(be)?;
            }
        }
        if let Some(k) = ct.ke_hoach_tinh.and_then(|d| d.to_f64()) {
            ws.write_number(r, 8, k).map_err(be)?;
        }
        let so_sanh = match ct.so_sanh {
            CachSoSanh::PhanTram => "",
            CachSoSanh::SoTuyetDoi => "số tuyệt đối",
            CachSoSanh::CaHai => "cả hai",
        };
        if !so_sanh.is_empty() {
            ws.write_string(r, 9, so_sanh).map_err(be)?;
        }
    }
    wb.save_to_buffer().map_err(be)
}
