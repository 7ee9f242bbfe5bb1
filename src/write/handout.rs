//! The conference handout (`tai-lieu.pdf`): a cover, the programme, the
//! report as it is (its own layout and numbers), the commendation list,
//! then the office's own PDFs; a running page number at the foot of every
//! page but the cover.

use serde_json::Value;

use super::pdf::{self, Images, Page};
use super::pdf_pages;
use super::WriteError;
use crate::document::{Align, Block, Column, Document, Inline, ParaStyle, Paragraph, Row, Table};

fn s<'a>(ctx: &'a Value, ptr: &str) -> &'a str {
    ctx.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
}

fn centred(runs: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        style: ParaStyle::Centered,
        runs,
    })
}

/// An empty centred line (vertical space on the cover).
fn blank() -> Block {
    centred(vec![Inline::plain("\u{a0}")])
}

fn cell(t: &str) -> Vec<Inline> {
    if t.is_empty() {
        Vec::new()
    } else {
        vec![Inline::plain(t)]
    }
}

fn head(cells: &[&str]) -> Row {
    Row {
        cells: cells.iter().map(|c| vec![Inline::bold(*c)]).collect(),
        emphasis: true,
    }
}

fn columns(spec: &[(f32, Align)]) -> Vec<Column> {
    spec.iter()
        .map(|&(width, align)| Column { width, align })
        .collect()
}

/// The cover and the programme.
pub fn front(ctx: &Value) -> Document {
    let mut b = Vec::new();
    let (chu_quan, ban_hanh) = (s(ctx, "/co_quan/chu_quan"), s(ctx, "/co_quan/ban_hanh"));
    if !chu_quan.is_empty() {
        b.push(centred(vec![Inline::plain(chu_quan.to_uppercase())]));
    }
    b.push(centred(vec![Inline::bold(ban_hanh.to_uppercase())]));
    for _ in 0..9 {
        b.push(blank());
    }
    b.push(Block::Title(vec![Inline::bold("TÀI LIỆU HỘI NGHỊ")]));
    let ten = s(ctx, "/hoi_nghi/ten");
    let ten = if ten.is_empty() {
        s(ctx, "/bao_cao/trich_yeu")
    } else {
        ten
    };
    b.push(Block::Title(vec![Inline::bold(ten.to_uppercase())]));
    b.push(blank());
    let dia_diem = s(ctx, "/hoi_nghi/dia_diem");
    if !dia_diem.is_empty() {
        b.push(centred(vec![Inline::plain(format!(
            "Địa điểm: {dia_diem}"
        ))]));
    }
    let ngay = s(ctx, "/hoi_nghi/ngay_chu");
    if !ngay.is_empty() {
        b.push(centred(vec![Inline::plain(format!("Thời gian: {ngay}"))]));
    }
    for _ in 0..12 {
        b.push(blank());
    }
    let dia_danh = s(ctx, "/co_quan/dia_danh");
    let nam = ctx
        .pointer("/hoi_nghi/ngay")
        .and_then(Value::as_str)
        .map_or_else(
            || s(ctx, "/bao_cao/ngay").get(..4).unwrap_or("").to_string(),
            |d| d.get(..4).unwrap_or("").to_string(),
        );
    b.push(centred(vec![Inline::bold(
        format!("{dia_danh}, năm {nam}")
            .trim_start_matches(", ")
            .to_string(),
    )]));
    let items = ctx
        .pointer("/hoi_nghi/chuong_trinh")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !items.is_empty() {
        b.push(Block::PageBreak);
        b.push(Block::Title(vec![Inline::bold("CHƯƠNG TRÌNH HỘI NGHỊ")]));
        b.push(centred(vec![Inline::italic(ten)]));
        let rows = items
            .iter()
            .map(|i| Row {
                cells: vec![
                    // A time (`07:30 - 08:00`) is not broken over lines.
                    cell(&s(i, "/gio").replace(' ', "\u{a0}")),
                    cell(s(i, "/noi_dung")),
                    cell(s(i, "/trinh_bay")),
                ],
                emphasis: false,
            })
            .collect();
        b.push(Block::Table(Table {
            columns: columns(&[
                (0.22, Align::Center),
                (0.5, Align::Left),
                (0.28, Align::Left),
            ]),
            header: vec![head(&["Thời gian", "Nội dung", "Trình bày"])],
            rows,
        }));
    }
    Document {
        title: format!("Tài liệu hội nghị: {ten}"),
        blocks: b,
        notes: Vec::new(),
    }
}

/// The commendation list, collectives then individuals, with the counts
/// written out; None when the list is empty.
pub fn commendations(ctx: &Value) -> Option<Document> {
    let k = ctx.get("khen_thuong")?;
    if k["tong"].as_u64().unwrap_or(0) == 0 {
        return None;
    }
    let mut b = vec![
        Block::Title(vec![Inline::bold(
            "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        )]),
        centred(vec![Inline::italic(s(ctx, "/hoi_nghi/ten"))]),
        Block::Paragraph(Paragraph {
            style: ParaStyle::Body,
            runs: vec![Inline::plain(format!(
                "Tổng số: {} được khen thưởng.",
                s(ctx, "/khen_thuong/so_luong")
            ))],
        }),
    ];
    let lists = [
        ("danh_sach_tap_the", "TẬP THỂ", "Tên tập thể"),
        ("danh_sach_ca_nhan", "CÁ NHÂN", "Họ và tên"),
    ];
    let mut roman = 0;
    for (key, title, name) in lists {
        let Some(list) = k[key].as_array().filter(|l| !l.is_empty()) else {
            continue;
        };
        roman += 1;
        let person = key == "danh_sach_ca_nhan";
        b.push(Block::Heading {
            level: 1,
            text: vec![Inline::bold(format!(
                "{}. {title} ({} {})",
                ["I", "II"][roman - 1],
                list.len(),
                title.to_lowercase()
            ))],
        });
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let mut cells = vec![cell(&(i + 1).to_string()), cell(s(x, "/ten"))];
                if person {
                    cells.push(cell(s(x, "/don_vi")));
                }
                cells.push(cell(s(x, "/thanh_tich")));
                cells.push(cell(s(x, "/hinh_thuc")));
                Row {
                    cells,
                    emphasis: false,
                }
            })
            .collect();
        let (columns, header) = if person {
            (
                columns(&[
                    (0.07, Align::Center),
                    (0.2, Align::Left),
                    (0.27, Align::Left),
                    (0.26, Align::Left),
                    (0.2, Align::Left),
                ]),
                head(&["STT", name, "Chức vụ, đơn vị", "Thành tích", "Hình thức"]),
            )
        } else {
            (
                columns(&[
                    (0.07, Align::Center),
                    (0.35, Align::Left),
                    (0.33, Align::Left),
                    (0.25, Align::Left),
                ]),
                head(&["STT", name, "Thành tích", "Hình thức"]),
            )
        };
        b.push(Block::Table(Table {
            columns,
            header: vec![header],
            rows,
        }));
    }
    Some(Document {
        title: "Danh sách khen thưởng".into(),
        blocks: b,
        notes: Vec::new(),
    })
}

/// A PDF the office put in `tai-lieu/`: its name (for messages) and bytes.
pub struct Attachment {
    /// As shown in messages (`tai-lieu/01-chuong-trinh.pdf`).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The handout's bytes, and a message for each attachment that could not
/// be appended (it is left out; the rest is written).
pub fn write_handout(
    report: &Document,
    ctx: &Value,
    attachments: &[Attachment],
) -> Result<pdf_pages::Merged, WriteError> {
    let mut pages: Vec<Page> = Vec::new();
    let mut images: Images = Vec::new();
    let front_doc = front(ctx);
    let mut parts = vec![&front_doc, report];
    let back = commendations(ctx);
    if let Some(b) = &back {
        parts.push(b);
    }
    for doc in parts {
        // Only the report keeps its own page numbers.
        let (mut p, im) = pdf::layout_pages(doc, std::ptr::eq(doc, report))?;
        // Image names are per document: keep them apart.
        let k = images.len();
        if k > 0 {
            for (id, _) in &im {
                let new = format!("H{k}{id}");
                for page in &mut p {
                    rename_xobject(page, id, &new);
                }
            }
        }
        images.extend(im.into_iter().map(|(id, raw)| {
            let id = if k > 0 { format!("H{k}{id}") } else { id };
            (id, raw)
        }));
        pages.extend(p);
    }
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        pdf::stamp_foot(page, i as u32 + 1)?;
    }
    let first_appended = pages.len() as u32 + 1;
    let bytes = pdf::save(&front_doc.title, pages, images)?;
    pdf_pages::append(bytes, attachments, first_appended)
}

fn rename_xobject(page: &mut Page, from: &str, to: &str) {
    for op in &mut page.ops {
        if let printpdf::Op::UseXobject { id, .. } = op {
            if id.0 == from {
                id.0 = to.to_string();
            }
        }
    }
}
