//! Finding and reading last year's record named by `cung_ky_tu` in
//! `[bao_cao]`: a report folder (its `ket-qua/tong-hop.xlsx`) or a
//! `tong-hop.xlsx`, relative to the report folder. Anything wrong with it
//! stops the run with a message naming the key: a report built without
//! the record the office asked for would differ silently.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};
use crate::folder;
use crate::intake::record::{read_record, Record};
use crate::settings::{Loai, Settings, SettingsError};
use crate::vi::period::{parse_period, period_words};
use crate::Fatal;

const KEY: &str = "bao_cao.cung_ky_tu";

fn fail(value: &str, why: impl std::fmt::Display) -> Fatal {
    Fatal::Settings(SettingsError {
        file: folder::SETTINGS.to_string(),
        message: format!("khóa {KEY} = \"{value}\": {why}"),
    })
}

fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Read the record `value` names, for the report in `root`; the
/// diagnostics say what could not be checked.
pub fn load(
    f: &folder::Folder,
    value: &str,
    settings: &Settings,
) -> Result<(Record, Vec<Diagnostic>), Fatal> {
    let root = f.root();
    let mut diags = Vec::new();
    let target = root.join(value);
    let own_out = root.join(folder::OUT_DIR).join("tong-hop.xlsx");
    let (file, display, folder_settings): (PathBuf, String, Option<PathBuf>) = if target.is_dir() {
        if same_place(&target, root) {
            return Err(fail(
                value,
                "chỉ đến chính thư mục báo cáo này; cần thư mục báo cáo cùng kỳ năm trước",
            ));
        }
        let file = target.join(folder::OUT_DIR).join("tong-hop.xlsx");
        if !file.is_file() {
            return Err(fail(
                value,
                format!(
                    "thư mục này không có {}/tong-hop.xlsx; cần chạy `baocao build` cho báo cáo năm trước trước",
                    folder::OUT_DIR
                ),
            ));
        }
        let display = format!(
            "{}/{}/tong-hop.xlsx",
            value.trim_end_matches(['/', '\\']),
            folder::OUT_DIR
        );
        (file, display, Some(target.join(folder::SETTINGS)))
    } else if target.is_file() {
        let is_xlsx = target
            .extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("xlsx"));
        if !is_xlsx {
            return Err(fail(
                value,
                "không phải thư mục báo cáo hay tệp tong-hop.xlsx; cần thư mục báo cáo cùng kỳ năm trước hoặc tệp tong-hop.xlsx của nó",
            ));
        }
        if same_place(&target, &own_out) {
            return Err(fail(
                value,
                "là bản tổng hợp của chính báo cáo này; cần bản của cùng kỳ năm trước",
            ));
        }
        (target.clone(), value.to_string(), None)
    } else {
        return Err(fail(
            value,
            format!(
                "không có thư mục hay tệp này (đường dẫn tính từ thư mục báo cáo {})",
                root.display()
            ),
        ));
    };
    let limit = crate::sheet::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(&file)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(value, format!("không đọc được {display}: {e}")))?;
    f.note_input(&file);
    if bytes.len() as u64 > limit {
        return Err(fail(
            value,
            format!(
                "{display} lớn hơn {} MB, không phải bản tổng hợp",
                limit / (1024 * 1024)
            ),
        ));
    }
    let record = read_record(bytes, &display)
        .map_err(|e| fail(value, format!("{display} không dùng được: {e}")))?;
    // The period: from last year's settings when the folder has them, else
    // from what the record says it is for.
    let b = &settings.bao_cao;
    // The quarter matters only for a quarterly review.
    let norm =
        |(l, n, q): (Loai, i32, Option<u8>)| (l, n, if l == Loai::SoKetQuy { q } else { None });
    let want = norm((b.loai, b.nam - 1, b.quy));
    let want_words = period_words(want.0, want.1, want.2).ky;
    let theirs = folder_settings
        .filter(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| Settings::parse(&t, folder::SETTINGS).ok())
        .map(|s| (s.bao_cao.loai, s.bao_cao.nam, s.bao_cao.quy))
        .or_else(|| record.ky.as_deref().and_then(parse_period))
        .map(norm);
    match theirs {
        Some(p) if p == want => {}
        Some(p) => {
            return Err(fail(
                value,
                format!(
                    "là báo cáo {}, không phải cùng kỳ năm trước ({want_words})",
                    period_words(p.0, p.1, p.2).ky
                ),
            ))
        }
        None => diags.push(Diagnostic::warning(
            Location::file(&display),
            format!(
                "không biết bản tổng hợp này là của kỳ nào (tệp không ghi kỳ); đã dùng như số liệu {want_words}, đề nghị kiểm tra"
            ),
        )),
    }
    if record.is_empty() {
        diags.push(Diagnostic::warning(
            Location::file(&display),
            "bản tổng hợp năm trước không có số liệu đơn vị nào; không ô cùng kỳ nào được lấy từ đó",
        ));
    }
    Ok((record, diags))
}
