//! Panics in a rebuild become a diagnostic instead of killing the rebuild thread.
//!
//! [`catch`] runs a rebuild under `catch_unwind`; a panic comes back as a [`Diagnostic`]
//! (`binder hit a bug: … please report it`) that the overlay and `/__binder/status` show like
//! any build error, and the server keeps serving the last good build. A panic hook (installed
//! once, wrapping whatever hook was there) records where the panic happened and keeps the
//! default backtrace note off the terminal for panics that [`catch`] handles: those on a
//! guarded thread, and those on rayon's worker threads while a guard is active (rayon hands
//! a worker's panic back to the thread that started the parallel work).

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use crate::diag::{Diagnostic, Origin};

/// Guards running right now (rayon workers have no thread-local of their own to check).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// Where the latest caught panic happened, `file:line:col`.
static LAST_LOCATION: Mutex<Option<String>> = Mutex::new(None);
static HOOK: Once = Once::new();

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it (or inside the rayon work it starts) is returned as a
/// "binder hit a bug" diagnostic.
pub fn catch<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    install_hook();
    let was = GUARDED.with(|g| g.replace(true));
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    GUARDED.with(|g| g.set(was));
    result.map_err(|payload| {
        let location = LAST_LOCATION
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        bug(
            what,
            &payload_message(payload.as_ref()),
            location.as_deref(),
        )
    })
}

/// The diagnostic for a panic with `message` at `location` during `what`.
pub fn bug(what: &str, message: &str, location: Option<&str>) -> Diagnostic {
    let at = location.map_or_else(String::new, |l| format!(" (at {l})"));
    Diagnostic::error(
        "",
        format!("binder hit a bug while {what}: {message}{at}; please report it"),
    )
    .with_origin(Origin::Bug)
    .with_hint(
        "this is binder's fault, not your site's. The last good build is still served and the \
         next save rebuilds everything; please report the bug with the edit that caused it",
    )
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            let ours = GUARDED.with(Cell::get)
                || (ACTIVE.load(Ordering::SeqCst) > 0 && rayon::current_thread_index().is_some());
            if ours {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                *LAST_LOCATION.lock().unwrap_or_else(PoisonError::into_inner) = location;
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_bug_report() {
        let d = catch("rebuilding", || -> u8 { panic!("boom {}", 1) }).expect_err("panicked");
        assert!(d.is_error());
        assert_eq!(d.origin, Origin::Bug);
        assert!(
            d.message
                .starts_with("binder hit a bug while rebuilding: boom 1 (at src/diag/guard.rs:"),
            "{}",
            d.message
        );
        assert!(d.message.ends_with("please report it"));
    }

    #[test]
    fn a_panic_on_a_rayon_worker_is_caught_too() {
        use rayon::prelude::*;
        let d = catch("rendering", || {
            (0..64)
                .into_par_iter()
                .for_each(|i| assert!(i != 40, "job {i}"));
        })
        .expect_err("panicked");
        assert!(d.message.contains("job 40"), "{}", d.message);
    }

    #[test]
    fn no_panic_passes_the_value_through() {
        assert_eq!(catch("x", || 7).ok(), Some(7));
    }
}
