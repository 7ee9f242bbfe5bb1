//! Writing outputs: one build's files as one set (each written to a
//! temporary name in the output folder, all renamed into place only when
//! every one is written), never into `don-vi/` and never over an input.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::UNITS_DIR;
use crate::Fatal;

/// One build's outputs, staged then committed together.
pub struct OutputSet {
    dir: PathBuf,
    /// The output folder's canonical path.
    real: PathBuf,
    staged: Vec<(String, tempfile::NamedTempFile)>,
}

/// The canonical form of a path that may not exist yet: its nearest
/// existing ancestor canonicalised, the rest appended.
fn canonical_to_be(p: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = p.to_path_buf();
    loop {
        if let Ok(real) = std::fs::canonicalize(&cur) {
            return rest.into_iter().rev().fold(real, |acc, c| acc.join(c));
        }
        match (cur.file_name().map(|n| n.to_os_string()), cur.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                cur = parent.to_path_buf();
            }
            _ => return p.to_path_buf(),
        }
    }
}

impl OutputSet {
    /// Prepare `out` as the output folder of the report folder `root`:
    /// refused inside `don-vi/` (outputs there would be read as units'
    /// workbooks, or replace one), created if missing.
    pub fn new(root: &Path, out: &Path) -> Result<OutputSet, Fatal> {
        let units = canonical_to_be(&root.join(UNITS_DIR));
        if canonical_to_be(out).starts_with(&units) {
            return Err(Fatal::Folder(format!(
                "thư mục kết quả {} nằm trong {UNITS_DIR}/: tệp kết quả ở đó sẽ bị đọc như bảng tính của đơn vị, hoặc ghi đè lên tệp đơn vị gửi; hãy chọn thư mục khác (mặc định là {}/)",
                out.display(),
                super::OUT_DIR
            )));
        }
        std::fs::create_dir_all(out).map_err(|e| {
            Fatal::Folder(format!(
                "không tạo được thư mục kết quả {}: {e}",
                out.display()
            ))
        })?;
        let real = std::fs::canonicalize(out).map_err(|e| {
            Fatal::Folder(format!(
                "không dùng được thư mục kết quả {}: {e}",
                out.display()
            ))
        })?;
        Ok(OutputSet {
            dir: out.to_path_buf(),
            real,
            staged: Vec::new(),
        })
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Refuse outputs that would replace a file read as input (`--out`
    /// pointing into the report folder or at last year's record).
    pub fn check_inputs(&self, names: &[&str], inputs: &[PathBuf]) -> Result<(), Fatal> {
        for name in names {
            let target = self.real.join(name);
            if let Some(input) = inputs.iter().find(|i| **i == target) {
                return Err(Fatal::Folder(format!(
                    "tệp kết quả {name} sẽ ghi đè lên tệp đầu vào {}; không ghi gì; hãy chọn thư mục kết quả khác",
                    input.display()
                )));
            }
        }
        Ok(())
    }

    /// Write one output under a temporary name. On failure nothing staged
    /// is kept: the files already in the folder stay as they were.
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<(), Fatal> {
        match write_temp(&self.dir, bytes) {
            Ok(tmp) => {
                self.staged.push((name.to_string(), tmp));
                Ok(())
            }
            Err(e) => {
                self.staged.clear();
                Err(Fatal::Folder(format!(
                    "không ghi được {name} vào {}: {e}; không tệp kết quả nào được thay, các tệp đang có trong thư mục đó vẫn là của lần chạy trước",
                    self.dir.display()
                )))
            }
        }
    }

    /// Rename every staged output into place, in order. Should a rename
    /// fail, the message says which files are this run's and which not.
    pub fn commit(self) -> Result<Vec<PathBuf>, Fatal> {
        // What can be known to fail is refused before anything is replaced.
        for (name, _) in &self.staged {
            if self.dir.join(name).is_dir() {
                return Err(Fatal::Folder(format!(
                    "không ghi được {name}: trong {} đã có một thư mục cùng tên; không tệp kết quả nào được thay, các tệp đang có vẫn là của lần chạy trước",
                    self.dir.display()
                )));
            }
        }
        let mut done: Vec<PathBuf> = Vec::new();
        let mut staged = self.staged.into_iter();
        while let Some((name, tmp)) = staged.next() {
            let target = self.dir.join(&name);
            if let Err(e) = tmp.persist(&target) {
                let left: Vec<String> = std::iter::once(name.clone())
                    .chain(staged.map(|(n, _)| n))
                    .collect();
                let names = |v: &[PathBuf]| {
                    v.iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                return Err(Fatal::Folder(format!(
                    "không ghi được {name} vào {}: {}; tệp của lần chạy này: {}; tệp KHÔNG phải của lần chạy này (còn của lần trước hoặc chưa có): {}; hãy chạy lại",
                    self.dir.display(),
                    e.error,
                    if done.is_empty() { "không có".to_string() } else { names(&done) },
                    left.join(", ")
                )));
            }
            done.push(target);
        }
        Ok(done)
    }
}

/// A temporary file in `dir` holding `bytes`, flushed to disk.
fn write_temp(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".baocao-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // Temporary files are private; a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(tmp)
}

/// Write `bytes` to `dir/name` atomically: a temporary file in the same
/// folder, then a rename, so a crash never leaves half a file.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Fatal> {
    let target = dir.join(name);
    let fail =
        |e: std::io::Error| Fatal::Folder(format!("không ghi được {}: {e}", target.display()));
    let tmp = write_temp(dir, bytes).map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(target)
}
