//! The library, run for the page: `check()` and `build()` on a blocking
//! thread, one at a time (two clicks never interleave writes), and the
//! folder's status kept until a file the check reads changes.
//!
//! Two caches: for the whole folder, an unchanged folder (by its files'
//! names, sizes and times) is not checked again; within a check, the
//! library's intake cache re-reads only the workbooks whose bytes changed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use baocao::diagnostics::{Diagnostic, Severity};
use baocao::folder::{OUT_DIR, TEMPLATES_DIR, UNITS_DIR};
use baocao::intake::cache::IntakeCache;
use baocao::submit;
use baocao::{Checked, Format};
use serde_json::{json, Value};
use tokio::sync::Mutex;

/// Folders whose files the check reads (besides the folder's own files).
const INPUT_DIRS: &[&str] = &[UNITS_DIR, TEMPLATES_DIR, "tai-lieu"];
/// Bounds on the fingerprint walk (a folder of a report has a few hundred files).
const MAX_DEPTH: usize = 8;
const MAX_ENTRIES: usize = 50_000;

/// What a look at the folder's files found (names, sizes, times; no
/// contents): cheap enough to do every few seconds.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Fingerprint of every input the check reads.
    pub inputs: u64,
    /// Fingerprint of the output files.
    pub outputs: u64,
    /// Modification time (Unix seconds) of each file under `don-vi/`, by
    /// its path as the library names it (`don-vi/…`).
    pub received: HashMap<String, i64>,
}

impl Scan {
    /// The fingerprint the page compares.
    pub fn fingerprint(&self) -> String {
        format!("{:016x}{:016x}", self.inputs, self.outputs)
    }
}

/// Look at the folder's inputs and outputs.
pub fn scan(dir: &Path) -> Scan {
    let mut entries: Vec<(String, u64, u128)> = Vec::new();
    let mut received = HashMap::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            match e.metadata() {
                Ok(m) if m.is_file() => entries.push((name, m.len(), nanos(&m))),
                Ok(m) if m.is_dir() && INPUT_DIRS.contains(&name.as_str()) => {
                    walk(&e.path(), &name, 0, &mut entries)
                }
                _ => {}
            }
        }
    }
    entries.sort();
    let mut h = DefaultHasher::new();
    for (name, len, t) in &entries {
        (name, len, t).hash(&mut h);
        if name.starts_with(UNITS_DIR) && name[UNITS_DIR.len()..].starts_with('/') {
            received.insert(name.clone(), (*t / 1_000_000_000) as i64);
        }
    }
    let inputs = h.finish();
    let mut h = DefaultHasher::new();
    for f in Format::ALL {
        if let Ok(m) = std::fs::metadata(dir.join(OUT_DIR).join(f.file_name())) {
            (f.file_name(), m.len(), nanos(&m)).hash(&mut h);
        }
    }
    // The lock and the links are not inputs of a check, but the page shows them.
    for f in [submit::LOCK_FILE, submit::links::LINKS_FILE] {
        if let Ok(m) = std::fs::metadata(dir.join(submit::STATE_DIR).join(f)) {
            (f, m.len(), nanos(&m)).hash(&mut h);
        }
    }
    Scan {
        inputs,
        outputs: h.finish(),
        received,
    }
}

fn walk(dir: &Path, shown: &str, depth: usize, out: &mut Vec<(String, u64, u128)>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        if out.len() >= MAX_ENTRIES {
            return;
        }
        let name = e.file_name().to_string_lossy().to_string();
        // Hidden files include the temporary files of uploads and builds.
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{shown}/{name}");
        match e.metadata() {
            Ok(m) if m.is_dir() => walk(&e.path(), &path, depth + 1, out),
            Ok(m) => out.push((path, m.len(), nanos(&m))),
            Err(_) => {}
        }
    }
}

fn nanos(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// A local time without zone (`2024-07-05T09:12:00`, as the library
/// gives receipt times) with this computer's offset added.
pub fn with_offset(naive: &str) -> String {
    use chrono::TimeZone;
    chrono::NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .and_then(|t| chrono::Local.from_local_datetime(&t).earliest())
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|| naive.to_string())
}

/// A Unix time as local ISO 8601 (`2024-07-05T09:12:00+07:00`).
pub fn local_time(secs: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(secs, 0).map(|t| {
        t.with_timezone(&chrono::Local)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    })
}

struct Cached {
    inputs: u64,
    status: Arc<Value>,
}

/// The report folder the server works on.
pub struct Work {
    dir: PathBuf,
    /// Held while the library runs: checks and builds one at a time.
    busy: Mutex<Option<Cached>>,
    /// Each workbook's intake, kept between checks.
    intake: Arc<IntakeCache>,
}

/// What a build wrote and found.
pub struct BuildResult {
    /// Output file names written, in order.
    pub written: Vec<String>,
    /// Every diagnostic of the build.
    pub diagnostics: Vec<Diagnostic>,
}

impl Work {
    /// For the report folder `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Work {
            dir,
            busy: Mutex::new(None),
            intake: Arc::new(IntakeCache::new()),
        }
    }

    /// The report folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Wait until no check or build is running.
    pub async fn idle(&self) {
        drop(self.busy.lock().await);
    }

    /// Look at the folder's files (on a blocking thread).
    pub async fn scan(&self) -> Scan {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || scan(&dir))
            .await
            .unwrap_or_default()
    }

    /// The folder's status (`GET /api/trang-thai` without the outputs):
    /// checked again only when an input changed since the last check.
    pub async fn status(&self) -> Arc<Value> {
        let mut cache = self.busy.lock().await;
        let now = self.scan().await;
        if let Some(c) = cache.as_ref().filter(|c| c.inputs == now.inputs) {
            return c.status.clone();
        }
        let dir = self.dir.clone();
        let intake = self.intake.clone();
        let status = tokio::task::spawn_blocking(move || {
            match baocao::check_cached(&dir, &intake, &|_, _| {}) {
                Ok(c) => status_json(&c, &now.received),
                Err(e) => failed(&e.to_string()),
            }
        })
        .await
        .unwrap_or_else(|_| failed("lỗi bất ngờ khi đọc thư mục báo cáo"));
        let status = Arc::new(status);
        *cache = Some(Cached {
            inputs: now.inputs,
            status: status.clone(),
        });
        status
    }

    /// Build `formats` into `ket-qua/`; the build's check becomes the status.
    pub async fn build(&self, formats: Vec<Format>) -> Result<BuildResult, String> {
        let mut cache = self.busy.lock().await;
        let before = self.scan().await;
        let dir = self.dir.clone();
        let built = tokio::task::spawn_blocking(move || {
            baocao::build(&dir, None, &formats, &|_, _| {}).map(|b| {
                let status = status_json(&b.checked, &before.received);
                let written = b
                    .written
                    .iter()
                    .filter_map(|p| p.file_name())
                    .map(|n| n.to_string_lossy().to_string())
                    .collect();
                (status, written, b.checked.diagnostics)
            })
        })
        .await
        .map_err(|_| "lỗi bất ngờ khi tạo báo cáo".to_string())?;
        match built {
            Ok((status, written, diagnostics)) => {
                *cache = Some(Cached {
                    inputs: before.inputs,
                    status: Arc::new(status),
                });
                Ok(BuildResult {
                    written,
                    diagnostics,
                })
            }
            Err(e) => {
                *cache = None;
                Err(e.to_string())
            }
        }
    }
}

/// The status of a folder the library could not use at all.
fn failed(message: &str) -> Value {
    json!({
        "loi": message,
        "bao_cao": null,
        "co_quan": null,
        "tong": null,
        "don_vi": [],
        "diagnostics": [],
    })
}

/// `GET /api/trang-thai` from a check: the contract's fields, plus for
/// each unit the workbooks passed over (`tep_khac`) and its counts of
/// errors and warnings, so that the page groups diagnostics by unit.
pub fn status_json(c: &Checked, received: &HashMap<String, i64>) -> Value {
    // Files passed over by unit, and counts by file and severity, made
    // once: searched per unit they grew with units × diagnostics.
    let mut passed: HashMap<&str, Vec<&str>> = HashMap::new();
    for (m, f) in &c.compiled.passed_over {
        passed.entry(m.as_str()).or_default().push(f.as_str());
    }
    let mut per_file: HashMap<(&str, Severity), usize> = HashMap::new();
    for d in &c.diagnostics {
        if let Some(f) = d.location.file.as_deref() {
            *per_file.entry((f, d.severity)).or_default() += 1;
        }
    }
    let units: Vec<Value> = c
        .units
        .iter()
        .map(|u| {
            let others: Vec<&str> = passed.get(u.ma.as_str()).cloned().unwrap_or_default();
            let count = |s: Severity| {
                let mut files: Vec<&str> = u.tep.as_deref().into_iter().collect();
                files.extend(others.iter().copied());
                files.sort_unstable();
                files.dedup();
                files
                    .iter()
                    .map(|f| per_file.get(&(*f, s)).copied().unwrap_or(0))
                    .sum::<usize>()
            };
            // Received through the unit's page: the time it came; a file
            // put in don-vi/ otherwise: its modification time.
            let nop_luc = match &u.nop_luc {
                Some(at) => Some(with_offset(at)),
                None => u
                    .tep
                    .as_ref()
                    .and_then(|f| received.get(f))
                    .and_then(|t| local_time(*t)),
            };
            let versions: Vec<Value> = u
                .phien_ban
                .iter()
                .map(|v| {
                    json!({
                        "tep": v.tep,
                        "nhan_luc": with_offset(&v.nhan_luc.format("%Y-%m-%dT%H:%M:%S").to_string()),
                        "muon": v.muon,
                        "dung": u.tep.as_deref() == Some(v.tep.as_str()),
                    })
                })
                .collect();
            json!({
                "ma": u.ma,
                "ten": u.ten,
                "tuyen": u.tuyen,
                "trang_thai": u.trang_thai,
                "tep": u.tep,
                "nop_luc": nop_luc,
                "nop_muon": u.nop_muon,
                "phien_ban": versions,
                "tep_khac": others,
                "so_loi": count(Severity::Error),
                "so_canh_bao": count(Severity::Warning),
            })
        })
        .collect();
    let tong = &c.compiled.completeness.tong;
    json!({
        "bao_cao": c.context.get("bao_cao").cloned().unwrap_or(Value::Null),
        "co_quan": c.context.get("co_quan").cloned().unwrap_or(Value::Null),
        "tong": {"du_kien": tong.du_kien, "da_nop": tong.da_nop},
        "han_nop": c.settings.bao_cao.han_nop.map(|h| h.words()),
        "lien_he": baocao::starter::contact(&c.settings),
        "don_vi": units,
        "diagnostics": c.diagnostics,
    })
}

/// The output files present in `ket-qua/`, in the order of [`Format::ALL`].
pub fn outputs(dir: &Path) -> Vec<Value> {
    Format::ALL
        .iter()
        .filter_map(|f| {
            let m = std::fs::metadata(dir.join(OUT_DIR).join(f.file_name())).ok()?;
            let secs = m
                .modified()
                .ok()?
                .duration_since(UNIX_EPOCH)
                .ok()?
                .as_secs();
            Some(json!({
                "ten": f.file_name(),
                "duong_dan": format!("/{OUT_DIR}/{}", f.file_name()),
                "luc": local_time(secs as i64),
                "kich_thuoc": m.len(),
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_folder_is_not_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("bc");
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024");
        for f in ["baocao.toml", "danh-muc.xlsx", "noi-dung.md"] {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(sample.join(f), dir.join(f)).unwrap();
        }
        std::fs::create_dir_all(dir.join("don-vi")).unwrap();
        let wb = dir.join("don-vi/cdc.xlsx");
        std::fs::copy(sample.join("don-vi/cdc_BC6T_2024.xlsx"), &wb).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let work = Work::new(dir.clone());
        let cdc = |st: &Value| {
            st["don_vi"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["ma"] == "CDC")
                .unwrap()["trang_thai"]
                .clone()
        };
        let first = rt.block_on(work.status());
        assert_eq!(cdc(&first), "da_nop");
        assert_eq!(work.intake.parsed(), 1);
        // The same size and time, other bytes: a cache that trusts the
        // fingerprint does not see it; a re-read would say the file is broken.
        let len = std::fs::metadata(&wb).unwrap().len() as usize;
        let time = std::fs::metadata(&wb).unwrap().modified().unwrap();
        std::fs::write(&wb, vec![b'x'; len]).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&wb)
            .unwrap()
            .set_modified(time)
            .unwrap();
        let second = rt.block_on(work.status());
        assert!(Arc::ptr_eq(&first, &second), "served from the cache");
        // A real change (a new time) is read.
        std::fs::File::options()
            .write(true)
            .open(&wb)
            .unwrap()
            .set_modified(time + std::time::Duration::from_secs(5))
            .unwrap();
        let third = rt.block_on(work.status());
        assert_eq!(cdc(&third), "thieu", "the broken file is read: {third}");
        assert_eq!(work.intake.parsed(), 2, "parsed again once");
    }

    #[test]
    fn fingerprint_follows_inputs_and_outputs_separately() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        std::fs::create_dir_all(dir.join("don-vi/xa")).unwrap();
        std::fs::write(dir.join("baocao.toml"), "x").unwrap();
        std::fs::write(dir.join("don-vi/xa/a.xlsx"), "a").unwrap();
        let a = scan(dir);
        assert_eq!(a.inputs, scan(dir).inputs, "same folder, same fingerprint");
        assert!(a.received.contains_key("don-vi/xa/a.xlsx"));
        std::fs::write(dir.join("don-vi/.baocao-tai-len-1.tmp"), "half").unwrap();
        assert_eq!(a.inputs, scan(dir).inputs, "temporary files do not count");
        std::fs::create_dir_all(dir.join("ket-qua")).unwrap();
        std::fs::write(dir.join("ket-qua/bao-cao.pdf"), "%PDF").unwrap();
        let b = scan(dir);
        assert_eq!(a.inputs, b.inputs);
        assert_ne!(a.outputs, b.outputs);
        std::fs::write(dir.join("don-vi/b.xls"), "b").unwrap();
        let c = scan(dir);
        assert_ne!(b.inputs, c.inputs);
        assert_ne!(b.fingerprint(), c.fingerprint());
        std::fs::write(dir.join("bieu-mau.txt"), "top-level files count").unwrap();
        assert_ne!(c.inputs, scan(dir).inputs);
    }
}
