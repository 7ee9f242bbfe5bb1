//! Benchmark: typeset a document of about 100 pages (paragraphs and a long
//! table) to PDF. Run in release: `cargo run --release --example bench_pdf`.

use std::time::Instant;

use baocao::document::*;

fn main() {
    let text = "Trong 6 tháng đầu năm 2024, toàn tỉnh ghi nhận 167.093 lượt khám bệnh tại tuyến tỉnh, đạt 46,8% kế hoạch; công tác phòng chống dịch bệnh được triển khai đồng bộ, kịp thời, không để dịch lớn xảy ra trên địa bàn, số ca mắc COVID-19 giảm 97,69% so với cùng kỳ năm 2023.";
    let mut blocks = Vec::new();
    for i in 0..380 {
        if i % 20 == 0 {
            blocks.push(Block::Heading {
                level: 2,
                text: vec![Inline::plain(format!(
                    "{}. Mục thử số {}",
                    i / 20 + 1,
                    i / 20 + 1
                ))],
            });
        }
        blocks.push(Block::Paragraph(Paragraph {
            style: ParaStyle::Body,
            runs: vec![Inline::plain(format!("{text} {text}"))],
        }));
    }
    let rows = (1..=1200)
        .map(|i| Row {
            cells: vec![
                vec![Inline::plain(i.to_string())],
                vec![Inline::plain(format!("Chỉ tiêu thứ {i} của bảng dài"))],
                vec![Inline::plain("1.234.567")],
            ],
            emphasis: false,
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column {
                width: 1.0,
                align: Align::Center,
            },
            Column {
                width: 6.0,
                align: Align::Left,
            },
            Column {
                width: 2.0,
                align: Align::Right,
            },
        ],
        header: vec![Row {
            cells: vec![
                vec![Inline::plain("STT")],
                vec![Inline::plain("Chỉ tiêu")],
                vec![Inline::plain("Thực hiện")],
            ],
            emphasis: true,
        }],
        rows,
    }));
    let doc = Document {
        title: "Bench".into(),
        blocks,
        notes: Vec::new(),
    };
    let pages = baocao::write::pdf::layout(&doc).unwrap().0.len();
    let runs = 5;
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let bytes = baocao::write::pdf::write_pdf(&doc).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        size = bytes.len();
    }
    let t = Instant::now();
    let _ = baocao::write::pdf::layout(&doc).unwrap();
    let layout = t.elapsed().as_secs_f64();
    println!(
        "pdf: {pages} pages, {} KB; write best of {runs}: {:.3} s (layout alone {:.3} s)",
        size / 1024,
        best,
        layout
    );
}
