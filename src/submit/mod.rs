//! The units' side of a report folder: their secret links (`links`), the
//! versions they send through their page (`versions`), the deadline and
//! the office's lock. What the web server and the command line share; the
//! folder's program state lives in `.baocao/` beside the user's files.
//!
//! ```text
//! .baocao/lien-ket.toml   SHA-256 of each unit's link token (never the token)
//! .baocao/khoa.toml       present while the office has locked submissions
//! lien-ket-nop.xlsx       the links themselves, for the office to send
//! don-vi/<MÃ>/2024-07-05_093012_<name>.xlsx   one file per submission
//! ```

pub mod links;
pub mod versions;

use std::path::Path;

use chrono::NaiveDateTime;

use crate::catalog::{code_key, Registry};
use crate::folder::{write_atomic, UNITS_DIR};
use crate::Fatal;

/// The folder of the program's own state inside a report folder.
pub const STATE_DIR: &str = ".baocao";
/// The lock file inside [`STATE_DIR`].
pub const LOCK_FILE: &str = "khoa.toml";

/// Windows device names, which no file or folder may be called.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The folder under `don-vi/` that holds a unit's submissions: its code
/// folded like the registry compares codes (`ttyt a` → `TTYT_A`), ASCII
/// letters, digits, `_` and `-` only, never a Windows device name.
pub fn unit_dir(ma: &str) -> String {
    let folded: String = code_key(ma)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if folded.trim_matches('_').is_empty() {
        return "_".to_string();
    }
    if RESERVED.contains(&folded.as_str()) {
        return format!("_{folded}");
    }
    folded
}

/// Units of the registry whose submission folders would be the same
/// (codes that differ only in what a folder name cannot hold).
pub fn clashing_dirs(registry: &Registry) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, a) in registry.units.iter().enumerate() {
        for b in &registry.units[i + 1..] {
            if unit_dir(&a.ma) == unit_dir(&b.ma) {
                out.push((a.ma.clone(), b.ma.clone()));
            }
        }
    }
    out
}

/// A unit's submission folder, as a path.
pub fn submissions_path(report: &Path, ma: &str) -> std::path::PathBuf {
    report.join(UNITS_DIR).join(unit_dir(ma))
}

/// The time on this computer's clock, to the second.
pub fn now() -> NaiveDateTime {
    let t = chrono::Local::now().naive_local();
    t - chrono::Duration::nanoseconds(t.and_utc().timestamp_subsec_nanos() as i64)
}

/// Whose a workbook is, by what it says.
#[derive(Debug, Clone, PartialEq)]
pub enum Whose {
    /// A registry unit's (its code); `by_name` when the workbook names
    /// the unit but writes no code.
    Unit {
        /// The registry's code.
        ma: String,
        /// Matched by `Tên đơn vị`, no `Mã đơn vị` written.
        by_name: bool,
    },
    /// A code the registry does not have.
    UnknownCode(String),
    /// Neither a code nor a name the registry knows.
    Nobody,
    /// Not readable as a unit's report; the errors say why.
    Unreadable(Vec<crate::diagnostics::Diagnostic>),
}

/// Read `bytes` as a unit workbook of the report folder `dir` (named
/// `file` in messages) and say whose it is, before it is stored anywhere.
pub fn whose(dir: &Path, bytes: Vec<u8>, file: &str) -> Result<Whose, Fatal> {
    let f = crate::folder::Folder::open(dir)?;
    let settings = crate::settings::Settings::parse(
        &f.read_text(crate::folder::SETTINGS)?,
        crate::folder::SETTINGS,
    )?;
    let (registry, catalogue, _) = crate::catalog::read_danh_muc(
        f.read_bytes(crate::folder::CATALOGUE)?,
        crate::folder::CATALOGUE,
    );
    let b = &settings.bao_cao;
    let expect = crate::intake::Expect {
        catalogue: &catalogue,
        period: (b.loai, b.nam, b.quy),
    };
    let (report, diags) = crate::intake::read_unit(bytes, file, expect);
    let Some(rep) = report else {
        return Ok(Whose::Unreadable(
            diags
                .into_iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .collect(),
        ));
    };
    if let Some(code) = rep.ma_don_vi.as_deref().filter(|c| !c.trim().is_empty()) {
        return Ok(match registry.index_of(code) {
            Some(i) => Whose::Unit {
                ma: registry.units[i].ma.clone(),
                by_name: false,
            },
            None => Whose::UnknownCode(code.to_string()),
        });
    }
    Ok(
        match rep
            .ten_don_vi
            .as_deref()
            .and_then(|t| registry.index_by_name(t))
        {
            Some(i) => Whose::Unit {
                ma: registry.units[i].ma.clone(),
                by_name: true,
            },
            None => Whose::Nobody,
        },
    )
}

/// The office's lock: when set, the units' page takes no more files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// When it was locked (None when the file does not say).
    pub luc: Option<NaiveDateTime>,
}

/// Whether submissions are locked in the report folder `dir`.
pub fn lock_state(dir: &Path) -> Option<Lock> {
    let path = dir.join(STATE_DIR).join(LOCK_FILE);
    if !path.is_file() {
        return None;
    }
    let luc = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("khoa_luc").and_then(|v| v.as_str()).map(String::from))
        .and_then(|s| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S").ok());
    Some(Lock { luc })
}

/// Lock submissions (`baocao khoa`); locking again keeps the first time.
pub fn lock(dir: &Path) -> Result<Lock, Fatal> {
    crate::folder::Folder::open(dir)?;
    if let Some(l) = lock_state(dir) {
        return Ok(l);
    }
    let state = state_dir(dir)?;
    let luc = now();
    let text = format!(
        "# Trang nộp báo cáo của các đơn vị đã khóa: không nhận thêm bảng tính.\n# Mở lại: baocao mo-khoa (hoặc nút trên trang của văn phòng). Xóa tệp này cũng là mở khóa.\nkhoa_luc = \"{}\"\n",
        luc.format("%Y-%m-%dT%H:%M:%S")
    );
    write_atomic(&state, LOCK_FILE, text.as_bytes())?;
    Ok(Lock { luc: Some(luc) })
}

/// Unlock submissions (`baocao mo-khoa`); true when it was locked.
pub fn unlock(dir: &Path) -> Result<bool, Fatal> {
    crate::folder::Folder::open(dir)?;
    let path = dir.join(STATE_DIR).join(LOCK_FILE);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Fatal::Folder(format!(
            "không xóa được {}: {e}",
            path.display()
        ))),
    }
}

/// `.baocao/`, created when missing.
fn state_dir(dir: &Path) -> Result<std::path::PathBuf, Fatal> {
    let state = dir.join(STATE_DIR);
    std::fs::create_dir_all(&state)
        .map_err(|e| Fatal::Folder(format!("không tạo được thư mục {}: {e}", state.display())))?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_folders_are_safe_names() {
        assert_eq!(unit_dir("BVDK"), "BVDK");
        assert_eq!(unit_dir("ttyt a"), "TTYT_A");
        assert_eq!(unit_dir("TTYT-Đông Sơn"), "TTYT_DONG_SON");
        assert_eq!(unit_dir("../.."), "_");
        assert_eq!(unit_dir("con"), "_CON");
        assert_eq!(unit_dir("a/b\\c"), "A_B_C");
    }

    #[test]
    fn lock_and_unlock() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(crate::folder::SETTINGS), "").unwrap();
        assert_eq!(lock_state(d.path()), None);
        let l = lock(d.path()).unwrap();
        assert!(l.luc.is_some());
        assert_eq!(lock_state(d.path()), Some(l.clone()));
        assert_eq!(lock(d.path()).unwrap(), l, "locking again keeps the time");
        assert!(unlock(d.path()).unwrap());
        assert!(!unlock(d.path()).unwrap());
        assert_eq!(lock_state(d.path()), None);
    }
}
