//! Diagnostics: every problem a build finds, as `path:line:col: message` plus a hint.
//!
//! Stages never print. They return [`Diagnostic`]s; the CLI renders them (with the source line
//! and a caret, cut around the problem on long lines) and the dev server shows them in its overlay. Line and column are
//! 1-based; the column counts characters, not bytes, so editors jump to the right place.

pub mod guard;

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

/// Where a problem comes from; the exit code follows from it ([`exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// An article, section, glossary entry or asset under `content/`.
    #[default]
    Content,
    /// A template or the theme.
    Template,
    /// `site.toml`.
    Config,
    /// The command line: an argument, a file in the way of `init`, an unknown section.
    Usage,
    /// Reading or writing files outside `content/` (the output folder, the staging folder).
    Io,
    /// binder itself: a panic caught at the top level.
    Bug,
}

/// The process exit code for a failed run: 2 for usage or configuration problems, 70
/// (`EX_SOFTWARE`) for a bug in binder, 1 for everything else a build can find (content,
/// templates, writing the output).
pub fn exit_code<'a>(errors: impl IntoIterator<Item = &'a Diagnostic>) -> u8 {
    let mut code = 0;
    for d in errors.into_iter().filter(|d| d.is_error()) {
        let c = match d.origin {
            Origin::Bug => 70,
            Origin::Usage | Origin::Config => 2,
            Origin::Content | Origin::Template | Origin::Io => 1,
        };
        // A bug outranks everything; usage/config outranks content.
        code = match (code, c) {
            (70, _) | (_, 70) => 70,
            (2, _) | (_, 2) => 2,
            _ => 1,
        };
    }
    code
}

/// What a problem is about, as data: the health report files each finding under its rule by
/// this (the exit code follows [`Origin`] instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Topic {
    /// Anything without a rule of its own.
    #[default]
    General,
    /// A link, wikilink, anchor or embed that resolves to nothing, or to more than one page.
    Link,
    /// A content kind's rule (`[kinds.*]`): a required key, an allowed value, its sections.
    Kind,
    /// A pair-blog post whose partner is missing or paired elsewhere.
    Pair,
}

/// One problem, located in a file when we know where.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of input the problem is in.
    pub origin: Origin,
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
    /// The operating-system failure behind an I/O problem, as data, so callers group and
    /// retry on the kind rather than on the message text.
    #[serde(skip)]
    pub io: Option<IoCause>,
    /// What the problem is about (which health rule it falls under).
    #[serde(skip)]
    pub topic: Topic,
}

/// The typed cause of an I/O failure: what [`std::io::Error`] said, kept apart from the
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoCause {
    /// The file that could not be read or written (as shown to the user), if one.
    pub file: String,
    /// The portable kind (`NotFound`, `PermissionDenied`, `StorageFull` …).
    pub kind: std::io::ErrorKind,
    /// The raw OS error number (`errno`) when the system gave one.
    pub os_code: Option<i32>,
    /// The system's own words for it (`No space left on device (os error 28)`).
    pub text: String,
}

impl IoCause {
    /// The cause of `e`, met while reading or writing `file`.
    pub fn new(file: impl Into<String>, e: &std::io::Error) -> Self {
        IoCause {
            file: file.into(),
            kind: e.kind(),
            os_code: e.raw_os_error(),
            text: e.to_string(),
        }
    }

    /// True when the failure is the system's, not the site's, and trying again soon may
    /// succeed: out of file descriptors (EMFILE, ENFILE), an interrupted call (EINTR) or a
    /// resource briefly unavailable (EAGAIN).
    pub fn is_transient(&self) -> bool {
        const EINTR: i32 = 4;
        const EAGAIN: i32 = 11;
        const ENFILE: i32 = 23;
        const EMFILE: i32 = 24;
        matches!(
            self.kind,
            std::io::ErrorKind::Interrupted | std::io::ErrorKind::WouldBlock
        ) || matches!(self.os_code, Some(EINTR | EAGAIN | ENFILE | EMFILE))
    }
}

impl Diagnostic {
    /// A problem not tied to a place in a file.
    pub fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            origin: Origin::default(),
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            source: None,
            io: None,
            topic: Topic::General,
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
        // A whole 65 KB line is no use in an overlay or a terminal: keep the part around
        // the problem.
        self.source_line = source.lines().nth(line - 1).map(|l| cut_line(l, col).0);
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

    /// Sets where the problem comes from (default: content).
    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }

    /// Says what the problem is about (default: [`Topic::General`]).
    #[must_use]
    pub fn about(mut self, topic: Topic) -> Self {
        self.topic = topic;
        self
    }

    /// Records the I/O failure `e` (met on `file`) behind this problem.
    #[must_use]
    pub fn with_io(mut self, file: impl Into<String>, e: &std::io::Error) -> Self {
        self.io = Some(IoCause::new(file, e));
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

/// "did you mean `a`?", "… `a` or `b`?", "… `a`, `b` or `c`?" for the candidates closest to
/// `word` ([`suggest`]), or None when none is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_one_of(&suggest(word, candidates))
}

/// "did you mean …?" for an already ranked list of names, best first (as [`did_you_mean`]
/// words it), or None when the list is empty.
pub fn did_you_mean_one_of(best: &[&str]) -> Option<String> {
    (!best.is_empty()).then(|| format!("did you mean {}?", or_list(best)))
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`": names quoted as code, the last two joined by "or".
pub fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
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

/// How many characters of a long source line a snippet shows around the problem.
const SNIPPET_WIDTH: usize = 100;

/// A long line cut to about 100 characters around 1-based column `col`: the
/// visible text (with `…` where it was cut) and the 1-based column of `col` within it.
/// Tabs become one space each, so columns stay "characters as shown".
pub fn cut_line(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' || c.is_control() { ' ' } else { c })
        .collect();
    let col = col.clamp(1, chars.len() + 1);
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), col);
    }
    let start = (col - 1).saturating_sub(SNIPPET_WIDTH / 2);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let start = end.saturating_sub(SNIPPET_WIDTH);
    let mut out = String::new();
    let mut shift = start;
    if start > 0 {
        out.push('…');
        shift = start - 1;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, col - shift)
}

/// Terminal columns `s` takes (CJK and emoji are two wide).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Renders a diagnostic for a terminal: the one-line form, then the source line with the line
/// before and after, a caret under the span, then the hint. Long lines are cut around the
/// problem; the caret sits under the characters the column counts, wide characters included.
pub fn render(d: &Diagnostic, color: bool) -> String {
    let (kind, paint) = match d.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let mut out = if color {
        format!("{paint}{kind}\x1b[0m: {d}\n")
    } else {
        format!("{kind}: {d}\n")
    };
    if let Some((src, span)) = &d.source {
        out.push_str(&snippet(d, src, span));
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  help: {hint}\n"));
    }
    out.push('\n');
    out
}

/// The source lines around the problem with a caret under it.
fn snippet(d: &Diagnostic, src: &str, span: &Range<usize>) -> String {
    let lines: Vec<&str> = src.split('\n').collect();
    let line = d.line.clamp(1, lines.len().max(1));
    let gutter = (line + 1).to_string().len();
    let pad = " ".repeat(gutter + 1);
    let mut out = format!("{pad} ╭─[{}]\n", d.location());
    let show = |out: &mut String, n: usize, col: usize| -> (String, usize) {
        let (text, c) = cut_line(lines.get(n - 1).copied().unwrap_or(""), col);
        out.push_str(&format!(" {n:>gutter$} │ {text}\n"));
        (text, c)
    };
    if line > 1 {
        show(&mut out, line - 1, 1);
    }
    let (text, col) = show(&mut out, line, d.col.max(1));
    // The caret spans the problem's characters on this line (at least one).
    let span_chars = src
        .get(span.clone())
        .map_or(1, |s| s.split('\n').next().unwrap_or("").chars().count())
        .max(1);
    let before: String = text.chars().take(col - 1).collect();
    let under: String = text.chars().skip(col - 1).take(span_chars).collect();
    let indent = " ".repeat(width(&before));
    let len = width(&under).max(1);
    let mid = len / 2;
    out.push_str(&format!(
        "{pad} · {indent}{}┬{}\n",
        "─".repeat(mid),
        "─".repeat(len - mid - 1)
    ));
    out.push_str(&format!("{pad} · {indent}{}╰── here\n", " ".repeat(mid)));
    if line < lines.len() && !(line + 1 == lines.len() && lines[line].is_empty()) {
        show(&mut out, line + 1, 1);
    }
    out.push_str(&format!("{pad} ╰────\n"));
    out
}

/// `all` with the warnings whose message is exactly `message` cut to the first `keep`, the
/// rest folded into one warning at the first one left out ("… and 214 more images without
/// alt text, the first at content/a.md:3:1 (`--verbose` lists them all)"), as broken links
/// are grouped. A real handbook can have hundreds of one kind (an imported Obsidian vault
/// writes `![[shot.png]]` with no alt text throughout), which would bury everything else.
pub fn fold_repeats(
    all: Vec<Diagnostic>,
    message: &str,
    keep: usize,
    what: &str,
) -> Vec<Diagnostic> {
    let total = all
        .iter()
        .filter(|d| !d.is_error() && d.message == message)
        .count();
    if total <= keep + 1 {
        return all;
    }
    let mut seen = 0;
    let mut out = Vec::with_capacity(all.len() - total + keep + 1);
    for d in all {
        if d.is_error() || d.message != message {
            out.push(d);
            continue;
        }
        seen += 1;
        if seen <= keep {
            out.push(d);
        } else if seen == keep + 1 {
            let at = d.location();
            let mut folded = d;
            folded.message = format!(
                "… and {} more {what}, the first at {at} (`--verbose` lists them all)",
                total - keep
            );
            out.push(folded);
        }
    }
    out
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
    fn exit_codes_follow_origins() {
        let content = Diagnostic::error("content/a.md", "x");
        let io = Diagnostic::error("", "cannot write").with_origin(Origin::Io);
        let config = Diagnostic::error("site.toml", "x").with_origin(Origin::Config);
        let bug = Diagnostic::error("", "bug").with_origin(Origin::Bug);
        let warning = Diagnostic::warning("", "w").with_origin(Origin::Usage);
        assert_eq!(exit_code([&warning]), 0);
        assert_eq!(exit_code([&content]), 1);
        assert_eq!(
            exit_code([&io]),
            1,
            "a failed write is a build failure, not usage"
        );
        assert_eq!(exit_code([&content, &config]), 2);
        assert_eq!(exit_code([&config, &bug, &content]), 70);
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "a".repeat(70_000) + "[x](missing.md)" + &"b".repeat(500);
        let (text, col) = cut_line(&line, 70_001);
        assert!(text.chars().count() <= SNIPPET_WIDTH + 2, "{}", text.len());
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(text.chars().nth(col - 1), Some('['));
        let (short, c) = cut_line("title: x", 3);
        assert_eq!((short.as_str(), c), ("title: x", 3));
    }

    /// Regression (issue 11): a diagnostic past column 65,535 panicked inside the snippet
    /// renderer, and the whole 65 KB line was echoed.
    #[test]
    fn a_diagnostic_past_column_65535_renders() {
        let text = format!("---\ntitle: x\n---\n{}[x](nope.md)\n", "y".repeat(65_540));
        let src: Arc<str> = Arc::from(text.as_str());
        let at = text.find("[x]").expect("link");
        let d = Diagnostic::error("content/a.md", "broken link").at(&src, at..at + 12);
        assert_eq!(d.col, 65_541);
        let out = render(&d, false);
        assert!(out.contains("content/a.md:4:65541"));
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(
            d.source_line
                .as_deref()
                .is_some_and(|l| l.chars().count() < 200)
        );
        let caret = out.lines().find(|l| l.contains('┬')).expect("caret");
        let shown = out
            .lines()
            .find(|l| l.contains("[x](nope.md)"))
            .expect("line");
        assert_eq!(
            caret.find('┬').map(|i| caret[..i].chars().count()),
            shown.find("[x]").map(|i| shown[..i].chars().count() + 6),
            "caret under the middle of the link\n{out}"
        );
    }

    /// Regression (issue 13): on lines with non-ASCII text the column in the message and the
    /// caret under the snippet disagreed.
    #[test]
    fn caret_sits_under_the_column_on_non_ascii_lines() {
        let src: Arc<str> = Arc::from("---\ntitle: x\n---\n日本語のテキスト [x](nope.md)\n");
        let at = src.find("[x]").expect("link");
        let d = Diagnostic::error("content/a.md", "broken link").at(&src, at..at + 1);
        assert_eq!(d.col, 10, "counts characters");
        let out = render(&d, false);
        let line = out.lines().find(|l| l.contains("[x]")).expect("line");
        let caret = out.lines().find(|l| l.contains('┬')).expect("caret");
        let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let line_at = line.find("[x]").map(|i| w(&line[..i]));
        let caret_at = caret.find('┬').map(|i| w(&caret[..i]));
        assert_eq!(line_at, caret_at, "{out}");
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
    fn suggestions_read_as_a_sentence() {
        assert_eq!(did_you_mean_one_of(&[]), None);
        assert_eq!(
            did_you_mean_one_of(&["a"]).as_deref(),
            Some("did you mean `a`?")
        );
        assert_eq!(
            did_you_mean_one_of(&["a", "b"]).as_deref(),
            Some("did you mean `a` or `b`?")
        );
        assert_eq!(
            did_you_mean_one_of(&["a", "b", "c"]).as_deref(),
            Some("did you mean `a`, `b` or `c`?")
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

    #[test]
    fn many_warnings_of_one_kind_fold_into_one() {
        let w = |path: &str, m: &str| Diagnostic::warning(path, m);
        let mut all: Vec<Diagnostic> = (1..=9)
            .map(|i| w(&format!("content/p{i}.md"), "image has no alt text"))
            .collect();
        all.push(w("content/z.md", "other"));
        let out = fold_repeats(
            all.clone(),
            "image has no alt text",
            3,
            "images without alt text",
        );
        let messages: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(out.len(), 5, "{messages:?}");
        assert_eq!(
            out[3].message,
            "… and 6 more images without alt text, the first at content/p4.md (`--verbose` lists them all)"
        );
        assert_eq!(out[4].message, "other");
        let few = fold_repeats(all[..4].to_vec(), "image has no alt text", 3, "x");
        assert_eq!(few.len(), 4, "one more than kept is shown, not folded");
    }
}
