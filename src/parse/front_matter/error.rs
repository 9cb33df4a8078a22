//! Front-matter problems as data: which key, what was expected, what was found. Each one
//! prints as a sentence a writer understands and becomes a located [`Diagnostic`] at the
//! edge; nothing here rebuilds a message by splitting another library's English.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::diag::{Diagnostic, Severity};

/// The two front-matter syntaxes, for examples written the way the file writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

/// The kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A piece of text.
    Text,
    /// An integer.
    WholeNumber,
    /// An integer ≥ 0.
    Count,
    /// `true` or `false`.
    YesNo,
    /// A date, with or without a time.
    Date,
    /// A list of names.
    List,
    /// A map of keys.
    Map,
    /// One of a fixed set of words.
    OneOf(&'static [&'static str]),
}

impl Expected {
    fn describe(self, syntax: Syntax) -> String {
        let yaml = syntax == Syntax::Yaml;
        match self {
            Expected::Text => "text, like \"Ask for clarity\"".into(),
            Expected::WholeNumber => "a whole number, like 3".into(),
            Expected::Count => "a whole number of 0 or more, like 10".into(),
            Expected::YesNo => "true or false".into(),
            Expected::Date => "a date like 2026-03-04 (or 2026-03-04T09:30:00)".into(),
            Expected::List if yaml => "a list, like [trust, feedback]".into(),
            Expected::List => "a list, like [\"trust\", \"feedback\"]".into(),
            Expected::Map if yaml => "a map of keys, like { level: beginner }".into(),
            Expected::Map => "a table of keys, like { level = \"beginner\" }".into(),
            Expected::OneOf(words) => {
                let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                format!("one of {}", words.join(", "))
            }
        }
    }
}

/// What went wrong in one file's front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum FmError {
    /// The YAML or TOML itself does not parse (message from the parser, position ours).
    Syntax {
        /// YAML or TOML.
        syntax: Syntax,
        /// The parser's description, without its own position.
        message: String,
    },
    /// An opening `---`/`+++` line without a closing one.
    Unclosed {
        /// YAML or TOML.
        syntax: Syntax,
    },
    /// The block holds something other than keys (a list, a bare word).
    NotKeys {
        /// YAML or TOML.
        syntax: Syntax,
    },
    /// A key's value has the wrong type or form.
    WrongValue {
        /// The key as written.
        key: String,
        /// What it takes.
        expected: Expected,
        /// The value as written (shortened).
        found: String,
        /// For examples in the file's own syntax.
        syntax: Syntax,
    },
    /// The same key twice at the top level.
    Duplicate {
        /// The key.
        key: String,
        /// 1-based line of the first occurrence.
        first_line: usize,
        /// 1-based line of the second.
        second_line: usize,
    },
    /// A key binder does not know (an error only under `unknown_keys = "error"`).
    Unknown {
        /// The key.
        key: String,
        /// A close known key, if any.
        suggestion: Option<String>,
    },
    /// No `title` and no `# Heading` (an error only under `unknown_keys = "error"`).
    MissingTitle {
        /// YAML or TOML.
        syntax: Syntax,
    },
    /// A control character (NUL and the like) was removed from a value.
    ControlChar {
        /// The top-level key whose value held it.
        key: String,
        /// The first one removed.
        found: char,
    },
    /// A fractional number was rounded to fit a whole-number key (`sidebar_position: 1.5`).
    Rounded {
        /// The key.
        key: String,
        /// As written.
        from: f64,
        /// As used.
        to: i64,
    },
}

impl fmt::Display for FmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FmError::Syntax { syntax, message } => {
                write!(
                    f,
                    "the front matter is not valid {}: {message}",
                    name(*syntax)
                )
            }
            FmError::Unclosed { .. } => f.write_str("the front matter is never closed"),
            FmError::NotKeys { .. } => {
                f.write_str("the front matter must be a list of keys with values")
            }
            FmError::WrongValue {
                key,
                expected,
                found,
                syntax,
            } => write!(
                f,
                "`{key}` must be {}, not {found}",
                expected.describe(*syntax)
            ),
            FmError::Duplicate {
                key,
                first_line,
                second_line,
            } => write!(
                f,
                "`{key}` is given twice, on lines {first_line} and {second_line}"
            ),
            FmError::Unknown { key, .. } => write!(f, "unknown front-matter key `{key}`"),
            FmError::MissingTitle { .. } => f.write_str("front matter has no `title`"),
            FmError::ControlChar { key, found } => write!(
                f,
                "`{key}` holds an invisible control character (U+{:04X}); it was removed",
                u32::from(*found)
            ),
            FmError::Rounded { key, from, to } => {
                write!(
                    f,
                    "`{key}: {from}` is rounded to {to}: weights are whole numbers"
                )
            }
        }
    }
}

impl FmError {
    /// How to fix it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            FmError::Syntax { syntax: Syntax::Yaml, .. } => "check the YAML syntax: `key: value`, and quote values that contain `: ` or start with `[`, `{`, `@`, `*`".into(),
            FmError::Syntax { syntax: Syntax::Toml, .. } => "check the TOML syntax: `key = \"value\"`, with text in quotes".into(),
            FmError::Unclosed { syntax } => format!("add a line with `{}` after the last front-matter key", fence(*syntax)),
            FmError::NotKeys { syntax: Syntax::Yaml } => "write one `key: value` per line, e.g. `title: \"Ask for clarity\"`".into(),
            FmError::NotKeys { syntax: Syntax::Toml } => "write one `key = value` per line, e.g. `title = \"Ask for clarity\"`".into(),
            FmError::WrongValue { .. } => return None,
            FmError::Duplicate { key, first_line, .. } => format!("keep the `{key}` you mean and delete the other (line {first_line} or this one)"),
            FmError::Unknown { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            FmError::Unknown { key, suggestion: None } => format!("remove it, or list it in `extra_keys` under `[front_matter]` in site.toml to keep it in page.extra.{key}"),
            FmError::MissingTitle { syntax: Syntax::Yaml } => "add a line such as `title: \"Ask for clarity\"` between the `---` lines, or start the text with `# Ask for clarity`".into(),
            FmError::MissingTitle { syntax: Syntax::Toml } => "add a line such as `title = \"Ask for clarity\"` between the `+++` lines, or start the text with `# Ask for clarity`".into(),
            FmError::ControlChar { .. } => "retype the value: it was probably pasted from another program".into(),
            FmError::Rounded { .. } => return None,
        })
    }
}

fn name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Yaml => "YAML",
        Syntax::Toml => "TOML",
    }
}

fn fence(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Yaml => "---",
        Syntax::Toml => "+++",
    }
}

/// One problem of one file: the error as data, how bad, and where (bytes of the file).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub error: FmError,
    /// Byte span in the whole file.
    pub span: Range<usize>,
}

impl Problem {
    /// An error at `span`.
    pub fn error(error: FmError, span: Range<usize>) -> Self {
        Problem {
            severity: Severity::Error,
            error,
            span,
        }
    }

    /// A warning at `span`.
    pub fn warning(error: FmError, span: Range<usize>) -> Self {
        Problem {
            severity: Severity::Warning,
            error,
            span,
        }
    }

    /// The located diagnostic for the file `path` whose whole text is `text`.
    pub fn to_diagnostic(&self, path: &str, text: &Arc<str>) -> Diagnostic {
        let d = Diagnostic::new(self.severity, path, self.error.to_string())
            .at(text, self.span.clone());
        match self.error.hint() {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

/// A value as a writer would recognise it in an error: `the text "first"`, `a list`.
pub(super) fn describe_found(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "empty".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("\"{short}{more}\"")
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a map of keys".into(),
    }
}
