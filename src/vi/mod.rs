//! Vietnamese text: figures and dates the Vietnamese way, wording, period
//! names, folding for matching, legacy encodings.

pub mod date;
pub mod fold;
pub mod legacy;
pub mod number;
pub mod period;
pub mod wording;
