//! `tong-hop.xlsx` prints as the office's own, read back by openpyxl: a
//! title row with the period and the body on every sheet, the header row
//! frozen and repeated on every printed page, A4 landscape fitted to the
//! page's width, figures as numbers with a grouping format, and a sheet of
//! the units not received; last year's record is read from it, and from a
//! workbook in the layout before the title rows.

mod common;

use std::path::Path;
use std::process::Command;

use common::{row, write_unit, C::*};

const READ: &str = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    ps = ws.page_setup
    cells = {}
    for r in ws.iter_rows(min_row=1, max_row=8):
        for c in r:
            if c.value is not None:
                cells[c.coordinate] = [c.value, c.data_type, c.number_format]
    out[ws.title] = {
        "orientation": ps.orientation,
        "paper": ps.paperSize,
        "fit": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "fit_width": ps.fitToWidth,
        "fit_height": ps.fitToHeight,
        "print_titles": ws.print_title_rows,
        "freeze": ws.freeze_panes,
        "merged": [str(m) for m in ws.merged_cells.ranges],
        "cells": cells,
    }
print(json.dumps(out, ensure_ascii=False, default=str))
"#;

fn read(path: &Path) -> serde_json::Value {
    let o = Command::new("python3")
        .args(["-c", READ, path.to_str().unwrap()])
        .output()
        .expect("python3 with openpyxl is needed (tests/tools/requirements.txt)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn tong_hop_prints_with_titles_numbers_and_the_missing_units() {
    let (_g, root) = common::folder();
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[
            row("KCB_LUOT", N(357037.0), N(1_167_093.0), N(150000.0)),
            row("BAC_SI", E, N(300.0), N(290.0)),
        ],
        &[],
    )
    .unwrap();
    let out = root.join("ra");
    baocao::build(&root, Some(&out), &[baocao::Format::Xlsx], &|_, _| {}).unwrap();
    let v = read(&out.join("tong-hop.xlsx"));
    let sheets: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        sheets,
        [
            "Toàn tỉnh",
            "Tuyến tỉnh",
            "Tuyến huyện",
            "Tuyến xã",
            "Theo đơn vị",
            "Chưa nộp",
            "Chẩn đoán"
        ],
        "{v}"
    );
    for (name, s) in v.as_object().unwrap() {
        assert_eq!(s["orientation"], "landscape", "{name}: {s}");
        assert_eq!(s["paper"], 9, "{name}: A4 is paper size 9: {s}");
        assert_eq!(s["fit"], true, "{name}: {s}");
        // One page wide (absent is OOXML's default, 1), as many pages long as it takes.
        assert_eq!(
            (
                s["fit_width"].as_i64().unwrap_or(1),
                s["fit_height"].as_i64()
            ),
            (1, Some(0)),
            "{name}: {s}"
        );
        assert_eq!(
            s["print_titles"], "$4:$4",
            "{name}: the header row repeats: {s}"
        );
        // The title and the body, over the whole width.
        let a1 = s["cells"]["A1"][0].as_str().unwrap();
        let a2 = s["cells"]["A2"][0].as_str().unwrap();
        assert!(a1.contains("6 THÁNG ĐẦU NĂM 2024"), "{name}: {a1}");
        assert!(
            a2.contains("UBND TỈNH THỬ NGHIỆM – SỞ Y TẾ"),
            "{name}: {a2}"
        );
        assert!(
            s["merged"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m.as_str().unwrap().starts_with("A1:")),
            "{name}: {s}"
        );
    }
    let t = &v["Toàn tỉnh"];
    assert_eq!(t["freeze"], "D5", "{t}");
    assert!(
        t["cells"]["A1"][0]
            .as_str()
            .unwrap()
            .ends_with("– TOÀN TỈNH"),
        "{t}"
    );
    assert!(
        t["cells"]["A2"][0].as_str().unwrap().contains("1/5 đơn vị"),
        "{t}"
    );
    // Figures are numbers with a grouping format.
    assert_eq!(t["cells"]["B5"][0], "KCB_LUOT");
    assert_eq!(
        t["cells"]["F5"],
        serde_json::json!([1167093, "n", "#,##0"]),
        "{t}"
    );
    let pct = &t["cells"]["G5"];
    assert_eq!(
        (pct[1].as_str(), pct[2].as_str()),
        (Some("n"), Some("#,##0.0#")),
        "{t}"
    );
    assert!((pct[0].as_f64().unwrap() - 326.88).abs() < 1e-9, "{t}");
    // The units that sent nothing.
    let m = &v["Chưa nộp"];
    assert_eq!(m["freeze"], "A5", "{m}");
    let names: Vec<&str> = (5..=8)
        .filter_map(|r| m["cells"][format!("C{r}")][0].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Trung tâm Kiểm soát bệnh tật",
            "Trung tâm Y tế huyện A",
            "Trung tâm Y tế huyện B",
            "Trạm Y tế xã X"
        ],
        "{m}"
    );
    assert!(
        m["cells"]["A2"][0]
            .as_str()
            .unwrap()
            .contains("4/5 đơn vị chưa gửi"),
        "{m}"
    );
    assert_eq!(v["Theo đơn vị"]["freeze"], "C5");
}

#[test]
fn last_years_record_reads_both_layouts() {
    // This year's layout, as `baocao build` writes it.
    let (_g, root) = common::folder();
    write_unit(
        &root.join("don-vi/bvdk.xlsx"),
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        "6 tháng đầu năm 2024",
        &[row("KCB_LUOT", E, N(4321.0), E)],
        &[],
    )
    .unwrap();
    let out = root.join("ra");
    baocao::build(&root, Some(&out), &[baocao::Format::Xlsx], &|_, _| {}).unwrap();
    let new = baocao::intake::record::read_record(
        std::fs::read(out.join("tong-hop.xlsx")).unwrap(),
        "tong-hop.xlsx",
    )
    .unwrap();
    let (v, at) = new.thuc_hien("BVDK", "KCB_LUOT").unwrap();
    assert_eq!(
        (v.to_string().as_str(), at.as_str()),
        ("4321", "tong-hop.xlsx › Theo đơn vị › H5")
    );
    assert_eq!(new.ky.as_deref(), Some("6 tháng đầu năm 2024"));

    // The layout before the title rows: the header on the first row.
    let old = root.join("cu.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Theo đơn vị").unwrap();
    for (c, h) in [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tuyến",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kế hoạch",
        "Thực hiện",
        "Cùng kỳ",
        "Nguồn (tệp › trang › ô)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, t) in [(0u16, "BVDK"), (3, "KCB_LUOT")] {
        ws.write_string(1, c, t).unwrap();
    }
    ws.write_number(1, 7, 1234.0).unwrap();
    wb.save(&old).unwrap();
    let rec = baocao::intake::record::read_record(std::fs::read(&old).unwrap(), "cu.xlsx").unwrap();
    let (v, at) = rec.thuc_hien("BVDK", "KCB_LUOT").unwrap();
    assert_eq!(
        (v.to_string().as_str(), at.as_str()),
        ("1234", "cu.xlsx › Theo đơn vị › H2")
    );
}

#[test]
fn units_sheet_lists_each_units_figures_in_registry_order() {
    // Seventy units, three of them far apart sending: the sheet's rows are
    // made in pieces of units and joined; texts Excel must escape.
    let (_g, root) = common::folder();
    let units: Vec<(String, String)> = (0..70)
        .map(|i| {
            let name = match i {
                0 => "A&B <Trạm> Đông".to_string(),
                _ => format!("Trạm Y tế xã số {i}"),
            };
            (format!("DV{i:02}"), name)
        })
        .collect();
    let registry: Vec<(&str, &str, &str, Option<f64>)> = units
        .iter()
        .map(|(m, t)| (m.as_str(), t.as_str(), "xã", None))
        .collect();
    common::write_catalogue(&root.join("danh-muc.xlsx"), &registry, common::CATALOGUE).unwrap();
    for (i, kcb) in [(0usize, 12.5), (40, 1_234_567.0), (69, 7.0)] {
        write_unit(
            &root.join(format!("don-vi/dv{i}.xlsx")),
            &units[i].0,
            &units[i].1,
            "6 tháng đầu năm 2024",
            &[
                row("KCB_LUOT", N(kcb * 2.0), N(kcb), E),
                row("BAC_SI", E, E, E),
                row("COVID", E, N(3.0), N(0.25)),
            ],
            &[],
        )
        .unwrap();
    }
    let out = root.join("ra");
    baocao::build(&root, Some(&out), &[baocao::Format::Xlsx], &|_, _| {}).unwrap();
    const ROWS: &str = r#"
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Theo đơn vị"]
rows = [[[c.value, c.number_format if isinstance(c.value, (int, float)) else None] for c in r]
        for r in ws.iter_rows(min_row=5, max_col=10)]
print(json.dumps({"dim": ws.dimensions, "filter": ws.auto_filter.ref, "rows": rows}, ensure_ascii=False))
"#;
    let o = Command::new("python3")
        .args(["-c", ROWS, out.join("tong-hop.xlsx").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dim"], "A1:J10", "{v}");
    assert_eq!(v["filter"], "A4:J10", "{v}");
    let rows = v["rows"].as_array().unwrap();
    let cell = |r: usize, c: usize| &rows[r][c];
    let want = [
        (0, "KCB_LUOT", [Some(25.0), Some(12.5), None]),
        (0, "COVID", [None, Some(3.0), Some(0.25)]),
        (40, "KCB_LUOT", [Some(2_469_134.0), Some(1_234_567.0), None]),
        (40, "COVID", [None, Some(3.0), Some(0.25)]),
        (69, "KCB_LUOT", [Some(14.0), Some(7.0), None]),
        (69, "COVID", [None, Some(3.0), Some(0.25)]),
    ];
    assert_eq!(rows.len(), want.len(), "{v}");
    for (r, (u, code, figs)) in want.iter().enumerate() {
        assert_eq!(cell(r, 0)[0], units[*u].0.as_str(), "{v}");
        assert_eq!(cell(r, 1)[0], units[*u].1.as_str(), "{v}");
        assert_eq!(cell(r, 2)[0], cell(0, 2)[0], "{v}");
        assert_eq!(cell(r, 3)[0], *code, "{v}");
        for (k, f) in figs.iter().enumerate() {
            let c = cell(r, 6 + k);
            match f {
                None => assert!(c[0].is_null(), "row {r}: {v}"),
                Some(x) => {
                    assert_eq!(c[0].as_f64(), Some(*x), "row {r}: {v}");
                    let fmt = if x.fract() == 0.0 {
                        "#,##0"
                    } else {
                        "#,##0.0#"
                    };
                    assert_eq!(c[1], fmt, "row {r}: {v}");
                }
            }
        }
        let src = cell(r, 9)[0].as_str().unwrap();
        assert!(
            src.starts_with(&format!("don-vi/dv{u}.xlsx › BaoCao › ")),
            "{src}"
        );
    }
}
