//! The project's own docs answer a new user: no pointer outside the
//! repository, every page the README names exists, every setting `init`
//! writes and every catalogue column is documented, and every template
//! name `docs/templates.md` gives is a real one.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

fn user_docs() -> Vec<(String, String)> {
    let mut v = vec![("README.md".to_string(), read("README.md"))];
    for e in std::fs::read_dir(root().join("docs")).unwrap().flatten() {
        let name = format!("docs/{}", e.file_name().to_string_lossy());
        if name.ends_with(".md") {
            v.push((name.clone(), read(&name)));
        }
    }
    v
}

#[test]
fn docs_point_only_inside_the_repository() {
    for (name, text) in user_docs() {
        assert!(
            !text.contains("../shared"),
            "{name} points outside the repository"
        );
        // Every `docs/….md` named exists.
        for (i, _) in text.match_indices("docs/") {
            let rest = &text[i..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || "/-_.".contains(c)))
                .unwrap_or(rest.len());
            let path = rest[..end].trim_end_matches('.');
            if path.ends_with(".md") {
                assert!(
                    root().join(path).is_file(),
                    "{name} names {path}, which does not exist"
                );
            }
        }
    }
}

#[test]
fn every_setting_and_catalogue_column_is_documented() {
    let doc = read("docs/thu-muc-bao-cao.md");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("moi");
    baocao::starter::init(&d).unwrap();
    let toml = std::fs::read_to_string(d.join("baocao.toml")).unwrap();
    let mut section = String::new();
    let mut keys = 0;
    for line in toml.lines() {
        let l = line.trim_start_matches(['#', ' ']);
        if let Some(s) = l.strip_prefix('[').and_then(|s| s.split(']').next()) {
            section = s.to_string();
            continue;
        }
        if let Some((k, _)) = l.split_once(" = ") {
            let k = k.trim();
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                let full = format!("`{section}.{k}`");
                assert!(
                    doc.contains(&full),
                    "{full} is not in docs/thu-muc-bao-cao.md"
                );
                keys += 1;
            }
        }
    }
    assert!(keys >= 20, "{keys} keys found in init's baocao.toml");
    let (reg, cat, _) = baocao::catalog::read_danh_muc(
        std::fs::read(d.join("danh-muc.xlsx")).unwrap(),
        "danh-muc.xlsx",
    );
    assert!(!reg.units.is_empty() && !cat.indicators.is_empty());
    for col in [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tuyến",
        "Dân số",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm",
        "Cách tổng hợp",
        "Tử số",
        "Mẫu số",
        "Hệ số",
        "Kế hoạch tỉnh",
        "Cách so sánh",
    ] {
        assert!(
            doc.contains(&format!("| `{col}` |")),
            "column {col} is not documented"
        );
    }
}

#[test]
fn template_names_in_the_docs_are_real() {
    let doc = read("docs/templates.md");
    let builtin: Vec<String> = baocao::template::builtin::BUILTIN
        .iter()
        .map(|(n, _)| format!("{n}.hbs"))
        .collect();
    for b in &builtin {
        assert!(doc.contains(b), "{b} is not described in docs/templates.md");
    }
    for (i, _) in doc.match_indices(".hbs") {
        let start = doc[..i]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .map(|k| k + 1)
            .unwrap_or(0);
        let name = format!("{}.hbs", &doc[start..i]);
        assert!(
            builtin.contains(&name) || name == "rieng.hbs" || name == "NAME.hbs",
            "docs/templates.md names {name}, which is no built-in template"
        );
    }
}
