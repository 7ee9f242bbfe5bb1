//! Inputs the fuzzers found bugs with (`tests/fixtures/fuzz/TARGET/`),
//! replayed through the same entry points the fuzz targets call
//! (`baocao::fuzzing`): each must now run to its end without a panic, and
//! without holding more heap than `PEAK_LIMIT` at any moment (the fuzzers
//! ran under 2 GB; most bugs they find are memory blow-ups, which would
//! pass here unnoticed on a machine with enough memory).
//! `docs/fuzzing.md` says what each one found.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Most heap one input may hold at once.
const PEAK_LIMIT: usize = 512 * 1024 * 1024;

/// The system allocator, counting the bytes held and their peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = HELD.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        HELD.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            HELD.fetch_sub(l.size(), Relaxed);
            grew(new);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn each(target: &str, run: impl Fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(e.path()).unwrap();
        let base = HELD.load(Relaxed);
        PEAK.store(base, Relaxed);
        let t = std::time::Instant::now();
        run(&bytes);
        let peak = PEAK.load(Relaxed) - base;
        eprintln!(
            "{target}/{name}: {:.2} s, peak {} MB",
            t.elapsed().as_secs_f64(),
            peak >> 20
        );
        assert!(
            peak <= PEAK_LIMIT,
            "{target}/{name} held {} MB at once",
            peak >> 20
        );
        n += 1;
    }
    n
}

fn text(bytes: &[u8]) -> &str {
    // libFuzzer hands `&str` targets only valid UTF-8.
    std::str::from_utf8(bytes).unwrap_or("")
}

#[test]
fn every_input_that_found_a_bug_runs_clean() {
    use baocao::fuzzing::*;
    let n = each("workbook", |b| drop(workbook(b)))
        + each("xls_biff", |b| drop(xls_biff(b)))
        + each("xlsx_xml", |b| drop(xlsx_xml(b)))
        + each("ods_xml", |b| drop(ods_xml(b)))
        + each("danh_muc", danh_muc)
        + each("header", header)
        + each("settings", |b| settings(text(b)))
        + each("number", |b| number(text(b)))
        + each("legacy", |b| legacy(text(b)));
    assert!(n >= 2, "the inputs of tests/fixtures/fuzz/ were not found");
    eprintln!("{n} inputs replayed");
}
