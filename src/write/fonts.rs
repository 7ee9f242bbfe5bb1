//! The serif family (Liberation Serif, SIL OFL, metric-compatible with Times
//! New Roman) and its glyph metrics: the PDF embeds it; both writers measure
//! text with it (table columns, balanced titles), so they break alike.

use std::collections::HashMap;
use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont};

use crate::write::WriteError;

/// A face of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

impl Face {
    /// The face for a run's emphasis.
    pub fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }
    fn index(self) -> usize {
        self as usize
    }
    /// Bold and italic of the face.
    pub fn emphasis(self) -> (bool, bool) {
        match self {
            Face::Regular => (false, false),
            Face::Bold => (true, false),
            Face::Italic => (false, true),
            Face::BoldItalic => (true, true),
        }
    }
}

const BYTES: [&[u8]; 4] = [
    include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
];

/// Fixed resource names: six capitals, which printpdf also uses as the
/// subset tag; fixed so that the same document gives the same bytes.
const IDS: [&str; 4] = ["BCSERR", "BCSERB", "BCSERI", "BCSERJ"];

/// One parsed face with its advance widths (in em) for every character
/// the family maps.
pub struct FaceData {
    /// The parsed font, for embedding.
    pub parsed: ParsedFont,
    /// Its resource id.
    pub id: FontId,
    advances: HashMap<char, f32>,
    fallback: f32,
}

/// The four faces.
pub struct Fonts {
    faces: Vec<FaceData>,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The family, parsed once per process.
pub fn fonts() -> Result<&'static Fonts, WriteError> {
    FONTS
        .get_or_init(load)
        .as_ref()
        .map_err(|e| WriteError::Backend(e.clone()))
}

fn load() -> Result<Fonts, String> {
    let mut faces = Vec::new();
    for (i, bytes) in BYTES.iter().enumerate() {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or("không đọc được phông chữ nhúng")?;
        let upm = parsed.font_metrics.units_per_em.max(1) as f32;
        let mut advances = HashMap::new();
        // Latin, Latin Extended and the Vietnamese block.
        let ranges = [
            (0x20u32, 0x24Fu32),
            (0x1E00, 0x1EFF),
            (0x2000, 0x206F),
            (0x20A0, 0x20CF),
            (0x2100, 0x214F),
        ];
        for (a, b) in ranges {
            for cp in a..=b {
                if let (Some(c), Some(g)) = (char::from_u32(cp), parsed.lookup_glyph_index(cp)) {
                    advances.insert(c, parsed.get_horizontal_advance(g) as f32 / upm);
                }
            }
        }
        let fallback = advances.get(&'n').copied().unwrap_or(0.5);
        faces.push(FaceData {
            parsed,
            id: FontId(IDS[i].to_string()),
            advances,
            fallback,
        });
    }
    Ok(Fonts { faces })
}

impl Fonts {
    /// A face's data.
    pub fn face(&self, f: Face) -> &FaceData {
        &self.faces[f.index()]
    }
    /// Width of a text in points.
    pub fn width(&self, text: &str, f: Face, size: f32) -> f32 {
        let d = self.face(f);
        text.chars()
            .map(|c| d.advances.get(&c).copied().unwrap_or(d.fallback))
            .sum::<f32>()
            * size
    }
    /// Every face.
    pub fn all(&self) -> impl Iterator<Item = &FaceData> {
        self.faces.iter()
    }
}

/// The font file of a face (for the chart rasteriser).
pub(crate) fn bytes(face: Face) -> &'static [u8] {
    BYTES[face.index()]
}
