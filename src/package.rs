//! A plain ZIP archive written entry by entry in memory: the layout of
//! APPNOTE 6.3 without ZIP64 or encryption, every entry dated 1980-01-01
//! (the same inputs give the same bytes), names as UTF-8.
//!
//! Written by hand because both of its users hold parts already compressed
//! or stored, with their CRC known, which the zip crate's writer cannot
//! take as they are: the sheet layer's package for calamine (parts stored
//! as the checks inflated them) and tong-hop.xlsx (its per-unit sheet
//! deflated in pieces elsewhere).

/// What the plain layout cannot hold.
#[derive(Debug, PartialEq, Eq)]
pub enum TooBig {
    /// An entry (named) of 4 GiB or more.
    Size(String),
    /// An entry starting 4 GiB or more into the archive.
    Offset,
    /// A central directory of 4 GiB or more.
    Directory,
    /// A name longer than 65,535 bytes.
    Name(String),
    /// 65,535 entries or more.
    Entries,
    /// An entry whose bytes are not as many as its compressed size says.
    Mismatch(String),
}

/// A ZIP archive being written.
#[derive(Default)]
pub struct Zip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// The date every entry carries, as rust_xlsxwriter's (1980-01-01 00:00).
const DOS_DATE: u16 = (1 << 5) | 1;

/// A size or offset that fits the plain layout's 32 bits (`u32::MAX`
/// there means "see ZIP64").
fn small(n: u64) -> Option<u32> {
    u32::try_from(n).ok().filter(|&n| n != u32::MAX)
}

/// The plain layout's number of a part's compression (0 stored, 8
/// deflated); None for any other.
pub fn method(m: zip::CompressionMethod) -> Option<u16> {
    match m {
        zip::CompressionMethod::Stored => Some(0),
        zip::CompressionMethod::Deflated => Some(8),
        _ => None,
    }
}

impl Zip {
    /// An archive with room for `n` bytes of entries and headers.
    pub fn with_capacity(n: usize) -> Zip {
        Zip {
            bytes: Vec::with_capacity(n),
            ..Zip::default()
        }
    }

    /// One entry: its name, (method: 0 stored, 8 deflated; CRC of the
    /// full bytes), (compressed, full) sizes and its compressed bytes in
    /// pieces.
    pub fn entry<D: AsRef<[u8]>>(
        &mut self,
        name: &str,
        (method, crc): (u16, u32),
        (csize, size): (u64, u64),
        data: impl Iterator<Item = D>,
    ) -> Result<(), TooBig> {
        let offset = small(self.bytes.len() as u64).ok_or(TooBig::Offset)?;
        let size_of = |n| small(n).ok_or_else(|| TooBig::Size(name.to_string()));
        let (csize, size) = (size_of(csize)?, size_of(size)?);
        let name_len = u16::try_from(name.len()).map_err(|_| TooBig::Name(name.to_string()))?;
        self.entries = self
            .entries
            .checked_add(1)
            .filter(|&n| n != u16::MAX)
            .ok_or(TooBig::Entries)?;
        // Bit 11: the name is UTF-8.
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        let common = |b: &mut Vec<u8>| {
            for v in [20u16, flags, method, 0, DOS_DATE] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, csize, size] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            b.extend_from_slice(&name_len.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        let b = &mut self.bytes;
        b.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(b);
        b.extend_from_slice(name.as_bytes());
        let start = b.len();
        for d in data {
            b.extend_from_slice(d.as_ref());
        }
        if (b.len() - start) as u64 != u64::from(csize) {
            return Err(TooBig::Mismatch(name.to_string()));
        }
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes()); // made by: MS-DOS, 2.0
        common(c);
        // Comment length, disk, internal and external attributes.
        for v in [0u16, 0, 0] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// The archive: the entries, their central directory and its end.
    pub fn finish(mut self) -> Result<Vec<u8>, TooBig> {
        let at = small(self.bytes.len() as u64).ok_or(TooBig::Offset)?;
        let size = small(self.central.len() as u64).ok_or(TooBig::Directory)?;
        self.bytes.extend_from_slice(&self.central);
        let b = &mut self.bytes;
        b.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0u16, 0, self.entries, self.entries] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&size.to_le_bytes());
        b.extend_from_slice(&at.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes()); // comment
        Ok(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sizes and names the plain layout cannot hold are refused, and the
    /// entry's bytes must be as many as it says.
    #[test]
    fn what_does_not_fit_is_refused() {
        let none = std::iter::empty::<&[u8]>;
        let mut z = Zip::default();
        let big = u64::from(u32::MAX);
        assert_eq!(
            z.entry("a", (0, 0), (big, 0), none()),
            Err(TooBig::Size("a".into()))
        );
        let long = "x".repeat(65_536);
        assert_eq!(
            z.entry(&long, (0, 0), (0, 0), none()),
            Err(TooBig::Name(long.clone()))
        );
        assert_eq!(
            z.entry("b", (0, 0), (2, 2), std::iter::once(&b"abc"[..])),
            Err(TooBig::Mismatch("b".into()))
        );
    }
}
