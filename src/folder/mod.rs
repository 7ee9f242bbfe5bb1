//! The report folder on disk: what is read from it and how outputs are
//! written (one consistent set, never over an input). The stages themselves
//! never touch the disk.
//!
//! Everything read here is a regular file of bounded size: a FIFO, a device
//! or a socket is skipped (opening one could wait forever), directory links
//! are followed only while they stay inside `don-vi/` and do not loop, and
//! templates come only from inside the report folder.

mod output;
mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::{Diagnostic, Location};
use crate::settings::Settings;
use crate::template::{builtin, Source, MAIN};
use crate::Fatal;

pub use output::{write_atomic, OutputSet};
pub use walk::{UnitFile, SHEET_EXTS};

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
/// The commendation list for the handout (optional).
pub const KHEN_THUONG: &str = "khen-thuong.xlsx";
/// PDFs appended to the handout, in name order (optional).
pub const ATTACH_DIR: &str = "tai-lieu";
/// Default output folder.
pub const OUT_DIR: &str = "ket-qua";

/// Largest text file read (settings, `noi-dung.md`, a template): the
/// office's own text, a few pages; the PDF layout takes about 100 bytes of
/// memory per byte of text.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// An opened report folder.
pub struct Folder {
    root: PathBuf,
    /// Every file read, as its canonical path: outputs may not replace them.
    inputs: Mutex<Vec<PathBuf>>,
}

/// Why a file could not be read.
enum ReadError {
    /// Not a regular file (FIFO, device, socket, directory).
    NotAFile,
    /// Larger than allowed.
    TooLarge(u64),
    /// The system said no.
    Io(std::io::Error),
}

impl ReadError {
    fn say(&self) -> String {
        match self {
            ReadError::NotAFile => "không phải tệp thường (ống dẫn, thiết bị hay thư mục)".into(),
            ReadError::TooLarge(limit) => format!("lớn hơn {} MB", limit / (1024 * 1024)),
            ReadError::Io(e) => e.to_string(),
        }
    }
}

/// Open a file for reading only if it is a regular file: on Unix without
/// waiting (a FIFO would block `open` until a writer comes), then checked
/// on the handle itself so it cannot be swapped in between.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(ReadError::Io)?;
    match file.metadata() {
        Ok(m) if m.is_file() => Ok((file, m.len())),
        Ok(_) => Err(ReadError::NotAFile),
        Err(e) => Err(ReadError::Io(e)),
    }
}

/// Read a regular file of at most `limit` bytes.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    // Sized once from what the file says (it may still grow or shrink).
    let mut bytes = Vec::with_capacity(len.min(limit) as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
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
            inputs: Mutex::new(Vec::new()),
        })
    }

    /// The folder's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Canonical paths of every file read so far.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.inputs.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Record a file read from outside the folder's own files (last year's
    /// record), so that no output is ever written over it.
    pub fn note_input(&self, path: &Path) {
        if let (Ok(real), Ok(mut v)) = (std::fs::canonicalize(path), self.inputs.lock()) {
            v.push(real);
        }
    }

    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = read_limited(path, limit)?;
        self.note_input(path);
        Ok(bytes)
    }

    /// Record the unit workbooks about to be read as inputs, at once
    /// (their canonical paths are known from the walk): not one by one
    /// from the reading threads, each taking the lock.
    pub fn note_unit_files(&self, files: &[UnitFile]) {
        let (known, unknown): (Vec<&UnitFile>, Vec<&UnitFile>) =
            files.iter().partition(|f| f.real.is_some());
        if let Ok(mut v) = self.inputs.lock() {
            v.extend(known.iter().filter_map(|f| f.real.clone()));
        }
        for f in unknown {
            self.note_input(&f.path);
        }
    }

    /// Read a required text file of the folder.
    pub fn read_text(&self, name: &str) -> Result<String, Fatal> {
        let bytes = self
            .read(&self.root.join(name), MAX_TEXT_BYTES)
            .map_err(|e| Fatal::Folder(format!("không đọc được {name}: {}", e.say())))?;
        String::from_utf8(bytes).map_err(|_| {
            Fatal::Folder(format!(
                "không đọc được {name}: không phải văn bản UTF-8; cần lưu tệp với bảng mã UTF-8"
            ))
        })
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
        self.read(&self.root.join(name), crate::sheet::MAX_FILE_BYTES)
            .map_err(|e| {
                Fatal::Folder(format!(
                    "không đọc được {name}: {}; cần tệp danh mục với hai trang DonVi và ChiTieu",
                    e.say()
                ))
            })
    }

    /// Read an optional binary file of the folder (a spreadsheet): None
    /// when absent; a file that cannot be read is a diagnostic.
    pub fn read_optional_bytes(&self, name: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
        let p = self.root.join(name);
        if !p.exists() {
            return Ok(None);
        }
        self.read(&p, crate::sheet::MAX_FILE_BYTES)
            .map(Some)
            .map_err(|e| {
                Diagnostic::error(Location::file(name), format!("không đọc được: {}", e.say()))
            })
    }

    /// The PDFs in `tai-lieu/`, in name order, as (shown name, bytes); a
    /// file that cannot be read is a diagnostic and left out.
    pub fn attachments(&self) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
        let dir = self.root.join(ATTACH_DIR);
        let mut names: Vec<(String, PathBuf)> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .filter(|(n, _)| n.to_lowercase().ends_with(".pdf"))
                .collect(),
            Err(_) => return (Vec::new(), Vec::new()),
        };
        names.sort();
        let mut out = Vec::new();
        let mut diags = Vec::new();
        for (n, p) in names {
            let shown = format!("{ATTACH_DIR}/{n}");
            match self.read(&p, crate::write::pdf_pages::MAX_ATTACHMENT as u64) {
                Ok(b) => out.push((shown, b)),
                Err(e) => diags.push(Diagnostic::warning(
                    Location::file(&shown),
                    format!(
                        "không đọc được: {}; không ghép vào tài liệu hội nghị",
                        e.say()
                    ),
                )),
            }
        }
        (out, diags)
    }

    /// Every spreadsheet under `don-vi/`, sorted by path; what was passed
    /// over is said in diagnostics.
    pub fn unit_files(&self) -> (Vec<UnitFile>, Vec<Diagnostic>) {
        walk::unit_files(self)
    }

    /// Read a unit workbook's bytes, refusing what is not a regular file
    /// and absurd sizes; recorded as an input by [`Folder::note_unit_files`].
    pub fn read_unit_bytes(&self, f: &UnitFile) -> Result<Vec<u8>, Diagnostic> {
        read_limited(&f.path, crate::sheet::MAX_FILE_BYTES).map_err(|e| {
            let why = match e {
                ReadError::TooLarge(_) => {
                    format!("tệp {}, không giống biểu mẫu báo cáo", e.say())
                }
                _ => format!("không đọc được tệp: {}", e.say()),
            };
            Diagnostic::error(Location::file(&f.display), format!("{why}; đã bỏ qua"))
        })
    }

    /// A path as users see it: relative to the report folder, `/`-separated.
    pub fn display(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The canonical path of `p` if it lies inside the report folder.
    fn inside(&self, p: &Path) -> Option<PathBuf> {
        let root = std::fs::canonicalize(&self.root).ok()?;
        let real = std::fs::canonicalize(p).ok()?;
        real.starts_with(&root).then_some(real)
    }

    /// A template's text: only from inside the report folder.
    fn read_template(&self, p: &Path) -> Result<String, String> {
        let Some(real) = self.inside(p) else {
            return Err(
                "nằm ngoài thư mục báo cáo (mẫu chỉ được đọc từ trong thư mục báo cáo)".into(),
            );
        };
        let bytes = self.read(&real, MAX_TEXT_BYTES).map_err(|e| e.say())?;
        String::from_utf8(bytes).map_err(|_| "không phải văn bản UTF-8".to_string())
    }

    /// The templates to use and the main one's name: built-in ones, each
    /// replaced by `mau/NAME.hbs` where the user has one, plus the user's
    /// extra partials; `bao_cao.mau` names another main template. Templates
    /// are read only from inside the report folder; one that cannot be
    /// read is an error, and the built-in one is used.
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
                let text = match self.read_template(&p) {
                    Ok(t) => t,
                    Err(why) => {
                        diags.push(Diagnostic::error(
                            Location::file(self.display(&p)),
                            format!("không đọc được mẫu: {why}; đã bỏ qua"),
                        ));
                        continue;
                    }
                };
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
            let path = self.root.join(main_file);
            let shown = crate::sheet::short(main_file, 100);
            if !path.exists() {
                diags.push(Diagnostic::error(
                    Location::file(SETTINGS),
                    format!(
                        "khóa bao_cao.mau chỉ đến {shown} nhưng không có tệp đó; đã dùng mẫu có sẵn"
                    ),
                ));
            } else {
                match self.read_template(&path) {
                    Ok(text) => {
                        sources.push(Source {
                            name: MAIN.to_string(),
                            file: main_file.to_string(),
                            text,
                        });
                        main = MAIN.to_string();
                    }
                    Err(why) => diags.push(Diagnostic::error(
                        Location::file(SETTINGS),
                        format!(
                            "khóa bao_cao.mau chỉ đến {shown}, tệp này {why}; đã dùng mẫu có sẵn"
                        ),
                    )),
                }
            }
        }
        Ok((sources, main))
    }
}
