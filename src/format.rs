//! The output formats `build` writes, and their files.

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `bao-cao.docx`.
    Docx,
    /// `bao-cao.pdf`.
    Pdf,
    /// `tong-hop.xlsx`.
    Xlsx,
    /// `bao-cao.md`: the rendered template, for template authors.
    Md,
    /// `tai-lieu.pdf`: the conference handout (cover, programme, report,
    /// commendations, the office's PDFs).
    Handout,
    /// `tai-lieu-a5.pdf`: the handout imposed as an A5 booklet on A4 sheets.
    Booklet,
}

impl Format {
    /// Every format, in the order outputs are listed.
    pub const ALL: [Format; 6] = [
        Format::Docx,
        Format::Pdf,
        Format::Xlsx,
        Format::Md,
        Format::Handout,
        Format::Booklet,
    ];

    /// The file this format is written to inside the output folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Docx => "bao-cao.docx",
            Format::Pdf => "bao-cao.pdf",
            Format::Xlsx => "tong-hop.xlsx",
            Format::Md => "bao-cao.md",
            Format::Handout => "tai-lieu.pdf",
            Format::Booklet => "tai-lieu-a5.pdf",
        }
    }

    /// The format written to `name`, if `name` is one of the output files.
    pub fn from_file_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.file_name() == name)
    }
}
