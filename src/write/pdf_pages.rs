//! Whole PDF pages with lopdf: appending the office's own PDFs to the
//! handout (numbered on), and imposing the handout as an A5 booklet on A4
//! landscape sheets. lopdf is already in the tree (through printpdf); the
//! imposition itself is a few lines of page placement no crate offers.

use lopdf::{dictionary, Dictionary, Document as Pdf, Object, ObjectId, Stream};

use super::handout::Attachment;
use super::WriteError;

/// PDFs larger than this are not appended (a handout is printed, not archived).
pub const MAX_ATTACHMENT: usize = 100 * 1024 * 1024;
/// Decompressed page content larger than this is refused.
const MAX_CONTENT: usize = 64 * 1024 * 1024;
const MM: f32 = 72.0 / 25.4;
/// A4 landscape sheet and its A5 halves, in points.
const SHEET_W: f32 = 297.0 * MM;
const SHEET_H: f32 = 210.0 * MM;

/// A PDF's bytes, and each attachment left out with the reason (name, why).
pub type Merged = (Vec<u8>, Vec<(String, String)>);

fn backend(e: impl std::fmt::Display) -> WriteError {
    WriteError::Backend(format!("PDF: {e}"))
}

/// Read an office's PDF; Err says in Vietnamese why it cannot be merged.
fn load(bytes: &[u8]) -> Result<Pdf, String> {
    if bytes.len() > MAX_ATTACHMENT {
        return Err(format!("tệp lớn hơn {} MB", MAX_ATTACHMENT / 1024 / 1024));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err("không phải tệp PDF (không bắt đầu bằng %PDF-)".into());
    }
    // lopdf is not hardened against every malformed file: a panic in it
    // is this file's problem, not the build's.
    let doc = std::panic::catch_unwind(|| Pdf::load_mem(bytes))
        .map_err(|_| "tệp PDF hỏng, không đọc được".to_string())?
        .map_err(|e| format!("tệp PDF hỏng, không đọc được ({e})"))?;
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err("tệp PDF có mật khẩu hoặc bị khóa; gỡ khóa rồi đặt lại vào tai-lieu/".into());
    }
    if doc.get_pages().is_empty() {
        return Err("tệp PDF không có trang nào".into());
    }
    Ok(doc)
}

/// A page's attribute, looked up through its parents (MediaBox, Resources, Rotate).
fn inherited(doc: &Pdf, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut id = page;
    for _ in 0..64 {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(v) = d.get(key) {
            return Some(v.clone());
        }
        id = d.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

fn deref<'a>(doc: &'a Pdf, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// A page's resources as one inline dictionary (sub-dictionaries inline
/// too, their entries still references), so that keys can be added.
fn resources(doc: &Pdf, page: ObjectId) -> Dictionary {
    let mut out = Dictionary::new();
    if let Some(r) = inherited(doc, page, b"Resources") {
        if let Object::Dictionary(d) = deref(doc, &r) {
            for (k, v) in d.iter() {
                let v = match deref(doc, v) {
                    Object::Dictionary(sub) => Object::Dictionary(sub.clone()),
                    _ => v.clone(),
                };
                out.set(k.clone(), v);
            }
        }
    }
    out
}

/// Width and height (and the origin) of a page's MediaBox.
fn media_box(doc: &Pdf, page: ObjectId) -> [f32; 4] {
    let nums = inherited(doc, page, b"MediaBox")
        .and_then(|o| deref(doc, &o).as_array().ok().cloned())
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_float().ok())
                .collect::<Vec<f32>>()
        })
        .unwrap_or_default();
    match nums.as_slice() {
        [x0, y0, x1, y1] if x1 > x0 && y1 > y0 => [*x0, *y0, *x1, *y1],
        _ => [0.0, 0.0, 210.0 * MM, 297.0 * MM],
    }
}

fn root_pages(doc: &Pdf) -> Result<ObjectId, WriteError> {
    doc.catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(backend)
}

fn save(mut doc: Pdf) -> Result<Vec<u8>, WriteError> {
    doc.prune_objects();
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(backend)?;
    Ok(out)
}

/// Append each attachment's pages after the handout's, numbering them on
/// from `first` at the foot. An attachment that cannot be read is left out
/// and named with the reason.
pub fn append(base: Vec<u8>, attachments: &[Attachment], first: u32) -> Result<Merged, WriteError> {
    if attachments.is_empty() {
        return Ok((base, Vec::new()));
    }
    let mut doc = Pdf::load_mem(&base).map_err(backend)?;
    let root = root_pages(&doc)?;
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
    });
    let mut failed = Vec::new();
    let mut kids = Vec::new();
    let mut n = first;
    for a in attachments {
        let mut other = match load(&a.bytes) {
            Ok(d) => d,
            Err(why) => {
                failed.push((a.name.clone(), why));
                continue;
            }
        };
        other.renumber_objects_with(doc.max_id + 1);
        let pages: Vec<ObjectId> = other.get_pages().into_values().collect();
        let mut prepared = Vec::new();
        for pid in pages {
            let res = resources(&other, pid);
            let mb = media_box(&other, pid);
            let rotate = inherited(&other, pid, b"Rotate");
            let contents = other.get_page_contents(pid);
            prepared.push((pid, res, mb, rotate, contents));
        }
        doc.max_id = doc.max_id.max(other.max_id);
        doc.objects.extend(std::mem::take(&mut other.objects));
        for (pid, mut res, mb, rotate, contents) in prepared {
            let mut fonts = match res.get(b"Font").map(|f| deref(&doc, f).clone()) {
                Ok(Object::Dictionary(d)) => d,
                _ => Dictionary::new(),
            };
            fonts.set("BCNUM", Object::Reference(font));
            res.set("Font", Object::Dictionary(fonts));
            let text = n.to_string();
            // Times-Roman digits are half an em wide.
            let x = (mb[0] + mb[2]) / 2.0 - text.len() as f32 * 3.0;
            let y = mb[1] + 10.0 * MM;
            let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let close = doc.add_object(Stream::new(
                Dictionary::new(),
                format!("\nQ\nq BT /BCNUM 12 Tf 0 g {x:.2} {y:.2} Td ({text}) Tj ET Q\n")
                    .into_bytes(),
            ));
            let mut list = vec![Object::Reference(open)];
            list.extend(contents.into_iter().map(Object::Reference));
            list.push(Object::Reference(close));
            let d = doc.get_dictionary_mut(pid).map_err(backend)?;
            d.set("Parent", Object::Reference(root));
            d.set("Resources", Object::Dictionary(res));
            d.set(
                "MediaBox",
                Object::Array(mb.iter().map(|v| Object::Real(*v)).collect()),
            );
            if let Some(r) = rotate {
                d.set("Rotate", r);
            }
            d.set("Contents", Object::Array(list));
            kids.push(pid);
            n += 1;
        }
    }
    let r = doc.get_dictionary_mut(root).map_err(backend)?;
    let mut all = r
        .get(b"Kids")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    all.extend(kids.into_iter().map(Object::Reference));
    r.set("Count", Object::Integer(all.len() as i64));
    r.set("Kids", Object::Array(all));
    Ok((save(doc)?, failed))
}

/// One side of a booklet sheet: the page (1-based) on the left and on the
/// right half; None is a blank page added for padding.
pub type Side = [Option<usize>; 2];

/// Saddle-stitch order for `pages` pages: padded to a multiple of four
/// (N), sheet k (from 1) has front N−2k+2 | 2k−1 and back 2k | N−2k+1.
/// Returns (front, back) per sheet.
pub fn saddle_order(pages: usize) -> Vec<(Side, Side)> {
    let n = pages.max(1).div_ceil(4) * 4;
    let real = |p: usize| (p <= pages).then_some(p);
    (1..=n / 4)
        .map(|k| {
            (
                [real(n - 2 * k + 2), real(2 * k - 1)],
                [real(2 * k), real(n - 2 * k + 1)],
            )
        })
        .collect()
}

/// Impose a PDF's pages as an A5 booklet: each page scaled into half of
/// an A4 landscape sheet (a landscape page turned a quarter), sides in
/// [`saddle_order`], to be printed on both sides flipping on the short edge.
pub fn booklet(handout: &[u8]) -> Result<Vec<u8>, WriteError> {
    let mut doc = Pdf::load_mem(handout).map_err(backend)?;
    let root = root_pages(&doc)?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    // Each page becomes a form XObject.
    let mut forms = Vec::new();
    for &pid in &pages {
        let mb = media_box(&doc, pid);
        let res = resources(&doc, pid);
        let content = doc
            .get_page_content_with_limit(pid, MAX_CONTENT)
            .map_err(backend)?;
        let mut stream = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => mb.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
                "Resources" => res,
            },
            content,
        );
        let _ = stream.compress();
        forms.push((doc.add_object(stream), mb));
    }
    let half = SHEET_W / 2.0;
    let mut sheets = Vec::new();
    for (front, back) in saddle_order(pages.len()) {
        for side in [front, back] {
            let mut ops = String::new();
            let mut xobjects = Dictionary::new();
            for (slot, page) in side.iter().enumerate() {
                let Some(p) = page else { continue };
                let (form, [x0, y0, x1, y1]) = forms[p - 1];
                let (w, h) = (x1 - x0, y1 - y0);
                let left = slot as f32 * half;
                let name = format!("P{p}");
                let m = if w <= h {
                    let s = (half / w).min(SHEET_H / h);
                    let tx = left + (half - w * s) / 2.0 - x0 * s;
                    let ty = (SHEET_H - h * s) / 2.0 - y0 * s;
                    [s, 0.0, 0.0, s, tx, ty]
                } else {
                    // Landscape: turned a quarter anticlockwise to fill the half.
                    let s = (half / h).min(SHEET_H / w);
                    let tx = left + (half + h * s) / 2.0 + y0 * s;
                    let ty = (SHEET_H - w * s) / 2.0 - x0 * s;
                    [0.0, s, -s, 0.0, tx, ty]
                };
                ops.push_str(&format!(
                    "q {:.5} {:.5} {:.5} {:.5} {:.3} {:.3} cm /{name} Do Q\n",
                    m[0], m[1], m[2], m[3], m[4], m[5]
                ));
                xobjects.set(name, Object::Reference(form));
            }
            let mut content = Stream::new(Dictionary::new(), ops.into_bytes());
            let _ = content.compress();
            let content = doc.add_object(content);
            let page = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => root,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(SHEET_W), Object::Real(SHEET_H)],
                "Resources" => dictionary! { "XObject" => xobjects },
                "Contents" => content,
            });
            sheets.push(Object::Reference(page));
        }
    }
    let r = doc.get_dictionary_mut(root).map_err(backend)?;
    r.set("Count", Object::Integer(sheets.len() as i64));
    r.set("Kids", Object::Array(sheets));
    r.remove(b"Resources");
    r.remove(b"MediaBox");
    save(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: &[(Side, Side)]) -> Vec<[Option<usize>; 4]> {
        v.iter().map(|(f, b)| [f[0], f[1], b[0], b[1]]).collect()
    }

    #[test]
    fn saddle_order_for_1_4_5_8_13_pages() {
        assert_eq!(flat(&saddle_order(1)), vec![[None, Some(1), None, None]]);
        assert_eq!(
            flat(&saddle_order(4)),
            vec![[Some(4), Some(1), Some(2), Some(3)]]
        );
        assert_eq!(
            flat(&saddle_order(5)),
            vec![
                [None, Some(1), Some(2), None],
                [None, Some(3), Some(4), Some(5)]
            ]
        );
        assert_eq!(
            flat(&saddle_order(8)),
            vec![
                [Some(8), Some(1), Some(2), Some(7)],
                [Some(6), Some(3), Some(4), Some(5)]
            ]
        );
        let o = flat(&saddle_order(13));
        assert_eq!(o.len(), 4);
        assert_eq!(o[0], [None, Some(1), Some(2), None]);
        assert_eq!(o[1], [None, Some(3), Some(4), Some(13)]);
        assert_eq!(o[2], [Some(12), Some(5), Some(6), Some(11)]);
        assert_eq!(o[3], [Some(10), Some(7), Some(8), Some(9)]);
        // Every real page exactly once.
        let mut seen: Vec<usize> = o.iter().flatten().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (1..=13).collect::<Vec<_>>());
    }
}
