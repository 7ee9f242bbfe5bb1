//! `build`: check, render the templates, and write the outputs as one set.
//! The writers of a build run side by side: `tong-hop.xlsx` (which at a
//! ministry's scale takes longest) while the report is laid out as DOCX
//! and PDF.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::{check_in, context, document, folder, template, write, Checked, Fatal, Format};

/// What `build` wrote.
pub struct Built {
    /// The check's results (diagnostics included).
    pub checked: Checked,
    /// Files written.
    pub written: Vec<PathBuf>,
}

/// Check, render and write the outputs into `out` (default `DIR/ket-qua`).
/// Outputs are still written when only units have errors. The outputs are
/// one set: all are written to temporary names first and renamed into
/// place together; should one fail to render, the error names the older
/// file left beside this run's. Never into `don-vi/`, never over an input.
pub fn build(
    dir: &Path,
    out: Option<&Path>,
    formats: &[Format],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Built, Fatal> {
    let f = folder::Folder::open(dir)?;
    let mut checked = check_in(&f, None, progress)?;
    // The per-unit sheet and templates that name them show each unit's figures.
    checked.fill_unit_figures();
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join(folder::OUT_DIR));
    let mut set = folder::OutputSet::new(dir, &out_dir)?;
    let (sources, main) = f.templates(&checked.settings, &mut checked.diagnostics)?;
    let mut outputs: Vec<&'static str> = Vec::new();
    let mut failed: Vec<&'static str> = Vec::new();
    // tong-hop.xlsx (at a ministry's scale the longest writer) is begun on
    // its own thread at once, while the templates are rendered and the
    // report written; its last sheet lists every diagnostic, so it is
    // finished with those the report's writers add.
    let wants_xlsx = formats.contains(&Format::Xlsx);
    let heading = heading(&checked);
    let (compiled, registry) = (&checked.compiled, &checked.registry);
    let (made, xlsx) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Diagnostic>>();
        let job = wants_xlsx.then(|| {
            s.spawn(move || {
                let draft = write::xlsx::begin(compiled, registry, &heading);
                // No diagnostics: the build stopped, the workbook is not wanted.
                let diags = rx.recv().ok()?;
                Some(draft.and_then(|d| d.finish(&diags)))
            })
        });
        let made = report(
            (&f, &sources, &main),
            (&mut checked.context, &mut checked.diagnostics),
            (compiled, registry),
            (formats, &out_dir),
        );
        if made.is_ok() {
            let _ = tx.send(checked.diagnostics.clone());
        }
        drop(tx);
        // The report's files are written while tong-hop.xlsx is finished.
        let staged = made.as_ref().map_or(Ok(()), |m| {
            let mut names: Vec<&str> = m.outputs.iter().map(|(n, _)| *n).collect();
            if wants_xlsx {
                names.push("tong-hop.xlsx");
            }
            set.check_inputs(&names, &f.inputs())?;
            m.outputs
                .iter()
                .try_for_each(|(name, bytes)| set.stage(name, bytes))
        });
        let xlsx = job.and_then(|j| j.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (made.and_then(|m| staged.map(|()| m)), xlsx)
    });
    let made = made?;
    outputs.extend(made.outputs.iter().map(|(n, _)| *n));
    failed.extend(made.failed);
    match xlsx {
        Some(Ok((b, mut notes))) => {
            checked.diagnostics.append(&mut notes);
            set.stage("tong-hop.xlsx", &b)?;
            outputs.push("tong-hop.xlsx");
        }
        Some(Err(e)) => {
            checked.diagnostics.push(Diagnostic::error(
                Location::file("tong-hop.xlsx"),
                e.to_string(),
            ));
            failed.push("tong-hop.xlsx");
        }
        None => {}
    }
    let written = set.commit()?;
    // An output this run could not make, left from an earlier run, does
    // not belong with the new ones: say which files are current.
    let stale: Vec<&str> = failed
        .iter()
        .copied()
        .filter(|n| out_dir.join(n).exists())
        .collect();
    if !stale.is_empty() {
        checked.diagnostics.push(Diagnostic::error(
            Location::file(stale.join(", ")),
            format!(
                "không tạo được {} lần này; tệp cùng tên trong {} là của lần chạy trước, KHÔNG khớp với tệp vừa ghi ({}); đừng dùng chung",
                stale.join(", "),
                out_dir.display(),
                if outputs.is_empty() { "không có".to_string() } else { outputs.join(", ") }
            ),
        ));
    }
    Ok(Built { checked, written })
}

/// What the report's writers made: outputs, the names they could not
/// make, and what they had to say.
#[derive(Default)]
struct Report {
    outputs: Vec<(&'static str, Vec<u8>)>,
    failed: Vec<&'static str>,
    diagnostics: Vec<Diagnostic>,
}

/// The report as DOCX and PDF, and the handout and booklet, as asked.
fn write_report(
    f: &folder::Folder,
    doc: &document::Document,
    formats: &[Format],
    context: &serde_json::Value,
) -> Report {
    let mut out = Report::default();
    for fmt in formats {
        let (name, bytes) = match fmt {
            Format::Docx => ("bao-cao.docx", write::docx::write_docx(doc)),
            Format::Pdf => ("bao-cao.pdf", write::pdf::write_pdf(doc)),
            Format::Xlsx | Format::Md | Format::Handout | Format::Booklet => continue,
        };
        match bytes {
            Ok(b) => out.outputs.push((name, b)),
            Err(e) => {
                out.diagnostics
                    .push(Diagnostic::error(Location::file(name), e.to_string()));
                out.failed.push(name);
            }
        }
    }
    if formats
        .iter()
        .any(|x| matches!(x, Format::Handout | Format::Booklet))
    {
        handout(f, doc, formats, context, &mut out);
    }
    out
}

/// What the title rows of tong-hop.xlsx say.
fn heading(checked: &Checked) -> write::xlsx::Heading {
    let cq = &checked.settings.co_quan;
    write::xlsx::Heading {
        ky: checked.context["bao_cao"]["ky"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        co_quan: [cq.chu_quan.trim(), cq.ban_hanh.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_uppercase())
            .collect::<Vec<_>>()
            .join(" – "),
    }
}

/// The report: the templates rendered (a template that cannot render
/// stops the build before anything is staged), then written as asked
/// (Markdown, DOCX, PDF, handout, booklet). What the writers say is added
/// to `diagnostics`.
fn report(
    (f, sources, main): (&folder::Folder, &[template::Source], &str),
    (context, diagnostics): (&mut serde_json::Value, &mut Vec<Diagnostic>),
    (compiled, registry): (&crate::compile::Compiled, &crate::catalog::Registry),
    (formats, out_dir): (&[Format], &Path),
) -> Result<Report, Fatal> {
    let mut out = Report::default();
    let needs_doc = formats.iter().any(|x| {
        matches!(
            x,
            Format::Docx | Format::Pdf | Format::Md | Format::Handout | Format::Booklet
        )
    });
    if !needs_doc {
        return Ok(out);
    }
    let (templates, d) = template::Templates::new(sources, main);
    if let Some(e) = d.iter().find(|d| d.severity == Severity::Error) {
        return Err(template_failed(e, out_dir, formats));
    }
    diagnostics.extend(d);
    if context::needs_unit_figures(sources.iter().map(|s| s.text.as_str())) {
        context::add_unit_figures(context, compiled, registry);
    }
    let md = templates
        .render_owned(context)
        .map_err(|e| template_failed(&e, out_dir, formats))?;
    let doc = template::markdown::to_document(&md, context).map_err(|e| {
        let d = Diagnostic::error(Location::file(templates.file_of(main)), e.0);
        template_failed(&d, out_dir, formats)
    })?;
    // What the template asked for and could not be drawn (a chart of an
    // indicator nobody reported).
    for n in &doc.notes {
        diagnostics.push(Diagnostic::warning(
            Location::file(templates.file_of(main)),
            n.clone(),
        ));
    }
    if formats.contains(&Format::Md) {
        out.outputs.push(("bao-cao.md", md.into_bytes()));
    }
    let written = write_report(f, &doc, formats, context);
    out.outputs.extend(written.outputs);
    out.failed.extend(written.failed);
    diagnostics.extend(written.diagnostics);
    Ok(out)
}

/// The handout and the booklet made from it, into `outputs`; what could
/// not be appended or written is a diagnostic.
fn handout(
    f: &folder::Folder,
    doc: &document::Document,
    formats: &[Format],
    context: &serde_json::Value,
    out: &mut Report,
) {
    let (files, mut d) = f.attachments();
    out.diagnostics.append(&mut d);
    let attachments: Vec<write::handout::Attachment> = files
        .into_iter()
        .map(|(name, bytes)| write::handout::Attachment { name, bytes })
        .collect();
    let names = ["tai-lieu.pdf", "tai-lieu-a5.pdf"];
    let bytes = match write::handout::write_handout(doc, context, &attachments) {
        Ok((bytes, left_out)) => {
            for (name, why) in left_out {
                out.diagnostics.push(Diagnostic::error(
                    Location::file(name),
                    format!("không ghép được vào tài liệu hội nghị: {why}; tài liệu được ghi không có tệp này"),
                ));
            }
            bytes
        }
        Err(e) => {
            for (fmt, name) in [Format::Handout, Format::Booklet].iter().zip(names) {
                if formats.contains(fmt) {
                    out.diagnostics
                        .push(Diagnostic::error(Location::file(name), e.to_string()));
                    out.failed.push(name);
                }
            }
            return;
        }
    };
    if formats.contains(&Format::Booklet) {
        match write::pdf_pages::booklet(&bytes) {
            Ok(b) => out.outputs.push((names[1], b)),
            Err(e) => {
                out.diagnostics
                    .push(Diagnostic::error(Location::file(names[1]), e.to_string()));
                out.failed.push(names[1]);
            }
        }
    }
    if formats.contains(&Format::Handout) {
        out.outputs.push((names[0], bytes));
    }
}

/// The message for a template that cannot be rendered: where (file, line),
/// what, that nothing was written, and which reports already in the output
/// folder are from an earlier run.
fn template_failed(d: &Diagnostic, out_dir: &Path, formats: &[Format]) -> Fatal {
    let names: Vec<&str> = formats
        .iter()
        .filter_map(|f| match f {
            Format::Docx => Some("bao-cao.docx"),
            Format::Pdf => Some("bao-cao.pdf"),
            Format::Md => Some("bao-cao.md"),
            Format::Handout => Some("tai-lieu.pdf"),
            Format::Booklet => Some("tai-lieu-a5.pdf"),
            Format::Xlsx => None,
        })
        .collect();
    let earlier: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| out_dir.join(n).is_file())
        .collect();
    let mut msg = format!(
        "mẫu báo cáo không điền được, chưa ghi báo cáo nào ({}): {}: {}",
        names.join(", "),
        d.location,
        d.message
    );
    if earlier.is_empty() {
        msg.push_str("; sửa mẫu rồi chạy lại");
    } else {
        msg.push_str(&format!(
            "; các tệp {} đang có trong {} là của một lần chạy trước, không phải của lần này; sửa mẫu rồi chạy lại",
            earlier.join(", "),
            out_dir.display()
        ));
    }
    Fatal::Template(msg)
}
