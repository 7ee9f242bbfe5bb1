//! A template that does not parse, explained in Vietnamese: the parser says
//! what token it expected (`expected escape, expression, …`) at the end of
//! the file; a clerk needs to know which `{{#each}}` is still open and
//! where it was opened. So the text is scanned for its `{{…}}` tags and
//! blocks, the way handlebars nests them, and the first fault found is
//! named with its line and column; the parser's own position is the
//! fallback, with a hint in Vietnamese for the common mistakes.

use handlebars::{TemplateError, TemplateErrorReason};

/// What is wrong, and where (line, column, from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Line and column the message is about.
    pub at: Option<(usize, usize)>,
    /// The message, in Vietnamese.
    pub message: String,
}

/// An open block: its tag as written (`{{#each nhom}}`), its name, where.
struct Open {
    tag: String,
    name: String,
    line: usize,
    col: usize,
}

/// Line and column (from 1, in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// A tag quoted for a message: its first 60 characters.
fn quote(tag: &str) -> String {
    let t: String = tag.chars().take(60).collect();
    if t.len() < tag.len() {
        format!("{t}…")
    } else {
        t
    }
}

fn where_(l: usize, c: usize) -> String {
    format!("dòng {l}, cột {c}")
}

/// Scan the tags and blocks; the first fault, if the structure has one.
fn scan(text: &str) -> Option<Fault> {
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find("{{") {
        let start = i + off;
        // `\{{` is text.
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            i = start + 2;
            continue;
        }
        let (l, c) = line_col(text, start);
        let rest = &text[start..];
        // Comments: `{{!-- … --}}` and `{{! … }}`.
        let inner_start = rest[2..].trim_start_matches('~');
        if inner_start.starts_with("!--") {
            match rest.find("--}}") {
                Some(e) if e >= 2 => {
                    i = start + e + 4;
                    continue;
                }
                _ => {
                    return Some(Fault {
                        at: Some((l, c)),
                        message: format!(
                        "chú thích {{{{!-- mở ở {} chưa được đóng: thiếu --}}}} ở cuối chú thích",
                        where_(l, c)
                    ),
                    })
                }
            }
        }
        let (close, len) = if rest.starts_with("{{{{") {
            // A raw block: leave it to the parser.
            return None;
        } else if rest.starts_with("{{{") {
            ("}}}", 3)
        } else {
            ("}}", 2)
        };
        let Some(end) = rest[len..].find(close).map(|e| e + len) else {
            return Some(Fault {
                at: Some((l, c)),
                message: format!(
                    "dấu {} ở {} chưa được đóng bằng {close}: “{}”",
                    &rest[..len],
                    where_(l, c),
                    quote(rest.lines().next().unwrap_or(""))
                ),
            });
        };
        // `{{{x}} y`: a triple brace closed by two.
        if len == 3 {
            if let Some(two) = rest[3..].find("}}") {
                if two + 3 < end && !rest[3 + two..].starts_with("}}}") {
                    return Some(Fault {
                        at: Some((l, c)),
                        message: format!(
                            "dấu {{{{{{ ở {} phải được đóng bằng ba dấu }}}}}}, không phải hai: “{}”",
                            where_(l, c),
                            quote(&rest[..(3 + two + 2).min(rest.len())])
                        ),
                    });
                }
            }
        }
        let tag = &rest[..end + close.len()];
        let inner = rest[len..end].trim_matches('~').trim();
        i = start + end + close.len();
        if len == 3 || inner.starts_with('!') {
            continue;
        }
        if inner.is_empty() {
            return Some(Fault {
                at: Some((l, c)),
                message: format!(
                    "{{{{}}}} ở {} trống: cần một tên, ví dụ {{{{bao_cao.ky}}}}",
                    where_(l, c)
                ),
            });
        }
        let word = |s: &str| s.split_whitespace().next().unwrap_or("").to_string();
        if let Some(b) = inner.strip_prefix('#') {
            let b = b.trim_start_matches(['>', '*']);
            let name = word(b);
            if name.is_empty() {
                return Some(Fault {
                    at: Some((l, c)),
                    message: format!(
                        "khối {tag} ở {} thiếu tên (ví dụ {{{{#each nhom}}}})",
                        where_(l, c)
                    ),
                });
            }
            stack.push(Open {
                tag: quote(tag),
                name,
                line: l,
                col: c,
            });
        } else if let Some(b) = inner.strip_prefix('^').filter(|b| !b.trim().is_empty()) {
            stack.push(Open {
                tag: quote(tag),
                name: word(b),
                line: l,
                col: c,
            });
        } else if let Some(b) = inner.strip_prefix('/') {
            let name = word(b);
            match stack.pop() {
                None => {
                    return Some(Fault {
                        at: Some((l, c)),
                        message: format!(
                            "{tag} ở {} không đóng khối nào: không có {{{{#{name}}}}} nào đang mở; xóa dòng này hoặc thêm {{{{#{name} …}}}} ở chỗ khối bắt đầu",
                            where_(l, c)
                        ),
                    })
                }
                Some(open) if open.name != name => {
                    return Some(Fault {
                        at: Some((l, c)),
                        message: format!(
                            "{tag} ở {} không khớp: khối đang mở là {} (mở ở {}), phải đóng nó bằng {{{{/{}}}}} trước",
                            where_(l, c),
                            open.tag,
                            where_(open.line, open.col),
                            open.name
                        ),
                    })
                }
                Some(_) => {}
            }
        } else if (inner == "else" || inner.starts_with("else ") || inner == "^")
            && stack.is_empty()
        {
            return Some(Fault {
                at: Some((l, c)),
                message: format!(
                    "{tag} ở {} nằm ngoài mọi khối: {{{{else}}}} chỉ dùng bên trong {{{{#if …}}}}, {{{{#unless …}}}}, {{{{#each …}}}} hoặc {{{{#neu_co …}}}}",
                    where_(l, c)
                ),
            });
        }
    }
    let open = stack.pop()?;
    let more = if stack.is_empty() {
        String::new()
    } else {
        format!(
            " (còn {} khối mở trước nó: {})",
            stack.len(),
            stack
                .iter()
                .map(|o| format!("{} ở {}", o.tag, where_(o.line, o.col)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(Fault {
        at: Some((open.line, open.col)),
        message: format!(
            "khối {} mở ở {} chưa được đóng: thiếu {{{{/{}}}}} ở chỗ khối kết thúc{more}",
            open.tag,
            where_(open.line, open.col),
            open.name
        ),
    })
}

/// A hint for the parser's own complaint when the blocks are sound.
fn hint(e: &TemplateError) -> &'static str {
    match e.reason() {
        TemplateErrorReason::InvalidSyntax(s) if s.contains("helper_parameter") => {
            "sau dấu = hoặc giữa các tham số cần một giá trị (ví dụ pham_vi=false)"
        }
        TemplateErrorReason::InvalidSyntax(s) if s.contains("path_id") => {
            "một tên không được kết thúc hay có hai dấu chấm liền nhau (ví dụ chi_tieu.KCB_LUOT.gia_tri)"
        }
        TemplateErrorReason::InvalidSyntax(s) if s.contains("partial_identifier") => {
            "sau {{> cần tên một mẫu con (ví dụ {{> nhom}})"
        }
        TemplateErrorReason::InvalidSyntax(s) if s.contains("invert_tag") => {
            "{{else}} chỉ dùng bên trong một khối {{#if}}, {{#each}} …, mỗi khối một lần"
        }
        TemplateErrorReason::NestedSubexpression => "không lồng ngoặc ( ) quá sâu",
        TemplateErrorReason::InvalidParam(_) => "một tham số viết sai",
        _ => "kiểm tra các dấu {{ }}, ( ) và dấu ngoặc kép ở chỗ này",
    }
}

/// Explain why `text` did not parse.
pub fn explain(text: &str, e: &TemplateError) -> Fault {
    if let Some(f) = scan(text) {
        return f;
    }
    if let TemplateErrorReason::MismatchingClosedHelper(open, close)
    | TemplateErrorReason::MismatchingClosedDecorator(open, close) = e.reason()
    {
        return Fault {
            at: e.pos(),
            message: format!(
                "khối {{{{#{open}}}}} được đóng bằng {{{{/{close}}}}}; phải là {{{{/{open}}}}}"
            ),
        };
    }
    let snippet = e
        .pos()
        .and_then(|(l, _)| text.lines().nth(l.saturating_sub(1)))
        .map(|s| format!(": “{}”", quote(s.trim())))
        .unwrap_or_default();
    Fault {
        at: e.pos(),
        message: format!("không đọc được chỗ này{snippet}; {}", hint(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str) -> Fault {
        let e = handlebars::Handlebars::new()
            .register_template_string("t", text)
            .expect_err("the template is broken");
        explain(text, &e)
    }

    #[test]
    fn an_unclosed_block_is_named_where_it_was_opened() {
        let f = fault("a\n\n{{#each nhom}}\n- {{ten}}\n");
        assert_eq!(f.at, Some((3, 1)));
        assert_eq!(
            f.message,
            "khối {{#each nhom}} mở ở dòng 3, cột 1 chưa được đóng: thiếu {{/each}} ở chỗ khối kết thúc"
        );
        // Two open: the inner one, and the outer named too.
        let f = fault("{{#each nhom}}\n  {{#if co_so_lieu}}\nx\n");
        assert_eq!(f.at, Some((2, 3)), "{f:?}");
        assert!(
            f.message.contains("{{#if co_so_lieu}}")
                && f.message.contains("{{#each nhom}} ở dòng 1, cột 1"),
            "{f:?}"
        );
    }

    #[test]
    fn a_closing_tag_that_does_not_match() {
        let f = fault("{{#each nhom}}\n{{#if x}}y\n{{/each}}\n");
        assert_eq!(f.at, Some((3, 1)));
        assert!(
            f.message.contains("{{/each}} ở dòng 3, cột 1 không khớp")
                && f.message.contains("{{#if x}} (mở ở dòng 2, cột 1)")
                && f.message.contains("{{/if}} trước"),
            "{f:?}"
        );
        let f = fault("{{#each nhom}}\nx\n{{/eahc}}");
        assert!(f.message.contains("phải đóng nó bằng {{/each}}"), "{f:?}");
    }

    #[test]
    fn stray_closing_tags_and_else() {
        let f = fault("a {{/if}} b");
        assert_eq!(f.at, Some((1, 3)));
        assert!(
            f.message
                .starts_with("{{/if}} ở dòng 1, cột 3 không đóng khối nào"),
            "{f:?}"
        );
        let f = fault("x\n{{else}}\n");
        assert!(f.message.contains("nằm ngoài mọi khối"), "{f:?}");
    }

    #[test]
    fn unclosed_braces_and_comments() {
        let f = fault("a\nb {{so x\n");
        assert_eq!(f.at, Some((2, 3)));
        assert!(
            f.message
                .starts_with("dấu {{ ở dòng 2, cột 3 chưa được đóng bằng }}"),
            "{f:?}"
        );
        let f = fault("{{!-- ghi chú\nkhông đóng");
        assert!(
            f.message
                .contains("chú thích {{!-- mở ở dòng 1, cột 1 chưa được đóng"),
            "{f:?}"
        );
        let f = fault("a {{{x}} b");
        assert!(
            f.message
                .starts_with("dấu {{{ ở dòng 1, cột 3 chưa được đóng bằng }}}"),
            "{f:?}"
        );
        let f = fault("a {{{x}} b {{{y}}}");
        assert!(f.message.contains("ba dấu }}}"), "{f:?}");
    }

    #[test]
    fn other_mistakes_get_a_hint_not_the_parsers_english() {
        for (t, want) in [
            ("{{so x y=}}", "cần một giá trị"),
            ("{{x.}}", "dấu chấm"),
            ("{{> }}", "tên một mẫu con"),
            ("{{#if a}}\n{{else}}\n{{else}}\n{{/if}}", "mỗi khối một lần"),
        ] {
            let f = fault(t);
            assert!(f.message.contains(want), "{t}: {f:?}");
            assert!(!f.message.contains("expected"), "{t}: {f:?}");
            assert!(f.at.is_some(), "{t}: {f:?}");
        }
    }
}
