//! Pages, the cursor, pagination rules (widows, orphans, headings kept with
//! what follows, repeated table headers) and drawing to printpdf ops.

use printpdf::{
    Color, Line as PLine, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem,
    TextMatrix, XObjectId, XObjectTransform,
};

use super::objects::{self, Images};
use super::{cells, set_lines, set_lines_balanced, BODY, LEADING, PT_MM};
use crate::document::{AdminHeader, Align, Image, Inline, Signature, Table};
use crate::write::fonts::{Face, Fonts};
use crate::write::text::Line;
use crate::write::widths::column_widths;
use crate::write::WriteError;

/// A finished page.
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Drawing operations.
    pub ops: Vec<Op>,
    /// The page number to print at the top, if any.
    pub number: Option<u32>,
}

/// The layout state.
pub struct Writer<'a> {
    /// Fonts and metrics.
    pub fonts: &'a Fonts,
    pages: Vec<Page>,
    ops: Vec<Op>,
    landscape: bool,
    /// Distance of the cursor from the top edge.
    y: f32,
    /// Page number within the section.
    number: u32,
    /// Images drawn so far.
    pub images: Images,
    /// Draw the page numbers (off for the handout's own pages).
    pub numbered: bool,
}

const TOP: f32 = 20.0 * PT_MM;
const BOTTOM: f32 = 20.0 * PT_MM;
const LEFT: f32 = 30.0 * PT_MM;
const RIGHT: f32 = 15.0 * PT_MM;
const A4_W: f32 = 210.0 * PT_MM;
const A4_H: f32 = 297.0 * PT_MM;
/// Table text size and cell padding.
const CELL_PT: f32 = 12.0;
const PAD: f32 = 3.0;

impl<'a> Writer<'a> {
    /// Start the first page.
    pub fn new(fonts: &'a Fonts, landscape: bool) -> Self {
        Writer {
            fonts,
            pages: Vec::new(),
            ops: Vec::new(),
            landscape,
            y: TOP,
            number: 1,
            images: Vec::new(),
            numbered: true,
        }
    }

    fn page_w(&self) -> f32 {
        if self.landscape {
            A4_H
        } else {
            A4_W
        }
    }
    fn page_h(&self) -> f32 {
        if self.landscape {
            A4_W
        } else {
            A4_H
        }
    }
    /// The measure of body text.
    pub fn text_width(&self) -> f32 {
        self.page_w() - LEFT - RIGHT
    }
    fn limit(&self) -> f32 {
        self.page_h() - BOTTOM
    }
    fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    /// Start a new page when `h` more points do not fit (and we are not
    /// already at the top of a page).
    pub fn ensure(&mut self, h: f32) {
        if self.y + h > self.limit() && !self.at_top() {
            self.new_page();
        }
    }

    fn push_page(&mut self) {
        let number = (self.number > 1).then_some(self.number);
        self.pages.push(Page {
            width: self.page_w(),
            height: self.page_h(),
            ops: std::mem::take(&mut self.ops),
            number,
        });
    }

    /// Vertical space, dropped at the top of a page.
    pub fn space_before(&mut self, pt: f32) {
        if !self.at_top() {
            self.y += pt;
        }
    }

    /// Close this page and start another.
    pub fn new_page(&mut self) {
        self.push_page();
        self.number += 1;
        self.y = TOP;
    }

    /// Start a section on a new page.
    pub fn new_section(&mut self, landscape: bool, restart: bool) {
        self.push_page();
        self.landscape = landscape;
        self.number = if restart { 1 } else { self.number + 1 };
        self.y = TOP;
    }

    /// All pages, with their numbers drawn at the top centre.
    pub fn finish(mut self) -> Vec<Page> {
        self.push_page();
        let fonts = self.fonts;
        for p in self.pages.iter_mut().filter(|_| self.numbered) {
            if let Some(n) = p.number {
                let text = n.to_string();
                let size = 13.0;
                let w = fonts.width(&text, Face::Regular, size);
                let x = (p.width - w) / 2.0;
                let y = p.height - 12.0 * PT_MM;
                p.ops
                    .extend(text_ops(fonts, &[(x, y, &text, Face::Regular)], size));
            }
        }
        self.pages
    }

    /// A paragraph: lines set to the measure, placed with no single line
    /// left alone at the foot or the head of a page.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        runs: &[Inline],
        align: Align,
        indent: f32,
        size: f32,
        bold: bool,
        italic: bool,
        after: f32,
        keep_whole: bool,
    ) {
        let measure = self.text_width();
        // Centred lines (titles, captions) are balanced.
        let lines = if align == Align::Center && indent == 0.0 {
            set_lines_balanced(self, runs, size, measure, bold, italic)
        } else {
            set_lines(self, runs, size, indent, measure, bold, italic)
        };
        let lh = size * LEADING;
        if keep_whole {
            self.ensure(lines.len() as f32 * lh);
        }
        let mut i = 0;
        while i < lines.len() {
            let remaining = lines.len() - i;
            let fit = ((self.limit() - self.y) / lh).floor().max(0.0) as usize;
            let mut take = remaining.min(fit);
            if take < remaining {
                // Orphan: never one line alone at the foot; widow: never
                // one line alone at the head of the next page.
                if remaining - take == 1 && take >= 2 {
                    take -= 1;
                }
                if take < 2 && remaining > 1 && !self.at_top() {
                    self.new_page();
                    continue;
                }
                if take == 0 {
                    if self.at_top() {
                        take = 1;
                    } else {
                        self.new_page();
                        continue;
                    }
                }
            }
            for (k, line) in lines[i..i + take].iter().enumerate() {
                let first = i + k == 0;
                let baseline = self.y + size * 0.95;
                let x0 = LEFT;
                let ops = self.line_ops(
                    line,
                    x0,
                    measure,
                    baseline,
                    align,
                    if first { indent } else { 0.0 },
                    size,
                );
                self.ops.extend(ops);
                self.y += lh;
            }
            i += take;
            if i < lines.len() {
                self.new_page();
            }
        }
        self.y += after;
    }

    /// Text the clerk must replace: italic, in a shaded box with a thin
    /// border, kept on one page.
    pub fn placeholder(&mut self, runs: &[Inline], indent: f32, after: f32) {
        let measure = self.text_width();
        let lines = set_lines(self, runs, BODY, indent, measure, false, true);
        let h = lines.len() as f32 * BODY * LEADING;
        self.ensure(h + 4.0);
        let (x, y_top, w) = (LEFT - 3.0, self.y - 1.0, measure + 6.0);
        let bottom = self.page_h() - (y_top + h + 3.0);
        let rect = Rect {
            x: Pt(x),
            y: Pt(bottom),
            width: Pt(w),
            height: Pt(h + 3.0),
            mode: Some(PaintMode::FillStroke),
            winding_order: None,
        };
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(1.0, 0.95, 0.6, None)),
        });
        self.ops.push(Op::SetOutlineColor {
            col: Color::Rgb(Rgb::new(0.75, 0.6, 0.0, None)),
        });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        self.ops.push(Op::DrawRectangle { rectangle: rect });
        self.ops.push(Op::RestoreGraphicsState);
        self.paragraph(runs, Align::Justify, indent, BODY, false, true, 0.0, true);
        self.y += 3.0 + after;
    }

    /// Ops for one line at a baseline (distance from the top).
    #[allow(clippy::too_many_arguments)]
    fn line_ops(
        &self,
        line: &Line,
        x0: f32,
        measure: f32,
        baseline: f32,
        align: Align,
        indent: f32,
        size: f32,
    ) -> Vec<Op> {
        let space = self.fonts.width(" ", Face::Regular, size);
        let n = line.words.len();
        let natural = line.words_width + space * n.saturating_sub(1) as f32;
        let avail = measure - indent;
        let (x, gap) = match align {
            Align::Justify if !line.last && n > 1 => {
                (x0 + indent, (avail - line.words_width) / (n - 1) as f32)
            }
            Align::Justify | Align::Left => (x0 + indent, space),
            Align::Center => (x0 + indent + (avail - natural).max(0.0) / 2.0, space),
            Align::Right => (x0 + indent + (avail - natural).max(0.0), space),
        };
        let y = self.page_h() - baseline;
        // One text object per line with real space characters between words
        // (so text extracts with its spaces), stretched by TJ offsets.
        let mut ops = vec![Op::StartTextSection];
        let mut face: Option<Face> = None;
        let set_font = |ops: &mut Vec<Op>, f: Face, face: &mut Option<Face>| {
            if *face != Some(f) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(self.fonts.face(f).id.clone()),
                    size: Pt(size),
                });
                *face = Some(f);
            }
        };
        if let Some(f) = line
            .words
            .first()
            .and_then(|w| w.pieces.first())
            .map(|p| p.face)
        {
            set_font(&mut ops, f, &mut face);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(y)),
        });
        // One show-text operation per run of one face, words and their
        // spaces in as few strings as the stretching allows (one operation
        // per word took a kilobyte per word on a long paragraph).
        let mut items: Vec<TextItem> = Vec::new();
        let mut text = String::new();
        let flush = |ops: &mut Vec<Op>, items: &mut Vec<TextItem>, text: &mut String| {
            if !text.is_empty() {
                items.push(TextItem::Text(std::mem::take(text)));
            }
            if !items.is_empty() {
                ops.push(Op::ShowText {
                    items: std::mem::take(items),
                });
            }
        };
        for (i, w) in line.words.iter().enumerate() {
            for p in &w.pieces {
                if face != Some(p.face) {
                    flush(&mut ops, &mut items, &mut text);
                    set_font(&mut ops, p.face, &mut face);
                }
                text.push_str(&p.text);
            }
            if i + 1 < n {
                let f = face.unwrap_or(Face::Regular);
                let extra = gap - self.fonts.width(" ", f, size);
                text.push(' ');
                if extra.abs() > 0.01 {
                    items.push(TextItem::Text(std::mem::take(&mut text)));
                    items.push(TextItem::Offset(-extra / size * 1000.0));
                }
            }
        }
        flush(&mut ops, &mut items, &mut text);
        ops.push(Op::EndTextSection);
        ops
    }

    /// A straight line between two points given from the top-left.
    fn segment(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), thickness: f32) {
        let h = self.page_h();
        let point = |x: f32, y: f32| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(h - y),
            },
            bezier: false,
        };
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::SetOutlineColor {
            col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
        });
        self.ops.push(Op::DrawLine {
            line: PLine {
                points: vec![point(x1, y1), point(x2, y2)],
                is_closed: false,
            },
        });
    }

    /// A horizontal rule from x1 to x2 at a distance from the top.
    fn rule(&mut self, x1: f32, x2: f32, y_top: f32, thickness: f32) {
        self.segment((x1, y_top), (x2, y_top), thickness);
    }

    /// A vertical table border.
    fn vline(&mut self, x: f32, y1: f32, y2: f32) {
        self.segment((x, y1), (x, y2), 0.5);
    }

    /// The short rule under the title lines.
    pub fn title_rule(&mut self) {
        let len = (self.text_width() / 3.0).min(60.0 * PT_MM);
        let x1 = LEFT + (self.text_width() - len) / 2.0;
        // Clear of the descenders (g, y, p) of the last title line.
        let y = self.y + 7.0;
        self.rule(x1, x1 + len, y, 0.6);
        self.y += 19.0;
    }

    /// Centred lines in a column; returns the height used and draws rules
    /// under the asked lines (`(index, length)`).
    fn column(
        &mut self,
        x: f32,
        width: f32,
        y0: f32,
        lines: &[(Inline, f32)],
        rule: Option<(usize, f32)>,
    ) -> f32 {
        let mut y = y0;
        for (i, (l, size)) in lines.iter().enumerate() {
            // A header line too long for its column is balanced.
            let set = set_lines_balanced(self, std::slice::from_ref(l), *size, width, false, false);
            for line in &set {
                let ops = self.line_ops(line, x, width, y + size * 0.95, Align::Center, 0.0, *size);
                self.ops.extend(ops);
                y += size * LEADING;
            }
            if let Some((idx, len)) = rule {
                if idx == i {
                    let x1 = x + (width - len) / 2.0;
                    // A hair clear of the descenders (`lập`, `phúc`).
                    self.rule(x1, x1 + len, y + 4.0, 0.6);
                    y += 7.0;
                }
            }
        }
        y - y0
    }

    /// The two-column administrative header.
    pub fn admin_header(&mut self, h: &AdminHeader) {
        let tw = self.text_width();
        let (wl, wr) = (tw * 0.4, tw * 0.6);
        let y0 = self.y;
        let left: Vec<(Inline, f32)> = h.left.iter().map(|l| (l.clone(), 13.0)).collect();
        let right: Vec<(Inline, f32)> = h
            .right
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    l.clone(),
                    if i == 0 && h.right.len() > 1 {
                        12.0
                    } else {
                        14.0
                    },
                )
            })
            .collect();
        let lrule = h.left_rule_under.map(|i| (i, wl / 3.0));
        let rrule = h.right_rule_under.map(|i| {
            let (l, size) = &right[i.min(right.len().saturating_sub(1))];
            let face = Face::of(l.bold, l.italic);
            (i, self.fonts.width(&l.text, face, *size).min(wr))
        });
        let hl = self.column(LEFT, wl, y0, &left, lrule);
        let hr = self.column(LEFT + wl, wr, y0, &right, rrule);
        let y1 = y0 + hl.max(hr) + 2.0;
        let hl = self.column(
            LEFT,
            wl,
            y1,
            &[(Inline::plain(h.number.clone()), 13.0)],
            None,
        );
        let hr = self.column(
            LEFT + wl,
            wr,
            y1,
            &[(Inline::italic(h.place_date.clone()), 14.0)],
            None,
        );
        self.y = y1 + hl.max(hr) + 12.0;
    }

    /// Height of a table's header rows and its first `rows` body rows.
    pub fn table_head_height(&self, t: &Table, rows: usize) -> f32 {
        let widths = column_widths(self.fonts, t, self.text_width(), CELL_PT, PAD);
        let n = widths.len();
        let row_h = |r: &crate::document::Row, bold: bool, header: bool| {
            cells(r, n)
                .iter()
                .zip(&widths)
                .map(|(c, cw)| cell_lines(self, c, *cw, bold, header).len())
                .max()
                .unwrap_or(1)
                .max(1) as f32
                * CELL_PT
                * LEADING
                + 2.0 * PAD
        };
        t.header.iter().map(|r| row_h(r, true, true)).sum::<f32>()
            + t.rows
                .iter()
                .take(rows)
                .map(|r| row_h(r, r.emphasis, false))
                .sum::<f32>()
    }

    /// A bordered table; header rows repeat at the top of every page.
    pub fn table(&mut self, t: &Table) {
        let tw = self.text_width();
        let widths = column_widths(self.fonts, t, tw, CELL_PT, PAD);
        let n = widths.len();
        let lh = CELL_PT * LEADING;
        let layout_row = |w: &Writer<'_>,
                          r: &crate::document::Row,
                          bold: bool,
                          header: bool|
         -> (Vec<Vec<Line>>, f32) {
            let sets: Vec<Vec<Line>> = cells(r, n)
                .iter()
                .zip(&widths)
                .map(|(c, cw)| cell_lines(w, c, *cw, bold, header))
                .collect();
            let h = sets.iter().map(|s| s.len()).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD;
            (sets, h)
        };
        let header: Vec<(Vec<Vec<Line>>, f32)> = t
            .header
            .iter()
            .map(|r| layout_row(self, r, true, true))
            .collect();
        let header_h: f32 = header.iter().map(|(_, h)| h).sum();
        let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
        let first_h = t
            .rows
            .first()
            .map(|r| layout_row(self, r, r.emphasis, false).1)
            .unwrap_or(0.0);
        self.ensure(header_h + first_h);
        let draw_header = |w: &mut Writer<'_>| {
            for (sets, h) in &header {
                w.draw_row(sets, &widths, *h, &vec![Align::Center; n]);
            }
        };
        draw_header(self);
        for r in &t.rows {
            let (sets, h) = layout_row(self, r, r.emphasis, false);
            if self.y + h > self.limit() {
                self.new_page();
                draw_header(self);
            }
            self.draw_row(&sets, &widths, h, &aligns);
        }
        self.y += 8.0;
    }

    fn draw_row(&mut self, sets: &[Vec<Line>], widths: &[f32], h: f32, aligns: &[Align]) {
        let lh = CELL_PT * LEADING;
        let mut x = LEFT;
        let y0 = self.y;
        for (i, (set, w)) in sets.iter().zip(widths).enumerate() {
            let align = match aligns.get(i).copied().unwrap_or(Align::Left) {
                Align::Justify => Align::Left,
                a => a,
            };
            // Vertically centred in the row.
            let content = set.len() as f32 * lh;
            let mut y = y0 + (h - content) / 2.0;
            for line in set {
                let mut l = line.clone();
                l.last = true;
                let ops = self.line_ops(
                    &l,
                    x + PAD,
                    w - 2.0 * PAD,
                    y + CELL_PT * 0.95,
                    align,
                    0.0,
                    CELL_PT,
                );
                self.ops.extend(ops);
                y += lh;
            }
            x += w;
        }
        // Borders: top and bottom of the row, and each column's sides.
        let x_end = LEFT + widths.iter().sum::<f32>();
        self.rule(LEFT, x_end, y0, 0.5);
        self.rule(LEFT, x_end, y0 + h, 0.5);
        let mut x = LEFT;
        self.vline(x, y0, y0 + h);
        for w in widths {
            x += w;
            self.vline(x, y0, y0 + h);
        }
        self.y = y0 + h;
    }

    /// Height the signature block needs.
    pub fn signature_height(&self, s: &Signature) -> f32 {
        let left = 12.0 * LEADING + s.recipients.len() as f32 * 11.0 * LEADING;
        let right = [&s.authority, &s.title]
            .iter()
            .filter(|t| !t.is_empty())
            .count() as f32
            * BODY
            * LEADING
            + 25.0 * PT_MM
            + BODY * LEADING;
        left.max(right) + 6.0
    }

    /// Nơi nhận beside the signature, kept together on one page.
    pub fn signature(&mut self, s: &Signature) {
        let tw = self.text_width();
        let (wl, wr) = (tw * 0.45, tw * 0.55);
        let n = s.recipients.len();
        let mut left: Vec<(Inline, f32)> = vec![(
            Inline {
                text: "Nơi nhận:".into(),
                bold: true,
                italic: true,
            },
            12.0,
        )];
        for (i, r) in s.recipients.iter().enumerate() {
            let end = if i + 1 == n { "." } else { ";" };
            left.push((
                Inline::plain(format!("- {}{}", r.trim_end_matches([';', '.']), end)),
                11.0,
            ));
        }
        let mut right: Vec<(Inline, f32)> = [&s.authority, &s.title]
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| (Inline::bold(t.to_string()), BODY))
            .collect();
        let gap = 25.0 * PT_MM;
        self.ensure(self.signature_height(s));
        let y0 = self.y + 6.0;
        let hl = self.left_column(LEFT, wl, y0, &left);
        let hr = self.column(LEFT + wl, wr, y0, &right, None);
        right.clear();
        right.push((Inline::bold(s.name.clone()), BODY));
        let hn = self.column(LEFT + wl, wr, y0 + hr + gap, &right, None);
        self.y = y0 + hl.max(hr + gap + hn);
    }

    fn left_column(&mut self, x: f32, width: f32, y0: f32, lines: &[(Inline, f32)]) -> f32 {
        let mut y = y0;
        for (l, size) in lines {
            let set = set_lines(
                self,
                std::slice::from_ref(l),
                *size,
                0.0,
                width,
                false,
                false,
            );
            for line in &set {
                let mut line = line.clone();
                line.last = true;
                let ops = self.line_ops(&line, x, width, y + size * 0.95, Align::Left, 0.0, *size);
                self.ops.extend(ops);
                y += size * LEADING;
            }
        }
        y - y0
    }

    /// An image centred at its width, with its caption.
    pub fn image(&mut self, img: &Image) -> Result<(), WriteError> {
        let bad = || WriteError::Content {
            what: "hình ảnh".into(),
            why: "dữ liệu không phải ảnh PNG hợp lệ".into(),
        };
        let (wpx, hpx) = crate::write::png_size(&img.png).ok_or_else(bad)?;
        let raw = objects::image(&img.png).ok_or_else(bad)?;
        let w = (img.width_mm * PT_MM).min(self.text_width());
        let h = w * hpx as f32 / wpx as f32;
        self.ensure(h + BODY * LEADING);
        let id = format!("IMG{}", self.images.len() + 1);
        let x = LEFT + (self.text_width() - w) / 2.0;
        let bottom = self.page_h() - (self.y + h);
        // At 72 dpi one pixel is one point; scale to the wanted width.
        self.ops.push(Op::UseXobject {
            id: XObjectId(id.clone()),
            transform: XObjectTransform {
                translate_x: Some(Pt(x)),
                translate_y: Some(Pt(bottom)),
                rotate: None,
                scale_x: Some(w / wpx as f32),
                scale_y: Some(h / hpx as f32),
                dpi: Some(72.0),
                no_auto_scale: false,
            },
        });
        self.images.push((id, raw));
        self.y += h + 4.0;
        if !img.caption.is_empty() {
            self.paragraph(
                &[Inline::italic(img.caption.clone())],
                Align::Center,
                0.0,
                13.0,
                false,
                false,
                6.0,
                false,
            );
        }
        Ok(())
    }
}

/// Text ops for positioned pieces (x, y from the bottom, text, face).
/// A table cell's lines in a column `cw` points wide. A header cell is
/// balanced, so that `Thực hiện quý II` never leaves `II` alone on its
/// last line (the DOCX writer breaks it at the same places).
fn cell_lines(w: &Writer<'_>, c: &[Inline], cw: f32, bold: bool, header: bool) -> Vec<Line> {
    let measure = (cw - 2.0 * PAD).max(CELL_PT);
    if header {
        set_lines_balanced(w, c, CELL_PT, measure, bold, false)
    } else {
        set_lines(w, c, CELL_PT, 0.0, measure, bold, false)
    }
}

pub(crate) fn text_ops(fonts: &Fonts, items: &[(f32, f32, &str, Face)], size: f32) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 3 + 2);
    if items.is_empty() {
        return ops;
    }
    ops.push(Op::StartTextSection);
    let mut face: Option<Face> = None;
    for (x, y, text, f) in items {
        if face != Some(*f) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(fonts.face(*f).id.clone()),
                size: Pt(size),
            });
            face = Some(*f);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(*x), Pt(*y)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}
