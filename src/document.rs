//! The format-neutral document model: what the template stage produces and
//! every writer (DOCX, PDF) consumes. Writers own the look; this owns the
//! structure.

/// A whole report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Document title for file metadata (not printed).
    pub title: String,
    /// Body blocks in reading order.
    pub blocks: Vec<Block>,
    /// What the template stage left out and why (a chart of an indicator
    /// nobody reported): the caller turns these into diagnostics.
    pub notes: Vec<String>,
}

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The two-column administrative header (Nghị định 30 or the Party's layout).
    AdminHeader(AdminHeader),
    /// A title line, centred and bold (`BÁO CÁO`, then the subject). A short
    /// rule is drawn under the last of consecutive title lines.
    Title(Vec<Inline>),
    /// A heading: level 1 `I.` (bold, uppercase), 2 `1.` (bold), 3 `a)` (bold italic).
    Heading { level: u8, text: Vec<Inline> },
    /// A paragraph.
    Paragraph(Paragraph),
    /// A bordered table.
    Table(Table),
    /// `Nơi nhận` beside the signature block.
    Signature(Signature),
    /// An image (PNG bytes) with an optional caption.
    Image(Image),
    /// A bar chart, drawn by each writer from its figures (`write::chart`).
    Chart(Chart),
    /// Start a new page.
    PageBreak,
    /// Start a new section on a new page, e.g. the landscape appendix whose
    /// pages are numbered from 1 again.
    Section(SectionStart),
}

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inline {
    /// The text (NFC).
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

impl Inline {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Inline {
            text: text.into(),
            ..Default::default()
        }
    }
    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Inline {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Self {
        Inline {
            text: text.into(),
            bold: false,
            italic: true,
        }
    }
}

/// Concatenated text of runs, without emphasis.
pub fn plain_text(runs: &[Inline]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified (both edges), the last line flush left.
    #[default]
    Justify,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParaStyle {
    /// Body text: justified, first-line indent.
    #[default]
    Body,
    /// A centred line (e.g. `(Kèm theo Báo cáo số …)`).
    Centered,
    /// A list item: justified, hanging from the indent, with its marker in the text.
    ListItem,
    /// Text the clerk must replace before sending (a section nobody
    /// wrote): italic, highlighted in the DOCX, in a shaded box in the PDF.
    Placeholder,
}

/// A paragraph of inline runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    /// How it is set.
    pub style: ParaStyle,
    /// The text.
    pub runs: Vec<Inline>,
}

/// A table: column widths as fractions of the text width, a header row
/// repeated on every page, then body rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// One entry per column.
    pub columns: Vec<Column>,
    /// Header rows, repeated at the top of each page the table spans.
    pub header: Vec<Row>,
    /// Body rows.
    pub rows: Vec<Row>,
}

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Relative width; the writer scales all columns to the text width.
    pub width: f32,
    /// Alignment of body cells (numbers are right-aligned).
    pub align: Align,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Cells, one per column.
    pub cells: Vec<Vec<Inline>>,
    /// A group row (e.g. a catalogue group inside the appendix): set bold.
    pub emphasis: bool,
}

/// The administrative header, already worded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdminHeader {
    /// Left column, row 1: `UBND TỈNH ĐỒNG NAI` (regular) then `SỞ Y TẾ`
    /// (bold); the Party variant puts `ĐẢNG BỘ …` / `ĐẢNG ỦY …` and `*`.
    pub left: Vec<Inline>,
    /// Right column, row 1: Quốc hiệu (bold) and the motto (bold), or
    /// `ĐẢNG CỘNG SẢN VIỆT NAM`.
    pub right: Vec<Inline>,
    /// Index in `left` of the line that gets a short rule under it (or the
    /// `*` of the Party layout, which is its own line).
    pub left_rule_under: Option<usize>,
    /// Index in `right` of the line that gets a full-length rule under it.
    pub right_rule_under: Option<usize>,
    /// Row 2 left: `Số: 123/BC-SYT`.
    pub number: String,
    /// Row 2 right: `Đồng Nai, ngày 08 tháng 7 năm 2024` (italic).
    pub place_date: String,
}

/// `Nơi nhận` (left) and the signature (right).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signature {
    /// Recipients, one per line, printed after `- `.
    pub recipients: Vec<String>,
    /// `KT. GIÁM ĐỐC` (may be empty).
    pub authority: String,
    /// `PHÓ GIÁM ĐỐC` (may be empty).
    pub title: String,
    /// The signer's name.
    pub name: String,
}

/// An image to place inline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Image {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Width on the page in millimetres (height follows the aspect ratio).
    pub width_mm: f32,
    /// Caption printed under it, centred and italic.
    pub caption: String,
}

/// A new section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SectionStart {
    /// Landscape pages.
    pub landscape: bool,
    /// Number pages from 1 again (the appendix); like the body, its first page shows no number.
    pub restart_numbering: bool,
}

/// More categories than this do not make a readable chart.
pub const MAX_CHART_CATEGORIES: usize = 40;

/// A grouped bar chart of one indicator: one group of bars per category
/// (a level or a unit), one bar per series (this period, the same period
/// last year, the plan).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    /// The indicator's code (for messages and tests).
    pub ma: String,
    /// Category names, top to bottom.
    pub categories: Vec<String>,
    /// The series, in legend order.
    pub series: Vec<Series>,
    /// The unit of measure (`lượt`, `%`).
    pub dvt: String,
    /// Caption printed under it, centred and italic.
    pub caption: String,
    /// The chart drawn as a PNG, once for every writer that places it.
    pub png: std::sync::OnceLock<Vec<u8>>,
}

/// One series of a chart: a value per category; None where nobody reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend text (`6 tháng đầu năm 2024`).
    pub name: String,
    /// One value per category.
    pub values: Vec<Option<f64>>,
}
