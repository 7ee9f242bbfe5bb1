//! Finding the units' workbooks under `don-vi/`: regular files only,
//! directory links followed only while they stay inside `don-vi/` and do
//! not lead back to a folder already walked, every file passed over said.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Folder, UNITS_DIR};
use crate::diagnostics::{Diagnostic, Location};

/// Spreadsheet file endings read from `don-vi/`.
pub const SHEET_EXTS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];
/// Deepest folder nesting walked under `don-vi/`.
const MAX_DEPTH: usize = 16;
/// Most entries looked at under `don-vi/` (a unit sends one workbook).
const MAX_ENTRIES: usize = 100_000;

/// A unit workbook found in `don-vi/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFile {
    /// Full path.
    pub path: PathBuf,
    /// Path shown to users, relative to the report folder (`don-vi/…`).
    pub display: String,
    /// Modification time (Unix seconds).
    pub modified: Option<i64>,
    /// Canonical path, when the walk knows it (links resolved).
    pub real: Option<PathBuf>,
}

/// What an entry turned out to be, symbolic links followed.
enum Kind {
    /// A regular file, and whether its entry is a link.
    File(std::fs::Metadata, bool),
    /// A folder, with its canonical path.
    Dir(PathBuf),
    Skip(Diagnostic),
    Ignore,
}

pub fn unit_files(f: &Folder) -> (Vec<UnitFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let base = f.root.join(UNITS_DIR);
    let base_real = match std::fs::canonicalize(&base) {
        Ok(p) if p.is_dir() => p,
        _ => {
            diags.push(Diagnostic::error(
                Location::file(UNITS_DIR),
                "không có thư mục don-vi/; cần đặt bảng tính của các đơn vị vào đó",
            ));
            return (files, diags);
        }
    };
    let mut seen: HashSet<PathBuf> = HashSet::from([base_real.clone()]);
    // Each folder with its canonical path, so that a file's is known
    // without asking the system for each (a lookup per path component).
    let mut stack = vec![(base, base_real.clone(), 0usize)];
    let mut entries = 0usize;
    while let Some((dir, dir_real, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            diags.push(Diagnostic::error(
                Location::file(f.display(&dir)),
                "không đọc được thư mục; các tệp trong đó không được đọc",
            ));
            continue;
        };
        for entry in rd.flatten() {
            entries += 1;
            if entries > MAX_ENTRIES {
                diags.push(Diagnostic::error(
                    Location::file(UNITS_DIR),
                    format!(
                        "thư mục don-vi/ có hơn {} mục; chỉ đọc chừng đó (mỗi đơn vị chỉ cần một tệp)",
                        crate::vi::number::format_decimal((MAX_ENTRIES as u64).into())
                    ),
                ));
                stack.clear();
                break;
            }
            let p = entry.path();
            let shown = f.display(&p);
            let name = entry.file_name().to_string_lossy().to_string();
            match classify(&entry, &p, &shown, &base_real, &mut seen) {
                Kind::Ignore => {}
                Kind::Skip(d) => diags.push(d),
                Kind::Dir(_) if depth + 1 > MAX_DEPTH => diags.push(Diagnostic::warning(
                    Location::file(&shown),
                    format!("thư mục lồng sâu hơn {MAX_DEPTH} cấp; đã bỏ qua"),
                )),
                Kind::Dir(real) => stack.push((p, real, depth + 1)),
                Kind::File(meta, link) => {
                    if let Some(d) = not_a_workbook(&name, &p, &shown) {
                        if let Some(d) = d {
                            diags.push(d);
                        }
                        continue;
                    }
                    let modified = meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map(|d| d.as_secs() as i64);
                    let real = if link {
                        std::fs::canonicalize(&p).ok()
                    } else {
                        Some(dir_real.join(entry.file_name()))
                    };
                    files.push(UnitFile {
                        display: shown,
                        path: p,
                        modified,
                        real,
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| a.display.cmp(&b.display));
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    (files, diags)
}

/// Regular file, folder to walk, or something to pass over (with why).
fn classify(
    entry: &std::fs::DirEntry,
    p: &Path,
    shown: &str,
    base_real: &Path,
    seen: &mut HashSet<PathBuf>,
) -> Kind {
    let name = entry.file_name().to_string_lossy().to_string();
    let hidden = name.starts_with('.') && !name.starts_with(".~lock");
    let Ok(ft) = entry.file_type() else {
        return Kind::Skip(Diagnostic::warning(
            Location::file(shown),
            "không xem được loại tệp; đã bỏ qua",
        ));
    };
    let link = ft.is_symlink();
    // Follow a link to see what it names; a broken one is said.
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(_) if hidden => return Kind::Ignore,
        Err(_) => {
            return Kind::Skip(Diagnostic::warning(
                Location::file(shown),
                "liên kết hỏng (không trỏ tới tệp nào); đã bỏ qua",
            ))
        }
    };
    if meta.is_dir() {
        let Ok(real) = std::fs::canonicalize(p) else {
            return Kind::Skip(Diagnostic::warning(
                Location::file(shown),
                "không đọc được thư mục; đã bỏ qua",
            ));
        };
        if !real.starts_with(base_real) {
            return Kind::Skip(Diagnostic::warning(
                Location::file(shown),
                "liên kết tới thư mục nằm ngoài don-vi/; không đọc (chỉ đọc các tệp trong don-vi/); đã bỏ qua",
            ));
        }
        if !seen.insert(real.clone()) {
            return Kind::Skip(Diagnostic::warning(
                Location::file(shown),
                "liên kết tới một thư mục đã đọc (vòng lặp hoặc trùng lặp); đã bỏ qua",
            ));
        }
        return Kind::Dir(real);
    }
    if hidden {
        return Kind::Ignore;
    }
    if !meta.is_file() {
        let what = if link {
            "liên kết tới thứ không phải tệp thường"
        } else {
            "không phải tệp thường (ống dẫn, thiết bị hay socket)"
        };
        return Kind::Skip(Diagnostic::warning(
            Location::file(shown),
            format!("{what}; đã bỏ qua"),
        ));
    }
    Kind::File(meta, link)
}

/// None for a workbook; Some(note) for a file that is not one (Some(None)
/// when nothing needs saying).
fn not_a_workbook(name: &str, p: &Path, shown: &str) -> Option<Option<Diagnostic>> {
    if name.starts_with("~$") || name.starts_with(".~lock") {
        return Some(Some(Diagnostic::info(
            Location::file(shown),
            "tệp tạm của Excel/LibreOffice (tệp đang mở); đã bỏ qua",
        )));
    }
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !SHEET_EXTS.contains(&ext.as_str()) {
        return Some(Some(Diagnostic::warning(
            Location::file(shown),
            "tệp không phải bảng tính (.xlsx, .xls, .ods); đã bỏ qua",
        )));
    }
    None
}
