//! Templates: the theme's `templates/` (from its folder or the binary) overlaid by the
//! site's `templates/`, compiled once per build into one Tera instance with the `t()`
//! function and `date` filter of the site's language; Tera errors become `file:line:col`
//! diagnostics. [`check`] runs all of it before any content is read.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use super::i18n::{self, Words};
use super::theme::{self, Theme};
use crate::config::Config;
use crate::diag::{BuildFailed, Diagnostic, Origin};
use crate::parse::markdown::RendererWords;

/// Compiled templates and where each came from (for error messages).
pub struct Templates {
    /// The Tera instance.
    pub tera: Tera,
    /// Template name → (path shown to users, source text).
    pub files: HashMap<String, (String, Arc<str>)>,
    /// The theme the templates came from.
    pub theme: Theme,
    /// The theme's words in the site's language (behind `t()` and `date`).
    pub words: Arc<Words>,
    /// Warnings of loading (a language without translations).
    pub warnings: Vec<Diagnostic>,
}

/// Templates every theme must have.
const REQUIRED: &[&str] = &["page.html", "section.html", "index.html", "404.html"];

/// Checks config, theme, translations and templates before any content is read, so their
/// errors come at once; gives the default taxonomy titles in the site's language. Returns
/// the warnings. `build`, `check` and `serve` call it right after reading `site.toml`.
pub fn check(root: &Path, config: &mut Config) -> Result<Vec<Diagnostic>, BuildFailed> {
    let templates = load(root, config).map_err(|errors| BuildFailed {
        // A missing theme or a bad `[translations]` table is a configuration error (exit 2).
        diagnostics: errors
            .into_iter()
            .map(|d| {
                let origin = if d.path == "site.toml" {
                    Origin::Config
                } else {
                    Origin::Template
                };
                d.with_origin(origin)
            })
            .collect(),
    })?;
    localise_taxonomy_titles(config, &templates.words);
    config.renderer_words = renderer_words(&templates.words);
    Ok(templates.warnings)
}

/// The theme's words for the default callout titles (`callout_tip`, …), and the other words the Markdown renderer writes (anchor labels,
/// footnotes, task boxes, the concept map), in the site's language; plural entries as
/// `key.one`, `key.other`….
fn renderer_words(words: &Words) -> RendererWords {
    let callouts = RendererWords::kinds().into_iter().filter_map(|kind| {
        let word = words.text(&format!("callout_{}", kind.as_str()))?;
        Some((kind.as_str().to_owned(), word.to_owned()))
    });
    let others = RendererWords::WORDS
        .into_iter()
        .filter_map(|key| Some((key.to_owned(), words.text(key)?.to_owned())));
    let plurals = RendererWords::PLURAL_WORDS.into_iter().flat_map(|key| {
        words
            .forms(key)
            .into_iter()
            .map(move |(form, text)| (format!("{key}.{form}"), text))
    });
    RendererWords(callouts.chain(others).chain(plurals).collect())
}

/// A taxonomy without a `title` takes the theme's word for it (`taxonomy_concepts`).
fn localise_taxonomy_titles(config: &mut Config, words: &Words) {
    for t in config.taxonomies.iter_mut().filter(|t| t.title.is_none()) {
        if let Some(title) = words.text(&format!("taxonomy_{}", t.name)) {
            t.title = Some(title.to_owned());
        }
    }
}

/// Loads theme then site templates (the site wins by name) and compiles them.
pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
    let theme = Theme::locate(root, &config.theme).map_err(|d| vec![d])?;
    let (words, warnings) = Words::load(root, &theme, config)?;
    let words = Arc::new(words);
    let mut files: HashMap<String, (String, Arc<str>)> = HashMap::new();
    let mut errors = Vec::new();
    for (name, src) in theme
        .files("templates")
        .into_iter()
        .chain(theme::folder_files(&root.join("templates")))
    {
        let shown = src.shown(root);
        match src.read().map(|b| String::from_utf8(b.into_owned())) {
            Ok(Ok(text)) => {
                files.insert(name, (shown, Arc::from(text)));
            }
            Ok(Err(_)) => errors.push(
                Diagnostic::error(shown, "template is not UTF-8 text")
                    .with_hint("save the file as UTF-8"),
            ),
            Err(e) => errors.push(
                Diagnostic::error(&shown, format!("cannot read template: {e}"))
                    .with_origin(crate::diag::Origin::Template)
                    .with_io(&shown, &e),
            ),
        }
    }
    errors.extend(missing_templates(&theme, &files));
    errors.extend(unknown_keys(&files, &words));
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_helpers(&mut tera, &words);
    let mut sorted: Vec<(&String, &(String, Arc<str>))> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let result = tera.add_raw_templates(
        sorted
            .iter()
            .map(|(name, (_, text))| (name.as_str(), &**text)),
    );
    let templates = Templates {
        tera,
        files,
        theme,
        words,
        warnings,
    };
    match result {
        Ok(()) => Ok(templates),
        Err(e) => Err(vec![templates.diagnostic(&e, None)]),
    }
}

/// The required templates neither the theme nor the site has.
fn missing_templates(
    theme: &Theme,
    files: &HashMap<String, (String, Arc<str>)>,
) -> Vec<Diagnostic> {
    REQUIRED
        .iter()
        .filter(|t| !files.contains_key(**t))
        .map(|t| {
            Diagnostic::error(
                theme.shown_templates(),
                format!("the theme has no `{t}` template"),
            )
            .with_hint(format!("add templates/{t} to the site or the theme"))
        })
        .collect()
}

/// A `t(key="…")` whose key no translation table has, at the template's line and column.
fn unknown_keys(files: &HashMap<String, (String, Arc<str>)>, words: &Words) -> Vec<Diagnostic> {
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let (shown, text) = &files[name];
        for (at, key) in i18n::literal_keys(text) {
            if !words.has(key) {
                out.push(
                    Diagnostic::error(
                        shown.clone(),
                        format!("unknown translation key `{key}` in template `{name}`"),
                    )
                    .at(text, at..at + key.len())
                    .with_hint(words.unknown_hint(key)),
                );
            }
        }
    }
    out
}

fn register_helpers(tera: &mut Tera, words: &Arc<Words>) {
    let w = Arc::clone(words);
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
            let date =
                crate::parse::front_matter::Date::parse(value).map_err(tera::Error::message)?;
            w.format_date(date.0, format).map_err(tera::Error::message)
        },
    );
    let w = Arc::clone(words);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            translate(&w, &kwargs, state)
        },
    );
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| -> String {
        let mut out = String::with_capacity(value.len());
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    });
}

/// `t(key="n_articles", count=3)`: the entry in the site's language with its `{name}`
/// placeholders filled from the other arguments. The text is escaped like any other
/// output and the arguments like variables (so a component's HTML stays HTML).
fn translate(words: &Words, kwargs: &Kwargs, state: &State) -> tera::TeraResult<Value> {
    let key = kwargs.must_get::<&str>("key")?;
    // `form="other"` picks a plural form by name (for scripts that count themselves).
    let text = match kwargs.get::<&str>("form")? {
        Some(form) => words.form(key, form),
        None => words.lookup(key, kwargs.get::<i64>("count")?),
    }
    .map_err(tera::Error::message)?;
    let escape = |s: &str| -> tera::TeraResult<String> {
        if state.autoescaping_enabled() {
            state.escape(s)
        } else {
            Ok(s.to_owned())
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            out.push_str(&escape(&rest[..=open])?);
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        out.push_str(&escape(&rest[..open])?);
        let value = kwargs
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))
            .map(|(_, v)| v)
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "translation `{key}` uses `{{{name}}}`: pass it, as in t(key=\"{key}\", {name}=…)"
                ))
            })?;
        out.push_str(&state.escape_if_needed(value)?);
        rest = &after[name_len + 1..];
    }
    out.push_str(&escape(rest)?);
    Ok(if state.autoescaping_enabled() {
        Value::safe_string(&out)
    } else {
        Value::normal_string(&out)
    })
}

impl Templates {
    /// Some Tera errors (unknown filters, functions, tests) arrive as a message holding an
    /// already rendered report: `error: …\n --> name:line:col`. Recover the location.
    fn prerendered(&self, e: &tera::Error, context: &str) -> Option<Diagnostic> {
        let text = e.to_string();
        let first = text
            .lines()
            .next()?
            .trim_start_matches("error: ")
            .to_owned();
        let loc = text
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("--> "))?;
        let mut parts = loc.rsplitn(3, ':');
        let col: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let (shown, src) = self.files.get(name)?;
        let start = crate::diag::line_start(src, line) + col.saturating_sub(1);
        Some(Diagnostic::error(shown.clone(), format!("{first}{context}"))
            .at(src, start..start + 1)
            .with_hint("see docs/templates.md for the variables, filters and functions templates can use"))
    }

    /// True if a template with that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A Tera error as a located diagnostic; `rendering` names the page being rendered.
    pub fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let context = rendering
            .map(|p| format!(" (while rendering /{p})"))
            .unwrap_or_default();
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        if report.is_none() {
            if let Some(d) = self.prerendered(e, &context) {
                return d;
            }
        }
        let Some(r) = report else {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            return Diagnostic::error("templates", format!("{msg}{context}")).with_hint(
                "check the template names used in extends/include and the theme folder",
            );
        };
        let (shown, text) = self
            .files
            .get(r.filename())
            .map_or((r.filename().to_owned(), None), |(s, t)| {
                (s.clone(), Some(Arc::clone(t)))
            });
        let span = r.span();
        let d = Diagnostic::error(shown, format!("{}{context}", r.message()));
        let d = match text {
            Some(t) => {
                let start = crate::diag::line_start(&t, span.start_line) + span.start_col;
                let end = crate::diag::line_start(&t, span.end_line) + span.end_col;
                d.at(&t, start..end.max(start + 1))
            }
            None => d.at_line(span.start_line, span.start_col + 1),
        };
        d.with_hint("see docs/templates.md for the variables each template receives")
    }
}
