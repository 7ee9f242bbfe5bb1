//! Containing the spreadsheet reader's panics: each call into calamine runs
//! under `catch_unwind`, and a panic there becomes an [`OpenError`] for that
//! workbook instead of ending the run. The panic message is kept for the
//! diagnostic, never printed raw to the terminal.
//!
//! This needs `panic = "unwind"` (Rust's default; `Cargo.toml` keeps it).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::OpenError;

thread_local! {
    /// True while this thread runs guarded reader code.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The last panic caught on this thread: message and place.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Install, once per process, a panic hook that keeps quiet about panics in
/// guarded code (recording them for the diagnostic) and hands every other
/// panic to the hook that was there before.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let place = info
                    .location()
                    .map(|l| format!(" ({}:{})", l.file(), l.line()))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{msg}{place}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`; a panic inside it becomes an [`OpenError`] saying the reader
/// failed on this file.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, OpenError>) -> Result<T, OpenError> {
    install_hook();
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    match result {
        Ok(r) => r,
        Err(_) => {
            let what = CAUGHT
                .with(|c| c.borrow_mut().take())
                .unwrap_or_else(|| "không rõ".into());
            Err(OpenError(format!(
                "tệp bị hỏng: trình đọc bảng tính dừng lại giữa chừng khi đọc tệp này (chi tiết kỹ thuật: {})",
                super::short(&what, 200)
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_it() {
        let r: Result<(), OpenError> = guarded(|| {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            let _ = v[i];
            Ok(())
        });
        let e = r.unwrap_err();
        assert!(e.0.contains("trình đọc bảng tính"), "{e:?}");
        assert!(e.0.contains("index out of bounds"), "{e:?}");
        // The thread is usable again and unguarded panics still reach the
        // previous hook (not observable here beyond not being swallowed).
        assert!(guarded(|| Ok(1)).is_ok());
    }
}
