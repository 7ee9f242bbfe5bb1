//! What the PDF holds besides its pages: images (a PNG's compressed data
//! passed through as it is), and the trailer's ID made deterministic.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject, Px, RawImage, XObject, XObjectId};

/// Images to embed, by their fixed resource name.
pub type Images = Vec<(String, XObject)>;

/// A PNG as a PDF image. An 8-bit RGB or grey PNG without interlacing
/// (every chart) keeps its compressed data: PDF reads PNG's row filters
/// itself (`/Predictor 15`), so it is neither decoded nor compressed again
/// (re-compressing the charts at printpdf's best setting was most of the
/// time of writing the PDF). Any other PNG is decoded and given to printpdf.
pub fn image(png: &[u8]) -> Option<XObject> {
    if let Some(x) = passthrough(png) {
        return Some(x);
    }
    let mut warnings = Vec::new();
    RawImage::decode_from_bytes(png, &mut warnings)
        .ok()
        .map(XObject::Image)
}

/// The PNG's chunks: (type, data), after the signature; None when they do
/// not add up.
fn chunks(png: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    const SIG: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];
    let mut rest = png.strip_prefix(&SIG[..])?;
    let mut out = Vec::new();
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let kind = &rest[4..8];
        let data = rest.get(8..8usize.checked_add(len)?)?;
        out.push((kind, data));
        rest = rest.get(12 + len..)?;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

fn passthrough(png: &[u8]) -> Option<XObject> {
    let chunks = chunks(png)?;
    let (kind, ihdr) = *chunks.first()?;
    if kind != b"IHDR" || ihdr.len() != 13 {
        return None;
    }
    let w = u32::from_be_bytes(ihdr[0..4].try_into().ok()?);
    let h = u32::from_be_bytes(ihdr[4..8].try_into().ok()?);
    let (depth, colour, method, filter, interlace) =
        (ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]);
    let (space, colours): (&[u8], i64) = match colour {
        2 => (b"DeviceRGB", 3),
        0 => (b"DeviceGray", 1),
        _ => return None,
    };
    // Transparency would need a soft mask: decoded instead.
    if depth != 8
        || method != 0
        || filter != 0
        || interlace != 0
        || w == 0
        || h == 0
        || chunks.iter().any(|(k, _)| *k == b"tRNS")
    {
        return None;
    }
    let mut data = Vec::new();
    for (k, d) in &chunks {
        if *k == b"IDAT" {
            data.extend_from_slice(d);
        }
    }
    if data.is_empty() {
        return None;
    }
    let name = |n: &[u8]| DictItem::Name(n.to_vec());
    let parms = BTreeMap::from([
        ("Predictor".to_string(), DictItem::Int(15)),
        ("Colors".to_string(), DictItem::Int(colours)),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        ("Columns".to_string(), DictItem::Int(i64::from(w))),
    ]);
    let dict = BTreeMap::from([
        ("Type".to_string(), name(b"XObject")),
        ("Subtype".to_string(), name(b"Image")),
        ("Width".to_string(), DictItem::Int(i64::from(w))),
        ("Height".to_string(), DictItem::Int(i64::from(h))),
        ("ColorSpace".to_string(), name(space)),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        ("Filter".to_string(), name(b"FlateDecode")),
        ("DecodeParms".to_string(), DictItem::Dict { map: parms }),
    ]);
    Some(XObject::External(ExternalXObject {
        stream: ExternalStream {
            dict,
            content: data,
            compress: false,
        },
        width: Some(Px(w as usize)),
        height: Some(Px(h as usize)),
        dpi: None,
    }))
}

/// Embed images under their fixed names.
pub fn add_images(pdf: &mut printpdf::PdfDocument, images: Images) {
    for (id, x) in images {
        pdf.resources.xobjects.map.insert(XObjectId(id), x);
    }
}

/// printpdf writes a random trailer `/ID`; replace both strings, keeping
/// their length, with a digest of the file so equal documents give equal bytes.
pub fn fix_trailer_id(mut bytes: Vec<u8>) -> Vec<u8> {
    use std::hash::{Hash, Hasher};
    let Some(pos) = find_last(&bytes, b"/ID") else {
        return bytes;
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes[..pos].hash(&mut h);
    let digest = format!("{:016x}", h.finish());
    let mut i = pos + 3;
    let mut strings = 0;
    while i < bytes.len() && strings < 2 {
        if bytes[i] == b'(' {
            let start = i + 1;
            let Some(len) = bytes[start..].iter().position(|&b| b == b')') else {
                break;
            };
            for k in 0..len {
                bytes[start + k] = digest.as_bytes()[k % digest.len()];
            }
            i = start + len + 1;
            strings += 1;
        } else if bytes[i] == b'<' && bytes.get(i + 1) != Some(&b'<') {
            let start = i + 1;
            let Some(len) = bytes[start..].iter().position(|&b| b == b'>') else {
                break;
            };
            for k in 0..len {
                bytes[start + k] = digest.as_bytes()[k % digest.len()];
            }
            i = start + len + 1;
            strings += 1;
        } else {
            i += 1;
        }
    }
    bytes
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(colour: png::ColorType, w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(colour);
        e.set_depth(png::BitDepth::Eight);
        let n = (w * h) as usize * colour.samples();
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(&vec![200u8; n]).unwrap();
        wr.finish().unwrap();
        out
    }

    #[test]
    fn rgb_and_grey_pass_through_others_are_decoded() {
        for (c, passes) in [
            (png::ColorType::Rgb, true),
            (png::ColorType::Grayscale, true),
            (png::ColorType::Rgba, false),
        ] {
            let bytes = png(c, 7, 3);
            assert_eq!(passthrough(&bytes).is_some(), passes, "{c:?}");
            let x = image(&bytes).expect("an image");
            assert_eq!(x.get_width_height().map(|(w, h)| (w.0, h.0)), Some((7, 3)));
        }
        assert!(image(b"not a png").is_none());
        let mut cut = png(png::ColorType::Rgb, 7, 3);
        cut.truncate(cut.len() - 5);
        assert!(passthrough(&cut).is_none());
    }
}
