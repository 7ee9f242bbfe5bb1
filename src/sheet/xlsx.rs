//! `.xlsx`: the shared strings checked before calamine opens the file, and
//! sheets read cell by cell, so that nothing is allocated from what the file
//! declares and every cell and byte of text counts against the limits.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use calamine::{Data, DataRef, Xlsx, XlsxFormulaMetadata};
use quick_xml::events::Event;

use super::attrs::raw_attr;
use super::container::{entries_ending, most_inflated_of, Archive};
use super::{describe, Grid, Limits, OpenError};

/// How many more shared strings than it holds a file may declare: calamine
/// reserves room for the declared count up front (24 bytes each).
const UNIQUE_COUNT_SLACK: u64 = 100_000;
/// Formula texts are kept for messages only; longer ones are cut.
const FORMULA_CHARS: usize = 200;

/// Check every `sharedStrings.xml` before calamine reads it: the count it
/// declares (calamine reserves that many strings) must be near the count
/// it holds, and its text must fit the text budget (calamine keeps it all).
/// A part already inflated (`inflated`: entry index, bytes) is read from
/// those bytes.
pub fn precheck(
    archive: &mut Archive<'_>,
    inflated: Option<&[(usize, Vec<u8>)]>,
    limits: &Limits,
) -> Result<(), OpenError> {
    for name in entries_ending(archive, "sharedstrings.xml") {
        // A part that cannot inflate to more than a sixth of the text
        // budget cannot hold too much text (each string also costs 24
        // bytes, and takes at least 5: `<si/>`); its count is then the only
        // thing to read, at its start.
        let small = most_inflated_of(archive, &name) <= limits.text_bytes / 6;
        let index = archive.index_for_name(&name);
        let kept = inflated
            .and_then(|v| v.iter().find(|(i, _)| Some(*i) == index))
            .map(|(_, b)| b.as_slice());
        let source: Box<dyn std::io::BufRead + '_> = match kept {
            Some(bytes) => Box::new(bytes),
            None => Box::new(BufReader::new(
                archive
                    .by_name(&name)
                    .map_err(|e| describe(&e.to_string()))?
                    .take(limits.unzipped_bytes),
            )),
        };
        let mut xml = quick_xml::Reader::from_reader(source);
        let cfg = xml.config_mut();
        cfg.check_end_names = false;
        cfg.check_comments = false;
        let mut buf = Vec::new();
        let (mut declared, mut held, mut text) = (0u64, 0u64, 0u64);
        loop {
            buf.clear();
            let ev = xml.read_event_into(&mut buf);
            let start = matches!(ev, Ok(Event::Start(_)));
            match ev {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    // calamine reserves from the first `sst` start tag's
                    // count (an empty `<sst/>` it passes over), read by its
                    // own attribute rules; every count is taken here.
                    "sst" => {
                        if let Ok(Some(v)) = raw_attr(&e, "uniqueCount") {
                            declared = declared.max(count_value(v));
                        }
                        if small && start && declared <= UNIQUE_COUNT_SLACK {
                            break;
                        }
                    }
                    "si" => held += 1,
                    _ => {}
                },
                Ok(Event::Text(t)) => text += t.len() as u64,
                Ok(Event::GeneralRef(r)) => text += r.len() as u64 + 2,
                Ok(Event::Eof) => break,
                Err(e) => {
                    return Err(OpenError(format!(
                    "tệp bị hỏng: bảng chuỗi dùng chung (sharedStrings.xml) không đọc được ({e})"
                )))
                }
                _ => {}
            }
        }
        if declared > held.saturating_add(UNIQUE_COUNT_SLACK) {
            return Err(OpenError(format!(
                "tệp bị hỏng hoặc độc hại: bảng chuỗi dùng chung khai báo {} chuỗi nhưng chỉ có {}",
                if declared == u64::MAX {
                    "một số không đọc được".to_string()
                } else {
                    super::vn(declared)
                },
                super::vn(held)
            )));
        }
        if text.saturating_add(held * 24) > limits.text_bytes {
            return Err(limits.too_much_text());
        }
    }
    Ok(())
}

/// A declared count: plain digits (an optional `+`) as their number; no
/// digits at all as none; anything else as the largest number, so that a
/// count the checks cannot read is never one they let through.
fn count_value(v: &str) -> u64 {
    let v = v.trim().trim_start_matches('+');
    if !v.bytes().any(|b| b.is_ascii_digit()) {
        return 0;
    }
    v.parse::<u64>().unwrap_or(u64::MAX)
}

/// Read an xlsx sheet cell by cell (values, cached formula results and
/// formula texts in one pass), refusing it as soon as it holds more cells
/// or text than we accept or spans an absurd extent, before any grid is
/// allocated. Cell fonts are read in a second pass only when some text may
/// be in a legacy encoding.
pub fn grid(
    w: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    limits: &Limits,
    has_merges: bool,
) -> Result<Grid, OpenError> {
    // Reading merged regions is a second pass over the sheet.
    let merges = if has_merges {
        w.merge_cells_by_sheet_name(sheet).unwrap_or_default()
    } else {
        Vec::new()
    };
    // A unit's sheet holds a few hundred cells: room for them at once.
    // Formula texts (few) apart, so that each cell moves as little as it can.
    let mut sparse: Vec<((u32, u32), Data)> = Vec::with_capacity(512);
    let mut formula_texts: Vec<((u32, u32), String)> = Vec::new();
    let (mut r0, mut c0, mut r1, mut c1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    let mut legacy_positions = Vec::new();
    let mut text_bytes = 0u64;
    // Cell fonts matter only when one of the workbook's styles is in a
    // legacy font: otherwise the second pass for them is not made.
    let (legacy_styles, style0_font);
    {
        let mut reader = w
            .worksheet_cells_reader(sheet)
            .map_err(|e| describe(&e.to_string()))?;
        legacy_styles = reader.styles().iter().any(|s| {
            s.font
                .as_ref()
                .and_then(|f| f.name.as_deref())
                .is_some_and(|n| crate::vi::legacy::font_encoding(n).is_some())
        });
        style0_font = font_of(reader.styles(), 0);
        // Shared formula anchors by index, to spell out derived cells. The
        // metadata reader is used because the expanding one sizes a vector
        // from the index the file gives.
        let mut anchors: HashMap<usize, ((u32, u32), String)> = HashMap::new();
        while let Some(rec) = reader
            .next_cell_with_formula_metadata()
            .map_err(|e| describe(&e.to_string()))?
        {
            let bytes = match &rec.value {
                DataRef::SharedString(s) => s.len(),
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
                _ => 0,
            };
            text_bytes += bytes as u64;
            if text_bytes > limits.text_bytes {
                return Err(limits.too_much_text());
            }
            let value: Data = rec.value.into();
            let formula = match rec.formula {
                Some(XlsxFormulaMetadata::Normal { formula }) => Some(formula),
                Some(XlsxFormulaMetadata::Shared {
                    shared_index,
                    range,
                    formula,
                }) => {
                    let start = range.map(|r| r.start).unwrap_or(rec.pos);
                    let f = cut(&formula);
                    anchors.insert(shared_index, (start, f.clone()));
                    Some(f)
                }
                Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => {
                    anchors.get(&shared_index).map(|(start, f)| {
                        calamine::expand_shared_formula(f, *start, rec.pos)
                            .unwrap_or_else(|_| f.clone())
                    })
                }
                // The enum is non-exhaustive: a new kind is a formula too.
                Some(_) => Some(String::new()),
                None => None,
            };
            if value == Data::Empty && formula.is_none() {
                continue;
            }
            if sparse.len() as u64 >= limits.cells {
                return Err(limits.too_many_cells(sparse.len() as u64 + 1));
            }
            let (r, c) = rec.pos;
            (r0, c0, r1, c1) = (r0.min(r), c0.min(c), r1.max(r), c1.max(c));
            if let Data::String(s) = &value {
                if crate::vi::legacy::may_be_legacy(s) {
                    legacy_positions.push((r, c));
                }
            }
            // Formula texts serve messages about missing or zero results.
            let keep = matches!(value, Data::Empty)
                || matches!(value, Data::Float(f) if f == 0.0)
                || matches!(value, Data::Int(0));
            if let Some(f) = formula.filter(|_| keep).map(|f| cut(&f)) {
                text_bytes += f.len() as u64;
                formula_texts.push(((r, c), f));
            }
            sparse.push(((r, c), value));
        }
    }
    if sparse.is_empty() {
        return Ok(Grid {
            sheet: sheet.to_string(),
            merges,
            fonts_known: true,
            ..Grid::default()
        });
    }
    let (height, width) = ((r1 - r0 + 1) as u64, (c1 - c0 + 1) as u64);
    limits.check_extent(height, width)?;
    let cells = place_cells(sparse, (r0, c0), height as usize);
    let mut formulas: Vec<Vec<String>> = vec![Vec::new(); height as usize];
    for ((r, c), f) in formula_texts.into_iter().filter(|(_, f)| !f.is_empty()) {
        let (rr, cc) = ((r - r0) as usize, (c - c0) as usize);
        let frow = &mut formulas[rr];
        if frow.len() <= cc {
            frow.resize(cc + 1, String::new());
        }
        frow[cc] = f;
    }
    let (fonts, default_font) = if legacy_positions.is_empty() {
        (HashMap::new(), None)
    } else if !legacy_styles {
        (HashMap::new(), style0_font)
    } else {
        fonts_of(w, sheet, &legacy_positions)
    };
    Ok(Grid {
        sheet: sheet.to_string(),
        origin: (r0, c0),
        cells,
        merges,
        formulas,
        fonts,
        default_font,
        fonts_known: true,
        cleaned: Vec::new(),
    })
}

/// Cells (absolute position, value, in the order read) laid out in rows
/// from `origin`, each row as wide as its last cell. Sheets list their
/// cells row by row, left to right: then each row is made in one go;
/// otherwise each is sized first and filled in place, a later cell of the
/// same position winning.
fn place_cells(
    sparse: Vec<((u32, u32), Data)>,
    (r0, c0): (u32, u32),
    height: usize,
) -> Vec<Vec<Data>> {
    let mut widths = vec![0usize; height];
    for &((r, c), _) in &sparse {
        let (rr, cc) = ((r - r0) as usize, (c - c0) as usize);
        widths[rr] = widths[rr].max(cc + 1);
    }
    let mut cells: Vec<Vec<Data>> = Vec::with_capacity(height);
    if sparse.windows(2).all(|w| w[0].0 < w[1].0) {
        let mut it = sparse.into_iter().peekable();
        for (rr, &w) in widths.iter().enumerate() {
            let r = r0 + rr as u32;
            let mut row = Vec::with_capacity(w);
            while let Some(((_, c), value)) = it.next_if(|((cr, _), _)| *cr == r) {
                row.resize((c - c0) as usize, Data::Empty);
                row.push(value);
            }
            cells.push(row);
        }
        return cells;
    }
    cells.extend(widths.iter().map(|&w| vec![Data::Empty; w]));
    for ((r, c), value) in sparse {
        cells[(r - r0) as usize][(c - c0) as usize] = value;
    }
    cells
}

/// A formula text of at most [`FORMULA_CHARS`] characters.
fn cut(f: &str) -> String {
    super::short(f, FORMULA_CHARS)
}

/// The font name of a style.
fn font_of(styles: &[calamine::Style], id: usize) -> Option<String> {
    styles
        .get(id)
        .and_then(|s| s.font.as_ref())
        .and_then(|f| f.name.clone())
}

/// Font names of the given cells, and the default font (style 0).
fn fonts_of(
    w: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    wanted: &[(u32, u32)],
) -> (HashMap<(u32, u32), String>, Option<String>) {
    let mut fonts = HashMap::new();
    let Ok(mut reader) = w.worksheet_cells_reader(sheet) else {
        return (fonts, None);
    };
    let default_font = font_of(reader.styles(), 0);
    let wanted: std::collections::HashSet<(u32, u32)> = wanted.iter().copied().collect();
    while let Ok(Some((r, c, id))) = reader.next_style_id() {
        if wanted.contains(&(r, c)) {
            if let Some(name) = font_of(reader.styles(), id) {
                fonts.insert((r, c), name);
            }
        }
    }
    (fonts, default_font)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells in reading order and shuffled make the same rows; of two
    /// cells at one position, the later read wins.
    #[test]
    fn cells_make_the_same_rows_in_any_order() {
        let s = |t: &str| Data::String(t.into());
        let read = vec![
            ((2, 1), s("a")),
            ((2, 4), Data::Float(1.0)),
            ((4, 2), s("b")),
            ((5, 1), Data::Empty),
            ((5, 3), Data::Int(7)),
        ];
        let want = vec![
            vec![s("a"), Data::Empty, Data::Empty, Data::Float(1.0)],
            vec![],
            vec![Data::Empty, s("b")],
            vec![Data::Empty, Data::Empty, Data::Int(7)],
        ];
        assert_eq!(place_cells(read.clone(), (2, 1), 4), want);
        let mut shuffled = read.clone();
        shuffled.reverse();
        shuffled.push(((4, 2), s("c")));
        let mut again = want.clone();
        again[2][1] = s("c");
        assert_eq!(place_cells(shuffled, (2, 1), 4), again);
    }
}
