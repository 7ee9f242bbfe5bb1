//! Template stage: handlebars (strict, Markdown-escaped, Vietnamese
//! helpers) renders the context to Markdown; pulldown-cmark turns that into
//! the [`Document`](crate::document::Document).

pub mod builtin;
pub mod chart;
pub mod escape;
mod figures;
pub mod helpers;
pub mod markdown;
mod suggest;
pub mod syntax;

use handlebars::{Handlebars, RenderErrorReason, TemplateError};
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};
use crate::document::Document;

/// A template's source: its name (`bao-cao`, `nhom` …), the file it came
/// from (for messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Name used in `{{> name}}` and for the main template.
    pub name: String,
    /// File shown in messages (`mau/bao-cao.hbs`, or `(có sẵn) bao-cao.hbs`).
    pub file: String,
    /// Template text.
    pub text: String,
}

/// A registry of templates ready to render.
pub struct Templates {
    hb: Handlebars<'static>,
    files: Vec<(String, String)>,
    main: String,
}

/// The name a user's own main template is registered under (`bao_cao.mau`).
pub const MAIN: &str = "bao-cao";

impl Templates {
    /// Register every source; a broken one is a diagnostic naming its file,
    /// line and column, and the others are still registered. `main` names
    /// the template that renders the report.
    pub fn new(sources: &[Source], main: &str) -> (Templates, Vec<Diagnostic>) {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.set_prevent_indent(true);
        hb.register_escape_fn(escape::escape_markdown);
        helpers::register(&mut hb);
        let mut diags = Vec::new();
        let mut files = Vec::new();
        for s in sources {
            files.push((s.name.clone(), s.file.clone()));
            if let Err(e) = hb.register_template_string(&s.name, &s.text) {
                diags.push(template_error(&s.file, &s.text, &e));
            }
        }
        (
            Templates {
                hb,
                files,
                main: main.to_string(),
            },
            diags,
        )
    }

    /// Render the main template to Markdown.
    pub fn render(&self, ctx: &Value) -> Result<String, Diagnostic> {
        let r = self.hb.render(&self.main, ctx);
        r.map_err(|e| self.failed(e, ctx))
    }

    /// [`Templates::render`] without a copy of the context (handlebars
    /// otherwise makes its own copy of the data): the context is moved
    /// into the renderer and back.
    pub fn render_owned(&self, ctx: &mut Value) -> Result<String, Diagnostic> {
        let mut hb_ctx = handlebars::Context::from(std::mem::take(ctx));
        let r = self.hb.render_with_context(&self.main, &hb_ctx);
        *ctx = std::mem::take(hb_ctx.data_mut());
        r.map_err(|e| self.failed(e, ctx))
    }

    fn failed(&self, e: handlebars::RenderError, ctx: &Value) -> Diagnostic {
        let name = e.template_name.clone().unwrap_or_else(|| self.main.clone());
        let loc = Location {
            file: Some(self.file_of(&name)),
            sheet: None,
            cell: match (e.line_no, e.column_no) {
                (Some(l), Some(c)) => Some(format!("dòng {l}, cột {c}")),
                _ => None,
            },
        };
        Diagnostic::error(loc, render_message(e.reason(), ctx, self))
    }

    /// Render and convert to the document model.
    pub fn document(&self, ctx: &Value) -> Result<Document, Diagnostic> {
        let md = self.render(ctx)?;
        markdown::to_document(&md, ctx)
            .map_err(|e| Diagnostic::error(Location::file(self.file_of(&self.main)), e.0))
    }

    /// The file a template came from, for messages.
    pub fn file_of(&self, name: &str) -> String {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| name.to_string())
    }

    fn names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }
}

/// A template that does not parse: what is wrong in Vietnamese, at the
/// place it concerns (an unclosed block: where it was opened).
fn template_error(file: &str, text: &str, e: &TemplateError) -> Diagnostic {
    let f = syntax::explain(text, e);
    Diagnostic::error(
        Location {
            file: Some(file.to_string()),
            sheet: None,
            cell: f.at.map(|(l, c)| format!("dòng {l}, cột {c}")),
        },
        format!("mẫu viết sai cú pháp: {}", f.message),
    )
}

fn render_message(reason: &RenderErrorReason, ctx: &Value, t: &Templates) -> String {
    match reason {
        RenderErrorReason::MissingVariable(Some(path)) => {
            let hint = suggest::closest(path, &suggest::context_paths(ctx))
                .map(|s| format!("; có phải “{s}”?"))
                .unwrap_or_default();
            format!("tên “{path}” không có trong dữ liệu báo cáo{hint} (xem baocao check --json)")
        }
        RenderErrorReason::MissingVariable(None) => {
            "dùng một tên không có trong dữ liệu báo cáo".into()
        }
        RenderErrorReason::HelperNotFound(name) => {
            let hint = suggest::closest(name, helpers::HELPER_NAMES)
                .map(|s| format!("; có phải “{s}”?"))
                .unwrap_or_default();
            format!("hàm “{name}” không có{hint}")
        }
        RenderErrorReason::PartialNotFound(name) => {
            let names = t.names();
            let hint = suggest::closest(name, &names)
                .map(|s| format!("; có phải “{s}”?"))
                .unwrap_or_default();
            format!("mẫu con “{name}” không có{hint}")
        }
        RenderErrorReason::TemplateNotFound(name) => format!("không có mẫu “{name}”"),
        other => format!("lỗi khi điền mẫu: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_name_in_helper_is_an_error_with_position() {
        let src = Source {
            name: "m".into(),
            file: "mau/m.hbs".into(),
            text: "a\n\nb {{so x.y}}".into(),
        };
        let (t, d) = Templates::new(&[src], "m");
        assert!(d.is_empty());
        let e = t.render(&serde_json::json!({"x": {"z": 1}})).unwrap_err();
        assert_eq!(e.location.file.as_deref(), Some("mau/m.hbs"));
        assert_eq!(e.location.cell.as_deref(), Some("dòng 3, cột 3"), "{e}");
    }
}
