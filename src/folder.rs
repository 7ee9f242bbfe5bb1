//! The report folder on disk: what is read from it and how outputs are
//! written (atomically, never touching inputs). The stages themselves never
//! touch the disk.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Settings;
use crate::template::{builtin, Source, MAIN};
use crate::Fatal;

/// `baocao.toml`.
pub const SETTINGS: &str = "baocao.toml";
/// `danh-muc.xlsx`.
pub const CATALOGUE: &str = "danh-muc.xlsx";
/// `noi-dung.md`.
pub const NOI_DUNG: &str = "noi-dung.md";
/// The units' workbooks.
pub const UNITS_DIR: &str = "don-vi";
/// User templates.
pub const TEMPLATES_DIR: &str = "mau";
/// Default output folder.
pub const OUT_DIR: &str = "ket-qua";

/// Spreadsheet file endings read from `don-vi/`.
const SHEET_EXTS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// A unit workbook found in `don-vi/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFile {
    /// Full path.
    pub path: PathBuf,
    /// Path shown to users, relative to the report folder (`don-vi/…`).
    pub display: String,
    /// Modification time (Unix seconds).
    pub modified: Option<i64>,
}

/// An opened report folder.
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// Open a folder; it must exist and hold `baocao.toml`.
    pub fn open(dir: &Path) -> Result<Folder, Fatal> {
        if !dir.is_dir() {
            return Err(Fatal::Folder(format!(
                "không có thư mục báo cáo {}",
                dir.display()
            )));
        }
        if !dir.join(SETTINGS).is_file() {
            return Err(Fatal::Folder(format!(
                "thư mục {} không có {SETTINGS}; tạo thư mục mới bằng `baocao init`",
                dir.display()
            )));
        }
        Ok(Folder {
            root: dir.to_path_buf(),
        })
    }

    /// Read a required text file.
    pub fn read_text(&self, name: &str) -> Result<String, Fatal> {
        std::fs::read_to_string(self.root.join(name))
            .map_err(|e| Fatal::Folder(format!("không đọc được {name}: {e}")))
    }

    /// Read an optional text file.
    pub fn read_optional_text(&self, name: &str) -> Result<Option<String>, Fatal> {
        let p = self.root.join(name);
        if !p.exists() {
            return Ok(None);
        }
        self.read_text(name).map(Some)
    }

    /// Read a required binary file.
    pub fn read_bytes(&self, name: &str) -> Result<Vec<u8>, Fatal> {
        std::fs::read(self.root.join(name)).map_err(|e| {
            Fatal::Folder(format!(
                "không đọc được {name}: {e}; cần tệp danh mục với hai trang DonVi và ChiTieu"
            ))
        })
    }

    /// Every spreadsheet under `don-vi/`, sorted by path; other files are
    /// info diagnostics.
    pub fn unit_files(&self) -> (Vec<UnitFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        let base = self.root.join(UNITS_DIR);
        if !base.is_dir() {
            diags.push(Diagnostic::error(
                Location::file(UNITS_DIR),
                "không có thư mục don-vi/; cần đặt bảng tính của các đơn vị vào đó",
            ));
            return (files, diags);
        }
        let mut stack = vec![base];
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                diags.push(Diagnostic::error(
                    Location::file(self.display(&dir)),
                    "không đọc được thư mục",
                ));
                continue;
            };
            for entry in rd.flatten() {
                let p = entry.path();
                let name = entry.file_name().to_string_lossy().to_string();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let ext = p
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                if name.starts_with("~$") || name.starts_with(".~lock") {
                    diags.push(Diagnostic::info(
                        Location::file(self.display(&p)),
                        "tệp tạm của Excel/LibreOffice (tệp đang mở); đã bỏ qua",
                    ));
                    continue;
                }
                if name.starts_with('.') {
                    continue;
                }
                if !SHEET_EXTS.contains(&ext.as_str()) {
                    diags.push(Diagnostic::warning(
                        Location::file(self.display(&p)),
                        "tệp không phải bảng tính (.xlsx, .xls, .ods); đã bỏ qua",
                    ));
                    continue;
                }
                let modified = entry
                    .metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64);
                files.push(UnitFile {
                    display: self.display(&p),
                    path: p,
                    modified,
                });
            }
        }
        files.sort_by(|a, b| a.display.cmp(&b.display));
        diags.sort_by(|a, b| a.location.cmp(&b.location));
        (files, diags)
    }

    /// Read a unit workbook's bytes, refusing absurd sizes.
    pub fn read_unit_bytes(&self, f: &UnitFile) -> Result<Vec<u8>, Diagnostic> {
        let limit = crate::sheet::MAX_FILE_BYTES;
        let file = std::fs::File::open(&f.path).map_err(|e| {
            Diagnostic::error(
                Location::file(&f.display),
                format!("không mở được tệp: {e}; đã bỏ qua"),
            )
        })?;
        let mut bytes = Vec::new();
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| {
            Diagnostic::error(
                Location::file(&f.display),
                format!("không đọc được tệp: {e}; đã bỏ qua"),
            )
        })?;
        if bytes.len() as u64 > limit {
            return Err(Diagnostic::error(
                Location::file(&f.display),
                format!(
                    "tệp lớn hơn {} MB, không giống biểu mẫu báo cáo; đã bỏ qua",
                    limit / (1024 * 1024)
                ),
            ));
        }
        Ok(bytes)
    }

    fn display(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The templates to use and the main one's name: built-in ones, each
    /// replaced by `mau/NAME.hbs` where the user has one, plus the user's
    /// extra partials; `bao_cao.mau` names another main template.
    pub fn templates(
        &self,
        settings: &Settings,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(Vec<Source>, String), Fatal> {
        let mut sources = builtin::sources();
        let mut main = builtin::main_name(settings).to_string();
        let dir = self.root.join(TEMPLATES_DIR);
        if dir.is_dir() {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            paths.sort();
            for p in paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "hbs"))
            {
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                let text = self.read_text(&self.display(&p))?;
                let src = Source {
                    name: name.clone(),
                    file: self.display(&p),
                    text,
                };
                match sources.iter_mut().find(|s| s.name == name) {
                    Some(s) => *s = src,
                    None => sources.push(src),
                }
            }
        }
        let own = settings
            .bao_cao
            .mau
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty());
        if let Some(main_file) = own {
            if !self.root.join(main_file).is_file() {
                diags.push(Diagnostic::error(
                    Location::file(SETTINGS),
                    format!(
                        "khóa bao_cao.mau chỉ đến {main_file} nhưng không có tệp đó; đã dùng mẫu có sẵn"
                    ),
                ));
            } else {
                let text = self.read_text(main_file)?;
                sources.push(Source {
                    name: MAIN.to_string(),
                    file: main_file.to_string(),
                    text,
                });
                main = MAIN.to_string();
            }
        }
        Ok((sources, main))
    }
}

/// Write `bytes` to `dir/name` atomically: a temporary file in the same
/// folder, then a rename, so a crash never leaves half a file.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Fatal> {
    use std::io::Write;
    let target = dir.join(name);
    let fail =
        |e: std::io::Error| Fatal::Folder(format!("không ghi được {}: {e}", target.display()));
    let mut tmp = tempfile::Builder::new()
        .prefix(".baocao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // Temporary files are private; a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(target)
}
