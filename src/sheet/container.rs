//! Telling the container formats apart by content, and looking inside a
//! zip before any reader inflates it.

use std::io::{Cursor, Read};

use super::{Limits, OpenError};

/// A zip archive over the file's bytes.
pub type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// What a zip-based workbook is.
pub enum ZipKind {
    /// Office Open XML.
    Xlsx,
    /// OpenDocument spreadsheet.
    Ods,
    /// Binary Office Open XML, which is not read.
    Xlsb,
}

/// Refuse archives whose declared or actual sizes are absurd (zip bombs)
/// and tell the formats apart; the archive is returned for the checks of
/// each format.
pub fn inspect_zip<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<(ZipKind, Archive<'a>), OpenError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        OpenError("tệp bị hỏng hoặc không trọn vẹn (không đọc được cấu trúc nén)".into())
    })?;
    if archive.len() > limits.zip_entries {
        return Err(OpenError(format!(
            "tệp nén có {} mục, quá giới hạn {} (một bảng tính chỉ có vài chục mục; nghi là tệp độc hại)",
            super::vn(archive.len() as u64),
            super::vn(limits.zip_entries as u64)
        )));
    }
    let mut total: u64 = 0;
    let mut kind = None;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| OpenError("tệp bị hỏng hoặc không trọn vẹn (mục nén hỏng)".into()))?;
        total = total.saturating_add(entry.size());
        // Some writers use `\` in names, or put the workbook elsewhere
        // than `xl/` (its place is named in `_rels/.rels`).
        let name = entry
            .name()
            .map(|n| n.replace('\\', "/").to_lowercase())
            .unwrap_or_default();
        if name == "mimetype" {
            kind = Some(ZipKind::Ods);
        } else if name.ends_with("workbook.bin") {
            kind = Some(ZipKind::Xlsb);
        } else if name.ends_with("workbook.xml") && kind.is_none() {
            kind = Some(ZipKind::Xlsx);
        }
    }
    let mb = |n: u64| n / (1024 * 1024);
    if total > limits.unzipped_bytes {
        return Err(OpenError(format!(
            "tệp khai báo {} MB dữ liệu sau khi giải nén, quá giới hạn {} MB (nghi là tệp độc hại)",
            mb(total),
            mb(limits.unzipped_bytes)
        )));
    }
    // Declared sizes can lie (the reader calamine uses trusts them): inflate
    // every entry once against the same budget; the zip crate stops an
    // entry that inflates past its declared size.
    let mut budget = limits.unzipped_bytes;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            OpenError(format!(
                "tệp bị hỏng hoặc không trọn vẹn (mục nén thứ {} không đọc được: {e})",
                i + 1
            ))
        })?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let n = std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
            .map_err(|e| {
                OpenError(format!(
                    "tệp bị hỏng, không trọn vẹn hoặc độc hại: mục “{}” không giải nén được như khai báo ({e})",
                    super::short(&name, 80)
                ))
            })?;
        if n > budget {
            return Err(OpenError(format!(
                "tệp giải nén ra hơn {} MB dữ liệu (nghi là tệp độc hại, “bom zip”)",
                mb(limits.unzipped_bytes)
            )));
        }
        budget -= n;
    }
    if let Some(ZipKind::Ods) = kind {
        // An ODF package names its type in the first entry.
        let mut mt = String::new();
        if let Ok(mut f) = archive.by_name("mimetype") {
            let _ = f.by_ref().take(200).read_to_string(&mut mt);
        }
        if !mt.contains("spreadsheet") {
            return Err(OpenError(format!(
                "tệp OpenDocument nhưng không phải bảng tính (loại: {})",
                super::short(mt.trim(), 80)
            )));
        }
    }
    let kind = kind.ok_or_else(|| {
        OpenError(
            "tệp nén nhưng không phải bảng tính (không có workbook.xml hay nội dung .ods)".into(),
        )
    })?;
    Ok((kind, archive))
}

/// The names of the archive's entries whose lower-case name ends with `suffix`.
pub fn entries_ending(archive: &Archive<'_>, suffix: &str) -> Vec<String> {
    archive
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| n.to_lowercase().ends_with(suffix))
        .map(|n| n.to_string())
        .collect()
}
