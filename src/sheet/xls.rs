//! `.xls` (BIFF5/BIFF8 in a compound file), made safe before calamine sees
//! it. calamine parses every sheet of an `.xls` as it opens the file and
//! sizes its buffers from counts and positions the file declares, so the
//! file is checked and rebuilt here first (`docs/calamine-upstream.md` says
//! what calamine does with the originals):
//!
//! 1. the compound file is read with the `cfb` crate, which refuses loops
//!    and dangling sector chains, and only the `Workbook` stream is kept;
//! 2. that stream is rewritten record by record, keeping only what a grid
//!    of values needs (sheet list, shared strings, formats, value cells,
//!    merged regions), each record checked against its layout; declared
//!    string lengths are cut to the characters present, formulas keep their
//!    cached value and lose their token array, `DIMENSIONS` is dropped;
//! 3. while rewriting, the cells, the extent of every sheet and the bytes
//!    of text calamine will allocate are counted against the workbook's
//!    limits, and the file is refused before calamine allocates anything;
//! 4. the new stream is packed into a fresh compound file for calamine.
//!
//! Hand-written because no crate checks BIFF records; the layouts are those
//! of [MS-XLS] 2.4, mirrored from calamine 0.38's reader.

use std::io::{Cursor, Read, Write};

use super::{Limits, OpenError};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILEPASS: u16 = 0x002F;
const CODEPAGE: u16 = 0x0042;
const DATEMODE: u16 = 0x0022;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const SST: u16 = 0x00FC;
const NUMBER: u16 = 0x0203;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const STRING: u16 = 0x0207;
const RK: u16 = 0x027E;
const LABELSST: u16 = 0x00FD;
const MULRK: u16 = 0x00BD;
const MERGECELLS: u16 = 0x00E5;
const FORMULA: u16 = 0x0006;

/// Bytes calamine may hold per decoded string character (UTF-8 from up to
/// two source bytes, plus the capacity it reserves), used as a bound.
const BYTES_PER_CHAR: u64 = 8;

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(i..i + 2)?.try_into().ok()?))
}
fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(i..i + 4)?.try_into().ok()?))
}

fn broken(what: &str) -> OpenError {
    OpenError(format!(
        "tệp .xls bị hỏng hoặc không trọn vẹn ({what}), không đọc được"
    ))
}

/// One record with the CONTINUE records that follow it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// Records of a stream, framed as calamine frames them.
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, OpenError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.stream.is_empty() {
            return None;
        }
        let one = |s: &'a [u8]| -> Option<(u16, &'a [u8], &'a [u8])> {
            let typ = u16_at(s, 0)?;
            let len = u16_at(s, 2)? as usize;
            let data = s.get(4..4 + len)?;
            Some((typ, data, &s[4 + len..]))
        };
        let Some((typ, data, mut rest)) = one(self.stream) else {
            self.stream = &[];
            return Some(Err(broken("bản ghi bị cắt cụt")));
        };
        let mut cont = Vec::new();
        while rest.len() > 4 && u16_at(rest, 0) == Some(CONTINUE) {
            let Some((_, d, r)) = one(rest) else {
                self.stream = &[];
                return Some(Err(broken("bản ghi nối tiếp bị cắt cụt")));
            };
            cont.push(d);
            rest = r;
        }
        self.stream = rest;
        Some(Ok(Record { typ, data, cont }))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Biff {
    Biff5,
    Biff8,
}

/// Counts of what calamine will allocate, checked against the limits.
struct Budget<'l> {
    limits: &'l Limits,
    cells: u64,
    area: u64,
    bytes: u64,
}

impl Budget<'_> {
    fn text(&mut self, chars: u64) -> Result<(), OpenError> {
        self.bytes = self.bytes.saturating_add(chars * BYTES_PER_CHAR + 32);
        if self.bytes > self.limits.text_bytes {
            return Err(self.limits.too_much_text());
        }
        Ok(())
    }
    fn cells(&mut self, n: u64) -> Result<(), OpenError> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.limits.cells {
            return Err(self.limits.too_many_cells(self.cells));
        }
        Ok(())
    }
    fn area(&mut self, rows: u64, cols: u64) -> Result<(), OpenError> {
        if rows.saturating_mul(cols) > self.limits.cells {
            return Err(self.limits.too_wide(rows, cols));
        }
        self.area = self.area.saturating_add(rows * cols);
        if self.area > self.limits.cells {
            return Err(self.limits.too_many_cells(self.area));
        }
        Ok(())
    }
}

/// Take the `Workbook` (or `Book`) stream out of a compound file.
fn workbook_stream(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, OpenError> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| broken(&format!("cấu trúc tệp phức hợp: {e}")))?;
    let names: Vec<String> = cf
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .collect();
    if names
        .iter()
        .any(|n| n == "EncryptedPackage" || n == "EncryptionInfo")
    {
        return Err(OpenError(super::PASSWORD.into()));
    }
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Workbook"))
        .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case("Book")))
        .cloned()
        .ok_or_else(|| {
            OpenError(
                "tệp phức hợp của Office nhưng không phải bảng tính .xls (không có luồng Workbook)"
                    .into(),
            )
        })?;
    let stream = cf
        .open_stream(format!("/{name}"))
        .map_err(|e| broken(&format!("luồng Workbook: {e}")))?;
    let mut out = Vec::new();
    stream
        .take(limits.file_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| broken(&format!("luồng Workbook: {e}")))?;
    Ok(out)
}

/// Pack a Workbook stream into a new compound file.
fn pack(stream: &[u8]) -> Result<Vec<u8>, OpenError> {
    let fail = |e: std::io::Error| broken(&format!("không dựng lại được tệp: {e}"));
    // Version 3 (512-byte sectors): calamine refuses a version 4 file
    // whose root has no mini stream.
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .map_err(fail)?;
    {
        let mut s = cf.create_stream("/Workbook").map_err(fail)?;
        s.write_all(stream).map_err(fail)?;
    }
    cf.flush().map_err(fail)?;
    Ok(cf.into_inner().into_inner())
}

/// Check and rebuild an `.xls` file; the result is what calamine reads.
pub fn sanitize(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, OpenError> {
    let stream = workbook_stream(bytes, limits)?;
    let clean = rewrite(&stream, limits)?;
    pack(&clean)
}

fn push(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    debug_assert!(data.len() <= u16::MAX as usize);
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// A sheet listed in the globals.
struct SheetEntry {
    pos: usize,
    /// The BOUNDSHEET record from its visibility byte on (name included).
    tail: Vec<u8>,
}

/// Rewrite the Workbook stream (see the module comment).
pub fn rewrite(stream: &[u8], limits: &Limits) -> Result<Vec<u8>, OpenError> {
    let mut budget = Budget {
        limits,
        cells: 0,
        area: 0,
        bytes: 0,
    };
    let mut globals = Vec::new();
    let mut sheets: Vec<SheetEntry> = Vec::new();
    let mut sst_lens: Vec<u64> = Vec::new();
    let mut biff = None;
    for rec in (Records { stream }) {
        let rec = rec?;
        let d = rec.data;
        match rec.typ {
            BOF if biff.is_none() => {
                let v = u16_at(d, 0).ok_or_else(|| broken("bản ghi BOF"))?;
                let dt = u16_at(d, 2).unwrap_or(0);
                // As calamine decides the version.
                biff = Some(match v {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 => {
                        return Err(OpenError(
                            "tệp Excel đời cũ (trước Excel 95) không đọc được; đề nghị mở bằng Excel và lưu lại thành .xlsx".into(),
                        ))
                    }
                    0x0500 => Biff::Biff5,
                    0 if dt == 0x1000 => Biff::Biff5,
                    _ => Biff::Biff8,
                });
                push(&mut globals, BOF, d);
            }
            _ if biff.is_none() => return Err(broken("không bắt đầu bằng bản ghi BOF")),
            EOF => break,
            FILEPASS if u16_at(d, 0).unwrap_or(0) != 0 => {
                return Err(OpenError(super::PASSWORD.into()));
            }
            CODEPAGE | DATEMODE if d.len() >= 2 => push(&mut globals, rec.typ, &d[..2]),
            FORMAT if d.len() >= 2 => push(&mut globals, FORMAT, d),
            XF if d.len() >= 4 => push(&mut globals, XF, d),
            BOUNDSHEET => {
                // pos(4) hsState(1) dt(1) name
                let pos = u32_at(d, 0).ok_or_else(|| broken("danh sách trang tính"))? as usize;
                let (Some(&state), Some(&dt)) = (d.get(4), d.get(5)) else {
                    return Err(broken("danh sách trang tính"));
                };
                let min_name = if biff == Some(Biff::Biff8) { 2 } else { 1 };
                if d.len() < 6 + min_name || state & 0x3F > 2 {
                    return Err(broken("danh sách trang tính"));
                }
                // Charts, macro and VBA sheets hold no table to read.
                if dt != 0 {
                    continue;
                }
                if pos >= stream.len() {
                    return Err(broken("trang tính trỏ ra ngoài tệp"));
                }
                if sheets.len() >= limits.sheets {
                    return Err(limits.too_many_sheets());
                }
                sheets.push(SheetEntry {
                    pos,
                    tail: d[4..].to_vec(),
                });
            }
            SST if biff == Some(Biff::Biff8) => {
                sst_lens = sst_lengths(&rec, &mut budget)?;
                push(&mut globals, SST, d);
                for c in &rec.cont {
                    push(&mut globals, CONTINUE, c);
                }
            }
            _ => {}
        }
    }
    let biff = biff.ok_or_else(|| broken("luồng Workbook trống"))?;
    // Globals, then each sheet's records; BOUNDSHEET positions patched.
    let mut bodies = Vec::with_capacity(sheets.len());
    for s in &sheets {
        bodies.push(rewrite_sheet(
            &stream[s.pos..],
            biff,
            &sst_lens,
            &mut budget,
        )?);
    }
    let bound_len: usize = sheets.iter().map(|s| 4 + 4 + s.tail.len()).sum();
    let mut pos = globals.len() + bound_len + 4;
    let mut out = Vec::with_capacity(pos + bodies.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&globals);
    for (s, body) in sheets.iter().zip(&bodies) {
        let mut d = (pos as u32).to_le_bytes().to_vec();
        d.extend_from_slice(&s.tail);
        push(&mut out, BOUNDSHEET, &d);
        pos += body.len();
    }
    push(&mut out, EOF, &[]);
    for body in &bodies {
        out.extend_from_slice(body);
    }
    // calamine reads streams under 4096 bytes from the mini stream; a
    // full-size stream keeps the packed file simple. Zeros after the last
    // EOF are never read as records.
    if out.len() < 4096 {
        out.resize(4096, 0);
    }
    Ok(out)
}

/// Character counts of the shared strings, read exactly as calamine reads
/// them (`parse_sst`, `read_rich_extended_string`, `read_dbcs`), refusing
/// what would make it panic.
fn sst_lengths(rec: &Record<'_>, budget: &mut Budget<'_>) -> Result<Vec<u64>, OpenError> {
    let bad = || broken("bảng chuỗi dùng chung (SST)");
    let mut data = rec.data.get(8..).ok_or_else(bad)?;
    let mut cont = rec.cont.iter();
    let mut lens = Vec::new();
    loop {
        if data.is_empty() {
            match cont.next() {
                Some(c) => data = c,
                None => break,
            }
            if data.is_empty() {
                lens.push(0);
                budget.text(0)?;
                continue;
            }
        }
        if data.len() < 3 {
            return Err(bad());
        }
        let cch = u16_at(data, 0).unwrap_or(0) as usize;
        let flags = data[2];
        data = &data[3..];
        let mut high = flags & 0x1 != 0;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x8 != 0 {
            runs = u16_at(data, 0).ok_or_else(bad)? as usize;
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            // calamine reads it as i32 and casts to usize.
            ext = u32_at(data, 0).ok_or_else(bad)? as i32 as usize;
            data = &data[4..];
        }
        let mut left = cch;
        while left > 0 {
            let n = if high {
                (data.len() / 2).min(left)
            } else {
                data.len().min(left)
            };
            data = &data[if high { 2 * n } else { n }..];
            left -= n;
            if left > 0 {
                match cont.next() {
                    Some(c) if !c.is_empty() => {
                        high = c[0] & 0x1 != 0;
                        data = &c[1..];
                    }
                    _ => return Err(bad()),
                }
            }
        }
        lens.push(cch as u64);
        budget.text(cch as u64)?;
        // Formatting runs and phonetic data are skipped across records.
        let mut skip = runs.saturating_mul(4);
        for part in [&mut skip, &mut ext] {
            while *part > 0 {
                if data.is_empty() {
                    data = cont.next().ok_or_else(bad)?;
                    continue;
                }
                let l = (*part).min(data.len());
                data = &data[l..];
                *part -= l;
            }
        }
    }
    Ok(lens)
}

/// A BIFF string (`XLUnicodeString`, or a BIFF5 byte string) at the start of
/// `d`, with its declared length cut to the characters present. Returns the
/// rewritten string and its character count.
fn clean_string(d: &[u8], biff: Biff) -> Option<(Vec<u8>, u64)> {
    let cch = u16_at(d, 0)? as usize;
    match biff {
        Biff::Biff8 => {
            let Some(&flags) = d.get(2) else {
                // calamine reads a bare zero length as an empty string.
                return (cch == 0).then(|| (vec![0, 0, 0], 0));
            };
            let high = flags & 0x1 != 0;
            let chars = &d[3..];
            let n = cch.min(if high { chars.len() / 2 } else { chars.len() });
            let mut out = (n as u16).to_le_bytes().to_vec();
            out.push(flags & 0x1);
            out.extend_from_slice(&chars[..if high { 2 * n } else { n }]);
            Some((out, n as u64))
        }
        Biff::Biff5 => {
            let chars = &d[2..];
            let n = cch.min(chars.len());
            let mut out = (n as u16).to_le_bytes().to_vec();
            out.extend_from_slice(&chars[..n]);
            Some((out, n as u64))
        }
    }
}

/// One sheet's extent and counts while it is rewritten.
#[derive(Default)]
struct Extent {
    cells: u64,
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.cells += 1;
        self.bounds = Some(match self.bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    }
    fn size(&self) -> (u64, u64) {
        match self.bounds {
            None => (0, 0),
            Some((r0, c0, r1, c1)) => ((r1 - r0) as u64 + 1, (c1 - c0) as u64 + 1),
        }
    }
}

/// Rewrite one sheet's substream, counting what calamine will allocate.
fn rewrite_sheet(
    stream: &[u8],
    biff: Biff,
    sst: &[u64],
    budget: &mut Budget<'_>,
) -> Result<Vec<u8>, OpenError> {
    let bad = |what: &str| broken(&format!("ô trong trang tính: {what}"));
    let mut out = Vec::new();
    let mut values = Extent::default();
    let mut formulas = Extent::default();
    let mut formula_pos = (0u32, 0u32);
    let mut seen_bof = false;
    let mut depth = 0usize;
    let rc =
        |d: &[u8]| -> Option<(u32, u32)> { Some((u16_at(d, 0)? as u32, u16_at(d, 2)? as u32)) };
    for rec in (Records { stream }) {
        let rec = rec?;
        let d = rec.data;
        if depth > 0 {
            match rec.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match rec.typ {
            BOF => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                    push(&mut out, BOF, d);
                }
            }
            EOF => break,
            NUMBER => {
                let (r, c) = rc(d).filter(|_| d.len() >= 14).ok_or_else(|| bad("số"))?;
                values.add(r, c);
                push(&mut out, NUMBER, &d[..14]);
            }
            RK => {
                let (r, c) = rc(d)
                    .filter(|_| d.len() >= 10)
                    .ok_or_else(|| bad("số RK"))?;
                values.add(r, c);
                push(&mut out, RK, &d[..10]);
            }
            BOOLERR => {
                let (r, c) = rc(d)
                    .filter(|_| d.len() >= 8)
                    .ok_or_else(|| bad("đúng/sai"))?;
                values.add(r, c);
                push(&mut out, BOOLERR, &d[..8]);
            }
            LABEL | RSTRING => {
                let (r, c) = rc(d).filter(|_| d.len() >= 6).ok_or_else(|| bad("chữ"))?;
                let (s, n) = clean_string(&d[6..], biff).ok_or_else(|| bad("chữ"))?;
                budget.text(n)?;
                values.add(r, c);
                let mut rec = d[..6].to_vec();
                rec.extend_from_slice(&s);
                push(&mut out, LABEL, &rec);
            }
            LABELSST => {
                let (r, c) = rc(d).filter(|_| d.len() >= 10).ok_or_else(|| bad("chữ"))?;
                let i = u32_at(d, 6).unwrap_or(u32::MAX) as usize;
                // calamine skips an index past the table.
                if let Some(&n) = sst.get(i) {
                    budget.text(n)?;
                    values.add(r, c);
                    push(&mut out, LABELSST, &d[..10]);
                }
            }
            MULRK => {
                let (r, first) = rc(d)
                    .filter(|_| d.len() >= 6)
                    .ok_or_else(|| bad("dãy số"))?;
                let last = u16_at(d, d.len() - 2).unwrap_or(0) as u32;
                if last < first || d.len() != 6 + 6 * (last - first + 1) as usize {
                    return Err(bad("dãy số"));
                }
                values.add(r, first);
                values.add(r, last);
                values.cells = values.cells + (last - first + 1) as u64 - 2;
                push(&mut out, MULRK, d);
            }
            FORMULA => {
                let (r, c) = rc(d)
                    .filter(|_| d.len() >= 20)
                    .ok_or_else(|| bad("công thức"))?;
                formula_pos = (r, c);
                formulas.add(r, c);
                // A cached value other than a pending string is a cell.
                if !(d[6] == 0 && d[12] == 0xFF && d[13] == 0xFF) {
                    values.add(r, c);
                }
                // The token array is dropped (cce = 0): only the cached
                // value is read, and token arrays are where calamine
                // expands names and sheet references without bound.
                let mut rec = d[..20].to_vec();
                rec.extend_from_slice(&[0, 0]);
                push(&mut out, FORMULA, &rec);
            }
            STRING => {
                let (s, n) = clean_string(d, biff).ok_or_else(|| bad("kết quả công thức"))?;
                budget.text(n)?;
                values.add(formula_pos.0, formula_pos.1);
                push(&mut out, STRING, &s);
            }
            MERGECELLS => {
                let Some(count) = u16_at(d, 0) else { continue };
                let n = (count as usize).min((d.len() - 2) / 8);
                let mut rec = (n as u16).to_le_bytes().to_vec();
                rec.extend_from_slice(&d[2..2 + 8 * n]);
                push(&mut out, MERGECELLS, &rec);
            }
            _ => {}
        }
    }
    if !seen_bof {
        let mut head = Vec::new();
        push(&mut head, BOF, &[0, 6, 0x10, 0]);
        head.extend_from_slice(&out);
        out = head;
    }
    push(&mut out, EOF, &[]);
    budget.cells(values.cells + formulas.cells)?;
    let (h, w) = values.size();
    budget.area(h, w)?;
    let (h, w) = formulas.size();
    budget.area(h, w)?;
    Ok(out)
}
