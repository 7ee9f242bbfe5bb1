//! Blank unit forms, in the standard layout of
//! the unit form (rust_xlsxwriter), for `baocao forms` and `baocao init`.
//!
//! A form guides the unit as it types: the sheet is protected (without a
//! password) so that only the figure cells and `Ghi chú` take input; each
//! figure cell accepts a number ≥ 0, or `-` / `x` for "not applicable"
//! (Excel's and LibreOffice's data validation, messages in Vietnamese);
//! rates the program computes are shaded, locked and marked; a `Hướng dẫn`
//! sheet says how to fill and send it; it prints on A4 landscape.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, ProtectionOptions, Url, Workbook, Worksheet, XlsxError,
};

use super::WriteError;
use crate::catalog::{CachTongHop, Catalogue, DonVi};

fn be(e: XlsxError) -> WriteError {
    WriteError::Backend(e.to_string())
}

fn fixed_props(wb: &mut Workbook) -> Result<(), WriteError> {
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(be)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    Ok(())
}

/// What a unit's form says besides the unit and the catalogue.
#[derive(Debug, Clone, Default)]
pub struct FormText {
    /// The period (`6 tháng đầu năm 2024`).
    pub ky: String,
    /// The result column's label (`Thực hiện 6 tháng`).
    pub thuc_hien: String,
    /// The deadline in words (`17:00 ngày 05/07/2024`).
    pub han_nop: Option<String>,
    /// The unit's own link to send the form.
    pub lien_ket: Option<String>,
    /// Whom to ask (`Sở Y tế (Phòng KHTC, 0251 3822 123)`).
    pub lien_he: String,
}

/// Marker of a row the program computes.
pub const COMPUTED: &str = "tự tính, không điền";
/// The sheet of instructions.
pub const HELP_SHEET: &str = "Hướng dẫn";
/// Row (0-based) of the table's header in a form.
pub const HEADER_ROW: u32 = 6;
/// Sections a unit may write in `NoiDung` besides the catalogue's groups.
const SECTIONS: [&str; 5] = [
    "Ưu điểm",
    "Tồn tại, hạn chế",
    "Phương hướng, nhiệm vụ",
    "Đề xuất, kiến nghị",
    "Chỉ đạo, điều hành",
];

/// The figure cells' rule: a number ≥ 0, or `-`/`x` (not applicable, the
/// form's contract); blank is allowed (not reported). `cell` is the
/// top-left cell of the range it applies to.
fn figure_rule(cell: &str, dvt: &str) -> Result<DataValidation, XlsxError> {
    let title: String = format!("Số liệu ({dvt})").chars().take(32).collect();
    DataValidation::new()
        .allow_custom(Formula::new(format!(
            "=OR({cell}=\"-\",{cell}=\"x\",AND(ISNUMBER({cell}),{cell}>=0))"
        )))
        .set_input_title(title)?
        .set_input_message(
            "Gõ một số không âm, chỉ chữ số và dấu thập phân (như 1250 hay 46,8). Để trống: không báo cáo. Gõ - hoặc x: chỉ tiêu không áp dụng với đơn vị. Số 0 là không.",
        )?
        .set_error_title("Ô này chỉ nhận số")?
        .set_error_message(
            "Cần một số không âm (như 1250 hay 46,8), hoặc - hay x khi chỉ tiêu không áp dụng với đơn vị. Không gõ chữ, đơn vị tính, dấu cách hay số âm vào ô số.",
        )
        .map(|v| v.set_error_style(DataValidationErrorStyle::Stop))
}

/// One unit's form: name, code and period filled in, every indicator of
/// the catalogue listed by group; `values` fills the example unit.
pub fn unit_form(
    unit: &DonVi,
    catalogue: &Catalogue,
    text: &FormText,
    values: &dyn Fn(&str) -> [Option<f64>; 3],
) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    fixed_props(&mut wb)?;
    let ws = wb.add_worksheet();
    report_sheet(ws, unit, catalogue, text, values).map_err(be)?;
    let groups: Vec<&str> = catalogue.groups.iter().map(|g| g.ten.as_str()).collect();
    narrative_sheet(wb.add_worksheet(), &groups).map_err(be)?;
    help_sheet(wb.add_worksheet(), unit, text).map_err(be)?;
    wb.save_to_buffer().map_err(be)
}

fn report_sheet(
    ws: &mut Worksheet,
    unit: &DonVi,
    catalogue: &Catalogue,
    text: &FormText,
    values: &dyn Fn(&str) -> [Option<f64>; 3],
) -> Result<(), XlsxError> {
    let grey = Color::RGB(0xE7E6E6);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(grey);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let code = Format::new().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0.##");
    let input = num.clone().set_unlocked();
    let note = cell.clone().set_unlocked();
    let computed = num.clone().set_background_color(grey);
    let computed_note = cell
        .clone()
        .set_italic()
        .set_font_color(Color::RGB(0x595959))
        .set_background_color(grey);
    let group = Format::new().set_bold().set_border(FormatBorder::Thin);
    ws.set_name(crate::intake::SHEET_BAO_CAO)?;
    ws.merge_range(
        0,
        0,
        0,
        7,
        "BIỂU MẪU BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        &Format::new().set_bold().set_align(FormatAlign::Center),
    )?;
    if let Some(h) = &text.han_nop {
        ws.merge_range(
            1,
            0,
            1,
            7,
            &format!("Hạn nộp: {h}"),
            &Format::new().set_italic().set_align(FormatAlign::Center),
        )?;
    }
    ws.write_string_with_format(2, 0, format!("Tên đơn vị: {}", unit.ten), &bold)?;
    ws.write_string_with_format(3, 0, format!("Mã đơn vị: {}", unit.ma), &bold)?;
    ws.write_string_with_format(4, 0, format!("Kỳ báo cáo: {}", text.ky), &bold)?;
    match &text.lien_ket {
        Some(link) => {
            let url = Url::new(link.as_str()).set_text(format!("Nộp báo cáo tại: {link}"));
            ws.write_url(5, 0, url)?;
        }
        None => {
            ws.write_string_with_format(
                5,
                0,
                "Điền vào các ô trắng; cách điền và gửi: xem trang Hướng dẫn.",
                &Format::new().set_italic(),
            )?;
        }
    }
    let heads = [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch năm",
        text.thuc_hien.as_str(),
        "Cùng kỳ năm trước",
        "Ghi chú",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &head)?;
    }
    let mut r = HEADER_ROW + 1;
    for (gi, g) in catalogue.groups.iter().enumerate() {
        ws.write_string_with_format(r, 0, roman(gi + 1), &group)?;
        ws.write_string_with_format(r, 1, "", &group)?;
        ws.write_string_with_format(r, 2, &g.ten, &group)?;
        for c in 3..8 {
            ws.write_blank(r, c, &group)?;
        }
        r += 1;
        for (i, ct) in catalogue
            .indicators
            .iter()
            .filter(|c| c.nhom == g.ten)
            .enumerate()
        {
            let rate = matches!(ct.cach, CachTongHop::TyLe { .. });
            ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
            ws.write_string_with_format(r, 1, &ct.ma, &code)?;
            ws.write_string_with_format(r, 2, &ct.ten, &cell)?;
            ws.write_string_with_format(r, 3, &ct.dvt, &cell)?;
            if rate {
                for c in 4..7 {
                    ws.write_blank(r, c, &computed)?;
                }
                ws.write_string_with_format(r, 7, COMPUTED, &computed_note)?;
            } else {
                for (k, v) in values(&ct.ma).iter().enumerate() {
                    match v {
                        Some(x) => ws.write_number_with_format(r, 4 + k as u16, *x, &input)?,
                        None => ws.write_blank(r, 4 + k as u16, &input)?,
                    };
                }
                ws.write_blank(r, 7, &note)?;
                let top = crate::diagnostics::a1(r, 4);
                ws.add_data_validation(r, 4, r, 6, &figure_rule(&top, &ct.dvt)?)?;
            }
            r += 1;
        }
    }
    let last = r - 1;
    let sign = Format::new().set_bold().set_align(FormatAlign::Center);
    let hint = Format::new().set_italic().set_align(FormatAlign::Center);
    ws.write_string_with_format(r + 1, 2, "Người lập biểu", &sign)?;
    ws.write_string_with_format(r + 1, 5, "Thủ trưởng đơn vị", &sign)?;
    ws.write_string_with_format(r + 2, 2, "(Ký, ghi rõ họ tên)", &hint)?;
    ws.write_string_with_format(r + 2, 5, "(Ký, ghi rõ họ tên, đóng dấu)", &hint)?;
    // The names are typed in.
    let name = Format::new().set_unlocked().set_align(FormatAlign::Center);
    ws.write_blank(r + 6, 2, &name)?;
    ws.write_blank(r + 6, 5, &name)?;
    // The code column fits the longest code (codes do not wrap).
    let longest = catalogue
        .indicators
        .iter()
        .map(|c| c.ma.chars().count())
        .max()
        .unwrap_or(0);
    let code_width = (longest as f64 * 1.1 + 2.0).clamp(14.0, 40.0);
    for (c, w) in [6.0, code_width, 50.0, 12.0, 14.0, 14.0, 14.0, 20.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    // Print: A4 landscape, one page wide, the header row on every page.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C&8Trang &P/&N");
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_area(0, 0, (r + 6).max(last), 7)?;
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    ws.protect_with_options(&protection);
    Ok(())
}

/// `NoiDung`: the unit's own words, `Mục` chosen from a list.
fn narrative_sheet(ws: &mut Worksheet, groups: &[&str]) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xE7E6E6));
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    ws.set_name(crate::intake::SHEET_NOI_DUNG)?;
    ws.write_string_with_format(0, 0, "Mục", &head)?;
    ws.write_string_with_format(0, 1, "Nội dung", &head)?;
    for r in 1..=30 {
        ws.write_blank(r, 0, &wrap)?;
        ws.write_blank(r, 1, &wrap)?;
    }
    // The sections to choose from, beside the table.
    let sections: Vec<&str> = groups.iter().copied().chain(SECTIONS).collect();
    ws.write_string_with_format(0, 3, "Danh sách mục", &head)?;
    for (i, s) in sections.iter().enumerate() {
        ws.write_string(1 + i as u32, 3, *s)?;
    }
    let list = DataValidation::new()
        .allow_list_formula(Formula::new(format!(
            "=$D$2:$D${}",
            1 + sections.len()
        )))
        .set_input_title("Chọn mục")?
        .set_input_message("Chọn một mục trong danh sách (cột D): một nhóm chỉ tiêu, hoặc ưu điểm, tồn tại, phương hướng, kiến nghị.")?
        .set_error_title("Mục không có trong danh sách")?
        .set_error_message("Hãy chọn một mục trong danh sách ở cột D.")?;
    ws.add_data_validation(1, 0, 1000, 0, &list)?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 2)?;
    ws.set_column_width(3, 30)?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    Ok(())
}

/// `Hướng dẫn`: how to fill and send the form, in plain words.
fn help_sheet(ws: &mut Worksheet, unit: &DonVi, text: &FormText) -> Result<(), XlsxError> {
    ws.set_name(HELP_SHEET)?;
    let title = Format::new().set_bold().set_font_size(14);
    let heading = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    // Heights are set: a wrapped line's row does not grow by itself everywhere.
    const WIDTH: usize = 85;
    ws.set_column_width(0, WIDTH as f64)?;
    let mut r = 0u32;
    ws.write_string_with_format(r, 0, "HƯỚNG DẪN ĐIỀN VÀ GỬI BIỂU MẪU", &title)?;
    r += 1;
    ws.write_string_with_format(
        r,
        0,
        format!("{} ({}) · {}", unit.ten, unit.ma, text.ky),
        &heading,
    )?;
    r += 2;
    for (is_heading, line) in help_lines(text) {
        if is_heading {
            r += 1;
            ws.write_string_with_format(r, 0, &line, &heading)?;
        } else {
            ws.write_string_with_format(r, 0, &line, &wrap)?;
            let lines = line.chars().count().div_ceil(WIDTH - 10).max(1);
            ws.set_row_height(r, 15.0 * lines as f64)?;
        }
        r += 1;
    }
    if let Some(link) = &text.lien_ket {
        r += 1;
        ws.write_string_with_format(r, 0, "Liên kết nộp báo cáo của đơn vị:", &heading)?;
        ws.write_url(r + 1, 0, Url::new(link.as_str()))?;
    }
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

/// The instructions: (is a heading, text).
fn help_lines(text: &FormText) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let heading = |o: &mut Vec<(bool, String)>, s: &str| o.push((true, s.to_string()));
    let line = |o: &mut Vec<(bool, String)>, s: String| o.push((false, s));
    heading(&mut out, "1. Điền số liệu");
    line(&mut out, format!("• Trang BaoCao: chỉ gõ vào các ô trắng của ba cột Kế hoạch năm, {}, Cùng kỳ năm trước, và cột Ghi chú. Các ô khác đã khóa để không sửa nhầm (khóa không có mật khẩu).", text.thuc_hien));
    line(&mut out, "• Mỗi ô số chỉ gõ một số: chữ số và dấu thập phân của máy (như 1250 hay 46,8). Không gõ chữ, đơn vị tính hay dấu cách; không gõ số âm.".into());
    line(&mut out, "• Để trống khi đơn vị không báo cáo chỉ tiêu đó (để trống không phải là số 0). Gõ 0 khi kết quả là không.".into());
    line(
        &mut out,
        "• Gõ dấu - (gạch ngang) hoặc chữ x khi chỉ tiêu không áp dụng với đơn vị.".into(),
    );
    line(&mut out, format!("• Các dòng tô xám ghi “{COMPUTED}” là tỷ lệ: chương trình tự tính từ các chỉ tiêu khác của đơn vị, nên không cần điền."));
    line(&mut out, "• Không sửa tên đơn vị, mã đơn vị, kỳ báo cáo, mã chỉ tiêu; không thêm, xóa dòng hay đổi tên trang.".into());
    heading(&mut out, "2. Viết phần nội dung (không bắt buộc)");
    line(&mut out, "• Trang NoiDung: mỗi dòng một ý. Cột Mục chọn trong danh sách (một nhóm chỉ tiêu, hoặc Ưu điểm; Tồn tại, hạn chế; Phương hướng, nhiệm vụ; Đề xuất, kiến nghị); cột Nội dung viết lời văn.".into());
    heading(&mut out, "3. Gửi biểu mẫu");
    if text.lien_ket.is_some() {
        line(&mut out, "• Lưu tệp (giữ dạng .xlsx), rồi mở liên kết nộp báo cáo của đơn vị (ở đầu trang BaoCao và cuối trang này) bằng trình duyệt. Kéo thả tệp vào khung trên trang, hoặc bấm vào khung để chọn tệp.".into());
        line(&mut out, "• Trang kiểm tra ngay và chỉ rõ ô nào cần sửa (trang › ô). Sửa trong tệp rồi gửi lại: bản gửi sau cùng là bản được dùng, các bản trước vẫn được giữ.".into());
        line(
            &mut out,
            "• Liên kết là riêng của đơn vị: không chuyển cho đơn vị khác.".into(),
        );
    } else {
        line(&mut out, "• Lưu tệp (giữ dạng .xlsx) và gửi cho văn phòng theo cách văn phòng đã hướng dẫn (thư điện tử …).".into());
    }
    if let Some(h) = &text.han_nop {
        line(
            &mut out,
            format!("• Hạn nộp: {h}. Gửi sau hạn vẫn được nhận nhưng ghi là nộp muộn."),
        );
    }
    if !text.lien_he.trim().is_empty() {
        heading(&mut out, "4. Cần hỏi thêm");
        line(&mut out, format!("• Liên hệ: {}.", text.lien_he.trim()));
    }
    out
}

fn roman(n: usize) -> String {
    crate::template::helpers::roman(n as u32)
}
