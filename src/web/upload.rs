//! Workbooks sent through the page: bounded, checked by content with the
//! library's own format detection, stored under a safe name without
//! overwriting anything. `accept_workbook` is the one way a file enters a
//! report folder from the web (the units' pages will use it too).

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::extract::multipart::{Field, Multipart};
use axum::http::StatusCode;
use unicode_normalization::UnicodeNormalization;

/// Largest workbook taken from the page.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Largest request body (all files of one upload together).
pub const MAX_REQUEST_BYTES: usize = 200 * 1024 * 1024;
/// The multipart field name the page uses.
pub const FIELD: &str = "tep";

/// A file that was not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// 413 for too large, 415 for not a spreadsheet, 400 otherwise.
    pub status: StatusCode,
    /// The reason, in Vietnamese.
    pub message: String,
}

impl Refused {
    /// A refusal with its status and Vietnamese reason.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refused {
            status,
            message: message.into(),
        }
    }
}

/// One file of an upload: its name as sent, and where it was stored
/// (the name inside the target folder) or why not.
#[derive(Debug)]
pub struct Received {
    /// The name the browser sent.
    pub sent_as: String,
    /// The stored file name, or the refusal.
    pub result: Result<String, Refused>,
}

/// Read every `tep` part of a multipart request into `dir`. A broken
/// request as a whole is a refusal; each file has its own result.
pub async fn receive(mut parts: Multipart, dir: PathBuf) -> Result<Vec<Received>, Refused> {
    let mut out = Vec::new();
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(broken(e.status(), &e.body_text())),
        };
        if field.name() != Some(FIELD) {
            continue;
        }
        let sent_as = field.file_name().unwrap_or_default().to_string();
        let result = match read_bounded(field).await? {
            None => Err(too_large()),
            Some(bytes) => {
                let (dir, name) = (dir.clone(), sent_as.clone());
                tokio::task::spawn_blocking(move || accept_workbook(&dir, &name, bytes))
                    .await
                    .unwrap_or_else(|_| {
                        Err(Refused::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "lỗi bất ngờ khi đọc tệp; không nhận",
                        ))
                    })
            }
        };
        out.push(Received { sent_as, result });
    }
    if out.is_empty() {
        return Err(Refused::new(
            StatusCode::BAD_REQUEST,
            format!("yêu cầu không có tệp nào (cần phần “{FIELD}” kiểu multipart/form-data)"),
        ));
    }
    Ok(out)
}

/// The field's bytes, or None when it is larger than [`MAX_FILE_BYTES`]
/// (the rest is read and dropped so that the next file can be read).
pub async fn read_bounded(mut field: Field<'_>) -> Result<Option<Vec<u8>>, Refused> {
    let mut bytes = Vec::new();
    let mut too_big = false;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if too_big || bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    too_big = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            Ok(None) => break,
            Err(e) => return Err(broken(e.status(), &e.body_text())),
        }
    }
    Ok((!too_big).then_some(bytes))
}

/// The refusal for a file over [`MAX_FILE_BYTES`].
pub fn too_large() -> Refused {
    Refused::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "tệp lớn hơn {} MB, không nhận (biểu mẫu báo cáo thường chỉ vài trăm KB)",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// A broken multipart request as a refusal.
pub fn broken(status: StatusCode, detail: &str) -> Refused {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Refused::new(
            status,
            format!(
                "gửi quá {} MB trong một lần, không nhận; hãy gửi ít tệp hơn mỗi lần",
                MAX_REQUEST_BYTES / (1024 * 1024)
            ),
        )
    } else {
        Refused::new(
            StatusCode::BAD_REQUEST,
            format!("yêu cầu gửi tệp bị hỏng ({detail})"),
        )
    }
}

/// Check that `bytes` are a spreadsheet (by content) and store them in
/// `dir` under a safe form of `sent_as`, never replacing a file: a taken
/// name gets ` (2)`, ` (3)` … Returns the stored file name.
pub fn accept_workbook(dir: &Path, sent_as: &str, bytes: Vec<u8>) -> Result<String, Refused> {
    let ext = check_workbook(&bytes)?;
    store_named(dir, &safe_name(sent_as, ext), &bytes)
}

/// The content check every file from the web passes: not empty, and a
/// spreadsheet by content (the same detection `check` uses). `Ok` gives
/// the extension of its format.
pub fn check_workbook(bytes: &[u8]) -> Result<&'static str, Refused> {
    if bytes.is_empty() {
        return Err(Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "tệp trống, không nhận",
        ));
    }
    // The sniffer takes the bytes; a copy is cheap next to opening them.
    baocao::sniff_spreadsheet(bytes.to_vec()).map_err(|why| {
        Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{why}; không nhận tệp"),
        )
    })
}

/// Store `bytes` in `dir` as `name` (already safe), never replacing a
/// file. Returns the stored file name.
pub fn store_named(dir: &Path, name: &str, bytes: &[u8]) -> Result<String, Refused> {
    store_new(dir, name, bytes).map_err(|e| {
        Refused::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("không ghi được tệp vào thư mục {}: {e}", dir.display()),
        )
    })
}

/// Windows device names, which no file may be called.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A name sent by a browser reduced to a plain file name that works on
/// Windows and is read from `don-vi/`: no folders (`../../x.xlsx` is
/// `x.xlsx`), no characters Windows forbids, NFC, not hidden, not a lock
/// file, at most 120 characters, ending in a spreadsheet extension (`ext`,
/// the format found by content, when it has none).
pub fn safe_name(sent_as: &str, ext: &str) -> String {
    let base = sent_as.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .nfc()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned
        .trim_start_matches(|c: char| c == '.' || c == '~' || c == '$' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let (stem, given_ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if baocao::folder::SHEET_EXTS.contains(&e.to_lowercase().as_str()) => {
            (s.trim_end().to_string(), e.to_string())
        }
        _ => (cleaned.to_string(), ext.to_string()),
    };
    let mut stem: String = stem.chars().take(120).collect();
    stem = stem.trim_end_matches(['.', ' ']).to_string();
    if stem.is_empty() {
        stem = "bang-tinh".into();
    }
    let first = stem.split('.').next().unwrap_or("").to_ascii_lowercase();
    if RESERVED.contains(&first.trim_end()) {
        stem.insert(0, '_');
    }
    format!("{stem}.{given_ext}")
}

/// Write `bytes` into `dir` as `name`, or `name (2)` … when taken, never
/// replacing anything: a hidden temporary file (which the folder walk
/// skips), then a rename that fails when the target exists.
fn store_new(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".baocao-tai-len-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    for n in 1..10_000u32 {
        let candidate = match n {
            1 => name.to_string(),
            n => format!("{stem} ({n}).{ext}"),
        };
        match tmp.persist_noclobber(dir.join(&candidate)) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    Err(std::io::Error::other("quá nhiều tệp cùng tên"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_reduced_to_a_safe_base_name() {
        assert_eq!(safe_name("../../x.xlsx", "xlsx"), "x.xlsx");
        assert_eq!(safe_name("..\\..\\Windows\\x.XLS", "xls"), "x.XLS");
        assert_eq!(safe_name("/etc/passwd", "xlsx"), "passwd.xlsx");
        assert_eq!(safe_name("C:\\Users\\a\\BC 6T.xlsx", "xlsx"), "BC 6T.xlsx");
        assert_eq!(safe_name(".hidden.xlsx", "xlsx"), "hidden.xlsx");
        assert_eq!(safe_name("~$khoa.xlsx", "xlsx"), "khoa.xlsx");
        assert_eq!(safe_name("a<b>:c|d?.xlsx", "xlsx"), "a_b__c_d_.xlsx");
        assert_eq!(safe_name("bao cao", "ods"), "bao cao.ods");
        assert_eq!(safe_name("bao cao.pdf", "xlsx"), "bao cao.pdf.xlsx");
        assert_eq!(safe_name("", "xlsx"), "bang-tinh.xlsx");
        assert_eq!(safe_name("../..", "xlsx"), "bang-tinh.xlsx");
        assert_eq!(safe_name("CON.xlsx", "xlsx"), "_CON.xlsx");
        assert_eq!(safe_name("nul", "xls"), "_nul.xls");
        assert_eq!(safe_name("a\u{0}b\n.xlsx", "xlsx"), "a_b_.xlsx");
        // Decomposed Vietnamese (macOS) becomes NFC.
        assert_eq!(
            safe_name("Trạm y tế.xlsx", "xlsx"),
            "Trạm y tế.xlsx".nfc().collect::<String>()
        );
        let long = format!("{}.xlsx", "đ".repeat(300));
        assert_eq!(safe_name(&long, "xlsx").chars().count(), 125);
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(store_new(d, "a.xlsx", b"1").unwrap(), "a.xlsx");
        assert_eq!(store_new(d, "a.xlsx", b"2").unwrap(), "a (2).xlsx");
        assert_eq!(store_new(d, "a.xlsx", b"3").unwrap(), "a (3).xlsx");
        assert_eq!(std::fs::read(d.join("a.xlsx")).unwrap(), b"1");
        assert_eq!(std::fs::read(d.join("a (2).xlsx")).unwrap(), b"2");
        let left: Vec<_> = std::fs::read_dir(d).unwrap().flatten().collect();
        assert_eq!(left.len(), 3, "no temporary file left behind");
    }

    #[test]
    fn not_a_spreadsheet_is_refused_and_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let r = accept_workbook(dir.path(), "x.xlsx", b"hello, not a workbook".to_vec());
        let e = r.unwrap_err();
        assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(
            e.message.contains("không phải tệp bảng tính"),
            "{}",
            e.message
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
