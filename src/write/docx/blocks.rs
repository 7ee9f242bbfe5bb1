//! Blocks of the document model → docx-rs paragraphs and tables.

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, LineSpacing, LineSpacingType, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Pic, Run, SpecialIndentType, Table,
    TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::styles::{fonts as fonts_xml, FIRST_LINE};
use super::{run, text_width, DocxOptions};
use crate::document::{AdminHeader, Align, Block, Image, Inline, ParaStyle, Row, Signature};
use crate::write::fonts::{self, Face};
use crate::write::text::{balanced_starts, words};
use crate::write::widths::column_widths;
use crate::write::WriteError;

/// Table text size in points (as the PDF's) and the cells' side padding
/// in twips (3 pt, as the PDF's).
const CELL_PT: f32 = 12.0;
const CELL_PAD: usize = 60;
/// Body rows kept with a table's header (and its caption).
const KEPT_ROWS: usize = 2;

/// Runs broken into balanced lines within `measure` points (the PDF's
/// breaks, measured with the same metrics); None when they fit on one
/// line or cannot be balanced.
fn balanced_in(runs: &[Inline], bold: bool, size: f32, measure: f32) -> Option<Vec<Vec<Inline>>> {
    if runs.iter().any(|r| r.text.contains('\n')) {
        return None;
    }
    let f = fonts::fonts().ok()?;
    let ws: Vec<_> = words(runs, f, size, bold, false)
        .into_iter()
        .collect::<Option<_>>()?;
    let space = f.width(" ", Face::Regular, size);
    let starts = balanced_starts(&ws, measure, space)?;
    if starts.len() < 2 {
        return None;
    }
    let lines = (0..starts.len())
        .map(|k| {
            let end = starts.get(k + 1).copied().unwrap_or(ws.len());
            let mut line: Vec<Inline> = Vec::new();
            for (j, w) in ws[starts[k]..end].iter().enumerate() {
                for (pi, p) in w.pieces.iter().enumerate() {
                    let (b, i) = p.face.emphasis();
                    let text = if j > 0 && pi == 0 {
                        format!(" {}", p.text)
                    } else {
                        p.text.clone()
                    };
                    match line.last_mut() {
                        Some(l) if l.bold == b && l.italic == i => l.text.push_str(&text),
                        _ => line.push(Inline {
                            text,
                            bold: b,
                            italic: i,
                        }),
                    }
                }
            }
            line
        })
        .collect();
    Some(lines)
}

/// Whether a centred line leads (through other centred lines) to a table:
/// it is the table's caption and keeps with it.
fn is_caption(next: &[Block]) -> bool {
    for b in next {
        match b {
            Block::Paragraph(p) if p.style == ParaStyle::Centered => continue,
            Block::Table(_) => return true,
            _ => return false,
        }
    }
    false
}

/// A body child of a section.
pub enum Child {
    /// A paragraph.
    P(Box<Paragraph>),
    /// A table.
    T(Box<Table>),
}

impl Child {
    fn p(p: Paragraph) -> Child {
        Child::P(Box::new(p))
    }
    fn t(t: Table) -> Child {
        Child::T(Box::new(t))
    }
    /// Append to the document body.
    pub fn add_to(self, docx: Docx) -> Docx {
        match self {
            Child::P(p) => docx.add_paragraph(*p),
            Child::T(t) => docx.add_table(*t),
        }
    }
}

/// Collects one section's children.
pub struct Builder<'a> {
    opts: &'a DocxOptions,
    width: u32,
    out: Vec<Child>,
    in_title: bool,
}

impl<'a> Builder<'a> {
    /// A builder for a portrait or landscape section.
    pub fn new(opts: &'a DocxOptions, landscape: bool) -> Self {
        Builder {
            opts,
            width: text_width(landscape),
            out: Vec::new(),
            in_title: false,
        }
    }

    /// Take the children built so far.
    pub fn take(&mut self) -> Vec<Child> {
        self.close_title();
        std::mem::take(&mut self.out)
    }

    fn hp(&self) -> usize {
        (self.opts.body_pt * 2.0).round() as usize
    }

    /// After the last of consecutive title lines: a short centred rule.
    fn close_title(&mut self) {
        if self.in_title {
            self.in_title = false;
            let side = (self.width / 3) as i32;
            let rule = with_bottom_rule(
                Paragraph::new()
                    .indent(Some(side), None, Some(side), None)
                    .line_spacing(
                        LineSpacing::new()
                            .before(0)
                            .after(240)
                            .line(120)
                            .line_rule(LineSpacingType::Exact),
                    )
                    .size(4),
            );
            self.out.push(Child::p(rule));
        }
    }

    /// A title's or a centred line's runs broken into balanced lines (the
    /// PDF's breaks, measured with the same metrics); None when it fits on
    /// one line or cannot be balanced.
    fn balanced(&self, runs: &[Inline], bold: bool, size: f32) -> Option<Vec<Vec<Inline>>> {
        balanced_in(runs, bold, size, self.width as f32 / 20.0)
    }

    /// Runs set on balanced lines, a line break between them.
    fn balanced_runs(
        &self,
        mut p: Paragraph,
        lines: &[Vec<Inline>],
        force_bold: bool,
        hp: usize,
    ) -> Paragraph {
        for (k, line) in lines.iter().enumerate() {
            if k > 0 {
                p = p.add_run(
                    Run::new()
                        .add_break(BreakType::TextWrapping)
                        .fonts(fonts_xml()),
                );
            }
            p = self.runs(p, line, force_bold, false, hp);
        }
        p
    }

    /// Add one block; `next` are the blocks after it (a caption keeps with
    /// its table).
    pub fn block(&mut self, b: &Block, next: &[Block]) -> Result<(), WriteError> {
        if !matches!(b, Block::Title(_)) {
            self.close_title();
        }
        match b {
            Block::AdminHeader(h) => {
                self.out.push(Child::t(self.admin_header(h)));
                // Space between the header and the title.
                self.out.push(Child::p(
                    Paragraph::new()
                        .line_spacing(LineSpacing::new().before(0).after(0))
                        .size(24),
                ));
            }
            Block::Title(runs) => {
                self.in_title = true;
                // Title lines stay together and with the rule under them.
                let p = Paragraph::new().style("Title").keep_next(true);
                let p = match self.balanced(runs, true, self.opts.body_pt) {
                    Some(lines) => self.balanced_runs(p, &lines, true, self.hp()),
                    None => self.runs(p, runs, true, false, self.hp()),
                };
                self.out.push(Child::p(p));
            }
            Block::Heading { level, text } => {
                let style = match level {
                    1 => "Heading1",
                    2 => "Heading2",
                    _ => "Heading3",
                };
                let italic = *level >= 3;
                let p = Paragraph::new().style(style).keep_next(true);
                self.out
                    .push(Child::p(self.runs(p, text, true, italic, self.hp())));
            }
            Block::Paragraph(p) if p.style == ParaStyle::Placeholder => {
                // Highlighted so that it cannot be missed, nor sent.
                let mut para = Paragraph::new()
                    .style("Normal")
                    .align(AlignmentType::Both)
                    .indent(
                        Some(0),
                        Some(SpecialIndentType::FirstLine(FIRST_LINE)),
                        None,
                        None,
                    );
                for r in &p.runs {
                    para = para.add_run(
                        run(&r.text.replace('\n', " "), r.bold, true, self.hp())
                            .highlight("yellow"),
                    );
                }
                self.out.push(Child::p(para));
            }
            Block::Paragraph(p) => {
                let para = match p.style {
                    ParaStyle::Body | ParaStyle::ListItem | ParaStyle::Placeholder => {
                        Paragraph::new()
                            .style("Normal")
                            .align(AlignmentType::Both)
                            .indent(
                                Some(0),
                                Some(SpecialIndentType::FirstLine(FIRST_LINE)),
                                None,
                                None,
                            )
                    }
                    ParaStyle::Centered => Paragraph::new()
                        .style("Normal")
                        .align(AlignmentType::Center)
                        .keep_next(is_caption(next)),
                };
                let para = match p.style {
                    ParaStyle::Centered => match self.balanced(&p.runs, false, self.opts.body_pt) {
                        Some(lines) => self.balanced_runs(para, &lines, false, self.hp()),
                        None => self.runs(para, &p.runs, false, false, self.hp()),
                    },
                    _ => self.runs(para, &p.runs, false, false, self.hp()),
                };
                self.out.push(Child::p(para));
            }
            Block::Table(t) => {
                // Widths from the content, measured as the PDF measures
                // them, in whole twips summing to the text width.
                let f = fonts::fonts()?;
                let pts = column_widths(
                    f,
                    t,
                    self.width as f32 / 20.0,
                    CELL_PT,
                    CELL_PAD as f32 / 20.0,
                );
                let mut widths: Vec<usize> =
                    pts.iter().map(|w| (w * 20.0).floor() as usize).collect();
                let short = (self.width as usize).saturating_sub(widths.iter().sum());
                if let Some(last) = widths.last_mut() {
                    *last += short;
                }
                let size = (CELL_PT * 2.0) as usize;
                let mut rows = Vec::new();
                // The header and the first rows keep together (and with
                // the caption, which keeps with the table).
                for r in &t.header {
                    rows.push(self.row(r, &widths, None, true, size, true).cant_split());
                }
                let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
                for (k, r) in t.rows.iter().enumerate() {
                    let keep = k + 1 < KEPT_ROWS;
                    rows.push(self.row(r, &widths, Some(&aligns), r.emphasis, size, keep));
                }
                let table = Table::new(rows)
                    .set_grid(widths.clone())
                    .layout(TableLayoutType::Fixed)
                    .margins(TableCellMargins::new().margin(30, CELL_PAD, 30, CELL_PAD))
                    .width(widths.iter().sum(), WidthType::Dxa);
                self.out.push(Child::t(table));
                // A little air after a table.
                self.out.push(Child::p(
                    Paragraph::new()
                        .line_spacing(LineSpacing::new().before(0).after(0))
                        .size(8),
                ));
            }
            Block::Signature(s) => self.out.push(Child::t(self.signature(s))),
            Block::Image(img) => self.image(img)?,
            Block::Chart(c) => self.image(&crate::write::chart::image(c)?)?,
            Block::PageBreak => self.out.push(Child::p(
                Paragraph::new().add_run(Run::new().add_break(BreakType::Page)),
            )),
            Block::Section(_) => {}
        }
        Ok(())
    }

    /// Runs into a paragraph; `bold`/`italic` force emphasis on every run.
    fn runs(
        &self,
        mut p: Paragraph,
        runs: &[Inline],
        bold: bool,
        italic: bool,
        hp: usize,
    ) -> Paragraph {
        for r in runs {
            for (i, line) in r.text.split('\n').enumerate() {
                let mut run_ = run(line, bold || r.bold, italic || r.italic, hp);
                if i > 0 {
                    run_ = Run::new()
                        .add_break(BreakType::TextWrapping)
                        .fonts(fonts_xml());
                    p = p.add_run(run_);
                    run_ = run(line, bold || r.bold, italic || r.italic, hp);
                }
                p = p.add_run(run_);
            }
        }
        p
    }

    fn row(
        &self,
        r: &Row,
        widths: &[usize],
        aligns: Option<&[Align]>,
        bold: bool,
        hp: usize,
        keep_next: bool,
    ) -> TableRow {
        let cells = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let content: &[Inline] = r.cells.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let align = match aligns.map(|a| a.get(i).copied().unwrap_or(Align::Left)) {
                    None => AlignmentType::Center,
                    Some(Align::Right) => AlignmentType::Right,
                    Some(Align::Center) => AlignmentType::Center,
                    Some(_) => AlignmentType::Left,
                };
                let para = Paragraph::new()
                    .style("TableText")
                    .align(align)
                    .keep_next(keep_next);
                // A header cell breaks where the PDF balances it.
                let measure = (*w as f32 - 2.0 * CELL_PAD as f32) / 20.0;
                let set = aligns
                    .is_none()
                    .then(|| balanced_in(content, bold, hp as f32 / 2.0, measure))
                    .flatten();
                let p = match set {
                    Some(lines) => self.balanced_runs(para, &lines, bold, hp),
                    None => self.runs(para, content, bold, false, hp),
                };
                TableCell::new()
                    .add_paragraph(p)
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
            })
            .collect();
        TableRow::new(cells)
    }

    /// Centred lines in a header cell `measure` twips wide, each balanced
    /// when it needs two lines; `before` is the space above the first, in
    /// twips. The rule under a line is a paragraph of its own (its border
    /// inset from both sides), so that it never narrows the line's text.
    fn centered_lines(
        &self,
        lines: &[(Inline, usize)],
        rule_under: Option<(usize, i32)>,
        before: u32,
        measure: u32,
    ) -> Vec<Paragraph> {
        let mut out = Vec::new();
        for (i, (l, hp)) in lines.iter().enumerate() {
            let mut p = Paragraph::new().align(AlignmentType::Center).line_spacing(
                LineSpacing::new()
                    .before(if i == 0 { before } else { 0 })
                    .after(0)
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            );
            let one = std::slice::from_ref(l);
            match balanced_in(one, false, *hp as f32 / 2.0, measure as f32 / 20.0) {
                Some(set) => {
                    for (k, line) in set.iter().enumerate() {
                        if k > 0 {
                            p = p.add_run(
                                Run::new()
                                    .add_break(BreakType::TextWrapping)
                                    .fonts(fonts_xml()),
                            );
                        }
                        for r in line {
                            p = p.add_run(run(&r.text, r.bold, r.italic, *hp));
                        }
                    }
                }
                None => p = p.add_run(run(&l.text, l.bold, l.italic, *hp)),
            }
            out.push(p);
            if let Some((idx, inset)) = rule_under {
                if idx == i {
                    out.push(with_bottom_rule(
                        Paragraph::new()
                            .indent(Some(inset), None, Some(inset), None)
                            .line_spacing(
                                LineSpacing::new()
                                    .before(0)
                                    .after(0)
                                    .line(60)
                                    .line_rule(LineSpacingType::Exact),
                            )
                            .size(2),
                    ));
                }
            }
        }
        out
    }

    fn admin_header(&self, h: &AdminHeader) -> Table {
        let w_left = self.width * 40 / 100;
        let w_right = self.width - w_left;
        let left: Vec<(Inline, usize)> = h.left.iter().map(|l| (l.clone(), 26)).collect();
        let right: Vec<(Inline, usize)> = h
            .right
            .iter()
            .enumerate()
            // Quốc hiệu 12 pt (fits one line in the column); the motto and
            // the Party's name 14 pt. Same rule as the PDF writer.
            .map(|(i, l)| (l.clone(), if i == 0 && h.right.len() > 1 { 24 } else { 28 }))
            .collect();
        // The issuing body's rule: a third of the column; the motto's: as
        // long as the motto, measured as the PDF measures it.
        let left_rule = h.left_rule_under.map(|i| (i, (w_left / 3) as i32));
        let right_rule = h.right_rule_under.map(|i| {
            let text_tw = match (right.get(i), fonts::fonts()) {
                (Some((l, hp)), Ok(f)) => {
                    (f.width(&l.text, Face::of(l.bold, l.italic), *hp as f32 / 2.0) * 20.0) as u32
                }
                _ => w_right / 2,
            };
            (i, (w_right.saturating_sub(text_tw) / 2) as i32)
        });
        let cell = |ps: Vec<Paragraph>, w: u32| {
            ps.into_iter()
                .fold(TableCell::new(), |c, p| c.add_paragraph(p))
                .width(w as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Top)
        };
        let row1 = TableRow::new(vec![
            cell(self.centered_lines(&left, left_rule, 0, w_left), w_left),
            cell(self.centered_lines(&right, right_rule, 0, w_right), w_right),
        ]);
        // Row 2 clear of the rules above it, as in the PDF.
        let number =
            self.centered_lines(&[(Inline::plain(h.number.clone()), 26)], None, 100, w_left);
        let date = self.centered_lines(
            &[(Inline::italic(h.place_date.clone()), 28)],
            None,
            100,
            w_right,
        );
        let row2 = TableRow::new(vec![cell(number, w_left), cell(date, w_right)]);
        // No cell padding: the columns are as wide as the PDF's.
        Table::without_borders(vec![row1, row2])
            .set_grid(vec![w_left as usize, w_right as usize])
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0))
            .width(self.width as usize, WidthType::Dxa)
    }

    fn signature(&self, s: &Signature) -> Table {
        let w_left = self.width * 45 / 100;
        let w_right = self.width - w_left;
        let tight = || {
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(240)
                .line_rule(LineSpacingType::Auto)
        };
        let mut left = TableCell::new()
            .add_paragraph(Paragraph::new().line_spacing(tight()).add_run(run(
                "Nơi nhận:",
                true,
                true,
                24,
            )))
            .width(w_left as usize, WidthType::Dxa);
        let n = s.recipients.len();
        for (i, r) in s.recipients.iter().enumerate() {
            let end = if i + 1 == n { "." } else { ";" };
            let text = format!("- {}{}", r.trim_end_matches([';', '.']), end);
            left = left.add_paragraph(
                Paragraph::new()
                    .line_spacing(tight())
                    .add_run(run(&text, false, false, 22)),
            );
        }
        let line = |t: &str, bold: bool| {
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(tight())
                .add_run(run(t, bold, false, 28))
        };
        let mut right = TableCell::new().width(w_right as usize, WidthType::Dxa);
        for t in [&s.authority, &s.title] {
            if !t.is_empty() {
                right = right.add_paragraph(line(t, true));
            }
        }
        // Room for the signature and the seal.
        for _ in 0..4 {
            right = right.add_paragraph(line("", false));
        }
        right = right.add_paragraph(line(&s.name, true));
        Table::without_borders(vec![TableRow::new(vec![left, right])])
            .set_grid(vec![w_left as usize, w_right as usize])
            .layout(TableLayoutType::Fixed)
            .width(self.width as usize, WidthType::Dxa)
    }

    fn image(&mut self, img: &Image) -> Result<(), WriteError> {
        let (wpx, hpx) = crate::write::png_size(&img.png).ok_or_else(|| WriteError::Content {
            what: "hình ảnh".into(),
            why: "dữ liệu không phải ảnh PNG hợp lệ".into(),
        })?;
        // EMU: 36 000 per millimetre.
        let w_emu = (img.width_mm.max(10.0) * 36_000.0) as u32;
        let h_emu = (w_emu as u64 * hpx as u64 / wpx.max(1) as u64) as u32;
        let pic = Pic::new_with_dimensions(img.png.clone(), wpx, hpx).size(w_emu, h_emu);
        self.out.push(Child::p(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_image(pic)),
        ));
        if !img.caption.is_empty() {
            self.out.push(Child::p(
                Paragraph::new().align(AlignmentType::Center).add_run(run(
                    &img.caption,
                    false,
                    true,
                    self.hp() - 2,
                )),
            ));
        }
        Ok(())
    }
}

/// A paragraph with a single rule under it.
fn with_bottom_rule(mut p: Paragraph) -> Paragraph {
    let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
        .val(BorderType::Single)
        .size(6)
        .space(1)
        .color("000000");
    p.property = p
        .property
        .set_borders(ParagraphBorders::with_empty().set(border));
    p
}
