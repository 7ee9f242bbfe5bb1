//! `Document` → PDF bytes: our own layout on printpdf, which has no layout
//! we trust (crates-notes.md). Fonts embedded and subset; pages A4 with the
//! decree's margins; the same content and order as the DOCX.

mod draw;
mod objects;

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::WriteError;
use crate::document::{Align, Block, Document, Inline, ParaStyle, Row};
use crate::write::fonts::{self, Face};
use crate::write::text::{break_balanced, break_lines, words, Line};
pub use draw::Page;
use draw::Writer;
pub use objects::Images;

/// Points per millimetre.
pub const PT_MM: f32 = 72.0 / 25.4;
/// Body text size.
pub const BODY: f32 = 14.0;
/// Line height as a multiple of the size.
const LEADING: f32 = 1.2;
/// Space after a body paragraph.
const PARA_AFTER: f32 = 6.0;
/// First-line indent: 1,27 cm.
const INDENT: f32 = 12.7 * PT_MM;

/// Typeset the document as a PDF with embedded, subset fonts; deterministic bytes.
pub fn write_pdf(doc: &Document) -> Result<Vec<u8>, WriteError> {
    let (pages, images) = layout(doc)?;
    save(&doc.title, pages, images)
}

/// Pages (and the images they draw) → PDF bytes, fonts embedded and
/// subset; deterministic.
pub fn save(title: &str, pages: Vec<Page>, images: Images) -> Result<Vec<u8>, WriteError> {
    let f = fonts::fonts()?;
    let mut pdf = PdfDocument::new(title);
    objects::add_images(&mut pdf, images);
    for face in f.all() {
        pdf.resources
            .fonts
            .map
            .insert(face.id.clone(), printpdf::PdfFont::new(face.parsed.clone()));
    }
    let pdf_pages: Vec<PdfPage> = pages
        .into_iter()
        .map(|p| PdfPage::new(Mm(p.width / PT_MM), Mm(p.height / PT_MM), p.ops))
        .collect();
    let mut warnings = Vec::new();
    // Images (charts) kept at their print resolution, lossless: printpdf's
    // default shrinks anything over 2 MB raw and may pick JPEG.
    let opts = PdfSaveOptions {
        image_optimization: Some(printpdf::ImageOptimizationOptions {
            max_image_size: None,
            format: Some(printpdf::ImageCompression::Flate),
            quality: None,
            ..Default::default()
        }),
        ..Default::default()
    };
    let bytes = pdf.with_pages(pdf_pages).save(&opts, &mut warnings);
    Ok(objects::fix_trailer_id(bytes))
}

/// Draw `n` at the foot of a page, centred (the handout's running numbers).
pub fn stamp_foot(page: &mut Page, n: u32) -> Result<(), WriteError> {
    let f = fonts::fonts()?;
    let text = n.to_string();
    let size = 12.0;
    let x = (page.width - f.width(&text, Face::Regular, size)) / 2.0;
    page.ops.extend(draw::text_ops(
        f,
        &[(x, 10.0 * PT_MM, &text, Face::Regular)],
        size,
    ));
    Ok(())
}

/// Lay out every block into pages (and the images they draw).
pub fn layout(doc: &Document) -> Result<(Vec<Page>, Images), WriteError> {
    layout_pages(doc, true)
}

/// [`layout`], with or without the document's own page numbers (the
/// handout's cover and lists have only the handout's running ones).
pub fn layout_pages(doc: &Document, numbered: bool) -> Result<(Vec<Page>, Images), WriteError> {
    let fonts = fonts::fonts()?;
    let mut w = Writer::new(fonts, false);
    w.numbered = numbered;
    let mut title_open = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        if title_open && !matches!(block, Block::Title(_)) {
            w.title_rule();
            title_open = false;
        }
        match block {
            Block::AdminHeader(h) => w.admin_header(h),
            Block::Title(runs) => {
                title_open = true;
                w.paragraph(runs, Align::Center, 0.0, BODY, true, false, 0.0, false);
            }
            Block::Heading { level, text } => {
                // Keep a heading with the first lines of what follows.
                let h = paragraph_height(&w, text, BODY, INDENT) + kept_with(doc, i, &w);
                w.space_before(6.0);
                w.ensure(h);
                w.paragraph(
                    text,
                    Align::Justify,
                    INDENT,
                    BODY,
                    true,
                    *level >= 3,
                    3.0,
                    true,
                );
            }
            Block::Paragraph(p) if matches!(doc.blocks.get(i + 1), Some(Block::Signature(_))) => {
                // The closing sentence stays on the page of the signature.
                let sig = match doc.blocks.get(i + 1) {
                    Some(Block::Signature(s)) => w.signature_height(s),
                    _ => 0.0,
                };
                w.ensure(paragraph_height(&w, &p.runs, BODY, INDENT) + PARA_AFTER + sig);
                w.paragraph(
                    &p.runs,
                    Align::Justify,
                    INDENT,
                    BODY,
                    false,
                    false,
                    PARA_AFTER,
                    true,
                );
            }
            Block::Paragraph(p) => match p.style {
                ParaStyle::Body | ParaStyle::ListItem => w.paragraph(
                    &p.runs,
                    Align::Justify,
                    INDENT,
                    BODY,
                    false,
                    false,
                    PARA_AFTER,
                    false,
                ),
                ParaStyle::Centered => {
                    // A caption stays with the head of its table.
                    let keep = kept_with(doc, i, &w);
                    if keep > 0.0 {
                        w.ensure(centred_height(&w, &p.runs) + 3.0 + keep);
                    }
                    w.paragraph(&p.runs, Align::Center, 0.0, BODY, false, false, 3.0, false)
                }
                ParaStyle::Placeholder => w.placeholder(&p.runs, INDENT, PARA_AFTER),
            },
            Block::Table(t) => w.table(t),
            Block::Signature(s) => w.signature(s),
            Block::Image(img) => w.image(img)?,
            Block::Chart(c) => w.image(&crate::write::chart::image(c)?)?,
            Block::PageBreak => w.new_page(),
            Block::Section(s) => w.new_section(s.landscape, s.restart_numbering),
        }
    }
    if title_open {
        w.title_rule();
    }
    let images = std::mem::take(&mut w.images);
    Ok((w.finish(), images))
}

fn paragraph_height(w: &Writer<'_>, runs: &[Inline], size: f32, indent: f32) -> f32 {
    let lines = set_lines(w, runs, size, indent, w.text_width(), false, false);
    lines.len() as f32 * size * LEADING
}

fn centred_height(w: &Writer<'_>, runs: &[Inline]) -> f32 {
    set_lines_balanced(w, runs, BODY, w.text_width(), false, false).len() as f32 * BODY * LEADING
}

/// Rows of a table kept with its caption or heading, besides its header.
const KEPT_ROWS: usize = 2;

/// Height of what must share a page with block `i`, a heading or a
/// caption: the centred lines that follow it, then the header and first
/// rows of a table; after a heading, also the first two lines of a
/// paragraph, or the next heading with what it keeps (`II.` then `1.`).
/// Zero for a centred line that does not lead to a table.
fn kept_with(doc: &Document, i: usize, w: &Writer<'_>) -> f32 {
    let heading = matches!(doc.blocks.get(i), Some(Block::Heading { .. }));
    // The heading's own space after it.
    let mut h = if heading { 3.0 } else { 0.0 };
    for (j, b) in doc.blocks.iter().enumerate().skip(i + 1) {
        match b {
            Block::Paragraph(p) if p.style == ParaStyle::Centered => {
                h += centred_height(w, &p.runs) + 3.0;
            }
            Block::Table(t) => return h + w.table_head_height(t, KEPT_ROWS),
            Block::Heading { text, .. } if heading => {
                return h + 6.0 + paragraph_height(w, text, BODY, INDENT) + kept_with(doc, j, w)
            }
            Block::Paragraph(_) if heading => return h + 2.0 * BODY * LEADING,
            _ => return if heading { h } else { 0.0 },
        }
    }
    0.0
}

/// Break runs into lines of a measure.
pub(crate) fn set_lines(
    w: &Writer<'_>,
    runs: &[Inline],
    size: f32,
    indent: f32,
    measure: f32,
    bold: bool,
    italic: bool,
) -> Vec<Line> {
    let items = words(runs, w.fonts, size, bold, italic);
    let space = w.fonts.width(" ", Face::Regular, size);
    break_lines(
        items,
        (measure - indent).max(size),
        measure,
        space,
        w.fonts,
        size,
    )
}

/// Break runs into balanced lines (centred titles and captions).
pub(crate) fn set_lines_balanced(
    w: &Writer<'_>,
    runs: &[Inline],
    size: f32,
    measure: f32,
    bold: bool,
    italic: bool,
) -> Vec<Line> {
    let items = words(runs, w.fonts, size, bold, italic);
    let space = w.fonts.width(" ", Face::Regular, size);
    break_balanced(items, measure, space, w.fonts, size)
}

/// A row's cell contents (missing cells are empty).
pub(crate) fn cells(r: &Row, n: usize) -> Vec<&[Inline]> {
    (0..n)
        .map(|i| r.cells.get(i).map(Vec::as_slice).unwrap_or(&[]))
        .collect()
}
