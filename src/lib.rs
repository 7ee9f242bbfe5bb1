//! `baocao`: compiles the figures units send in into the department's
//! review report (DOCX and PDF).
//!
//! One pipeline, one direction: intake → compile → context → template →
//! document → writers (`../shared/docs/architecture.md`). This file chains
//! the stages; it and `main.rs` are the only places that know them all.

mod build;
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
mod package;
pub mod settings;
pub mod sheet;
pub mod starter;
pub mod submit;
pub mod template;
pub mod vi;
pub mod write;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

pub use build::{build, Built};
use catalog::{Catalogue, Registry};
use compile::Compiled;
use diagnostics::{Diagnostic, Severity};
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
    /// Compiled figures; each unit's own (`theo_don_vi`) once
    /// [`Checked::fill_unit_figures`] has been called.
    pub compiled: Compiled,
    /// The template context, without the units' own figures
    /// (`theo_don_vi`): see [`Checked::full_context`].
    pub context: Value,
    /// Every diagnostic, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    /// Each registry unit's status.
    pub units: Vec<UnitStatus>,
    /// The units' reports as compiled, freed with the rest.
    reports: Vec<compile::Accepted>,
    /// Whether `compiled` holds each unit's own figures (`theo_don_vi`).
    unit_figures: bool,
}

impl Checked {
    /// The whole template context, with every unit's own figures
    /// (`theo_don_vi`), as `check --json` shows it.
    pub fn full_context(&self) -> Value {
        let mut ctx = self.context.clone();
        if self.unit_figures {
            context::add_unit_figures(&mut ctx, &self.compiled, &self.registry);
        } else {
            let mut compiled = self.compiled.clone();
            compile::fill_unit_figures(&mut compiled, &self.reports);
            context::add_unit_figures(&mut ctx, &compiled, &self.registry);
        }
        ctx
    }

    /// Fill each indicator's unit figures (`theo_don_vi`) in `compiled`,
    /// once: a check leaves them out (its summary does not show them), the
    /// per-unit sheet and templates that name them need them.
    pub fn fill_unit_figures(&mut self) {
        if !self.unit_figures {
            compile::fill_unit_figures(&mut self.compiled, &self.reports);
            self.unit_figures = true;
        }
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
    // The catalogue is read while the folder is walked (at a ministry's
    // scale each takes tens of milliseconds, with the other core idle).
    let ((registry, catalogue, mut diags), (files, mut found)) = rayon::join(
        || catalog::read_danh_muc(catalogue_bytes, folder::CATALOGUE),
        || f.unit_files(),
    );
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
    // Units are looked up by code and name once the workbooks are read:
    // the maps for that are made meanwhile.
    let (results, ()) = rayon::join(
        || read_units(f, &files, cache, expect, progress),
        || registry.prepare_lookup(),
    );
    let mut reports = Vec::new();
    for (rep, mut d) in results {
        diags.append(&mut d);
        reports.extend(rep);
    }
    let (compiled, mut d, accepted) =
        compile::compile_keeping(reports, &registry, &catalogue, last_year.as_ref());
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
        reports: accepted,
        unit_figures: false,
    })
}

/// Every unit workbook read, in parallel, in the order of `files`.
fn read_units(
    f: &folder::Folder,
    files: &[folder::UnitFile],
    cache: Option<&intake::cache::IntakeCache>,
    expect: intake::Expect<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(Option<intake::UnitReport>, Vec<Diagnostic>)> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = files.len();
    progress(0, total);
    files
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
        .collect()
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
