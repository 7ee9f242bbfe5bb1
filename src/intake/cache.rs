//! Each workbook's intake kept between checks: the web page checks the
//! folder again after every upload, and a folder of a thousand units
//! should not be read again for one changed workbook.
//!
//! A workbook is known by its path and its bytes (length and a hash of
//! them), not by its modification time: a file replaced within the same
//! second, or copied with its old time kept, is still read again. Reading
//! the bytes costs little beside parsing them. What intake makes of a
//! workbook also depends on the catalogue and the period, so a change of
//! either empties the cache.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{read_unit, Expect, UnitReport};
use crate::diagnostics::Diagnostic;

/// What intake made of one workbook.
type Intake = (Option<UnitReport>, Vec<Diagnostic>);

struct Entry {
    len: usize,
    hash: u64,
    intake: Intake,
}

#[derive(Default)]
struct Inner {
    /// The catalogue and period the entries were read against.
    against: Option<u64>,
    entries: HashMap<String, Entry>,
}

/// Workbooks' intake by path, kept while their bytes, the catalogue and
/// the period stay the same (see [`crate::check_cached`]).
#[derive(Default)]
pub struct IntakeCache {
    inner: Mutex<Inner>,
    parsed: AtomicUsize,
}

/// A hash of some bytes (the std hasher: no crate needed for this).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl IntakeCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many workbooks have been parsed through this cache (not served
    /// from it), since it was made.
    pub fn parsed(&self) -> usize {
        self.parsed.load(Ordering::Relaxed)
    }

    /// Start a check against `against` (the catalogue and period): entries
    /// read against others, and of workbooks no longer in `files`, go.
    pub(crate) fn begin<'a>(&self, against: u64, files: impl Iterator<Item = &'a str>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.against != Some(against) {
            inner.entries.clear();
            inner.against = Some(against);
        }
        let present: HashSet<&str> = files.collect();
        inner.entries.retain(|k, _| present.contains(k.as_str()));
    }

    /// [`read_unit`], or what it made of the same bytes at the same path.
    pub(crate) fn read(&self, bytes: Vec<u8>, file: &str, expect: Expect<'_>) -> Intake {
        let (len, hash) = (bytes.len(), hash_bytes(&bytes));
        {
            let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = inner.entries.get(file) {
                if e.len == len && e.hash == hash {
                    return e.intake.clone();
                }
            }
        }
        let intake = read_unit(bytes, file, expect);
        self.parsed.fetch_add(1, Ordering::Relaxed);
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.insert(
            file.to_string(),
            Entry {
                len,
                hash,
                intake: intake.clone(),
            },
        );
        intake
    }
}
