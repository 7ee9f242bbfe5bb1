//! Markdown (what templates produce) → the [`Document`] model.
//!
//! Plain Markdown carries the body: `#` title lines, `##` `I.` headings,
//! `###` `1.` headings, `####` `a)` headings, paragraphs, lists, tables,
//! `**bold**`, `*italic*`. What Markdown cannot say comes from directives,
//! each alone on a line: `[[dau-trang]]` (the administrative header from
//! settings), `[[chu-ky]]` (Nơi nhận and the signature), `[[ngat-trang]]`
//! (page break), `[[phu-luc]]` (a landscape section numbered from 1),
//! `[[trang-doc]]` (a portrait section numbered from 1), a paragraph
//! starting with `[[giua]]` is centred, and one starting with
//! `[[can-viet]]` is a placeholder the clerk must replace; `[[bieu-do CODE BY]]`
//! (written by the `bieu_do` helper) is a chart of an indicator.

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::document::{
    AdminHeader, Align, Block, Column, Document, Inline, ParaStyle, Paragraph, Row, SectionStart,
    Signature, Table,
};
use crate::vi::fold::nfc;

/// Why a template's Markdown could not become a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownError(pub String);

/// Convert rendered Markdown into the document model; `ctx` supplies the
/// header and signature blocks.
pub fn to_document(markdown: &str, ctx: &Value) -> Result<Document, MarkdownError> {
    let mut b = Builder::default();
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for ev in parser {
        b.event(ev, ctx)?;
    }
    let title = ctx
        .pointer("/bao_cao/trich_yeu")
        .and_then(Value::as_str)
        .unwrap_or("Báo cáo")
        .to_string();
    Ok(Document {
        title,
        blocks: b.blocks,
        notes: b.notes,
    })
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    runs: Vec<Inline>,
    bold: u32,
    italic: u32,
    heading: Option<u8>,
    list_stack: Vec<Option<u64>>,
    in_item: bool,
    table: Option<Table>,
    row: Vec<Vec<Inline>>,
    in_head: bool,
    charts: usize,
    notes: Vec<String>,
}

impl Builder {
    fn push_text(&mut self, t: &str) {
        let text = nfc(t);
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(last) = self.runs.last_mut() {
            if last.bold == bold && last.italic == italic {
                last.text.push_str(&text);
                return;
            }
        }
        self.runs.push(Inline { text, bold, italic });
    }

    fn take_runs(&mut self) -> Vec<Inline> {
        let mut runs = std::mem::take(&mut self.runs);
        // Collapse white space at the edges.
        if let Some(f) = runs.first_mut() {
            f.text = f.text.trim_start().to_string();
        }
        if let Some(l) = runs.last_mut() {
            l.text = l.text.trim_end().to_string();
        }
        runs.retain(|r| !r.text.is_empty());
        runs
    }

    fn event(&mut self, ev: Event<'_>, ctx: &Value) -> Result<(), MarkdownError> {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => self.heading = Some(level as u8),
            Event::End(TagEnd::Heading(_)) => {
                let runs = self.take_runs();
                let level = self.heading.take().unwrap_or(2);
                if level == 1 {
                    self.blocks.push(Block::Title(runs));
                } else {
                    self.blocks.push(Block::Heading {
                        level: (level - 1).min(3),
                        text: runs,
                    });
                }
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                let runs = self.take_runs();
                if self.table.is_some() {
                    self.runs = runs;
                } else {
                    self.paragraph(runs, ctx)?;
                }
            }
            Event::Start(Tag::List(start)) => self.list_stack.push(start),
            Event::End(TagEnd::List(_)) => {
                self.list_stack.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush_item();
                self.in_item = true;
                let marker = match self.list_stack.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.runs.push(Inline::plain(marker));
            }
            Event::End(TagEnd::Item) => {
                self.flush_item();
                self.in_item = false;
            }
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Table(aligns)) => {
                self.table = Some(Table {
                    columns: aligns
                        .iter()
                        .map(|a| Column {
                            width: 1.0,
                            align: match a {
                                Alignment::Right => Align::Right,
                                Alignment::Center => Align::Center,
                                _ => Align::Left,
                            },
                        })
                        .collect(),
                    ..Default::default()
                });
            }
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => {
                let cells = std::mem::take(&mut self.row);
                if let Some(t) = self.table.as_mut() {
                    t.header.push(Row {
                        cells,
                        emphasis: true,
                    });
                }
                self.in_head = false;
            }
            Event::Start(Tag::TableRow) => {}
            Event::End(TagEnd::TableRow) => {
                let cells = std::mem::take(&mut self.row);
                let emphasis = !cells.is_empty()
                    && cells.iter().flatten().all(|r| r.bold)
                    && cells.iter().any(|c| !c.is_empty());
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Row { cells, emphasis });
                }
            }
            Event::Start(Tag::TableCell) => {}
            Event::End(TagEnd::TableCell) => {
                let runs = self.take_runs();
                self.row.push(runs);
            }
            Event::End(TagEnd::Table) => {
                if let Some(mut t) = self.table.take() {
                    size_columns(&mut t);
                    self.blocks.push(Block::Table(t));
                }
            }
            Event::Text(t) | Event::Code(t) => self.push_text(&t),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::Rule => self.blocks.push(Block::PageBreak),
            _ => {}
        }
        Ok(())
    }

    fn flush_item(&mut self) {
        if self.runs.len() > 1 || self.runs.first().is_some_and(|r| r.text.trim().len() > 2) {
            let runs = self.take_runs();
            self.blocks.push(Block::Paragraph(Paragraph {
                style: ParaStyle::ListItem,
                runs,
            }));
        } else {
            self.runs.clear();
        }
    }

    fn paragraph(&mut self, runs: Vec<Inline>, ctx: &Value) -> Result<(), MarkdownError> {
        if self.in_item {
            // Paragraphs inside a list item join the item.
            self.runs = runs;
            self.runs.push(Inline::plain(" "));
            return Ok(());
        }
        let text = crate::document::plain_text(&runs);
        let trimmed = text.trim();
        match trimmed {
            "[[dau-trang]]" => self.blocks.push(Block::AdminHeader(admin_header(ctx))),
            "[[chu-ky]]" => self.blocks.push(Block::Signature(signature(ctx))),
            "[[ngat-trang]]" => self.blocks.push(Block::PageBreak),
            "[[phu-luc]]" => self.blocks.push(Block::Section(SectionStart {
                landscape: true,
                restart_numbering: true,
            })),
            "[[trang-doc]]" => self.blocks.push(Block::Section(SectionStart {
                landscape: false,
                restart_numbering: true,
            })),
            _ if super::chart::directive(trimmed).is_some() => {
                if let Some((ma, by)) = super::chart::directive(trimmed) {
                    match super::chart::build(ctx, ma, by, self.charts + 1) {
                        Ok(c) => {
                            self.charts += 1;
                            self.blocks.push(Block::Chart(c));
                        }
                        Err(why) => self.notes.push(why),
                    }
                }
            }
            _ if trimmed.starts_with("[[giua]]") => {
                let mut runs = runs;
                strip_prefix_runs(&mut runs, "[[giua]]");
                self.blocks.push(Block::Paragraph(Paragraph {
                    style: ParaStyle::Centered,
                    runs,
                }));
            }
            _ if trimmed.starts_with("[[can-viet]]") => {
                let mut runs = runs;
                strip_prefix_runs(&mut runs, "[[can-viet]]");
                self.blocks.push(Block::Paragraph(Paragraph {
                    style: ParaStyle::Placeholder,
                    runs,
                }));
            }
            _ if trimmed.starts_with("[[") && trimmed.ends_with("]]") && !trimmed.contains(' ') => {
                return Err(MarkdownError(format!(
                    "chỉ dẫn {trimmed} không có; dùng [[dau-trang]], [[chu-ky]], [[ngat-trang]], [[phu-luc]], [[trang-doc]], [[giua]] hoặc [[can-viet]]"
                )));
            }
            _ => {
                if !runs.is_empty() {
                    self.blocks.push(Block::Paragraph(Paragraph {
                        style: ParaStyle::Body,
                        runs,
                    }));
                }
            }
        }
        Ok(())
    }
}

fn strip_prefix_runs(runs: &mut Vec<Inline>, prefix: &str) {
    let mut left = prefix.len();
    for r in runs.iter_mut() {
        let t = r.text.trim_start();
        if left == 0 {
            break;
        }
        let n = t.len().min(left);
        r.text = t[n..].trim_start().to_string();
        left -= n;
    }
    runs.retain(|r| !r.text.is_empty());
}

/// Column widths from the longest text in each column, clamped so that a
/// long name column does not starve number columns.
fn size_columns(t: &mut Table) {
    let n = t.columns.len();
    let mut w = vec![3.0f32; n];
    for (i, slot) in w.iter_mut().enumerate() {
        let longest = t
            .rows
            .iter()
            .chain(&t.header)
            .filter_map(|r| r.cells.get(i))
            .map(|c| c.iter().map(|r| r.text.chars().count()).sum::<usize>() as f32)
            .fold(0.0f32, f32::max);
        let header_word = t
            .header
            .iter()
            .filter_map(|r| r.cells.get(i))
            .flat_map(|c| {
                c.iter()
                    .flat_map(|r| r.text.split_whitespace().map(|w| w.chars().count()))
            })
            .max()
            .unwrap_or(0) as f32;
        // Room for the longest header word and at least a short number.
        *slot = longest.clamp((header_word + 3.0).max(5.0), 40.0);
    }
    for (c, wi) in t.columns.iter_mut().zip(w) {
        c.width = wi;
    }
}

fn s(ctx: &Value, ptr: &str) -> String {
    ctx.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// The administrative header from settings (Nghị định 30, or the Party's).
pub fn admin_header(ctx: &Value) -> AdminHeader {
    let party = s(ctx, "/co_quan/kieu") == "dang";
    let chu_quan = s(ctx, "/co_quan/chu_quan").to_uppercase();
    let ban_hanh = s(ctx, "/co_quan/ban_hanh").to_uppercase();
    let so = s(ctx, "/bao_cao/so");
    let number = format_so(&so, party);
    let place_date = format!(
        "{}, {}",
        s(ctx, "/bao_cao/dia_danh"),
        s(ctx, "/bao_cao/ngay_chu")
    );
    if party {
        AdminHeader {
            left: vec![
                Inline::plain(chu_quan),
                Inline::bold(ban_hanh),
                Inline::plain("*"),
            ],
            right: vec![Inline::bold("ĐẢNG CỘNG SẢN VIỆT NAM")],
            left_rule_under: None,
            right_rule_under: Some(0),
            number,
            place_date,
        }
    } else {
        AdminHeader {
            left: vec![Inline::plain(chu_quan), Inline::bold(ban_hanh)],
            right: vec![
                Inline::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                Inline::bold("Độc lập - Tự do - Hạnh phúc"),
            ],
            left_rule_under: Some(1),
            right_rule_under: Some(1),
            number,
            place_date,
        }
    }
}

/// `Số: 05/BC-SYT` (numbers below 10 get a leading zero; a draft keeps a
/// blank); the Party writes `Số 12-BC/ĐU`.
pub fn format_so(so: &str, party: bool) -> String {
    let so = so.trim();
    let lead = if party { "Số " } else { "Số: " };
    if so.is_empty() || so.starts_with('/') || so.starts_with('-') {
        // A draft: room for the number to be written in.
        return format!("{}      {so}", lead.trim_end());
    }
    format!("{lead}{}", crate::context::so_hien_thi(so))
}

/// Nơi nhận and the signature from settings.
pub fn signature(ctx: &Value) -> Signature {
    let recipients = ctx
        .get("noi_nhan")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| s.to_string())
                .collect()
        })
        .unwrap_or_default();
    Signature {
        recipients,
        authority: s(ctx, "/ky/quyen_han").to_uppercase(),
        title: s(ctx, "/ky/chuc_vu").to_uppercase(),
        name: s(ctx, "/ky/ho_ten"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headings_paragraphs_and_tables() {
        let md = "# BÁO CÁO\n\n## I. KẾT QUẢ\n\nMột **đậm** và *nghiêng*.\n\n| A | B |\n|:--|--:|\n| x | 1.234 |\n| **I** | **Nhóm** |\n";
        let d = to_document(md, &json!({})).unwrap();
        assert!(matches!(&d.blocks[0], Block::Title(r) if r[0].text == "BÁO CÁO"));
        assert!(matches!(&d.blocks[1], Block::Heading { level: 1, .. }));
        let Block::Paragraph(p) = &d.blocks[2] else {
            panic!()
        };
        assert_eq!(p.runs[1], Inline::bold("đậm"));
        let Block::Table(t) = &d.blocks[3] else {
            panic!()
        };
        assert_eq!(t.columns[1].align, Align::Right);
        assert_eq!(t.rows.len(), 2);
        assert!(t.rows[1].emphasis && !t.rows[0].emphasis);
    }

    #[test]
    fn escaped_text_stays_literal() {
        let md = format!(
            "| a |\n|---|\n| {} |\n",
            crate::template::escape::escape_markdown("x | *y* # z")
        );
        let d = to_document(&md, &json!({})).unwrap();
        let Block::Table(t) = &d.blocks[0] else {
            panic!()
        };
        assert_eq!(
            crate::document::plain_text(&t.rows[0].cells[0]),
            "x | *y* # z"
        );
    }

    #[test]
    fn number_gets_leading_zero() {
        assert_eq!(format_so("5/BC-SYT", false), "Số: 05/BC-SYT");
        assert_eq!(format_so("123/BC-SYT", false), "Số: 123/BC-SYT");
        assert_eq!(format_so("/BC-SYT", false), "Số:      /BC-SYT");
    }

    #[test]
    fn unknown_directive_is_an_error() {
        assert!(to_document("[[chuky]]\n", &json!({})).is_err());
    }
}
