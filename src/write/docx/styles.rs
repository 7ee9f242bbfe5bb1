//! Word styles: Normal, Title, Heading 1–3 and a table text style, so the
//! office's later edits stay consistent and a table of contents works.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, RunFonts, SpecialIndentType, Style,
    StyleType,
};

use super::DocxOptions;

/// Times New Roman for every script.
pub fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman")
}

/// Body line spacing: 6 pt after, 1.15 lines (Word's 240 = single).
pub fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .before(0)
        .after(120)
        .line(276)
        .line_rule(LineSpacingType::Auto)
}

/// First-line indent of body paragraphs: 1,27 cm.
pub const FIRST_LINE: i32 = 720;

/// Add the styles and document defaults.
pub fn apply(docx: Docx, opts: &DocxOptions) -> Docx {
    let hp = (opts.body_pt * 2.0).round() as usize;
    let heading = |id: &str, name: &str, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .fonts(fonts())
            .size(hp)
            .bold()
            .color("000000")
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(FIRST_LINE)),
                None,
                None,
            )
            .line_spacing(
                LineSpacing::new()
                    .before(120)
                    .after(60)
                    .line(276)
                    .line_rule(LineSpacingType::Auto),
            )
            .outline_lvl(level)
    };
    docx.default_fonts(fonts())
        .default_size(hp)
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .q_format(true)
                .fonts(fonts())
                .size(hp)
                .align(AlignmentType::Both)
                .line_spacing(body_spacing()),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .fonts(fonts())
                .size(hp)
                .bold()
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .before(0)
                        .after(0)
                        .line(264)
                        .line_rule(LineSpacingType::Auto),
                ),
        )
        .add_style(heading("Heading1", "heading 1", 0))
        .add_style(heading("Heading2", "heading 2", 1))
        .add_style(heading("Heading3", "heading 3", 2).italic())
        .add_style(
            Style::new("TableText", StyleType::Paragraph)
                .name("Table Text")
                .based_on("Normal")
                .q_format(true)
                .fonts(fonts())
                // 12 pt, as the PDF's tables.
                .size(24)
                .align(AlignmentType::Left)
                .line_spacing(
                    LineSpacing::new()
                        .before(20)
                        .after(20)
                        .line(240)
                        .line_rule(LineSpacingType::Auto),
                ),
        )
}
