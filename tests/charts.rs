//! Charts on the committed sample: each chart's bars are the context's
//! figures (read back from the chart model and its laid-out bars, not
//! from pixels); the same PNG is in the DOCX package and among the PDF's
//! images at print resolution; an indicator nobody reported is not drawn
//! and says why.

use std::path::{Path, PathBuf};

use baocao::document::{Block, Chart};
use baocao::template::{builtin, Source, Templates};
use serde_json::Value;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/so-ket-6-thang-2024")
}

fn charts_of(ctx: &Value) -> (Vec<Chart>, Vec<String>) {
    let main = "so-ket-6-thang";
    let (t, d) = Templates::new(&builtin::sources(), main);
    assert!(d.is_empty(), "{d:?}");
    let doc = t.document(ctx).unwrap();
    let charts = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    (charts, doc.notes)
}

#[test]
fn bars_are_the_figures_of_each_groups_first_indicator() {
    let c = baocao::check(&sample(), &|_, _| {}).unwrap();
    let ctx = &c.context;
    let (charts, notes) = charts_of(ctx);
    assert!(notes.is_empty(), "{notes:?}");
    let groups = ctx["nhom"].as_array().unwrap();
    assert_eq!(charts.len(), groups.len(), "one chart per group");
    for (chart, g) in charts.iter().zip(groups) {
        let ma = g["chi_tieu"][0]["ma"].as_str().unwrap();
        assert_eq!(chart.ma, ma);
        let ind = &ctx["chi_tieu"][ma];
        let levels = ctx["tuyen"].as_array().unwrap();
        assert_eq!(chart.categories.len(), levels.len());
        assert_eq!(chart.series[0].name, "6 tháng đầu năm 2024");
        for (i, l) in levels.iter().enumerate() {
            let f = &ind["theo_tuyen"][l["khoa"].as_str().unwrap()];
            assert_eq!(chart.series[0].values[i], f["gia_tri"].as_f64(), "{ma}");
            assert_eq!(chart.series[1].values[i], f["cung_ky"].as_f64(), "{ma}");
        }
        assert!(chart.caption.starts_with("Biểu đồ "), "{}", chart.caption);
        // The laid-out bars: one per reported figure, the figure printed
        // the Vietnamese way, the length proportional to it.
        let l = baocao::write::chart::layout(chart).unwrap();
        let mut per_unit = None;
        for b in &l.bars {
            let want = chart.series[b.series].values[b.category].unwrap();
            assert_eq!(b.value, want);
            assert_eq!(b.label, baocao::vi::number::format_f64(want));
            let len = (b.rect[2] - b.rect[0]) as f64;
            if want > 0.0 {
                let k = len / want;
                let k0 = *per_unit.get_or_insert(k);
                assert!((k - k0).abs() / k0 < 1e-3, "{ma}: bar not to scale");
            }
        }
        let reported = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .count();
        assert_eq!(l.bars.len(), reported);
    }
    // KCB_LUOT by level, with the sample's known totals.
    let kcb = charts.iter().find(|c| c.ma == "KCB_LUOT").unwrap();
    assert_eq!(kcb.series[0].values[0], Some(167093.0));
    assert!(
        kcb.caption.contains("(đơn vị tính: lượt)"),
        "{}",
        kcb.caption
    );
}

#[test]
fn chart_of_an_indicator_nobody_reported_is_not_drawn_and_says_why() {
    let c = baocao::check(&sample(), &|_, _| {}).unwrap();
    let mut ctx = c.context.clone();
    for (_, f) in ctx["chi_tieu"]["KCB_LUOT"]["theo_tuyen"]
        .as_object_mut()
        .unwrap()
        .iter_mut()
    {
        f["gia_tri"] = Value::Null;
    }
    let src = Source {
        name: "m".into(),
        file: "mau/m.hbs".into(),
        text: "Trước.\n\n{{bieu_do \"KCB_LUOT\" theo=\"tuyen\"}}\n\n{{bieu_do \"NL_BAC_SI\"}}\n"
            .into(),
    };
    let (t, d) = Templates::new(&[src], "m");
    assert!(d.is_empty());
    let doc = t.document(&ctx).unwrap();
    let charts: Vec<&Chart> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(charts.len(), 1);
    assert_eq!(charts[0].ma, "NL_BAC_SI");
    assert!(charts[0].caption.starts_with("Biểu đồ 1."));
    assert_eq!(doc.notes.len(), 1);
    assert!(
        doc.notes[0].contains("KCB_LUOT") && doc.notes[0].contains("không đơn vị nào báo cáo"),
        "{}",
        doc.notes[0]
    );
    // An unknown code is a template error, like any wrong name.
    let src = Source {
        name: "m".into(),
        file: "mau/m.hbs".into(),
        text: "{{bieu_do \"KHONG_CO\"}}".into(),
    };
    let (t, _) = Templates::new(&[src], "m");
    let e = t.render(&ctx).unwrap_err();
    assert!(e.message.contains("KHONG_CO"), "{}", e.message);
}

#[test]
fn the_chart_is_in_the_docx_media_and_among_the_pdf_images() {
    let out = tempfile::tempdir().unwrap();
    let b = baocao::build(
        &sample(),
        Some(out.path()),
        &[baocao::Format::Docx, baocao::Format::Pdf],
        &|_, _| {},
    )
    .unwrap();
    let groups = b.checked.context["nhom"].as_array().unwrap().len();
    let want_w = (baocao::write::chart::WIDTH_MM / 25.4 * baocao::write::chart::DPI).round() as u32;
    // DOCX: one PNG per chart in word/media, at print resolution.
    let f = std::fs::File::open(out.path().join("bao-cao.docx")).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut media = 0;
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if name.starts_with("word/media/") && name.ends_with(".png") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
            let (w, _) = baocao::write::png_size(&bytes).unwrap();
            assert_eq!(w, want_w);
            media += 1;
        }
    }
    assert_eq!(media, groups);
    // PDF: the same number of images, at full resolution (not shrunk).
    let pdf = out.path().join("bao-cao.pdf");
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), groups, "{list}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert_eq!(cols[3], want_w.to_string(), "{r}");
        assert_eq!(cols[8], "image", "lossless, not jpeg: {r}");
        assert_eq!(cols[12], "300", "print resolution: {r}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 1024 * 1024, "bao-cao.pdf is {size} bytes");
    // The captions are text in both.
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Biểu đồ 1."), "{text}");
}

#[test]
fn a_chart_by_unit_in_a_users_template() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("bc");
    copy_dir(&sample(), &d);
    std::fs::create_dir_all(d.join("mau")).unwrap();
    let nhom = baocao::template::builtin::BUILTIN
        .iter()
        .find(|(n, _)| *n == "nhom")
        .unwrap()
        .1
        .replace(
            "{{bieu_do (lookup chi_tieu 0) theo=\"tuyen\"}}",
            "{{bieu_do (lookup chi_tieu 0) theo=\"don_vi\"}}",
        );
    std::fs::write(d.join("mau/nhom.hbs"), nhom).unwrap();
    let b = baocao::build(&d, None, &[baocao::Format::Md], &|_, _| {}).unwrap();
    assert!(
        !b.checked
            .diagnostics
            .iter()
            .any(|x| x.message.contains("biểu đồ")),
        "{:?}",
        b.checked.diagnostics
    );
    let md = std::fs::read_to_string(d.join("ket-qua/bao-cao.md")).unwrap();
    assert!(md.contains("[[bieu-do KCB_LUOT don_vi]]"), "{md}");
    // The chart of KCB_LUOT by unit: every unit that reported it, its own figure.
    let c = baocao::check(&d, &|_, _| {}).unwrap();
    let ctx = c.full_context();
    let chart = baocao::template::chart::build(&ctx, "KCB_LUOT", "don_vi", 1).unwrap();
    let units = ctx["chi_tieu"]["KCB_LUOT"]["theo_don_vi"]
        .as_array()
        .unwrap();
    assert_eq!(chart.categories.len(), units.len());
    for (i, u) in units.iter().enumerate() {
        assert_eq!(chart.categories[i], u["ten"].as_str().unwrap());
        assert_eq!(chart.series[0].values[i], u["gia_tri"].as_f64());
    }
    assert!(chart.caption.contains("theo đơn vị"), "{}", chart.caption);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if e.file_name() == "ket-qua" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[path = "common/mod.rs"]
mod common;
use common::tool;

#[test]
fn build_warns_of_a_group_chart_nobody_could_draw() {
    use common::{row, write_unit, C::*};
    let (_g, root) = common::folder();
    // KCB_LUOT (the group's first indicator) left blank; NGAY_DT given.
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[
            row("KCB_LUOT", E, E, E),
            row("NGAY_DT", E, N(700.0), N(650.0)),
        ],
        &[],
    )
    .unwrap();
    let out = root.join("ra");
    let b = baocao::build(&root, Some(&out), &[baocao::Format::Pdf], &|_, _| {}).unwrap();
    let w = b
        .checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("biểu đồ"))
        .expect("a warning for the chart not drawn");
    assert_eq!(w.severity, baocao::diagnostics::Severity::Warning);
    assert!(w.message.contains("KCB_LUOT"), "{}", w.message);
    assert!(
        w.message.contains("không đơn vị nào báo cáo"),
        "{}",
        w.message
    );
    assert_eq!(
        w.location.file.as_deref(),
        Some("(mẫu có sẵn) so-ket-6-thang.hbs")
    );
    // Nothing drawn for it, and the PDF still written.
    let list = tool(
        "pdfimages",
        &["-list", out.join("bao-cao.pdf").to_str().unwrap()],
    );
    assert_eq!(list.lines().skip(2).count(), 0, "{list}");
}
