//! Escaping values for Markdown (not HTML): a unit's text with `*`, `|` or
//! `#` prints as typed and never breaks a table or a heading.

/// Escape Markdown's special characters in a value; line breaks become
/// spaces so a value can never end a table row or start a block.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut at_line_start = true;
    for line in s.split('\n') {
        if !at_line_start {
            out.push(' ');
        }
        let trimmed = line.trim_start();
        let mut first = true;
        for (i, c) in trimmed.char_indices() {
            if first {
                first = false;
                // A line may not start a list, quote, heading or code block.
                if matches!(c, '-' | '+' | '>' | '=' | '~') {
                    out.push('\\');
                }
                if c.is_ascii_digit() {
                    let digits = trimmed[i..]
                        .find(|ch: char| !ch.is_ascii_digit())
                        .unwrap_or(trimmed.len());
                    let after = &trimmed[digits..];
                    if after.starts_with(". ")
                        || after.starts_with(") ")
                        || after == "."
                        || after == ")"
                    {
                        out.push_str(&trimmed[..digits]);
                        out.push('\\');
                        out.push_str(&after[..1]);
                        out.push_str(&escape_inline(&after[1..]));
                        break;
                    }
                }
            }
            push_inline(&mut out, c);
            let _ = i;
        }
        at_line_start = false;
    }
    out
}

fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_inline(&mut out, c);
    }
    out
}

fn push_inline(out: &mut String, c: char) {
    match c {
        '\\' | '*' | '_' | '#' | '|' | '[' | ']' | '<' | '>' | '`' | '!' | '&' => {
            out.push('\\');
            out.push(c);
        }
        '\r' => {}
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials() {
        assert_eq!(escape_markdown("a*b*"), "a\\*b\\*");
        assert_eq!(escape_markdown("x | y"), "x \\| y");
        assert_eq!(
            escape_markdown("# không phải tiêu đề"),
            "\\# không phải tiêu đề"
        );
        assert_eq!(escape_markdown("- gạch"), "\\- gạch");
        assert_eq!(escape_markdown("1. một"), "1\\. một");
        assert_eq!(escape_markdown("1.234 lượt"), "1.234 lượt");
        assert_eq!(escape_markdown("dòng 1\ndòng 2"), "dòng 1 dòng 2");
    }
}
