//! Diagnostics: every problem a build finds, as `path:line:col: message` plus a hint.
//!
//! Stages never print. They return [`Diagnostic`]s; the CLI renders them (with the source line
//! and a caret, via miette) and the dev server shows them in its overlay. Line and column are
//! 1-based; the column counts characters, not bytes, so editors jump to the right place.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// One problem, located in a file when we know where.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path shown to the user, relative to the site root (`content/tips/x.md`); empty if none.
    pub path: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The source line the problem is on (for the overlay and the snippet).
    pub source_line: Option<String>,
    /// Whole source text and byte span, for the terminal snippet.
    #[serde(skip)]
    pub source: Option<(Arc<str>, Range<usize>)>,
}

impl Diagnostic {
    /// A problem not tied to a place in a file.
    pub fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            source: None,
        }
    }

    /// An error in `path` with no position.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning in `path` with no position.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    /// Locates the problem at byte `span` of `source` (the whole file text).
    #[must_use]
    pub fn at(mut self, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, col) = line_col(source, start);
        self.line = line;
        self.col = col;
        self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        self.source = Some((Arc::clone(source), start..end));
        self
    }

    /// Locates the problem at a 1-based line and column when no byte span is known.
    #[must_use]
    pub fn at_line(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Turns an error into a warning (used when a site downgrades link errors).
    #[must_use]
    pub fn downgraded(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or less when unknown).
    pub fn location(&self) -> String {
        match (self.path.is_empty(), self.line) {
            (true, _) => String::new(),
            (false, 0) => self.path.clone(),
            (false, line) => format!("{}:{}:{}", self.path, line, self.col.max(1)),
        }
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.path,
            self.line,
            self.col,
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        if loc.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{loc}: {}", self.message)
        }
    }
}

/// 1-based (line, column-in-chars) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of the start of 1-based `line` (end of text if past the end).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest candidates to `word` by edit distance, best first (for "did you mean").
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let word_l = word.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_l, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `did you mean `a`, `b`?` or None.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let best = suggest(word, candidates);
    if best.is_empty() {
        return None;
    }
    let list: Vec<String> = best.iter().map(|c| format!("`{c}`")).collect();
    Some(format!("did you mean {}?", list.join(" or ")))
}

/// All diagnostics of one run, errors and warnings.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Any error among them.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Sorted by path, line, column (deterministic output), duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup_by(|a, b| a.sort_key() == b.sort_key());
        self.items
    }

    /// Borrow them, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True if none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A build that failed: every diagnostic it found (errors and warnings), sorted.
#[derive(Debug, Clone, thiserror::Error)]
#[error("build failed with {} error(s)", self.errors().count())]
pub struct BuildFailed {
    /// All diagnostics, sorted by path.
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildFailed {
    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// A failure made of one diagnostic.
    pub fn one(d: Diagnostic) -> Self {
        BuildFailed {
            diagnostics: vec![d],
        }
    }
}

impl From<Diagnostic> for BuildFailed {
    fn from(d: Diagnostic) -> Self {
        Self::one(d)
    }
}

/// Renders a diagnostic for a terminal: the one-line form, then the source line with a caret,
/// then the hint. Uses miette's graphical handler for the snippet.
pub fn render(d: &Diagnostic, color: bool) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{kind}: {d}\n");
    if let Some((src, span)) = &d.source {
        let report = Snippet {
            src: NamedSource::new(d.path.clone(), Arc::clone(src)),
            span: (span.start, span.end.saturating_sub(span.start)).into(),
            severity: d.severity,
        };
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .with_footer(String::new());
        let mut snippet = String::new();
        if handler.render_report(&mut snippet, &report).is_ok() {
            // miette repeats the (empty) message on its first line and pads the end; keep
            // the snippet itself.
            let lines: Vec<&str> = snippet.lines().skip(1).collect();
            let end = lines
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(0, |i| i + 1);
            for line in &lines[..end] {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  help: {hint}\n"));
    }
    out.push('\n');
    out
}

#[derive(Debug)]
struct Snippet {
    src: miette::NamedSource<Arc<str>>,
    span: miette::SourceSpan,
    severity: Severity,
}

impl fmt::Display for Snippet {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Snippet {}

impl miette::Diagnostic for Snippet {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), self.span),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let text = "ab\ncdé\nfg";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4)); // after the two-byte é
        assert_eq!(line_col(text, 8), (3, 1));
    }

    #[test]
    fn line_start_finds_offsets() {
        let text = "a\nbb\nccc";
        assert_eq!(line_start(text, 1), 0);
        assert_eq!(line_start(text, 2), 2);
        assert_eq!(line_start(text, 3), 5);
        assert_eq!(line_start(text, 9), text.len());
    }

    #[test]
    fn diagnostic_location_and_snippet() {
        let src: Arc<str> = Arc::from("---\ntitel: x\n---\n");
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at(&src, 4..9)
            .with_hint("did you mean `title`?");
        assert_eq!(d.to_string(), "content/a.md:2:1: unknown key `titel`");
        assert_eq!(d.source_line.as_deref(), Some("titel: x"));
        let out = render(&d, false);
        assert!(out.starts_with("error: content/a.md:2:1: unknown key `titel`\n"));
        assert!(out.contains("titel: x"));
        assert!(out.contains("help: did you mean `title`?"));
    }

    #[test]
    fn suggestions_rank_close_words() {
        assert_eq!(suggest("titel", ["title", "date", "slug"]), vec!["title"]);
        assert!(suggest("zzz", ["title"]).is_empty());
        assert_eq!(
            did_you_mean("conceps", ["concepts", "authors"]).as_deref(),
            Some("did you mean `concepts`?")
        );
    }

    #[test]
    fn sorted_orders_by_path_then_line() {
        let mut ds = Diagnostics::default();
        ds.push(Diagnostic::error("b.md", "x").at_line(1, 1));
        ds.push(Diagnostic::error("a.md", "y").at_line(9, 1));
        ds.push(Diagnostic::error("a.md", "z").at_line(2, 1));
        let s: Vec<String> = ds.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(s, vec!["a.md:2:1: z", "a.md:9:1: y", "b.md:1:1: x"]);
    }
}
