//! Blocks of the document model → docx-rs paragraphs and tables.

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, LineSpacing, LineSpacingType, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Pic, Run, SpecialIndentType, Table,
    TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::styles::{fonts, FIRST_LINE};
use super::{run, text_width, DocxOptions};
use crate::document::{AdminHeader, Align, Block, Image, Inline, ParaStyle, Row, Signature};
use crate::write::WriteError;

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

    /// Add one block.
    pub fn block(&mut self, b: &Block) -> Result<(), WriteError> {
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
                self.out.push(Child::p(self.runs(
                    Paragraph::new().style("Title"),
                    runs,
                    true,
                    false,
                    self.hp(),
                )));
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
                        .align(AlignmentType::Center),
                };
                self.out
                    .push(Child::p(self.runs(para, &p.runs, false, false, self.hp())));
            }
            Block::Table(t) => {
                let total: f32 = t.columns.iter().map(|c| c.width.max(0.1)).sum();
                let widths: Vec<usize> = t
                    .columns
                    .iter()
                    .map(|c| (c.width.max(0.1) / total * self.width as f32).floor() as usize)
                    .collect();
                let size = self.hp().saturating_sub(2);
                let mut rows = Vec::new();
                for r in &t.header {
                    rows.push(self.row(r, &widths, None, true, size).cant_split());
                }
                for r in &t.rows {
                    let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
                    rows.push(self.row(r, &widths, Some(&aligns), r.emphasis, size));
                }
                let table = Table::new(rows)
                    .set_grid(widths.clone())
                    .layout(TableLayoutType::Fixed)
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
                    run_ = Run::new().add_break(BreakType::TextWrapping).fonts(fonts());
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
                let p = self.runs(
                    Paragraph::new().style("TableText").align(align),
                    content,
                    bold,
                    false,
                    hp,
                );
                TableCell::new()
                    .add_paragraph(p)
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
            })
            .collect();
        TableRow::new(cells)
    }

    fn centered_lines(
        &self,
        lines: &[(Inline, usize)],
        rule_under: Option<(usize, i32)>,
    ) -> Vec<Paragraph> {
        lines
            .iter()
            .enumerate()
            .map(|(i, (l, hp))| {
                let mut p = Paragraph::new().align(AlignmentType::Center).line_spacing(
                    LineSpacing::new()
                        .before(0)
                        .after(0)
                        .line(240)
                        .line_rule(LineSpacingType::Auto),
                );
                p = p.add_run(run(&l.text, l.bold, l.italic, *hp));
                if let Some((idx, inset)) = rule_under {
                    if idx == i {
                        p = with_bottom_rule(p.indent(Some(inset), None, Some(inset), None));
                    }
                }
                p
            })
            .collect()
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
        // The issuing body's rule: a third of the column; the motto's: as long as the motto.
        let left_rule = h.left_rule_under.map(|i| (i, (w_left / 3) as i32));
        let right_rule = h.right_rule_under.map(|i| {
            let text = h.right.get(i).map(|r| r.text.chars().count()).unwrap_or(20) as u32;
            let hp = right.get(i).map(|x| x.1).unwrap_or(28) as u32;
            // Average Times New Roman bold advance ≈ 0.5 em.
            let text_tw = text * hp * 10 / 2;
            (i, (w_right.saturating_sub(text_tw) / 2) as i32)
        });
        let cell = |ps: Vec<Paragraph>, w: u32| {
            ps.into_iter()
                .fold(TableCell::new(), |c, p| c.add_paragraph(p))
                .width(w as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Top)
        };
        let row1 = TableRow::new(vec![
            cell(self.centered_lines(&left, left_rule), w_left),
            cell(self.centered_lines(&right, right_rule), w_right),
        ]);
        let number = self.centered_lines(&[(Inline::plain(h.number.clone()), 26)], None);
        let date = self.centered_lines(&[(Inline::italic(h.place_date.clone()), 28)], None);
        let row2 = TableRow::new(vec![cell(number, w_left), cell(date, w_right)]);
        Table::without_borders(vec![row1, row2])
            .set_grid(vec![w_left as usize, w_right as usize])
            .layout(TableLayoutType::Fixed)
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
