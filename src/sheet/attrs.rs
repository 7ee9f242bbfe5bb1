//! Attributes as calamine reads them. The checks made before calamine runs
//! must see exactly what calamine will see, and calamine does not use
//! quick-xml's attribute parser but its own, more lenient one
//! (`calamine/src/attrs.rs`, MIT): where quick-xml stops at a malformed
//! attribute, calamine goes on pairing keys with quoted values, so an
//! attribute hidden after garbage in a tag is found by calamine alone (the
//! fuzzer found exactly this). Ported here, same rules.

use quick_xml::events::BytesStart;

/// A tag's attributes as (key, raw value) pairs; `Err` where calamine
/// reports a malformed attribute (it then fails the whole read).
pub fn raw_attrs<'a>(
    e: &'a BytesStart<'_>,
) -> impl Iterator<Item = Result<(&'a str, &'a str), ()>> {
    Raw {
        raw: e.attributes_raw(),
        pos: 0,
    }
}

/// The first attribute named exactly `name`, as calamine's `raw_attr`.
pub fn raw_attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Result<Option<&'a str>, ()> {
    for item in raw_attrs(e) {
        let (k, v) = item?;
        if k == name {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

struct Raw<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> Iterator for Raw<'a> {
    type Item = Result<(&'a str, &'a str), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raw;
        let bytes = raw.as_bytes();
        let len = bytes.len();
        let mut pos = self.pos;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < len && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            self.pos = len;
            return Some(Err(()));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = bytes.get(pos).copied();
        if quote != Some(b'"') && quote != Some(b'\'') {
            self.pos = len;
            return Some(Err(()));
        }
        let quote = quote.unwrap_or(b'"');
        pos += 1;
        let val_start = pos;
        while pos < len && bytes[pos] != quote {
            pos += 1;
        }
        let val = &raw[val_start..pos];
        if pos < len {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, val)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_paired_as_calamine_pairs_them() {
        // No space between attributes, a key with a space in it, a value
        // holding `=`: quick-xml's checked parser refuses the first two,
        // calamine reads on and finds the count.
        let xml = r#"<sst a="1"b="x=y" c d="2" uniqueCount="4294967295">"#;
        let mut r = quick_xml::Reader::from_str(xml);
        let quick_xml::events::Event::Start(e) = r.read_event().unwrap() else {
            panic!()
        };
        let all: Vec<_> = raw_attrs(&e).collect();
        assert_eq!(
            all,
            vec![
                Ok(("a", "1")),
                Ok(("b", "x=y")),
                Ok(("c d", "2")),
                Ok(("uniqueCount", "4294967295"))
            ]
        );
        assert_eq!(raw_attr(&e, "uniqueCount"), Ok(Some("4294967295")));
        assert_eq!(raw_attr(&e, "missing"), Ok(None));
        // An unquoted value is an error, as in calamine.
        let mut r = quick_xml::Reader::from_str("<sst a=1 uniqueCount=\"9\">");
        let quick_xml::events::Event::Start(e) = r.read_event().unwrap() else {
            panic!()
        };
        assert_eq!(raw_attr(&e, "uniqueCount"), Err(()));
    }
}
