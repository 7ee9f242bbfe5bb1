//! "Did you mean …?" for template errors: the closest known name.

use serde_json::Value;

/// Every dotted path in the context (objects only; arrays by their items' keys).
pub fn context_paths(ctx: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(ctx, String::new(), &mut out, 0);
    out
}

fn walk(v: &Value, prefix: String, out: &mut Vec<String>, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                // Also offer the bare key, since paths inside blocks are relative.
                out.push(k.clone());
                walk(v, p, out, depth + 1);
            }
        }
        Value::Array(a) => {
            if let Some(first) = a.first() {
                walk(first, String::new(), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The closest candidate by edit distance, if reasonably close.
pub fn closest<S: AsRef<str>>(name: &str, candidates: &[S]) -> Option<String> {
    let name_l = name.to_lowercase();
    let last = name_l.rsplit('.').next().unwrap_or(&name_l).to_string();
    candidates
        .iter()
        .map(|c| c.as_ref())
        .filter(|c| *c != name)
        .map(|c| {
            let cl = c.to_lowercase();
            let d = levenshtein(&name_l, &cl)
                .min(levenshtein(&last, cl.rsplit('.').next().unwrap_or(&cl)) + 1);
            (d, c)
        })
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.len().cmp(&b.1.len())))
        .map(|(_, c)| c.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            closest("so_voi_cungky", &["so_voi_cung_ky", "so"]),
            Some("so_voi_cung_ky".into())
        );
        assert_eq!(
            closest("bao_cao.kyy", &["bao_cao.ky", "bao_cao.nam"]),
            Some("bao_cao.ky".into())
        );
        assert_eq!(closest("zzzzzz", &["so"]), None);
    }
}
