//! Templates: the theme's `templates/` overlaid by the site's `templates/`, compiled once per
//! build into one Tera instance; Tera errors become `file:line:col` diagnostics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Kwargs, State, Tera};

use crate::diag::Diagnostic;

/// Compiled templates and where each came from (for error messages).
pub struct Templates {
    /// The Tera instance.
    pub tera: Tera,
    /// Template name → (path shown to users, source text).
    pub files: HashMap<String, (String, Arc<str>)>,
}

/// Every `*.html`/`*.xml`/`*.txt` under `dir`, as (name relative to dir, path).
fn template_files(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && !crate::load::is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((name, e.into_path()))
        })
        .collect()
}

/// Loads theme then site templates (the site wins by name) and compiles them.
pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme);
    if !theme_dir.is_dir() {
        let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        themes.sort();
        let hint = crate::diag::did_you_mean(theme, themes.iter().map(String::as_str))
            .unwrap_or_else(|| {
                format!(
                    "themes here: {}",
                    if themes.is_empty() {
                        "none".into()
                    } else {
                        themes.join(", ")
                    }
                )
            });
        return Err(vec![
            Diagnostic::error(
                "site.toml",
                format!("theme `{theme}` not found (no folder themes/{theme}/)"),
            )
            .with_hint(hint),
        ]);
    }
    let mut files: HashMap<String, (String, Arc<str>)> = HashMap::new();
    let mut errors = Vec::new();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (name, path) in template_files(&dir) {
            let shown = crate::load::shown_path(&path, root);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    files.insert(name, (shown, Arc::from(text)));
                }
                Err(e) => errors.push(Diagnostic::error(
                    shown,
                    format!("cannot read template: {e}"),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_helpers(&mut tera);
    let mut sorted: Vec<(&String, &(String, Arc<str>))> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let result = tera.add_raw_templates(
        sorted
            .iter()
            .map(|(name, (_, text))| (name.as_str(), &**text)),
    );
    let templates = Templates { tera, files };
    match result {
        Ok(()) => Ok(templates),
        Err(e) => Err(vec![templates.diagnostic(&e, None)]),
    }
}

fn register_helpers(tera: &mut Tera) {
    tera.register_filter(
        "date",
        |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
            let date =
                crate::parse::front_matter::Date::parse(value).map_err(tera::Error::message)?;
            jiff::fmt::strtime::format(format, date.0)
                .map_err(|e| tera::Error::message(format!("bad date format `{format}`: {e}")))
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
