//! A hand-built document exercising every block, for the writer tests.

use baocao::document::*;

/// Every Vietnamese letter with every tone, as body text.
pub const ALL_TONES: &str = "a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ Đ Ă Â Ê Ô Ơ Ư";

/// A small red PNG, made by the png crate.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| [200u8, (i % 255) as u8, 40])
            .collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

/// Body paragraphs used by the round-trip checks.
pub fn paragraphs() -> Vec<String> {
    let mut v = vec![ALL_TONES.to_string()];
    for i in 0..12 {
        v.push(format!(
            "Đoạn {i}: Trong 6 tháng đầu năm 2024, toàn tỉnh ghi nhận 167.093 lượt khám bệnh tại tuyến tỉnh, đạt 46,8% kế hoạch; công tác phòng chống dịch bệnh được triển khai đồng bộ, kịp thời, không để dịch lớn xảy ra trên địa bàn."
        ));
    }
    v
}

/// The test document: header, title, headings, paragraphs, a long word,
/// a 120-row table, signature, an image, a landscape section.
pub fn document() -> Document {
    let mut blocks = vec![
        Block::AdminHeader(AdminHeader {
            left: vec![Inline::plain("UBND TỈNH BÌNH SƠN"), Inline::bold("SỞ Y TẾ")],
            right: vec![
                Inline::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                Inline::bold("Độc lập - Tự do - Hạnh phúc"),
            ],
            left_rule_under: Some(1),
            right_rule_under: Some(1),
            number: "Số: 05/BC-SYT".into(),
            place_date: "Bình Sơn, ngày 08 tháng 7 năm 2024".into(),
        }),
        Block::Title(vec![Inline::plain("BÁO CÁO")]),
        Block::Title(vec![Inline::plain(
            "Sơ kết công tác y tế 6 tháng đầu năm 2024",
        )]),
        Block::Heading {
            level: 1,
            text: vec![Inline::plain("I. KẾT QUẢ THỰC HIỆN")],
        },
        Block::Heading {
            level: 2,
            text: vec![Inline::plain("1. Khám, chữa bệnh")],
        },
    ];
    for p in paragraphs() {
        blocks.push(Block::Paragraph(Paragraph {
            style: ParaStyle::Body,
            runs: vec![Inline::plain(p)],
        }));
    }
    blocks.push(Block::Paragraph(Paragraph {
        style: ParaStyle::Body,
        runs: vec![Inline::plain(format!(
            "Từ dài: {}",
            "Khôngcókhoảngtrắng".repeat(12)
        ))],
    }));
    blocks.push(Block::Image(Image {
        png: png(60, 30),
        width_mm: 80.0,
        caption: "Hình 1. Biểu đồ thử".into(),
    }));
    let columns = vec![
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
    ];
    let header = vec![Row {
        cells: vec![
            vec![Inline::plain("STT")],
            vec![Inline::plain("Chỉ tiêu lặp lại")],
            vec![Inline::plain("Thực hiện")],
        ],
        emphasis: true,
    }];
    let rows = (1..=120)
        .map(|i| Row {
            cells: vec![
                vec![Inline::plain(i.to_string())],
                vec![Inline::plain(format!("Chỉ tiêu thứ {i}"))],
                vec![Inline::plain(format!("{}.{:03}", i, i * 7 % 1000))],
            ],
            emphasis: i % 40 == 1,
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: columns.clone(),
        header: header.clone(),
        rows,
    }));
    blocks.push(Block::Signature(Signature {
        recipients: vec!["UBND tỉnh (để b/c)".into(), "Lưu: VT, KHTC".into()],
        authority: "KT. GIÁM ĐỐC".into(),
        title: "PHÓ GIÁM ĐỐC".into(),
        name: "Lê Thị Minh Hạnh".into(),
    }));
    blocks.push(Block::Section(SectionStart {
        landscape: true,
        restart_numbering: true,
    }));
    blocks.push(Block::Paragraph(Paragraph {
        style: ParaStyle::Centered,
        runs: vec![Inline::bold("PHỤ LỤC NGANG")],
    }));
    Document {
        title: "Thử".into(),
        blocks,
        notes: Vec::new(),
    }
}
