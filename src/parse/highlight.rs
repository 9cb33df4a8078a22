//! Syntax highlighting: a code block's language, text and fence options in, classed HTML
//! out (plus the matching stylesheet for a light and a dark theme).
//!
//! # CSS classes a theme must style
//!
//! ```text
//! pre.code               every code block; data-lang="…" carries the fence language
//! pre.code > code        class="language-…" when a language was given
//! .line                  one source line; only with `linenos` or `hl_lines`. The newline sits
//!                        *after* the span, so `display: inline-block; width: 100%` works
//! .line.hl               a line picked by `hl_lines=…` (stylesheet sets its background)
//! .ln                    line number inside `.line` (aria-hidden; give it `user-select: none`)
//! .hl-*                  syntax tokens: one class per scope atom, e.g. `hl-keyword hl-control`
//! ```
//!
//! [`Highlighter::stylesheet`] emits colours for `pre.code`, `.line.hl`, `.ln` and every
//! `hl-*` rule; layout (gutter width, padding, overflow) is left to the theme.

mod aliases;
mod css;
mod fence;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{
    ParseState, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

use crate::html::escape;
pub use fence::{FenceOptions, parse_fence_info};

/// Start of the warning for a fence language no grammar answers to (then the name and `` ` ``).
pub const UNKNOWN_LANGUAGE: &str = "unknown code block language `";

/// One warning per unknown fence language for the whole site: the first (warnings come
/// sorted by path and line) is kept and says how many other pages use the name; the
/// Markdown stage already warns once per page.
pub fn one_warning_per_language(all: Vec<crate::diag::Diagnostic>) -> Vec<crate::diag::Diagnostic> {
    let language = |d: &crate::diag::Diagnostic| -> Option<String> {
        let rest = d.message.strip_prefix(UNKNOWN_LANGUAGE)?;
        (!d.is_error()).then(|| rest.split('`').next().unwrap_or_default().to_lowercase())
    };
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for lang in all.iter().filter_map(language) {
        *uses.entry(lang).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(all.len());
    for mut d in all {
        if let Some(lang) = language(&d) {
            if !seen.insert(lang.clone()) {
                continue;
            }
            let more = uses.get(&lang).copied().unwrap_or(1) - 1;
            if more > 0 {
                let pages = if more == 1 { "page" } else { "pages" };
                d.message = format!("{} (and in {more} more {pages})", d.message);
            }
        }
        out.push(d);
    }
    out
}

/// The class prefix shared by the HTML and the stylesheet.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Fence languages that mean "no highlighting, and that is on purpose".
const PLAIN_LANGUAGES: &[&str] = aliases::PLAIN;

/// The process-wide default syntax set, deserialised on first use.
///
/// Measured once (dependencies at opt-level 2, development machine): deserialising two-face's
/// curated set (`extra_newlines`) takes ~2 ms, and the first highlighted block of a language
/// adds ~25 ms while that grammar's contexts are unpacked and its regexes compiled. Hence a
/// `OnceLock`: paid at most once per process, and never by sites without code blocks.
static DEFAULT_SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

fn default_syntaxes() -> &'static SyntaxSet {
    DEFAULT_SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// Why highlighting could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum HighlightError {
    /// The extra-syntaxes directory or one of its files could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The directory or file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `.sublime-syntax` file is not a valid syntax definition.
    #[error("invalid syntax definition {}: {source}", path.display())]
    Syntax {
        /// The offending file.
        path: PathBuf,
        /// What syntect rejected.
        #[source]
        source: syntect::parsing::ParseSyntaxError,
    },
    /// A theme name is not one of the bundled themes.
    #[error("unknown highlight theme `{name}`; available themes: {available}")]
    UnknownTheme {
        /// The name as configured.
        name: String,
        /// Comma-separated list of valid names.
        available: String,
    },
    /// syntect failed to turn a theme into CSS.
    #[error("cannot generate CSS for theme `{theme}`")]
    Css {
        /// The theme being converted.
        theme: String,
        /// The underlying error.
        #[source]
        source: syntect::Error,
    },
}

/// Highlighted code, ready to drop into a page.
#[derive(Debug, Clone)]
pub struct Highlighted {
    /// `<pre class="code">…</pre>` markup.
    pub html: String,
    /// False when a language was named but no syntax matches it (rendered as plain text).
    pub known_language: bool,
}

/// Turns code into classed HTML. `Send + Sync`, and cheap to create and clone: without
/// extra syntaxes it only points at the lazily loaded process-wide default set.
#[derive(Clone, Default)]
pub struct Highlighter {
    /// Default set plus project syntaxes; `None` means "use the shared default set".
    custom: Option<Arc<SyntaxSet>>,
}

impl std::fmt::Debug for Highlighter {
    // A syntax set's own Debug output runs to megabytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("extra_syntaxes", &self.custom.is_some())
            .finish()
    }
}

impl Highlighter {
    /// A highlighter over the bundled syntaxes (loaded on first highlighted block).
    pub fn new() -> Self {
        Self::default()
    }

    /// A highlighter over the bundled syntaxes plus every `*.sublime-syntax` file in `dir`.
    ///
    /// Loads eagerly so a broken syntax file fails the build at startup, naming the file,
    /// rather than in the middle of rendering. This costs ~0.4 s (measured with dependencies
    /// at opt-level 2): extending a set unpacks every bundled grammar, so callers should only
    /// use it when the project actually has a syntax directory.
    pub fn with_extra_syntaxes(dir: &Path) -> Result<Self, HighlightError> {
        let mut builder: SyntaxSetBuilder = default_syntaxes().clone().into_builder();
        for path in syntax_files(dir)? {
            builder.add(load_syntax(&path)?);
        }
        Ok(Self {
            custom: Some(Arc::new(builder.build())),
        })
    }

    /// Number of languages this highlighter knows (for "unknown language" hints).
    pub fn language_count(&self) -> usize {
        self.syntaxes()
            .syntaxes()
            .iter()
            .filter(|syntax| !syntax.hidden)
            .count()
    }

    /// The fence names this highlighter answers to, lower-case: every visible syntax's name
    /// and file extensions (for "did you mean" hints; built only when a warning needs it).
    pub fn language_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (self.syntaxes().syntaxes().iter())
            .filter(|syntax| !syntax.hidden)
            .flat_map(|syntax| {
                std::iter::once(syntax.name.to_lowercase())
                    .chain(syntax.file_extensions.iter().map(|e| e.to_lowercase()))
            })
            .filter(|name| !name.contains(' '))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Highlights `code` as `lang` (matched by file extension or name, case-insensitively,
    /// or by one of the other names people use: `shell`, `console`, `golang`, `jsonc`…).
    ///
    /// No language, or `text`/`plain`, gives escaped code and counts as known; a language
    /// nobody recognises gives escaped code with `known_language: false`.
    pub fn highlight(&self, lang: Option<&str>, code: &str, fence: &FenceOptions) -> Highlighted {
        let lang = lang.map(str::trim).filter(|lang| !lang.is_empty());
        let (lines, known_language) = match lang {
            None => (plain_lines(code), true),
            Some(token) if is_plain(token) => (plain_lines(code), true),
            Some(token) => match self.find_syntax(token) {
                // A regex failure deep in a grammar should not lose the code block.
                Some(syntax) => (
                    classed_lines(syntax, self.syntaxes(), code)
                        .unwrap_or_else(|_| plain_lines(code)),
                    true,
                ),
                None => (plain_lines(code), false),
            },
        };
        Highlighted {
            html: wrap_block(lang, &lines, fence),
            known_language,
        }
    }

    /// CSS for the `hl-` classes: `light_theme` rules, then `dark_theme` rules inside
    /// `@media (prefers-color-scheme: dark)`. Unknown names list the available ones.
    pub fn stylesheet(light_theme: &str, dark_theme: &str) -> Result<String, HighlightError> {
        css::stylesheet(light_theme, dark_theme)
    }

    /// Names of the bundled themes, as accepted by [`Highlighter::stylesheet`].
    pub fn theme_names() -> Vec<&'static str> {
        css::theme_names()
    }

    fn syntaxes(&self) -> &SyntaxSet {
        match &self.custom {
            Some(custom) => custom,
            None => default_syntaxes(),
        }
    }

    fn find_syntax(&self, token: &str) -> Option<&SyntaxReference> {
        let syntaxes = self.syntaxes();
        syntaxes
            .find_syntax_by_token(token)
            .or_else(|| syntaxes.find_syntax_by_token(&token.to_lowercase()))
            .or_else(|| syntaxes.find_syntax_by_token(aliases::canonical(token)?))
    }
}

fn is_plain(token: &str) -> bool {
    PLAIN_LANGUAGES
        .iter()
        .any(|plain| plain.eq_ignore_ascii_case(token))
}

/// `*.sublime-syntax` files directly in `dir`, sorted so load order is reproducible.
fn syntax_files(dir: &Path) -> Result<Vec<PathBuf>, HighlightError> {
    let io_error = |source| HighlightError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|ext| ext == "sublime-syntax") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn load_syntax(path: &Path) -> Result<SyntaxDefinition, HighlightError> {
    let text = std::fs::read_to_string(path).map_err(|source| HighlightError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let fallback_name = path.file_stem().and_then(|stem| stem.to_str());
    SyntaxDefinition::load_from_str(&text, true, fallback_name).map_err(|source| {
        HighlightError::Syntax {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// One self-contained HTML fragment per source line, without the newline.
///
/// Each line closes every span it leaves open and the next line reopens them from the
/// scope stack, so a line can be wrapped in `<span class="line">` without breaking nesting
/// (a block comment spanning lines stays styled on every line).
fn classed_lines(
    syntax: &SyntaxReference,
    syntaxes: &SyntaxSet,
    code: &str,
) -> Result<Vec<String>, syntect::Error> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in source_lines(code) {
        let ops = state.parse_line(&line, syntaxes)?;
        let mut html = open_spans(&stack);
        let (tokens, _) = line_tokens_to_classed_spans(&line, &ops, CLASS_STYLE, &mut stack)?;
        html.push_str(&tokens);
        html.push_str(&"</span>".repeat(stack.len()));
        // The only newline in the fragment is the line's own; tags never contain one.
        if let Some(newline) = html.rfind('\n') {
            html.remove(newline);
        }
        lines.push(html);
    }
    Ok(lines)
}

/// Lines with their newline, as the `newlines` syntax set expects; the last line gets one too.
fn source_lines(code: &str) -> impl Iterator<Item = String> + '_ {
    LinesWithEndings::from(code).map(|line| {
        let mut line = line.to_string();
        if !line.ends_with('\n') {
            line.push('\n');
        }
        line
    })
}

fn open_spans(stack: &ScopeStack) -> String {
    let mut html = String::new();
    for scope in stack.as_slice() {
        let classes: Vec<String> = scope
            .build_string()
            .split('.')
            .map(|atom| format!("hl-{atom}"))
            .collect();
        let _ = write!(html, "<span class=\"{}\">", classes.join(" "));
    }
    html
}

fn plain_lines(code: &str) -> Vec<String> {
    code.lines().map(escape).collect()
}

/// The `<pre>` wrapper, with per-line spans when the fence asks for numbers or emphasis.
fn wrap_block(lang: Option<&str>, lines: &[String], fence: &FenceOptions) -> String {
    let mut html = String::from("<pre class=\"code\"");
    match lang {
        Some(lang) => {
            let lang = escape(lang);
            let _ = write!(
                html,
                " data-lang=\"{lang}\"><code class=\"language-{lang}\">"
            );
        }
        None => html.push_str("><code>"),
    }
    for (index, line) in lines.iter().enumerate() {
        if fence.wants_lines() {
            push_wrapped_line(&mut html, index + 1, line, fence);
        } else {
            html.push_str(line);
        }
        html.push('\n');
    }
    html.push_str("</code></pre>\n");
    html
}

fn push_wrapped_line(html: &mut String, number: usize, line: &str, fence: &FenceOptions) {
    html.push_str(if fence.is_highlighted(number) {
        "<span class=\"line hl\">"
    } else {
        "<span class=\"line\">"
    });
    if fence.linenos {
        let _ = write!(
            html,
            "<span class=\"ln\" aria-hidden=\"true\">{number}</span>"
        );
    }
    html.push_str(line);
    html.push_str("</span>");
}

#[cfg(test)]
mod tests;
