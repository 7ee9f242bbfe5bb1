//! One figure cell → [`Value`], by the rules of `unit-form.md`: empty is
//! "not reported", `-`/`x` "not applicable", `0` zero; text numbers the
//! Vietnamese or English way decided per file.

use calamine::Data;

use super::{Figure, Value};
use crate::catalog::ChiTieu;
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::sheet::short;

/// At most this many characters of a cell are quoted in a message.
pub const QUOTE: usize = 100;
use crate::vi::number::{
    f64_to_decimal, format_decimal_dp, in_range, max_figure, parse_number, Evidence, ParsedNumber,
    Style,
};

/// How a file writes its text numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStyle {
    /// The style ambiguous texts are read in.
    pub style: Style,
    /// True when the file's unambiguous numbers all agree on it (and there
    /// is at least one): an ambiguous reading is then only an info note.
    pub settled: bool,
}

/// Which style a file writes its text numbers in: the style with more
/// unambiguous evidence wins; with none, or a tie, Vietnamese (the form's
/// rule). Ambiguous texts (`1.169`, `1,169`) are read in that style.
pub fn file_style<'a>(texts: impl Iterator<Item = &'a str>) -> FileStyle {
    let (mut vi, mut en) = (0usize, 0usize);
    for t in texts {
        if let ParsedNumber::Value { evidence, .. } = parse_number(t, Style::Vietnamese) {
            match evidence {
                Evidence::Vietnamese => vi += 1,
                Evidence::English => en += 1,
                _ => {}
            }
        }
    }
    if en > vi {
        FileStyle {
            style: Style::English,
            settled: vi == 0,
        }
    } else {
        FileStyle {
            style: Style::Vietnamese,
            settled: vi > 0 && en == 0,
        }
    }
}

/// Where a figure cell stands and what it is.
pub struct CellRef<'a> {
    /// File name.
    pub file: &'a str,
    /// Sheet name.
    pub sheet: &'a str,
    /// Absolute row.
    pub row: u32,
    /// Absolute column.
    pub col: u32,
    /// Column meaning, for messages (`Thực hiện`).
    pub what: &'a str,
    /// The indicator, named in messages as `Tổng số lượt khám bệnh (KCB_LUOT)`.
    pub chi_tieu: &'a ChiTieu,
    /// The file and sheet, shared by the figures read from it.
    pub place: &'a std::sync::Arc<super::nguon::Place>,
}

impl CellRef<'_> {
    fn location(&self) -> Location {
        Location::cell(self.file, self.sheet, self.row, self.col)
    }
    /// The indicator as messages name it (made only for a message).
    fn ma(&self) -> String {
        self.chi_tieu.nhan()
    }
    /// `file › sheet › cell`.
    pub fn nguon(&self) -> super::Nguon {
        super::Nguon::cell(self.place, self.row, self.col)
    }
}

/// Read a figure cell.
pub fn read_figure(
    d: &Data,
    formula: Option<&str>,
    at: &CellRef<'_>,
    style: FileStyle,
    diags: &mut Vec<Diagnostic>,
) -> Figure {
    let value = match d {
        Data::Empty => {
            if let Some(f) = formula {
                diags.push(Diagnostic::warning(
                    at.location(),
                    format!(
                        "{} của {}: ô công thức “={f}” không có kết quả được lưu trong tệp (phần mềm tạo tệp không tính công thức); cần mở và lưu lại tệp bằng Excel hoặc LibreOffice; đã coi là chưa báo cáo",
                        at.what, at.ma()
                    ),
                ));
            }
            Value::Missing
        }
        Data::Int(i) => Value::Number((*i).into()),
        Data::Float(f) => match f64_to_decimal(*f) {
            Some(v) => {
                if v.is_zero() && formula.is_some() {
                    diags.push(Diagnostic::warning(
                        at.location(),
                        format!(
                            "{} của {}: ô công thức “={}” có giá trị 0; nếu tệp được tạo bởi phần mềm không lưu kết quả công thức thì số thật có thể khác; đã dùng 0",
                            at.what,
                            at.ma(),
                            formula.unwrap_or_default()
                        ),
                    ));
                }
                Value::Number(v)
            }
            None => {
                diags.push(Diagnostic::error(
                    at.location(),
                    format!("{} của {}: số không hợp lệ; đã bỏ trống", at.what, at.ma()),
                ));
                Value::Missing
            }
        },
        Data::String(s) => text_figure(s, at, style, diags),
        Data::Error(e) => {
            diags.push(Diagnostic::error(
                at.location(),
                format!("{} của {}: ô lỗi công thức {e}; cần một số; đã coi là chưa báo cáo (không tính là 0)", at.what, at.ma()),
            ));
            Value::Missing
        }
        Data::Bool(b) => {
            diags.push(Diagnostic::error(
                at.location(),
                format!(
                    "{} của {}: gặp giá trị đúng/sai “{b}”; cần một số; đã bỏ trống",
                    at.what,
                    at.ma()
                ),
            ));
            Value::Missing
        }
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            diags.push(Diagnostic::error(
                at.location(),
                format!(
                    "{} của {}: ô được định dạng ngày tháng ({}); cần một số; đã bỏ trống, đề nghị kiểm tra lại",
                    at.what,
                    at.ma(),
                    crate::sheet::cell_text(d)
                ),
            ));
            Value::Missing
        }
    };
    let value = match value {
        Value::Number(v) if !in_range(v) => {
            diags.push(Diagnostic::error(
                at.location(),
                format!(
                    "{} của {}: số {} quá lớn (từ {} trở lên), không thể là số liệu báo cáo; đã coi là chưa báo cáo",
                    at.what,
                    at.ma(),
                    format_decimal_dp(v, 2),
                    format_decimal_dp(max_figure(), 0)
                ),
            ));
            Value::Missing
        }
        v => v,
    };
    Figure {
        value,
        nguon: at.nguon(),
    }
}

fn text_figure(s: &str, at: &CellRef<'_>, fs: FileStyle, diags: &mut Vec<Diagnostic>) -> Value {
    let style = fs.style;
    match parse_number(s, style) {
        ParsedNumber::Empty => Value::Missing,
        ParsedNumber::NotApplicable => Value::NotApplicable,
        ParsedNumber::Value {
            value, evidence, ..
        } => {
            if evidence == Evidence::Ambiguous {
                let how = match style {
                    Style::Vietnamese => {
                        "kiểu Việt Nam (dấu chấm phân cách hàng nghìn, dấu phẩy thập phân)"
                    }
                    Style::English => {
                        "kiểu tiếng Anh (dấu phẩy phân cách hàng nghìn, dấu chấm thập phân)"
                    }
                };
                // Settled: every unambiguous number of the file agrees.
                let (severity, why) = if fs.settled {
                    (Severity::Info, "như mọi số viết rõ ràng khác trong tệp")
                } else {
                    (
                        Severity::Warning,
                        "theo quy tắc của biểu mẫu vì các số khác trong tệp không cho biết rõ cách viết; đề nghị kiểm tra lại",
                    )
                };
                diags.push(Diagnostic::new(
                    severity,
                    at.location(),
                    format!(
                        "{} của {}: “{}” đọc được hai cách; đã đọc là {} theo {how}, {why}",
                        at.what,
                        at.ma(),
                        short(s.trim(), QUOTE),
                        format_decimal_dp(value, 6)
                    ),
                ));
            }
            Value::Number(value)
        }
        ParsedNumber::Invalid => {
            diags.push(Diagnostic::error(
                at.location(),
                format!(
                    "{} của {}: gặp “{}”, cần một số (ví dụ 1.234 hoặc 46,8); đã coi là chưa báo cáo",
                    at.what,
                    at.ma(),
                    short(s.trim(), QUOTE)
                ),
            ));
            Value::Missing
        }
    }
}
