//! `Document` → DOCX bytes (docx-rs), in Word's own terms: real styles,
//! sections, a PAGE field header, borderless layout tables for the header
//! and the signature. Two small raw-XML steps docx-rs lacks are in
//! [`package`]: the repeated table header row and fixed zip timestamps.

mod blocks;
mod package;
mod styles;

use docx_rs::{
    Docx, Header, PageMargin, PageNum, PageNumType, PageOrientationType, Paragraph, Run,
    SectionProperty,
};

use super::WriteError;
use crate::document::{Block, Document, SectionStart};

/// Page and type settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocxOptions {
    /// Body text size in points (14; 13 is allowed by the decree).
    pub body_pt: f32,
}

impl Default for DocxOptions {
    fn default() -> Self {
        DocxOptions { body_pt: 14.0 }
    }
}

/// A4 in twips.
pub(crate) const A4_W: u32 = 11_906;
/// A4 in twips.
pub(crate) const A4_H: u32 = 16_838;
/// Margins in twips: top, bottom, left, right (20/20/30/15 mm).
pub(crate) const MARGINS: (i32, i32, i32, i32) = (1134, 1134, 1701, 851);

/// Text width in twips for a page orientation.
pub(crate) fn text_width(landscape: bool) -> u32 {
    let page = if landscape { A4_H } else { A4_W };
    page - (MARGINS.2 + MARGINS.3) as u32
}

/// Write the document as a Word file; the same document gives the same bytes.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, WriteError> {
    write_docx_with(doc, &DocxOptions::default())
}

fn margin() -> PageMargin {
    PageMargin {
        top: MARGINS.0,
        bottom: MARGINS.1,
        left: MARGINS.2,
        right: MARGINS.3,
        header: 567,
        footer: 567,
        gutter: 0,
    }
}

fn page_header(opts: &DocxOptions) -> Header {
    let size = (opts.body_pt.round() as usize - 1) * 2;
    Header::new().add_paragraph(
        Paragraph::new()
            .align(docx_rs::AlignmentType::Center)
            .add_page_num(PageNum::new())
            .size(size)
            .fonts(styles::fonts()),
    )
}

fn empty_header() -> Header {
    Header::new().add_paragraph(Paragraph::new())
}

/// A section's properties: page size and orientation, margins, a different
/// first page (no number on it), numbering restarted where asked.
fn section_property(s: SectionStart, restart: bool, opts: &DocxOptions) -> SectionProperty {
    let (w, h, o) = if s.landscape {
        (A4_H, A4_W, PageOrientationType::Landscape)
    } else {
        (A4_W, A4_H, PageOrientationType::Portrait)
    };
    let mut p = SectionProperty::new()
        .page_size(docx_rs::PageSize::new().size(w, h).orient(o))
        .page_margin(margin())
        // docx-rs names the headers rIdHeader1 and rIdHeader2 in the order
        // the final section registers them (see write_docx_with).
        .header(page_header(opts), "rIdHeader1")
        .first_header(empty_header(), "rIdHeader2");
    if restart {
        p = p.page_num_type(PageNumType::new().start(1));
    }
    p
}

/// Write with options.
pub fn write_docx_with(doc: &Document, opts: &DocxOptions) -> Result<Vec<u8>, WriteError> {
    let mut docx = styles::apply(Docx::new(), opts)
        .created_at("2000-01-01T00:00:00Z")
        .updated_at("2000-01-01T00:00:00Z");
    let mut section = SectionStart::default();
    let mut restart = false;
    let mut b = blocks::Builder::new(opts, false);
    for (i, block) in doc.blocks.iter().enumerate() {
        if let Block::Section(next) = block {
            // End the current section with a paragraph carrying its properties.
            for child in b.take() {
                docx = child.add_to(docx);
            }
            docx = docx.add_paragraph(
                Paragraph::new().section_property(section_property(section, restart, opts)),
            );
            section = *next;
            restart = next.restart_numbering;
            b = blocks::Builder::new(opts, next.landscape);
            continue;
        }
        b.block(block, &doc.blocks[i + 1..])?;
    }
    for child in b.take() {
        docx = child.add_to(docx);
    }
    // The final section: the body's own properties; registering the
    // default header first and the first-page header second gives them
    // rIdHeader1 and rIdHeader2.
    let (w, h, o) = if section.landscape {
        (A4_H, A4_W, PageOrientationType::Landscape)
    } else {
        (A4_W, A4_H, PageOrientationType::Portrait)
    };
    docx = docx
        .page_size(w, h)
        .page_orient(o)
        .page_margin(margin())
        .header(page_header(opts))
        .first_header(empty_header())
        .title_pg();
    if restart {
        docx = docx.page_num_type(PageNumType::new().start(1));
    }
    let mut raw = Vec::new();
    docx.build()
        .pack(std::io::Cursor::new(&mut raw))
        .map_err(|e| WriteError::Backend(e.to_string()))?;
    package::finish(&raw)
}

/// A run in the body font.
pub(crate) fn run(text: &str, bold: bool, italic: bool, half_points: usize) -> Run {
    let mut r = Run::new()
        .add_text(text)
        .size(half_points)
        .fonts(styles::fonts());
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    r
}
