//! Entry points the fuzz targets (`fuzz/`) and their regression tests
//! (`tests/fuzz_regressions.rs`) share: each turns arbitrary bytes into one
//! call of the pipeline, so an input that once found a bug is replayed by
//! `cargo test` exactly as the fuzzer ran it. Not part of the program's
//! interface.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use calamine::{Data, Dimensions};

use crate::catalog::Catalogue;
use crate::diagnostics::Diagnostic;
use crate::intake::{read_unit, Expect, UnitReport};
use crate::settings::Loai;
use crate::sheet::Grid;

static DANH_MUC: &[u8] = include_bytes!("../samples/so-ket-6-thang-2024/danh-muc.xlsx");

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| crate::catalog::read_danh_muc(DANH_MUC.to_vec(), "danh-muc.xlsx").1)
}

fn expect() -> Expect<'static> {
    Expect {
        catalogue: catalogue(),
        period: (Loai::SoKet6Thang, 2024, None),
    }
}

/// A unit workbook from arbitrary bytes, read as `check` reads it. A
/// reader panic the sheet layer contained is said on stderr: it is handled,
/// but worth reporting upstream (`docs/calamine-upstream.md`).
pub fn workbook(bytes: &[u8]) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let (rep, diags) = read_unit(bytes.to_vec(), "x.xlsx", expect());
    for d in diags
        .iter()
        .filter(|d| d.message.contains("dừng lại giữa chừng"))
    {
        eprintln!("contained reader panic: {}", d.message);
    }
    (rep, diags)
}

/// `danh-muc.xlsx` from arbitrary bytes.
pub fn danh_muc(bytes: &[u8]) {
    let _ = crate::catalog::read_danh_muc(bytes.to_vec(), "danh-muc.xlsx");
}

/// `baocao.toml` from arbitrary text.
pub fn settings(text: &str) {
    let _ = crate::settings::Settings::parse(text, "baocao.toml");
}

/// A number typed as text, read both ways; what is printed reads back.
pub fn number(s: &str) {
    use crate::vi::number::{format_decimal, in_range, parse_number, ParsedNumber, Style};
    for style in [Style::Vietnamese, Style::English] {
        if let ParsedNumber::Value { value, .. } = parse_number(s, style) {
            let text = format_decimal(value);
            if in_range(value) {
                match parse_number(&text, Style::Vietnamese) {
                    ParsedNumber::Value { value: back, .. } => assert_eq!(
                        back,
                        crate::vi::number::round_half_away(value, 2).normalize(),
                        "{s:?} → {text}"
                    ),
                    other => panic!("{s:?} → {text} → {other:?}"),
                }
            }
        }
    }
}

/// The legacy-encoding decoder on arbitrary text.
pub fn legacy(s: &str) {
    use crate::vi::legacy::*;
    let _ = may_be_legacy(s);
    let _ = font_encoding(s);
    if let Some((decoded, _)) = detect(s) {
        let _ = guess_capitals(&decoded, s);
    }
    for caps in [false, true] {
        let t = decode_tcvn3(s, caps);
        let _ = guess_capitals(&t, s);
        let _ = decode_if_plausible(s, Legacy::Tcvn3, caps);
        let _ = decode_if_plausible(s, Legacy::Vni, caps);
    }
    let _ = decode_vni(s);
}

/// A zip holding `parts`, stored uncompressed (so that mutations of the
/// XML reach the readers instead of breaking the compression).
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in parts {
            if z.start_file(*name, opts).is_err() || z.write_all(data).is_err() {
                return Vec::new();
            }
        }
        let _ = z.finish();
    }
    buf.into_inner()
}

const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="BaoCao" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// An `.xlsx` whose sheet XML and shared strings are the input (split at
/// the first NUL), in a sound package.
pub fn xlsx_xml(data: &[u8]) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let (sheet, strings) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    workbook(&zip(&[
        ("[Content_Types].xml", TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", strings),
    ]))
}

const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

/// An `.ods` whose `content.xml` is the input, in a sound package.
pub fn ods_xml(content: &[u8]) -> (Option<UnitReport>, Vec<Diagnostic>) {
    workbook(&zip(&[
        ("mimetype", MIMETYPE),
        ("META-INF/manifest.xml", MANIFEST.as_bytes()),
        ("content.xml", content),
    ]))
}

/// An `.xls` whose Workbook stream is the input, in a sound compound file.
pub fn xls_biff(stream: &[u8]) -> (Option<UnitReport>, Vec<Diagnostic>) {
    let packed = (|| -> std::io::Result<Vec<u8>> {
        let mut cf =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        cf.create_stream("/Workbook")?.write_all(stream)?;
        cf.flush()?;
        Ok(cf.into_inner().into_inner())
    })();
    workbook(&packed.unwrap_or_default())
}

/// Words of the unit form, so that arbitrary grids find headers often.
const WORDS: &[&str] = &[
    "STT",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch năm",
    "Thực hiện 6 tháng",
    "Thực hiện",
    "Cùng kỳ năm trước",
    "Ghi chú",
    "Kết quả",
    "Mã đơn vị: BVDK",
    "Tên đơn vị: Bệnh viện",
    "Kỳ báo cáo: 6 tháng đầu năm 2024",
    "KCB_LUOT",
    "BAC_SI",
    "I",
    "1",
    "(1)",
    "1.234",
    "46,8%",
    "-",
    "x",
    "Mục",
    "Nội dung",
    "TON_TAI",
    "Mã đơn vị",
    "Tên đơn vị",
    "Tuyến",
    "Dân số",
    "Nhóm",
    "Cách tổng hợp",
    "ty-le",
    "tong",
    "Tử số",
    "Mẫu số",
    "Hệ số",
    "",
    " ",
    "MA CHI TIEU",
    "Thực hiện\n6 tháng",
];

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn text(&mut self) -> String {
        let n = ((self.byte() % 24) as usize).min(self.0.len());
        let s = String::from_utf8_lossy(&self.0[..n]).into_owned();
        self.0 = &self.0[n..];
        s
    }
    fn cell(&mut self) -> Data {
        match self.byte() % 8 {
            0 | 1 => Data::Empty,
            2 | 3 => Data::String(WORDS[self.byte() as usize % WORDS.len()].to_string()),
            4 => Data::String(self.text()),
            5 => Data::Float(f64::from_le_bytes(std::array::from_fn(|_| self.byte()))),
            6 => Data::Int(i64::from(self.byte() as i8) * i64::from(self.byte())),
            _ => Data::Error(calamine::CellErrorType::Div0),
        }
    }
}

/// Header finding and table reading on a grid made from the input (labels
/// of the unit form mixed with arbitrary text and numbers), tidied as the
/// sheet layer tidies every grid, read as a unit's sheet.
pub fn header(data: &[u8]) {
    let mut b = Bytes(data);
    let origin = (u32::from(b.byte()), u32::from(b.byte() % 8));
    let height = (b.byte() % 48) as usize;
    let width = (b.byte() % 12) as usize;
    let mut cells = Vec::with_capacity(height);
    for _ in 0..height {
        let w = width.saturating_sub((b.byte() % 3) as usize);
        cells.push((0..w).map(|_| b.cell()).collect());
    }
    let merges = (0..b.byte() % 6)
        .map(|_| {
            let mut p = || (u32::from(b.byte()) % 64, u32::from(b.byte()) % 16);
            Dimensions {
                start: p(),
                end: p(),
            }
        })
        .collect();
    let mut grid = Grid {
        sheet: "BaoCao".into(),
        origin,
        cells,
        merges,
        fonts_known: b.byte() % 2 == 0,
        ..Grid::default()
    };
    if grid.tidy(100).is_err() {
        return;
    }
    let mut diags = Vec::new();
    let _ = crate::intake::read_grids(grid, None, "x.xlsx", ".xlsx", expect(), &mut diags);
}
