//! `baocao`: compiles the figures units send in into the department's
//! review report (DOCX and PDF).
//!
//! One pipeline, one direction: intake → compile → context → template →
//! document → writers (`../shared/docs/architecture.md`). This file chains
//! the stages; it and `main.rs` are the only places that know them all.

pub mod catalog;
pub mod compile;
pub mod conference;
pub mod context;
pub mod diagnostics;
pub mod document;
pub mod folder;
mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod intake;
pub mod last_year;
pub mod settings;
pub mod sheet;
pub mod starter;
pub mod submit;
pub mod template;
pub mod vi;
pub mod write;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use catalog::{Catalogue, Registry};
use compile::Compiled;
use diagnostics::{Diagnostic, Location, Severity};
pub use format::Format;
use settings::Settings;

/// A problem that stops the whole run (exit code 2): the folder itself is
/// unusable. Problems with units are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    /// The folder or a required file is missing or unreadable.
    #[error("{0}")]
    Folder(String),
    /// `baocao.toml` is wrong.
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    /// The catalogue or registry cannot be used.
    #[error("danh-muc.xlsx không dùng được: {0}")]
    Catalogue(String),
    /// A template cannot be rendered: no report is written.
    #[error("{0}")]
    Template(String),
}

/// What happened to one registry unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    /// Received and read without problems.
    DaNop,
    /// Received, with warnings.
    CoCanhBao,
    /// Received, with errors.
    CoLoi,
    /// No workbook received.
    Thieu,
}

/// One registry unit's status for `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitStatus {
    /// Code.
    pub ma: String,
    /// Name.
    pub ten: String,
    /// Level name.
    pub tuyen: String,
    /// State.
    pub trang_thai: UnitState,
    /// The workbook used, if any.
    pub tep: Option<String>,
    /// When the units' page received the workbook used (local time, ISO
    /// 8601), when it came that way.
    pub nop_luc: Option<String>,
    /// That workbook came after the deadline (`han_nop`).
    pub nop_muon: bool,
    /// Every workbook the unit sent through its page, newest first; only
    /// the newest is read.
    pub phien_ban: Vec<submit::versions::Version>,
}

/// Everything `check` found.
pub struct Checked {
    /// Settings.
    pub settings: Settings,
    /// Registry.
    pub registry: Registry,
    /// Catalogue.
    pub catalogue: Catalogue,
    /// Compiled figures.
    pub compiled: Compiled,
    /// The template context, without the units' own figures
    /// (`theo_don_vi`): see [`Checked::full_context`].
    pub context: Value,
    /// Every diagnostic, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    /// Each registry unit's status.
    pub units: Vec<UnitStatus>,
}

impl Checked {
    /// The whole template context, with every unit's own figures
    /// (`theo_don_vi`), as `check --json` shows it.
    pub fn full_context(&self) -> Value {
        let mut ctx = self.context.clone();
        context::add_unit_figures(&mut ctx, &self.compiled, &self.registry);
        ctx
    }
}

/// Read and compile a report folder; writes nothing. `progress(done, total)`
/// is called as workbooks are read (from several threads).
pub fn check(dir: &Path, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Checked, Fatal> {
    check_in(&folder::Folder::open(dir)?, None, progress)
}

/// [`check`], taking each workbook's intake from `cache` when its bytes
/// (and the catalogue and period) have not changed since the last check
/// through it, and keeping what it reads there: for the web page, which
/// checks the folder again after every upload.
pub fn check_cached(
    dir: &Path,
    cache: &intake::cache::IntakeCache,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Checked, Fatal> {
    check_in(&folder::Folder::open(dir)?, Some(cache), progress)
}

/// [`check`] on an opened folder (which records every file read).
fn check_in(
    f: &folder::Folder,
    cache: Option<&intake::cache::IntakeCache>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Checked, Fatal> {
    let settings = Settings::parse(&f.read_text(folder::SETTINGS)?, folder::SETTINGS)?;
    let catalogue_bytes = f.read_bytes(folder::CATALOGUE)?;
    // What every workbook's intake depends on besides its own bytes.
    let against = cache.map(|_| {
        let b = &settings.bao_cao;
        let period = format!("{:?} {} {:?}", b.loai, b.nam, b.quy);
        let catalogue = intake::cache::hash_bytes(&catalogue_bytes);
        intake::cache::hash_bytes(format!("{catalogue:x} {period}").as_bytes())
    });
    let (registry, catalogue, mut diags) =
        catalog::read_danh_muc(catalogue_bytes, folder::CATALOGUE);
    if registry.units.is_empty() || catalogue.indicators.is_empty() {
        let first = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| d.to_string());
        return Err(Fatal::Catalogue(first.unwrap_or_else(|| "trống".into())));
    }
    let last_year = match settings
        .bao_cao
        .cung_ky_tu
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => {
            let (rec, mut d) = last_year::load(f, v, &settings)?;
            diags.append(&mut d);
            Some(rec)
        }
        None => None,
    };
    let (files, mut found) = f.unit_files();
    diags.append(&mut found);
    let (files, versions) =
        submit::versions::newest_only(files, &registry, settings.bao_cao.han_nop.as_ref());
    let expect = intake::Expect {
        catalogue: &catalogue,
        period: (
            settings.bao_cao.loai,
            settings.bao_cao.nam,
            settings.bao_cao.quy,
        ),
    };
    if let (Some(c), Some(against)) = (cache, against) {
        c.begin(against, files.iter().map(|uf| uf.display.as_str()));
    }
    f.note_unit_files(&files);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = files.len();
    progress(0, total);
    let results: Vec<(Option<intake::UnitReport>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|uf| {
            let r = match f.read_unit_bytes(uf) {
                Ok(bytes) => {
                    let (rep, d) = match cache {
                        Some(c) => c.read(bytes, &uf.display, expect),
                        None => intake::read_unit(bytes, &uf.display, expect),
                    };
                    (
                        rep.map(|mut r| {
                            r.modified = uf.modified;
                            r
                        }),
                        d,
                    )
                }
                Err(d) => (None, vec![d]),
            };
            progress(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total,
            );
            r
        })
        .collect();
    let mut reports = Vec::new();
    for (rep, mut d) in results {
        diags.append(&mut d);
        reports.extend(rep);
    }
    let (compiled, mut d) =
        compile::compile_with(reports, &registry, &catalogue, last_year.as_ref());
    diags.append(&mut d);
    let (office, mut d) = match f.read_optional_text(folder::NOI_DUNG)? {
        Some(text) => context::parse_noi_dung(&text, folder::NOI_DUNG, &catalogue),
        None => (Vec::new(), Vec::new()),
    };
    diags.append(&mut d);
    let mut ctx = context::build_context(&settings, &compiled, &catalogue, &office);
    // The conference: its settings, and the commendation list when there is one.
    let list = match f.read_optional_bytes(folder::KHEN_THUONG) {
        Ok(Some(bytes)) => {
            let (list, mut d) = conference::read(bytes, folder::KHEN_THUONG);
            diags.append(&mut d);
            list
        }
        Ok(None) => Vec::new(),
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    };
    ctx["hoi_nghi"] = conference::hoi_nghi(&settings);
    ctx["khen_thuong"] = conference::context(&list);
    // Sections the report will print as a placeholder.
    let main = template::builtin::main_name(&settings);
    diags.extend(context::sections::warnings(
        &ctx,
        template::builtin::required_sections(main),
        folder::NOI_DUNG,
    ));
    let units = unit_statuses(&registry, &compiled, &diags, versions);
    Ok(Checked {
        settings,
        registry,
        catalogue,
        compiled,
        context: ctx,
        diagnostics: diags,
        units,
    })
}

fn unit_statuses(
    registry: &Registry,
    compiled: &Compiled,
    diags: &[Diagnostic],
    versions: Vec<(String, Vec<submit::versions::Version>)>,
) -> Vec<UnitStatus> {
    use std::collections::{HashMap, HashSet};
    // Everything looked up by unit or file once, not searched per unit.
    let missing: HashSet<&str> = compiled
        .completeness
        .thieu
        .iter()
        .map(|t| t.ma.as_str())
        .collect();
    let mut used: HashMap<&str, &str> = HashMap::new();
    for (m, f) in &compiled.used {
        used.entry(m.as_str()).or_insert(f.as_str());
    }
    let passed_over: HashSet<&str> = compiled
        .passed_over
        .iter()
        .map(|(m, _)| m.as_str())
        .collect();
    let mut worst_of: HashMap<&str, Severity> = HashMap::new();
    for d in diags {
        if let Some(f) = d.location.file.as_deref() {
            let w = worst_of.entry(f).or_insert(d.severity);
            *w = (*w).max(d.severity);
        }
    }
    let mut versions: HashMap<String, Vec<submit::versions::Version>> =
        versions.into_iter().rev().collect();
    let levels: HashMap<&str, &str> = registry
        .levels
        .iter()
        .rev()
        .map(|l| (l.key.as_str(), l.ten.as_str()))
        .collect();
    registry
        .units
        .iter()
        .map(|u| {
            let level = levels.get(u.tuyen.as_str()).copied().unwrap_or_default();
            let missing = missing.contains(u.ma.as_str());
            let file = used.get(u.ma.as_str()).map(|f| f.to_string());
            let worst = file.as_deref().and_then(|f| worst_of.get(f).copied());
            // A second workbook is warned at that file; the unit shows it too.
            let sent_twice = passed_over.contains(u.ma.as_str());
            let worst = worst.max(sent_twice.then_some(Severity::Warning));
            let trang_thai = match (missing, worst) {
                (true, _) => UnitState::Thieu,
                (false, Some(Severity::Error)) => UnitState::CoLoi,
                (false, Some(Severity::Warning)) => UnitState::CoCanhBao,
                _ => UnitState::DaNop,
            };
            let phien_ban = versions.remove(&u.ma).unwrap_or_default();
            let sent = phien_ban
                .first()
                .filter(|v| file.as_deref() == Some(v.tep.as_str()));
            UnitStatus {
                ma: u.ma.clone(),
                ten: u.ten.clone(),
                tuyen: level.to_string(),
                trang_thai,
                nop_luc: sent.map(|v| v.nhan_luc.format("%Y-%m-%dT%H:%M:%S").to_string()),
                nop_muon: sent.is_some_and(|v| v.muon),
                phien_ban,
                tep: file,
            }
        })
        .collect()
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

/// Decide by content, as intake does, whether `bytes` are a spreadsheet
/// this program reads. `Ok` gives the file ending that format carries
/// (`xlsx`, `xls`, `ods`); `Err` the reason in Vietnamese. For front ends
/// that take files in (the web page's uploads).
pub fn sniff_spreadsheet(bytes: Vec<u8>) -> Result<&'static str, String> {
    match sheet::open(bytes) {
        Ok(wb) => Ok(wb.format.extension().trim_start_matches('.')),
        Err(e) => Err(e.0),
    }
}

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
    let out_dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join(folder::OUT_DIR));
    let mut set = folder::OutputSet::new(dir, &out_dir)?;
    let (sources, main) = f.templates(&checked.settings, &mut checked.diagnostics)?;
    let mut outputs: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut failed: Vec<&'static str> = Vec::new();
    let needs_doc = formats.iter().any(|x| {
        matches!(
            x,
            Format::Docx | Format::Pdf | Format::Md | Format::Handout | Format::Booklet
        )
    });
    // Render before anything is staged: a template that cannot render
    // stops the build, and no output of this run is written.
    let doc = if needs_doc {
        let (templates, d) = template::Templates::new(&sources, &main);
        if let Some(e) = d.iter().find(|d| d.severity == Severity::Error) {
            return Err(template_failed(e, &out_dir, formats));
        }
        checked.diagnostics.extend(d);
        if context::needs_unit_figures(sources.iter().map(|s| s.text.as_str())) {
            context::add_unit_figures(&mut checked.context, &checked.compiled, &checked.registry);
        }
        let md = templates
            .render_owned(&mut checked.context)
            .map_err(|e| template_failed(&e, &out_dir, formats))?;
        let doc = template::markdown::to_document(&md, &checked.context).map_err(|e| {
            let d = Diagnostic::error(Location::file(templates.file_of(&main)), e.0);
            template_failed(&d, &out_dir, formats)
        })?;
        // What the template asked for and could not be drawn (a chart of
        // an indicator nobody reported).
        for n in &doc.notes {
            checked.diagnostics.push(Diagnostic::warning(
                Location::file(templates.file_of(&main)),
                n.clone(),
            ));
        }
        if formats.contains(&Format::Md) {
            outputs.push(("bao-cao.md", md.into_bytes()));
        }
        Some(doc)
    } else {
        None
    };
    if let Some(doc) = &doc {
        for fmt in formats {
            let (name, bytes) = match fmt {
                Format::Docx => ("bao-cao.docx", write::docx::write_docx(doc)),
                Format::Pdf => ("bao-cao.pdf", write::pdf::write_pdf(doc)),
                Format::Xlsx | Format::Md | Format::Handout | Format::Booklet => continue,
            };
            match bytes {
                Ok(b) => outputs.push((name, b)),
                Err(e) => {
                    checked
                        .diagnostics
                        .push(Diagnostic::error(Location::file(name), e.to_string()));
                    failed.push(name);
                }
            }
        }
    }
    if let Some(doc) = doc.as_ref().filter(|_| {
        formats
            .iter()
            .any(|x| matches!(x, Format::Handout | Format::Booklet))
    }) {
        handout(&f, doc, formats, &mut checked, &mut outputs, &mut failed);
    }
    if formats.contains(&Format::Xlsx) {
        let cq = &checked.settings.co_quan;
        let heading = write::xlsx::Heading {
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
        };
        match write::xlsx::write_xlsx(
            &checked.compiled,
            &checked.registry,
            &checked.diagnostics,
            &heading,
        ) {
            Ok((b, mut notes)) => {
                checked.diagnostics.append(&mut notes);
                outputs.push(("tong-hop.xlsx", b));
            }
            Err(e) => {
                checked.diagnostics.push(Diagnostic::error(
                    Location::file("tong-hop.xlsx"),
                    e.to_string(),
                ));
                failed.push("tong-hop.xlsx");
            }
        }
    }
    let names: Vec<&str> = outputs.iter().map(|(n, _)| *n).collect();
    set.check_inputs(&names, &f.inputs())?;
    for (name, bytes) in &outputs {
        set.stage(name, bytes)?;
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
                if names.is_empty() { "không có".to_string() } else { names.join(", ") }
            ),
        ));
    }
    Ok(Built { checked, written })
}

/// The handout and the booklet made from it, into `outputs`; what could
/// not be appended or written is a diagnostic.
fn handout(
    f: &folder::Folder,
    doc: &document::Document,
    formats: &[Format],
    checked: &mut Checked,
    outputs: &mut Vec<(&'static str, Vec<u8>)>,
    failed: &mut Vec<&'static str>,
) {
    let (files, mut d) = f.attachments();
    checked.diagnostics.append(&mut d);
    let attachments: Vec<write::handout::Attachment> = files
        .into_iter()
        .map(|(name, bytes)| write::handout::Attachment { name, bytes })
        .collect();
    let names = ["tai-lieu.pdf", "tai-lieu-a5.pdf"];
    let bytes = match write::handout::write_handout(doc, &checked.context, &attachments) {
        Ok((bytes, left_out)) => {
            for (name, why) in left_out {
                checked.diagnostics.push(Diagnostic::error(
                    Location::file(name),
                    format!("không ghép được vào tài liệu hội nghị: {why}; tài liệu được ghi không có tệp này"),
                ));
            }
            bytes
        }
        Err(e) => {
            for (fmt, name) in [Format::Handout, Format::Booklet].iter().zip(names) {
                if formats.contains(fmt) {
                    checked
                        .diagnostics
                        .push(Diagnostic::error(Location::file(name), e.to_string()));
                    failed.push(name);
                }
            }
            return;
        }
    };
    if formats.contains(&Format::Booklet) {
        match write::pdf_pages::booklet(&bytes) {
            Ok(b) => outputs.push((names[1], b)),
            Err(e) => {
                checked
                    .diagnostics
                    .push(Diagnostic::error(Location::file(names[1]), e.to_string()));
                failed.push(names[1]);
            }
        }
    }
    if formats.contains(&Format::Handout) {
        outputs.push((names[0], bytes));
    }
}
