//! Each registry unit's secret link to its own page (`/nop/<token>`):
//! 128-bit tokens from the system's random source, of which the folder
//! keeps only SHA-256 hashes (`.baocao/lien-ket.toml`). The tokens
//! themselves are written once, into `lien-ket-nop.xlsx`, for the office
//! to send; running `baocao lien-ket` again keeps every unit's link (read
//! back from that workbook, each checked against its hash) and adds links
//! for new units, unless asked for new ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{clashing_dirs, STATE_DIR};
use crate::catalog::{code_key, Level, Registry};
use crate::folder::{self, write_atomic};
use crate::vi::fold::fold;
use crate::Fatal;

/// The hashes, inside [`STATE_DIR`].
pub const LINKS_FILE: &str = "lien-ket.toml";
/// The workbook of links for the office, in the report folder.
pub const LINKS_XLSX: &str = "lien-ket-nop.xlsx";
/// Its sheet.
pub const LINKS_SHEET: &str = "LienKet";
/// Where a unit's page is, under the server's address.
pub const PAGE_PREFIX: &str = "/nop/";

/// A new token: 128 bits from the operating system, as 32 hex digits.
pub fn new_token() -> Result<String, String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| format!("không lấy được số ngẫu nhiên của hệ điều hành: {e}"))?;
    Ok(hex(&b))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|x| format!("{x:02x}")).collect()
}

/// True for what a token looks like (32 lowercase hex digits).
pub fn looks_like_token(t: &str) -> bool {
    t.len() == 32
        && t.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The SHA-256 of a token, as 64 hex digits: what the folder keeps.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A unit's link: the server's address and the unit's token.
pub fn link(url: &str, token: &str) -> String {
    format!("{}{PAGE_PREFIX}{token}", url.trim_end_matches('/'))
}

/// One unit's link, as the folder keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unit code as in the registry.
    pub ma: String,
    /// SHA-256 of the token.
    pub bam: String,
    /// When the link was made (local time, `2024-07-01 08:00`).
    pub cap_luc: String,
}

/// `.baocao/lien-ket.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// The server's address the links start with.
    pub url: String,
    /// One entry per unit with a link.
    #[serde(default)]
    pub don_vi: Vec<Entry>,
}

impl Store {
    /// The folder's links; None when `baocao lien-ket` was never run.
    pub fn load(dir: &Path) -> Result<Option<Store>, String> {
        let path = dir.join(STATE_DIR).join(LINKS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("không đọc được {}: {e}", path.display())),
        };
        toml::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{} hỏng ({}); chạy lại baocao lien-ket --moi",
                path.display(),
                e.message()
            )
        })
    }

    /// The unit a token belongs to, compared by hash (every entry looked
    /// at, in constant time each, whichever matches).
    pub fn unit_of(&self, token: &str) -> Option<&Entry> {
        if !looks_like_token(token) {
            return None;
        }
        let h = token_hash(token);
        let mut found = None;
        for e in &self.don_vi {
            if bool::from(e.bam.as_bytes().ct_eq(h.as_bytes())) {
                found = Some(e);
            }
        }
        found
    }

    /// The host name in the links' address (for the server to accept it).
    pub fn host(&self) -> Option<String> {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let hostport = rest.split('/').next()?;
        let host = match hostport.strip_prefix('[') {
            Some(v6) => v6.split(']').next()?,
            None => hostport.rsplit_once(':').map_or(hostport, |(h, _)| h),
        };
        (!host.is_empty()).then(|| host.to_string())
    }

    fn save(&self, dir: &Path) -> Result<(), Fatal> {
        let state = dir.join(STATE_DIR);
        std::fs::create_dir_all(&state).map_err(|e| {
            Fatal::Folder(format!("không tạo được thư mục {}: {e}", state.display()))
        })?;
        let body = toml::to_string(self)
            .map_err(|e| Fatal::Folder(format!("không ghi được {LINKS_FILE}: {e}")))?;
        let text = format!(
            "# Mã băm SHA-256 của liên kết nộp báo cáo của từng đơn vị (baocao lien-ket).\n# Không chứa liên kết: liên kết chỉ có trong {LINKS_XLSX}. Không sửa tay.\n{body}"
        );
        write_atomic(&state, LINKS_FILE, text.as_bytes())?;
        Ok(())
    }
}

/// The tokens written in `lien-ket-nop.xlsx` that match the folder's
/// hashes, by unit code key. A link that does not match (an older
/// workbook, a typing slip) is not taken.
pub fn tokens_sent(dir: &Path, store: &Store) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(bytes) = std::fs::read(dir.join(LINKS_XLSX)) else {
        return out;
    };
    let Ok(mut wb) = crate::sheet::open(bytes) else {
        return out;
    };
    let name = wb
        .sheets()
        .into_iter()
        .find(|s| s.name == LINKS_SHEET)
        .map(|s| s.name);
    let Some(Ok(g)) = name.map(|n| wb.grid(&n)) else {
        return out;
    };
    let head = (0..g.height().min(20)).find_map(|r| {
        let col =
            |want: &dyn Fn(&str) -> bool| (0..g.width()).find(|&c| want(&fold(&g.text(r, c))));
        Some((
            r,
            col(&|l| l == "ma don vi")?,
            col(&|l| l.starts_with("lien ket"))?,
        ))
    });
    let Some((hr, mc, lc)) = head else {
        return out;
    };
    for r in hr + 1..g.height() {
        let ma = g.text(r, mc).trim().to_string();
        let url = g.text(r, lc);
        let token = url
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let Some(e) = store.unit_of(token) else {
            continue;
        };
        if code_key(&e.ma) == code_key(&ma) {
            out.insert(code_key(&ma).into_owned(), token.to_string());
        }
    }
    out
}

/// Which units get a new link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Renew {
    /// Only units that have none.
    Missing,
    /// Every unit (the old links stop working).
    All,
    /// These units (by code) and units that have none.
    Units(Vec<String>),
}

/// What `baocao lien-ket` did.
#[derive(Debug, Clone, Default)]
pub struct Made {
    /// The workbook written.
    pub path: PathBuf,
    /// The address links start with.
    pub url: String,
    /// Units given a new link.
    pub new: Vec<String>,
    /// Units whose link was kept and is listed.
    pub kept: Vec<String>,
    /// Units whose link was kept but is not known any more (the
    /// workbook was lost): listed without a link.
    pub unknown: Vec<String>,
    /// Links removed: units no longer in the registry.
    pub removed: Vec<String>,
}

/// The address as given: `http://…` or `https://…`, no spaces, no trailing `/`.
pub fn check_url(url: &str) -> Result<String, Fatal> {
    let u = url.trim().trim_end_matches('/');
    let ok = (u.starts_with("http://") || u.starts_with("https://"))
        && u.split_once("://").is_some_and(|(_, r)| !r.is_empty())
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"');
    if ok {
        Ok(u.to_string())
    } else {
        Err(Fatal::Folder(format!(
            "địa chỉ “{}” không dùng được; viết dạng http://may-chu:8686 (tên hoặc địa chỉ IP của máy chạy baocao serve, và cổng)",
            crate::sheet::short(url, 100)
        )))
    }
}

/// `baocao lien-ket`: a link for every registry unit, `lien-ket-nop.xlsx`
/// written (the workbook first, then the hashes, so that a failure never
/// leaves hashes whose links nobody has). `url` replaces the address kept
/// from the last run; `default_url` is used when there is neither.
pub fn make_links(
    dir: &Path,
    url: Option<&str>,
    default_url: &str,
    renew: &Renew,
) -> Result<Made, Fatal> {
    let f = folder::Folder::open(dir)?;
    let (registry, _, diags) =
        crate::catalog::read_danh_muc(f.read_bytes(folder::CATALOGUE)?, folder::CATALOGUE);
    if registry.units.is_empty() {
        let first = diags.first().map(|d| d.to_string());
        return Err(Fatal::Catalogue(first.unwrap_or_else(|| "trống".into())));
    }
    refuse_clashes(&registry)?;
    let old = Store::load(dir).map_err(Fatal::Folder)?;
    let url = match (url, &old) {
        (Some(u), _) => check_url(u)?,
        (None, Some(s)) => s.url.clone(),
        (None, None) => check_url(default_url)?,
    };
    if let Renew::Units(codes) = renew {
        for c in codes {
            if registry.index_of(c).is_none() {
                return Err(Fatal::Folder(format!(
                    "không có đơn vị mã {} trong danh-muc.xlsx › DonVi",
                    crate::sheet::short(c, 50)
                )));
            }
        }
    }
    let sent = old
        .as_ref()
        .map(|s| tokens_sent(dir, s))
        .unwrap_or_default();
    let when = super::now().format("%Y-%m-%d %H:%M").to_string();
    let mut made = Made {
        url: url.clone(),
        ..Made::default()
    };
    let mut store = Store {
        url: url.clone(),
        don_vi: Vec::new(),
    };
    let mut rows = Vec::new();
    for u in &registry.units {
        let key = code_key(&u.ma);
        let previous = old
            .as_ref()
            .and_then(|s| s.don_vi.iter().find(|e| code_key(&e.ma) == key));
        let wanted = match renew {
            Renew::Missing => false,
            Renew::All => true,
            Renew::Units(codes) => codes.iter().any(|c| code_key(c) == key),
        };
        let (entry, token) = match previous {
            Some(p) if !wanted => {
                let token = sent.get(key.as_ref()).cloned();
                if token.is_some() {
                    made.kept.push(u.ma.clone());
                } else {
                    made.unknown.push(u.ma.clone());
                }
                (p.clone(), token)
            }
            _ => {
                let token = new_token().map_err(Fatal::Folder)?;
                made.new.push(u.ma.clone());
                (
                    Entry {
                        ma: u.ma.clone(),
                        bam: token_hash(&token),
                        cap_luc: when.clone(),
                    },
                    Some(token),
                )
            }
        };
        let level = Level::name(&registry.levels, &u.tuyen)
            .unwrap_or_default()
            .to_string();
        rows.push(crate::write::links::LinkRow {
            ma: u.ma.clone(),
            ten: u.ten.clone(),
            tuyen: level,
            lien_ket: token.map(|t| link(&url, &t)),
            cap_luc: entry.cap_luc.clone(),
        });
        store.don_vi.push(entry);
    }
    if let Some(o) = &old {
        for e in &o.don_vi {
            if registry.index_of(&e.ma).is_none() {
                made.removed.push(e.ma.clone());
            }
        }
    }
    let bytes =
        crate::write::links::links_workbook(&rows).map_err(|e| Fatal::Folder(e.to_string()))?;
    made.path = write_atomic(dir, LINKS_XLSX, &bytes)?;
    store.save(dir)?;
    Ok(made)
}

fn refuse_clashes(registry: &Registry) -> Result<(), Fatal> {
    match clashing_dirs(registry).first() {
        Some((a, b)) => Err(Fatal::Catalogue(format!(
            "mã đơn vị {a} và {b} chỉ khác nhau ở dấu hay ký tự đặc biệt, nên trùng thư mục nộp don-vi/{}; hãy đặt hai mã khác hẳn nhau",
            super::unit_dir(a)
        ))),
        None => Ok(()),
    }
}

/// Each unit's link for the blank forms, by unit code key: the links of
/// `lien-ket-nop.xlsx` that match the folder's hashes. Empty when the
/// folder has no links; `Err` says why links exist but cannot be used.
pub fn links_for_forms(dir: &Path) -> Result<HashMap<String, String>, String> {
    let Some(store) = Store::load(dir)? else {
        return Ok(HashMap::new());
    };
    let tokens = tokens_sent(dir, &store);
    if tokens.is_empty() && !store.don_vi.is_empty() {
        return Err(format!(
            "thư mục có liên kết nộp báo cáo nhưng {LINKS_XLSX} không còn hoặc không khớp; biểu mẫu được ghi không kèm liên kết (chạy baocao lien-ket --moi để cấp liên kết mới)"
        ));
    }
    Ok(tokens
        .into_iter()
        .map(|(k, t)| (k, link(&store.url, &t)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_kept_as_hashes() {
        let a = new_token().unwrap();
        assert!(looks_like_token(&a), "{a}");
        assert_ne!(a, new_token().unwrap());
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let store = Store {
            url: "http://may-chu:8686".into(),
            don_vi: vec![Entry {
                ma: "BVDK".into(),
                bam: token_hash(&a),
                cap_luc: String::new(),
            }],
        };
        assert_eq!(store.unit_of(&a).unwrap().ma, "BVDK");
        assert!(store.unit_of(&a.to_uppercase()).is_none());
        assert!(store.unit_of(&new_token().unwrap()).is_none());
        assert!(store.unit_of("").is_none());
        assert_eq!(store.host().as_deref(), Some("may-chu"));
        assert_eq!(
            link("http://may-chu:8686/", &a),
            format!("http://may-chu:8686/nop/{a}")
        );
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            check_url(" http://10.0.0.5:8686/ ").unwrap(),
            "http://10.0.0.5:8686"
        );
        assert!(check_url("may-chu:8686").is_err());
        assert!(check_url("http://").is_err());
        assert!(check_url("http://a b").is_err());
        let s = |u: &str| Store {
            url: u.into(),
            don_vi: vec![],
        };
        assert_eq!(
            s("https://[fe80::1]:9000/x").host().as_deref(),
            Some("fe80::1")
        );
        assert_eq!(
            s("http://so-y-te.local").host().as_deref(),
            Some("so-y-te.local")
        );
    }
}
