//! The time an `.xls` file says it was last saved: property 13
//! (`PIDSI_LASTSAVE_DTM`, a FILETIME) of its `SummaryInformation` stream
//! (MS-OLEPS). Read by hand, and only that property, because the rebuilt
//! file calamine reads holds the `Workbook` stream alone; the stream is read
//! at most 64 KB and every offset is checked.

use std::io::{Cursor, Read};

const STREAM: &str = "/\u{5}SummaryInformation";
const MAX_BYTES: u64 = 64 * 1024;
const LAST_SAVED: u32 = 0x0D;
const VT_FILETIME: u16 = 0x40;

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(i..i.checked_add(2)?)?.try_into().ok()?,
    ))
}
fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(i..i.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn u64_at(d: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        d.get(i..i.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// The last-saved time as `2024-07-05T08:30:00Z` (UTC); None when the file
/// does not say.
pub fn last_saved(bytes: &[u8]) -> Option<String> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut d = Vec::new();
    cf.open_stream(STREAM)
        .ok()?
        .take(MAX_BYTES)
        .read_to_end(&mut d)
        .ok()?;
    // Header (28 bytes), then the first section's FMTID (16) and offset.
    let section = u32_at(&d, 44)? as usize;
    let count = u32_at(&d, section.checked_add(4)?)? as usize;
    for i in 0..count.min(1024) {
        let entry = section.checked_add(8 + i * 8)?;
        if u32_at(&d, entry)? != LAST_SAVED {
            continue;
        }
        let at = section.checked_add(u32_at(&d, entry + 4)? as usize)?;
        if u16_at(&d, at)? != VT_FILETIME {
            return None;
        }
        return filetime(u64_at(&d, at.checked_add(4)?)?);
    }
    None
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as ISO 8601; zero means unset.
fn filetime(t: u64) -> Option<String> {
    if t == 0 {
        return None;
    }
    let unix = (t / 10_000_000) as i64 - 11_644_473_600;
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes() {
        assert_eq!(filetime(0), None);
        // 2024-07-05 08:30:00 UTC.
        assert_eq!(
            filetime(133_646_418_000_000_000).as_deref(),
            Some("2024-07-05T08:30:00Z")
        );
    }

    #[test]
    fn anything_else_says_nothing() {
        assert_eq!(last_saved(b"not a compound file"), None);
        assert_eq!(last_saved(&[]), None);
    }
}
