//! The intake cache the web page checks through: an unchanged workbook is
//! not parsed again, a changed one (even with its old size and time) is,
//! alone, and what the check says is what a fresh check says.

use std::path::Path;

use baocao::intake::cache::IntakeCache;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// What a check says, to compare a cached check with a fresh one.
fn said(c: &baocao::Checked) -> (serde_json::Value, Vec<String>) {
    (
        c.full_context(),
        c.diagnostics.iter().map(|d| d.to_string()).collect(),
    )
}

#[test]
fn only_changed_workbooks_are_parsed_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("báo cáo");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024");
    copy_dir(&sample, &dir);
    let quiet = &|_: usize, _: usize| {};
    let fresh = || said(&baocao::check(&dir, quiet).unwrap());
    let cache = IntakeCache::new();
    let cached = || said(&baocao::check_cached(&dir, &cache, quiet).unwrap());

    let first = cached();
    let n = cache.parsed();
    assert!(n >= 10, "every workbook parsed once: {n}");
    assert_eq!(first, fresh());
    assert_eq!(cached(), first, "nothing changed");
    assert_eq!(cache.parsed(), n, "nothing parsed again");

    // Other bytes under the same size and modification time.
    let wb = dir.join("don-vi/cdc_BC6T_2024.xlsx");
    let original = std::fs::read(&wb).unwrap();
    let time = std::fs::metadata(&wb).unwrap().modified().unwrap();
    std::fs::write(&wb, vec![b'x'; original.len()]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&wb)
        .unwrap()
        .set_modified(time)
        .unwrap();
    let broken = cached();
    assert_eq!(cache.parsed(), n + 1, "the changed workbook alone");
    assert!(
        broken
            .1
            .iter()
            .any(|d| d.contains("cdc_BC6T_2024.xlsx") && d.contains("đã bỏ qua tệp")),
        "{:#?}",
        broken.1
    );
    assert_eq!(broken, fresh());

    std::fs::write(&wb, &original).unwrap();
    assert_eq!(cached(), first, "back as it was");
    assert_eq!(cache.parsed(), n + 2);

    // A workbook gone is gone from the check too.
    std::fs::remove_file(&wb).unwrap();
    let without = cached();
    assert_eq!(cache.parsed(), n + 2);
    assert_eq!(without, fresh());
    assert_ne!(without, first);

    // Another period: every workbook is read against it.
    let toml = dir.join("baocao.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("nam = 2024", "nam = 2025")).unwrap();
    let next_year = cached();
    assert_eq!(cache.parsed(), 2 * n + 1, "all but the removed one again");
    assert_eq!(next_year, fresh());
}
