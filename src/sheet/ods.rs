//! `.ods`: `content.xml` scanned before calamine parses it. calamine reads
//! every table of an `.ods` as it opens the file, copying a cell once per
//! `table:number-columns-repeated` and a row once per
//! `table:number-rows-repeated` (up to 100 million cells), and spelling
//! `<text:s text:c="N"/>` as N spaces. This scan follows the same rules
//! with counters instead of copies, so a file that would take more cells or
//! text than the limits allow is refused before calamine allocates.
//!
//! The counts are upper bounds: where calamine would skip something (a
//! comment, the content of a non-text cell) it is counted anyway.

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::attrs::{raw_attr, raw_attrs};
use super::container::Archive;
use super::{describe, Limits, OpenError};

/// calamine's caps per table (`ods.rs`: `MAX_ROWS`, `MAX_COLUMNS`).
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Attributes that give a cell a value (or make calamine read its text).
const VALUE_ATTRS: &[&str] = &[
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "office:value-type",
    "calcext:value-type",
    "table:formula",
];

#[derive(Default)]
struct Cell {
    repeats: u64,
    valued: bool,
    text: u64,
}

#[derive(Default)]
struct Row {
    repeats: u64,
    /// Cells calamine pushes for this row (at most `MAX_COLUMNS`).
    pushed: u64,
    /// Empty cells waiting for a valued cell to be pushed.
    pending: u64,
    /// Text bytes of the row as pushed (values and formulas, per copy).
    text: u64,
}

#[derive(Default)]
struct Table {
    /// Rows so far, as calamine caps them.
    rows: u64,
    /// Cells pushed over all rows.
    raw: u64,
    raw_text: u64,
    /// Rows from the first valued row to the last, counting repeats.
    span: u64,
    span_pending: u64,
    span_text: u64,
    started: bool,
    width: u64,
}

/// Totals over the workbook.
struct Totals<'l> {
    limits: &'l Limits,
    cells: u64,
    text: u64,
}

impl Totals<'_> {
    fn add(&mut self, t: &Table) -> Result<(), OpenError> {
        let dense = t.span.saturating_mul(t.width);
        if dense > self.limits.cells {
            return Err(self.limits.too_wide(t.span, t.width));
        }
        // Values and formulas each get a dense grid; the raw cells stay too.
        self.cells = self.cells.saturating_add(dense.saturating_add(t.raw));
        if self.cells > self.limits.cells.saturating_mul(2) {
            return Err(self.limits.too_many_cells(self.cells / 2));
        }
        self.text = self
            .text
            .saturating_add(t.raw_text)
            .saturating_add(t.span_text);
        if self.text > self.limits.text_bytes {
            return Err(self.limits.too_much_text());
        }
        Ok(())
    }
}

/// A count attribute (`table:number-rows-repeated`, `text:c`) as calamine
/// reads it: found by its attribute rules, entities decoded, parsed as a
/// number. A value calamine cannot parse makes it fail the file, and so do
/// we (with a message).
fn count_attr(e: &BytesStart<'_>, name: &str) -> Result<Option<u64>, OpenError> {
    let bad = || OpenError(format!("tệp .ods bị hỏng: thuộc tính {name} không phải số"));
    match raw_attr(e, name) {
        Ok(Some(v)) => {
            let v = quick_xml::escape::unescape(v).map_err(|_| bad())?;
            v.trim().parse::<u64>().map(Some).map_err(|_| bad())
        }
        Ok(None) => Ok(None),
        Err(()) => Err(OpenError(
            "tệp .ods bị hỏng: thuộc tính không đúng cú pháp trong content.xml".into(),
        )),
    }
}

/// Scan `content.xml` and refuse the file if calamine's copies would pass
/// the limits.
pub fn precheck(archive: &mut Archive<'_>, limits: &Limits) -> Result<(), OpenError> {
    // An encrypted package says so in its manifest; its content.xml is
    // ciphertext.
    if let Ok(manifest) = archive.by_name("META-INF/manifest.xml") {
        let mut xml =
            quick_xml::Reader::from_reader(BufReader::new(manifest.take(limits.unzipped_bytes)));
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.name().as_ref() == "manifest:encryption-data" =>
                {
                    return Err(OpenError(super::PASSWORD.into()));
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    let entry = archive
        .by_name("content.xml")
        .map_err(|e| describe(&e.to_string()))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry.take(limits.unzipped_bytes)));
    // The counts below follow calamine's reading only where tables, rows
    // and cells nest as LibreOffice writes them: end tags must match, and
    // a table, row or cell where calamine would not expect one is refused
    // (a spliced document in a cell's text once hid a cell repeated 4,000
    // times from these counts; the fuzzer found it).
    let cfg = xml.config_mut();
    cfg.check_end_names = true;
    cfg.check_comments = false;
    cfg.expand_empty_elements = true;
    let misplaced = |what: &str| {
        OpenError(format!(
            "tệp .ods bị hỏng: content.xml có {what} ở chỗ không thể có (nghi là tệp hỏng hoặc độc hại)"
        ))
    };
    let mut totals = Totals {
        limits,
        cells: 0,
        text: 0,
    };
    let mut buf = Vec::new();
    let mut table_depth = 0usize;
    let mut table = Table::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    loop {
        buf.clear();
        let ev = xml.read_event_into(&mut buf).map_err(|e| {
            OpenError(format!(
                "tệp .ods bị hỏng: content.xml không đọc được ({e})"
            ))
        })?;
        match ev {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" if table_depth > 0 => {
                    return Err(misplaced("một bảng nằm trong bảng khác"));
                }
                "table:table" => {
                    table = Table::default();
                    table_depth += 1;
                }
                "table:table-row" if !rows.is_empty() => {
                    return Err(misplaced("một hàng nằm trong hàng khác"));
                }
                "table:table-cell" | "table:covered-table-cell" if !cells.is_empty() => {
                    return Err(misplaced("một ô nằm trong ô khác"));
                }
                "table:table-row" if table_depth > 0 => {
                    let asked = count_attr(&e, "table:number-rows-repeated")?.unwrap_or(1);
                    let repeats = asked.min(MAX_ROWS.saturating_sub(table.rows));
                    table.rows += repeats;
                    rows.push(Row {
                        repeats,
                        ..Row::default()
                    });
                }
                "table:table-cell" | "table:covered-table-cell" if !rows.is_empty() => {
                    let repeats = count_attr(&e, "table:number-columns-repeated")?.unwrap_or(1);
                    let mut valued = false;
                    let mut text = 0u64;
                    for a in raw_attrs(&e) {
                        let Ok((key, value)) = a else {
                            return Err(OpenError(
                                "tệp .ods bị hỏng: thuộc tính không đúng cú pháp trong content.xml"
                                    .into(),
                            ));
                        };
                        if VALUE_ATTRS.contains(&key) {
                            valued = true;
                            text += value.len() as u64;
                        }
                    }
                    cells.push(Cell {
                        repeats,
                        valued,
                        text,
                    });
                }
                "text:s" => {
                    let n = count_attr(&e, "text:c")?.unwrap_or(1);
                    if let Some(c) = cells.last_mut() {
                        c.text = c.text.saturating_add(n);
                        c.valued = true;
                    }
                }
                "text:p" | "text:tab" | "text:line-break" => {
                    if let Some(c) = cells.last_mut() {
                        c.text += 1;
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(c) = cells.last_mut() {
                    c.text += t.len() as u64;
                    c.valued |= !t.is_empty();
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = cells.last_mut() {
                    c.text += r.len() as u64 + 2;
                    c.valued = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some(c), Some(row)) = (cells.pop(), rows.last_mut()) {
                        end_cell(row, c);
                    }
                }
                "table:table-row" => {
                    if let Some(row) = rows.pop() {
                        end_row(&mut table, row);
                    }
                }
                "table:table" if table_depth > 0 => {
                    table_depth -= 1;
                    if table_depth == 0 {
                        totals.add(&table)?;
                    }
                }
                _ => {}
            },
            // calamine reads a table until its end tag, and at the end of
            // the file before it, reads on forever.
            Event::Eof if table_depth > 0 => {
                return Err(OpenError(
                    "tệp .ods bị hỏng: content.xml dừng giữa một bảng (thiếu phần cuối)".into(),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// A cell as calamine's `read_row` pushes it: empty cells only when a
/// valued cell follows them, every copy of a valued cell, at most
/// `MAX_COLUMNS` per row.
fn end_cell(row: &mut Row, c: Cell) {
    if !c.valued {
        row.pending = row.pending.saturating_add(c.repeats);
        return;
    }
    let room = MAX_COLUMNS.saturating_sub(row.pushed);
    let empty = row.pending.min(room);
    row.pushed += empty;
    row.pending = 0;
    let copies = c.repeats.min(MAX_COLUMNS.saturating_sub(row.pushed));
    row.pushed += copies;
    row.text = row.text.saturating_add(c.text.saturating_mul(copies));
}

/// A row into its table: the raw cells, and the span `get_range` copies
/// row by row (empty rows between valued ones included).
fn end_row(t: &mut Table, row: Row) {
    t.raw = t.raw.saturating_add(row.pushed);
    t.raw_text = t.raw_text.saturating_add(row.text);
    if row.pushed == 0 {
        if t.started {
            t.span_pending = t.span_pending.saturating_add(row.repeats);
        }
        return;
    }
    t.started = true;
    t.span = t
        .span
        .saturating_add(t.span_pending)
        .saturating_add(row.repeats);
    t.span_pending = 0;
    t.width = t.width.max(row.pushed);
    t.span_text = t
        .span_text
        .saturating_add(row.text.saturating_mul(row.repeats));
}
