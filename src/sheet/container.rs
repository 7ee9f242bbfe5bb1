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

/// What a look inside a zip found.
pub struct Inside<'a> {
    /// The format.
    pub kind: ZipKind,
    /// The archive, for each format's own checks.
    pub archive: Archive<'a>,
    /// Whether some worksheet part holds merged regions (`mergeCell`):
    /// when none does, sheets are not read a second time for them.
    pub merges: bool,
    /// In an `.xlsx`, the parts that may be sheets and every other part the
    /// reader reads (shared strings, styles, the workbook, relationships,
    /// document properties), inflated by the checks (entry index, bytes),
    /// when they are small enough to keep ([`KEEP_BYTES`]): the reader is
    /// then given them as they are, not inflated again.
    pub inflated: Option<Vec<(usize, Vec<u8>)>>,
}

/// Most bytes of inflated parts kept for the reader (a unit's sheets take
/// a few tens of KB); beyond it the reader inflates them itself.
pub const KEEP_BYTES: usize = 16 * 1024 * 1024;

/// Deflate's largest ratio: a 258-byte match in two bits.
const DEFLATE_RATIO: u64 = 1032;

/// The most an entry can inflate to, whatever it declares (u64::MAX for
/// a method with no such bound); the readers read at most its compressed
/// size from the file.
fn most_inflated(entry: &zip::read::ZipFile<'_, Cursor<&[u8]>>) -> u64 {
    match entry.compression() {
        zip::CompressionMethod::Stored => entry.compressed_size(),
        zip::CompressionMethod::Deflated => entry
            .compressed_size()
            .saturating_add(1)
            .saturating_mul(DEFLATE_RATIO),
        _ => u64::MAX,
    }
}

/// [`most_inflated`] of the entry called `name`.
pub fn most_inflated_of(archive: &mut Archive<'_>, name: &str) -> u64 {
    match archive
        .index_for_name(name)
        .map(|i| archive.by_index_raw(i))
    {
        Some(Ok(e)) => most_inflated(&e),
        _ => u64::MAX,
    }
}

/// Refuse archives whose declared or actual sizes are absurd (zip bombs)
/// and tell the formats apart; the archive is returned for the checks of
/// each format.
pub fn inspect_zip<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Inside<'a>, OpenError> {
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
    // The most the entries can inflate to, whatever they declare.
    let mut most: u64 = 0;
    let mut kind = None;
    // Per entry: whether it may be a sheet, whether it is another part
    // read from an `.xlsx`.
    let mut sheets = vec![false; archive.len()];
    let mut others = vec![false; archive.len()];
    for (i, (sheet, other)) in sheets.iter_mut().zip(others.iter_mut()).enumerate() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| OpenError("tệp bị hỏng hoặc không trọn vẹn (mục nén hỏng)".into()))?;
        total = total.saturating_add(entry.size());
        most = most.saturating_add(most_inflated(&entry));
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
        // Any part but the workbook's known others may be a sheet (the
        // workbook's relationships may put one anywhere); those are not
        // inflated twice (each costs its own decoding tables).
        *sheet = !not_a_sheet(&name);
        *other = read_from_xlsx(&name);
    }
    let mb = |n: u64| n / (1024 * 1024);
    if total > limits.unzipped_bytes {
        return Err(OpenError(format!(
            "tệp khai báo {} MB dữ liệu sau khi giải nén, quá giới hạn {} MB (nghi là tệp độc hại)",
            mb(total),
            mb(limits.unzipped_bytes)
        )));
    }
    // Declared sizes can lie (the reader calamine uses trusts them and
    // inflates past them): unless the compressed sizes alone keep every
    // entry within the budget (a unit's workbook of a few hundred KB),
    // inflate every entry once against it; the zip crate used here refuses
    // an entry that inflates past its declared size. Parts that may be
    // sheets are always inflated, to see whether they hold merged regions;
    // in an `.xlsx` they and the other parts read are kept for the reader.
    let every = most > limits.unzipped_bytes;
    let xlsx = matches!(kind, Some(ZipKind::Xlsx));
    let mut budget = limits.unzipped_bytes;
    let mut merges = false;
    let mut inflated = Some(Vec::new());
    let mut keep_left = KEEP_BYTES;
    for (i, &sheet) in sheets.iter().enumerate() {
        let kept = xlsx && (sheet || others[i]);
        if !every && !kept && !sheet {
            continue;
        }
        let unreadable = |e: zip::result::ZipError| {
            OpenError(format!(
                "tệp bị hỏng hoặc không trọn vẹn (mục nén thứ {} không đọc được: {e})",
                i + 1
            ))
        };
        let (name, size) = archive
            .by_index_raw(i)
            .map(|e| {
                (
                    e.name().map(|n| n.to_string()).unwrap_or_default(),
                    e.size(),
                )
            })
            .map_err(unreadable)?;
        let mut seen = Finder::new(MERGE_CELL);
        if kept && inflated.is_some() {
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            seen.keep = Some(Vec::with_capacity(size.min(keep_left)));
            seen.keep_left = keep_left;
        }
        let broken = |e: &dyn std::fmt::Display| {
            OpenError(format!(
                "tệp bị hỏng, không trọn vẹn hoặc độc hại: mục “{}” không giải nén được như khai báo ({e})",
                super::short(&name, 80)
            ))
        };
        let n = match super::inflate::read_part(&mut archive, i, budget, &mut seen) {
            Ok(Some(n)) => n,
            Err(super::inflate::Broken(e)) => return Err(broken(&e)),
            // Another kind of part: the zip crate's reader.
            Ok(None) => {
                let mut entry = archive.by_index(i).map_err(unreadable)?;
                std::io::copy(&mut (&mut entry).take(budget + 1), &mut seen)
                    .map_err(|e| broken(&e))?
            }
        };
        if n > budget {
            return Err(OpenError(format!(
                "tệp giải nén ra hơn {} MB dữ liệu (nghi là tệp độc hại, “bom zip”)",
                mb(limits.unzipped_bytes)
            )));
        }
        budget -= n;
        merges |= sheet && seen.found;
        if kept {
            match (seen.keep, &mut inflated) {
                (Some(bytes), Some(v)) => {
                    keep_left -= bytes.len();
                    v.push((i, bytes));
                }
                _ => inflated = None,
            }
        }
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
    Ok(Inside {
        kind,
        archive,
        merges,
        inflated,
    })
}

/// Parts of a workbook, by lower-case name, that are never its sheets.
fn not_a_sheet(name: &str) -> bool {
    name.ends_with(".rels")
        || name.ends_with("[content_types].xml")
        || name.ends_with("sharedstrings.xml")
        || name.ends_with("styles.xml")
        || name.ends_with("workbook.xml")
        || name.ends_with("calcchain.xml")
        || name.starts_with("docprops/")
        || [
            "/theme/",
            "/media/",
            "/drawings/",
            "/printersettings/",
            "/charts/",
        ]
        .iter()
        .any(|d| name.contains(d))
}

/// Parts of an `.xlsx`, by lower-case name, that are read besides its
/// sheets (kept inflated for the reader and for [`super::repack`]).
fn read_from_xlsx(name: &str) -> bool {
    name.ends_with("sharedstrings.xml")
        || name.ends_with("styles.xml")
        || name.ends_with("workbook.xml")
        || name.ends_with(".rels")
        || name == "docprops/core.xml"
}

/// The element of merged regions in a worksheet part.
const MERGE_CELL: &[u8] = b"mergeCell";

/// A sink that notes whether the bytes written hold `needle`, and keeps
/// them while they stay within `keep_left`.
struct Finder {
    finder: memchr::memmem::Finder<'static>,
    /// The last bytes of the previous write, for a needle across writes.
    tail: Vec<u8>,
    found: bool,
    /// What was written, until it grew past `keep_left` (then None).
    keep: Option<Vec<u8>>,
    keep_left: usize,
}

impl Finder {
    fn new(needle: &'static [u8]) -> Finder {
        Finder {
            finder: memchr::memmem::Finder::new(needle),
            tail: Vec::new(),
            found: false,
            keep: None,
            keep_left: 0,
        }
    }
}

impl std::io::Write for Finder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(k) = &mut self.keep {
            if k.len() + buf.len() <= self.keep_left {
                k.extend_from_slice(buf);
            } else {
                self.keep = None;
            }
        }
        if !self.found {
            let n = self.finder.needle().len();
            let mut joined = std::mem::take(&mut self.tail);
            joined.extend_from_slice(&buf[..buf.len().min(n - 1)]);
            self.found = self.finder.find(&joined).is_some() || self.finder.find(buf).is_some();
            // Keep the last n - 1 bytes seen.
            if buf.len() >= n - 1 {
                joined.clear();
                joined.extend_from_slice(&buf[buf.len() - (n - 1)..]);
            } else {
                joined.truncate(joined.len() - buf.len());
                joined.extend_from_slice(buf);
                joined.drain(..joined.len().saturating_sub(n - 1));
            }
            self.tail = joined;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn finds_a_needle_across_writes() {
        let text = b"<sheetData/><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>";
        for size in 1..text.len() {
            let mut f = Finder::new(MERGE_CELL);
            for chunk in text.chunks(size) {
                f.write_all(chunk).unwrap();
            }
            assert!(f.found, "chunks of {size}");
        }
        let mut f = Finder::new(MERGE_CELL);
        for chunk in b"<sheetData/><merge Cell/><mergeCel".chunks(3) {
            f.write_all(chunk).unwrap();
        }
        assert!(!f.found);
    }
}
