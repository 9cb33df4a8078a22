//! What a page shows when the build is broken.
//!
//! Open pages get the errors as JSON over the event stream and draw the overlay themselves
//! (`reload.js`). Before any build succeeded there is no page to draw it on, so every path
//! gets [`error_page`]: the errors as plain text, plus the script, which reloads it as soon
//! as the site builds.

use crate::diag::Diagnostic;
pub use crate::html::escape;

/// At most this many errors travel to the browser (the terminal has them all).
const MAX_SHOWN: usize = 50;

/// The overlay's data: a JSON list of diagnostics (`path`, `line`, `col`, `message`, `hint`,
/// `source_line`), errors only.
pub fn errors_json(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(MAX_SHOWN)
        .collect();
    serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into())
}

/// A stand-in page listing `diagnostics`, served while no build has succeeded yet.
pub fn error_page(diagnostics: &[Diagnostic]) -> String {
    let mut list = String::new();
    for d in diagnostics.iter().filter(|d| d.is_error()).take(MAX_SHOWN) {
        list.push_str(&escape(&crate::diag::render(d, false)));
        list.push('\n');
    }
    if list.is_empty() {
        list.push_str("The site is being built…");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Build failed · binder serve</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n\
         <body style=\"font: 15px/1.5 system-ui, sans-serif; margin: 2rem\">\n\
         <h1>The site does not build yet</h1>\n<p>Fix the errors below (they are also in the terminal); this page reloads by itself.</p>\n\
         <pre style=\"white-space: pre-wrap\">{list}</pre>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn json_carries_location_source_and_hint() {
        let text: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at(&text, 4..9)
            .with_hint("did you mean `title`?");
        let w = Diagnostic::warning("content/b.md", "just a warning");
        let v: serde_json::Value = serde_json::from_str(&errors_json(&[d, w])).expect("json");
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        assert_eq!(v[0]["path"], "content/a.md");
        assert_eq!(v[0]["line"], 2);
        assert_eq!(v[0]["col"], 1);
        assert_eq!(v[0]["source_line"], "titel: x");
        assert_eq!(v[0]["hint"], "did you mean `title`?");
    }

    #[test]
    fn error_page_escapes_messages() {
        let page = error_page(&[Diagnostic::error("content/a.md", "bad <script>")]);
        assert!(page.contains("bad &lt;script&gt;"));
        assert!(!page.contains("<script>"));
    }
}
