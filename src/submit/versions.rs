//! The files a unit sends through its page: each one a new version in
//! `don-vi/<MÃ>/`, named by when it was received
//! (`2024-07-05_093012_<the name it was sent as>.xlsx`), none overwritten.
//! The newest version is the unit's report; the earlier ones are kept and
//! listed, not read (they were the unit's, and it replaced them).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::catalog::Registry;
use crate::folder::{UnitFile, UNITS_DIR};
use crate::settings::HanNop;

/// How the time of receipt starts a version's file name.
const STAMP: &str = "%Y-%m-%d_%H%M%S";
/// Its length: `2024-07-05_093012`.
const STAMP_LEN: usize = 17;

/// A version's file name: the time it was received, then the name it was
/// sent as (already made safe).
pub fn version_name(received: NaiveDateTime, safe_name: &str) -> String {
    format!("{}_{safe_name}", received.format(STAMP))
}

/// The time of receipt a version's file name starts with.
pub fn stamp_of(file_name: &str) -> Option<NaiveDateTime> {
    let head = file_name.get(..STAMP_LEN)?;
    if file_name.as_bytes().get(STAMP_LEN) != Some(&b'_') {
        return None;
    }
    NaiveDateTime::parse_from_str(head, STAMP).ok()
}

/// The stamp for a version received `now` when the unit's folder already
/// holds versions stamped `existing`: `now`, or one second after the
/// newest, so that names always sort in the order files came in (two in
/// one second, or a clock set back).
pub fn next_stamp(
    now: NaiveDateTime,
    existing: impl IntoIterator<Item = NaiveDateTime>,
) -> NaiveDateTime {
    match existing.into_iter().max() {
        Some(last) if last >= now => last + chrono::Duration::seconds(1),
        _ => now,
    }
}

/// The stamps of the versions in a unit's folder on disk.
pub fn stamps_in(folder: &Path) -> Vec<NaiveDateTime> {
    std::fs::read_dir(folder)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| stamp_of(&e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default()
}

/// One version a unit sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The file, as users see paths (`don-vi/BVDK/2024-07-05_093012_x.xlsx`).
    pub tep: String,
    /// When it was received (local time, ISO 8601 without a zone).
    #[serde(serialize_with = "iso")]
    pub nhan_luc: NaiveDateTime,
    /// Received after the deadline.
    pub muon: bool,
}

fn iso<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The unit (found by its folder's name with `unit_of`) and receipt time
/// of a file that is a version: a file directly inside
/// `don-vi/<a unit's folder>/` whose name starts with a stamp.
fn version_of(
    display: &str,
    unit_of: impl FnOnce(&str) -> Option<String>,
) -> Option<(String, NaiveDateTime)> {
    let mut parts = display.split('/');
    let (top, dir, name) = (parts.next()?, parts.next()?, parts.next()?);
    if top != UNITS_DIR || parts.next().is_some() {
        return None;
    }
    let at = stamp_of(name)?;
    Some((unit_of(dir)?, at))
}

/// The unit files split: what is read (every file except a unit's earlier
/// versions), and every unit's versions, newest first, by unit code.
pub fn newest_only(
    files: Vec<UnitFile>,
    registry: &Registry,
    deadline: Option<&HanNop>,
) -> (Vec<UnitFile>, Vec<(String, Vec<Version>)>) {
    let mut by_unit: Vec<(String, Vec<(Version, UnitFile)>)> = Vec::new();
    // Each unit's folder name, made once (the first unit of a name, in
    // registry order), and each unit's place in `by_unit` (with every unit
    // sending through its page, searching the registry for each file was
    // quadratic).
    let mut dirs: Option<HashMap<String, &str>> = None;
    let mut place: HashMap<String, usize> = HashMap::new();
    let mut read = Vec::new();
    for f in files {
        let found = version_of(&f.display, |dir| {
            let dirs = dirs.get_or_insert_with(|| {
                let mut m = HashMap::with_capacity(registry.units.len());
                for u in &registry.units {
                    m.entry(super::unit_dir(&u.ma)).or_insert(u.ma.as_str());
                }
                m
            });
            dirs.get(dir).map(|ma| ma.to_string())
        });
        let Some((ma, at)) = found else {
            read.push(f);
            continue;
        };
        let v = Version {
            tep: f.display.clone(),
            nhan_luc: at,
            muon: deadline.is_some_and(|d| d.is_late(at)),
        };
        match place.get(&ma) {
            Some(&i) => by_unit[i].1.push((v, f)),
            None => {
                place.insert(ma.clone(), by_unit.len());
                by_unit.push((ma, vec![(v, f)]));
            }
        }
    }
    let mut versions = Vec::new();
    for (ma, mut list) in by_unit {
        // Newest first; equal stamps (files copied in by hand) by name.
        list.sort_by(|a, b| (b.0.nhan_luc, &b.0.tep).cmp(&(a.0.nhan_luc, &a.0.tep)));
        let mut it = list.into_iter();
        let mut shown = Vec::new();
        if let Some((v, f)) = it.next() {
            read.push(f);
            shown.push(v);
        }
        shown.extend(it.map(|(v, _)| v));
        versions.push((ma, shown));
    }
    read.sort_by(|a, b| a.display.cmp(&b.display));
    (read, versions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::DonVi;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn names_carry_the_time_received() {
        let n = version_name(t("2024-07-05 09:30:12"), "BC 6T.xlsx");
        assert_eq!(n, "2024-07-05_093012_BC 6T.xlsx");
        assert_eq!(stamp_of(&n), Some(t("2024-07-05 09:30:12")));
        assert_eq!(stamp_of("2024-07-05_0930_x.xlsx"), None);
        assert_eq!(stamp_of("bao cao.xlsx"), None);
        assert_eq!(stamp_of("2024-13-05_093012_x.xlsx"), None);
        assert_eq!(stamp_of("2024-07-05_093012.xlsx"), None);
    }

    #[test]
    fn stamps_always_increase() {
        let now = t("2024-07-05 09:30:12");
        assert_eq!(next_stamp(now, []), now);
        assert_eq!(next_stamp(now, [t("2024-07-05 09:00:00")]), now);
        assert_eq!(next_stamp(now, [now]), t("2024-07-05 09:30:13"));
        // The clock went back: still after the newest.
        assert_eq!(
            next_stamp(now, [t("2024-07-05 10:00:00"), now]),
            t("2024-07-05 10:00:01")
        );
    }

    #[test]
    fn only_the_newest_version_is_read() {
        let registry = Registry::new(
            vec![DonVi {
                ma: "BVDK".into(),
                ten: "Bệnh viện".into(),
                tuyen: "tinh".into(),
                dan_so: None,
            }],
            vec![],
        );
        let f = |d: &str| UnitFile {
            path: d.into(),
            display: d.into(),
            modified: None,
            real: None,
        };
        let files = vec![
            f("don-vi/BVDK/2024-07-05_093012_a.xlsx"),
            f("don-vi/BVDK/2024-07-06_080000_b.xlsx"),
            f("don-vi/BVDK/ghi-tay.xlsx"),
            f("don-vi/CDC/2024-07-06_080000_c.xlsx"),
            f("don-vi/BVDK/cu/2024-07-07_080000_d.xlsx"),
            f("don-vi/x.xlsx"),
        ];
        let deadline = HanNop {
            luc: t("2024-07-05 23:59:59"),
            ca_ngay: true,
        };
        let (read, versions) = newest_only(files, &registry, Some(&deadline));
        let read: Vec<&str> = read.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(
            read,
            [
                "don-vi/BVDK/2024-07-06_080000_b.xlsx",
                "don-vi/BVDK/cu/2024-07-07_080000_d.xlsx",
                "don-vi/BVDK/ghi-tay.xlsx",
                "don-vi/CDC/2024-07-06_080000_c.xlsx",
                "don-vi/x.xlsx",
            ]
        );
        assert_eq!(versions.len(), 1);
        let (ma, list) = &versions[0];
        assert_eq!(ma, "BVDK");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].tep, "don-vi/BVDK/2024-07-06_080000_b.xlsx");
        assert!(list[0].muon);
        assert!(!list[1].muon);
    }

    /// With every unit of a large registry sending through its page (here
    /// 10,000 units, two versions each, in no order), each unit's newest
    /// version is read and its versions listed newest first.
    #[test]
    fn every_unit_sending_versions() {
        let n = 10_000;
        let units = (0..n)
            .map(|i| DonVi {
                ma: format!("DV{i:05}"),
                ten: format!("Đơn vị {i}"),
                tuyen: "xa".into(),
                dan_so: None,
            })
            .collect();
        let registry = Registry::new(units, vec![]);
        let f = |d: String| UnitFile {
            path: d.clone().into(),
            display: d,
            modified: None,
            real: None,
        };
        let mut files = Vec::new();
        for i in (0..n).rev() {
            files.push(f(format!("don-vi/DV{i:05}/2024-07-05_080000_a.xlsx")));
            files.push(f(format!("don-vi/DV{i:05}/2024-07-06_080000_b.xlsx")));
        }
        let (read, versions) = newest_only(files, &registry, None);
        assert_eq!(read.len(), n);
        assert!(read.iter().all(|f| f.display.ends_with("_b.xlsx")));
        assert_eq!(versions.len(), n);
        for (ma, list) in &versions {
            assert_eq!(list.len(), 2);
            assert!(list[0].tep.starts_with(&format!("don-vi/{ma}/2024-07-06")));
        }
    }
}
