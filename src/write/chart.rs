//! Bar charts: a [`Chart`] → a PNG at print resolution, drawn with plotters
//! on its bitmap backend with the embedded serif (ab_glyph, no system font
//! library), so Vietnamese labels render on any machine and the DOCX and
//! the PDF carry the same picture.
//!
//! The geometry is computed first ([`layout`], in points) and only then
//! rasterised, so tests read the bars back from the layout, not from pixels.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::document::{Chart, Image};
use crate::vi::number::format_f64;
use crate::write::fonts::{self, Face, Fonts};
use crate::write::pdf::PT_MM;
use crate::write::WriteError;

/// Print resolution of the picture.
pub const DPI: f32 = 300.0;
/// Width on the page.
pub const WIDTH_MM: f32 = 160.0;
/// More categories than this do not make a readable chart.
pub const MAX_CATEGORIES: usize = crate::document::MAX_CHART_CATEGORIES;

const LABEL_PT: f32 = 12.0;
const VALUE_PT: f32 = 11.0;
const BAR_PT: f32 = 12.0;
const GAP_PT: f32 = 8.0;
const FAMILY: &str = "baocao-serif";
/// Fill colours of the series: dark blue, grey, light blue; apart in
/// lightness too, so a black-and-white print tells them apart.
const COLOURS: [(u8, u8, u8); 3] = [(31, 78, 121), (170, 170, 170), (198, 219, 239)];

/// One bar, in points from the picture's top left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Index of the series.
    pub series: usize,
    /// Index of the category.
    pub category: usize,
    /// The figure it stands for.
    pub value: f64,
    /// The figure as printed beside it (`1.234.567`).
    pub label: String,
    /// Left, top, right, bottom.
    pub rect: [f32; 4],
}

/// A piece of text: where it starts (left, vertical centre), its size and face.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The text.
    pub text: String,
    /// Left edge (or right edge when `right`).
    pub x: f32,
    /// Vertical centre.
    pub y: f32,
    /// Size in points.
    pub size: f32,
    /// Italic.
    pub italic: bool,
    /// Anchored at its right end.
    pub right: bool,
}

/// Everything drawn, in points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Picture width.
    pub width: f32,
    /// Picture height.
    pub height: f32,
    /// The bars.
    pub bars: Vec<Bar>,
    /// Texts: legend, category names, figures, "không có số liệu".
    pub labels: Vec<Label>,
    /// Legend swatches: series and square (left, top, right, bottom).
    pub swatches: Vec<(usize, [f32; 4])>,
    /// The axis the bars start from: x, top, bottom.
    pub axis: (f32, f32, f32),
}

/// Lay the chart out. An error when it has nothing to draw or too much.
pub fn layout(chart: &Chart) -> Result<Layout, WriteError> {
    let f = fonts::fonts()?;
    let n = chart.categories.len();
    if n == 0 || chart.series.is_empty() {
        return Err(content(chart, "không có số liệu để vẽ".into()));
    }
    if n > MAX_CATEGORIES {
        return Err(content(
            chart,
            format!("{n} nhóm cột, quá {MAX_CATEGORIES}: biểu đồ không đọc được"),
        ));
    }
    let width = WIDTH_MM * PT_MM;
    let mut out = Layout {
        width,
        ..Default::default()
    };
    // Legend, wrapped when it does not fit one line.
    let (mut x, mut y) = (0.0f32, 2.0f32);
    for (i, s) in chart.series.iter().enumerate() {
        let w = LABEL_PT + 4.0 + f.width(&s.name, Face::Regular, LABEL_PT) + 14.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += LABEL_PT * 1.5;
        }
        let c = y + LABEL_PT * 0.6;
        out.swatches.push((
            i,
            [
                x,
                c - LABEL_PT * 0.4,
                x + LABEL_PT * 0.8,
                c + LABEL_PT * 0.4,
            ],
        ));
        out.labels.push(Label {
            text: s.name.clone(),
            x: x + LABEL_PT + 2.0,
            y: c,
            size: LABEL_PT,
            italic: false,
            right: false,
        });
        x += w;
    }
    let top = y + LABEL_PT * 1.2 + 8.0;
    // Category names on the left, wrapped to the column.
    let longest = chart
        .categories
        .iter()
        .map(|c| f.width(c, Face::Regular, LABEL_PT))
        .fold(0.0, f32::max);
    let name_w = longest.min(width * 0.36);
    let axis_x = name_w + 6.0;
    let values: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let reserve = values
        .iter()
        .map(|v| f.width(&format_f64(*v), Face::Regular, VALUE_PT))
        .chain([f.width("không có số liệu", Face::Italic, VALUE_PT)])
        .fold(0.0, f32::max)
        + 6.0;
    let plot_w = (width - axis_x - reserve).max(width * 0.3);
    let max = values.iter().copied().fold(0.0, f64::max);
    let scale = if max > 0.0 { plot_w as f64 / max } else { 0.0 };
    let ns = chart.series.len();
    let mut y = top;
    for (ci, name) in chart.categories.iter().enumerate() {
        let lines = wrap(f, name, name_w);
        let bars_h = ns as f32 * BAR_PT;
        let group = bars_h.max(lines.len() as f32 * LABEL_PT * 1.15);
        let mid = y + group / 2.0;
        let first = mid - (lines.len() as f32 - 1.0) * LABEL_PT * 1.15 / 2.0;
        for (k, line) in lines.into_iter().enumerate() {
            out.labels.push(Label {
                text: line,
                x: name_w,
                y: first + k as f32 * LABEL_PT * 1.15,
                size: LABEL_PT,
                italic: false,
                right: true,
            });
        }
        let mut by = mid - bars_h / 2.0;
        for (si, s) in chart.series.iter().enumerate() {
            let c = by + BAR_PT / 2.0;
            match s.values.get(ci).copied().flatten() {
                Some(v) => {
                    let len = (v.max(0.0) * scale) as f32;
                    let label = format_f64(v);
                    out.labels.push(Label {
                        text: label.clone(),
                        x: axis_x + len + 3.0,
                        y: c,
                        size: VALUE_PT,
                        italic: false,
                        right: false,
                    });
                    out.bars.push(Bar {
                        series: si,
                        category: ci,
                        value: v,
                        label,
                        rect: [axis_x, by + 0.5, axis_x + len, by + BAR_PT - 0.5],
                    });
                }
                None => out.labels.push(Label {
                    text: "không có số liệu".into(),
                    x: axis_x + 3.0,
                    y: c,
                    size: VALUE_PT,
                    italic: true,
                    right: false,
                }),
            }
            by += BAR_PT;
        }
        y += group + GAP_PT;
    }
    out.axis = (axis_x, top - 3.0, y - GAP_PT + 3.0);
    out.height = y;
    Ok(out)
}

fn content(chart: &Chart, why: String) -> WriteError {
    WriteError::Content {
        what: format!("biểu đồ {}", chart.ma),
        why,
    }
}

/// Greedy word wrap to a width, in points.
fn wrap(f: &Fonts, text: &str, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        let cand = if cur.is_empty() {
            w.to_string()
        } else {
            format!("{cur} {w}")
        };
        if !cur.is_empty() && f.width(&cand, Face::Regular, LABEL_PT) > width {
            lines.push(std::mem::replace(&mut cur, w.to_string()));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Register the serif with plotters once per process.
fn register() -> Result<(), WriteError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, fonts::bytes(Face::Regular))
            .is_ok()
            && plotters::style::register_font(FAMILY, FontStyle::Italic, fonts::bytes(Face::Italic))
                .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(WriteError::Backend(
            "không nạp được phông cho biểu đồ".into(),
        ))
    }
}

/// Draw the chart as a PNG at [`DPI`].
pub fn render_png(chart: &Chart) -> Result<Vec<u8>, WriteError> {
    register()?;
    let l = layout(chart)?;
    let s = DPI / 72.0;
    let px = |v: f32| (v * s).round() as i32;
    let (w, h) = (px(l.width) as u32, px(l.height) as u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    let backend = |e: String| WriteError::Backend(format!("vẽ biểu đồ: {e}"));
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let stroke = RGBColor(60, 60, 60);
        for b in &l.bars {
            let (r, g, bl) = COLOURS[b.series % COLOURS.len()];
            let [x0, y0, x1, y1] = b.rect;
            let rect = [(px(x0), px(y0)), (px(x1).max(px(x0) + 1), px(y1))];
            root.draw(&Rectangle::new(rect, RGBColor(r, g, bl).filled()))
                .map_err(|e| backend(e.to_string()))?;
            root.draw(&Rectangle::new(rect, stroke.stroke_width(2)))
                .map_err(|e| backend(e.to_string()))?;
        }
        for (si, [x0, y0, x1, y1]) in &l.swatches {
            let (r, g, bl) = COLOURS[si % COLOURS.len()];
            let rect = [(px(*x0), px(*y0)), (px(*x1), px(*y1))];
            root.draw(&Rectangle::new(rect, RGBColor(r, g, bl).filled()))
                .map_err(|e| backend(e.to_string()))?;
            root.draw(&Rectangle::new(rect, stroke.stroke_width(2)))
                .map_err(|e| backend(e.to_string()))?;
        }
        let (ax, at, ab) = l.axis;
        root.draw(&PathElement::new(
            vec![(px(ax), px(at)), (px(ax), px(ab))],
            BLACK.stroke_width(3),
        ))
        .map_err(|e| backend(e.to_string()))?;
        for t in &l.labels {
            let style = if t.italic {
                FontStyle::Italic
            } else {
                FontStyle::Normal
            };
            let font = (FAMILY, (t.size * s) as f64, style).into_font();
            let h = if t.right { HPos::Right } else { HPos::Left };
            let ts = TextStyle::from(font)
                .color(&BLACK)
                .pos(Pos::new(h, VPos::Center));
            root.draw(&Text::new(t.text.clone(), (px(t.x), px(t.y)), ts))
                .map_err(|e| backend(e.to_string()))?;
        }
        root.present().map_err(|e| backend(e.to_string()))?;
    }
    encode_png(&buf, w, h).map_err(backend)
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        // The PNG's compressed data goes into the PDF as it is (not
        // compressed again): a middle level, small for both writers, and
        // quick (the best level was most of a small build's time).
        e.set_deflate_compression(png::DeflateCompression::Level(4));
        e.set_filter(png::Filter::Adaptive);
        // Pixels per metre, so that viewers show it at its printed size.
        let ppm = (DPI / 0.0254).round() as u32;
        e.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut wr = e.write_header().map_err(|e| e.to_string())?;
        wr.write_image_data(rgb).map_err(|e| e.to_string())?;
        wr.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The chart as an image block's content, with its caption.
pub fn image(chart: &Chart) -> Result<Image, WriteError> {
    let png = match chart.png.get() {
        Some(p) => p.clone(),
        None => {
            let p = render_png(chart)?;
            chart.png.get_or_init(|| p).clone()
        }
    };
    Ok(Image {
        png,
        width_mm: WIDTH_MM,
        caption: chart.caption.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Series;

    fn chart() -> Chart {
        Chart {
            ma: "KCB_LUOT".into(),
            categories: vec!["Tuyến tỉnh".into(), "Tuyến huyện".into(), "Tuyến xã".into()],
            series: vec![
                Series {
                    name: "6 tháng đầu năm 2024".into(),
                    values: vec![Some(1200.0), Some(800.5), None],
                },
                Series {
                    name: "Cùng kỳ năm 2023".into(),
                    values: vec![Some(1000.0), Some(900.0), Some(50.0)],
                },
            ],
            dvt: "lượt".into(),
            caption: "Biểu đồ 1".into(),
            png: Default::default(),
        }
    }

    #[test]
    fn bars_are_the_figures_to_scale() {
        let l = layout(&chart()).unwrap();
        assert_eq!(l.bars.len(), 5);
        let b = &l.bars[0];
        assert_eq!((b.series, b.category, b.value), (0, 0, 1200.0));
        assert_eq!(b.label, "1.200");
        assert_eq!(l.bars[1].label, "1.000");
        assert_eq!(l.bars[2].label, "800,5");
        let len = |b: &Bar| b.rect[2] - b.rect[0];
        let ratio = len(&l.bars[2]) / len(&l.bars[0]);
        assert!((ratio - 800.5 / 1200.0).abs() < 1e-4, "{ratio}");
        assert!(l.labels.iter().any(|t| t.text == "không có số liệu"));
    }

    #[test]
    fn png_at_print_resolution_and_deterministic() {
        let a = render_png(&chart()).unwrap();
        let (w, _) = crate::write::png_size(&a).unwrap();
        assert_eq!(w, (WIDTH_MM / 25.4 * DPI).round() as u32);
        assert_eq!(a, render_png(&chart()).unwrap());
    }

    #[test]
    fn too_many_categories_is_an_error() {
        let mut c = chart();
        c.categories = (0..50).map(|i| i.to_string()).collect();
        assert!(layout(&c).is_err());
    }
}
