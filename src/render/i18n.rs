//! Translations: the theme's own words and date formats in the site's `language`.
//!
//! In: the theme's `i18n/<lang>.toml` tables (the built-in default theme's when a theme has
//! none), the site's `i18n/<lang>.toml` (as in Hugo) and `[translations.<lang>]` of
//! `site.toml`. Out: one merged table, [`Words`], behind the templates' `t(key=…)` function
//! and their `date` filter. English is the base every other language falls back to key by
//! key, so a theme is complete as soon as its English table is; a language nobody has a
//! table for is English with one warning.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::theme::{self, FileSource, Theme};
use crate::config::Config;
use crate::diag::{Diagnostic, did_you_mean};

pub use crate::config::{WordEntry as Entry, WordTable as Table};

/// Keys holding lists, and how long each must be.
const LISTS: &[(&str, usize)] = &[
    ("months", 12),
    ("months_short", 12),
    ("weekdays", 7),
    ("weekdays_short", 7),
];

/// The merged table of the site's language.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// The site's `language` as configured.
    pub language: String,
    table: Table,
}

/// Tables by lower-case language code, with the file each came from.
type Tables = BTreeMap<String, Vec<(String, Table)>>;

impl Words {
    /// Loads and merges the tables for `config.language`. Returns the words and warnings
    /// (a language without a table), or every error (an unreadable or malformed table).
    pub fn load(
        root: &Path,
        theme: &Theme,
        config: &Config,
    ) -> Result<(Words, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut tables = Tables::new();
        let theme_files = match theme.files("i18n") {
            files if files.is_empty() => theme::builtin_files("i18n"),
            files => files,
        };
        for (rel, src) in theme_files
            .into_iter()
            .chain(theme::folder_files(&root.join("i18n")))
        {
            match read_table(&rel, &src, root) {
                Some(Ok((code, table, text))) => {
                    let shown = src.shown(root);
                    errors.extend(check_lists(&table, &shown, &code, Some((&text, 0))));
                    tables.entry(code).or_default().push((shown, table));
                }
                Some(Err(d)) => errors.push(d),
                None => {}
            }
        }
        // The site's own table is located in site.toml, read again only when it is wrong.
        let site_toml = std::sync::OnceLock::new();
        for (code, table) in &config.translations {
            let code = code.to_lowercase();
            if !check_lists(table, "site.toml", &code, None).is_empty() {
                let text: &Arc<str> = site_toml.get_or_init(|| {
                    Arc::from(std::fs::read_to_string(root.join("site.toml")).unwrap_or_default())
                });
                let header = format!("[translations.{code}]");
                let from = text.find(&header).unwrap_or(0);
                errors.extend(check_lists(table, "site.toml", &code, Some((text, from))));
            }
            tables
                .entry(code)
                .or_default()
                .push(("site.toml".into(), table.clone()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self::merge(&config.language, &tables))
    }

    /// English, then the language's primary subtag (`pt`), then the full code (`pt-br`).
    fn merge(language: &str, tables: &Tables) -> (Words, Vec<Diagnostic>) {
        let code = language.to_lowercase().replace('_', "-");
        let primary = code.split('-').next().unwrap_or_default().to_owned();
        let mut order = vec!["en".to_owned()];
        for c in [&primary, &code] {
            if !order.contains(c) {
                order.push(c.clone());
            }
        }
        let mut table = Table::new();
        for c in &order {
            for (_, t) in tables.get(c).into_iter().flatten() {
                table.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        let mut warnings = Vec::new();
        if primary != "en" && !tables.contains_key(&primary) && !tables.contains_key(&code) {
            let known: Vec<&str> = tables.keys().map(String::as_str).collect();
            warnings.push(
                Diagnostic::warning(
                    "site.toml",
                    format!(
                        "no translations for language `{language}`: the theme's words and dates are in English"
                    ),
                )
                .with_hint(format!(
                    "languages with a table: {}; add i18n/{code}.toml or [translations.{code}] to the site (see docs/templates.md)",
                    known.join(", ")
                )),
            );
        }
        (
            Words {
                language: language.to_owned(),
                table,
            },
            warnings,
        )
    }

    /// The built-in default theme's words for `language` (English where it has none).
    pub fn builtin(language: &str) -> Words {
        let mut tables = Tables::new();
        for (rel, src) in theme::builtin_files("i18n") {
            if let Some(Ok((code, table, _))) = read_table(&rel, &src, Path::new("")) {
                tables.entry(code).or_default().push((rel, table));
            }
        }
        Self::merge(language, &tables).0
    }

    /// True if `key` has an entry.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// The plain text of `key` (no placeholders filled), if it is a text entry.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.table.get(key)? {
            Entry::Text(t) => Some(t),
            _ => None,
        }
    }

    /// `key`'s text, the plural form for `count` if it has several.
    pub fn lookup(&self, key: &str, count: Option<i64>) -> Result<&str, String> {
        match self.table.get(key) {
            Some(Entry::Text(t)) => Ok(t),
            Some(Entry::Plural(forms)) => {
                let category = plural_category(&self.language, count.unwrap_or(0));
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .map(String::as_str)
                    .ok_or_else(|| format!("translation `{key}` has no `other` form"))
            }
            Some(Entry::List(_)) => Err(format!(
                "translation `{key}` is a list (month or weekday names), not text"
            )),
            None => Err(self.unknown(key)),
        }
    }

    /// `key`'s plural form named `form` (`one`, `other`…), or its text if it has one form.
    pub fn form(&self, key: &str, form: &str) -> Result<&str, String> {
        match self.table.get(key) {
            Some(Entry::Plural(forms)) => forms
                .get(form)
                .or_else(|| forms.get("other"))
                .map(String::as_str)
                .ok_or_else(|| format!("translation `{key}` has no `{form}` form")),
            _ => self.lookup(key, None),
        }
    }

    /// Every form of `key` as (form, text): one `("other", text)` for a text entry, none
    /// for a list or a missing key.
    pub fn forms(&self, key: &str) -> Vec<(String, String)> {
        match self.table.get(key) {
            Some(Entry::Text(t)) => vec![("other".to_owned(), t.clone())],
            Some(Entry::Plural(forms)) => forms
                .iter()
                .map(|(form, text)| (form.clone(), text.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The error for a key no table has.
    pub fn unknown(&self, key: &str) -> String {
        format!(
            "unknown translation key `{key}` ({})",
            self.unknown_hint(key)
        )
    }

    /// How to fix a reference to `key`, which no table has.
    pub fn unknown_hint(&self, key: &str) -> String {
        did_you_mean(key, self.table.keys().map(String::as_str)).unwrap_or_else(|| {
            format!(
                "add `{key} = \"…\"` to the site's i18n/en.toml or to [translations.en] in site.toml (see docs/templates.md)"
            )
        })
    }

    /// Keys of the merged table (for tests and hints).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.table.keys().map(String::as_str)
    }

    fn list(&self, key: &str, index: usize) -> Option<&str> {
        match self.table.get(key)? {
            Entry::List(items) => items.get(index).map(String::as_str),
            _ => None,
        }
    }

    /// Formats `date` with a strftime `format` whose month and weekday names (`%B %b %h %A
    /// %a`) are this language's; `long` and `short` name the language's own formats.
    pub fn format_date(&self, date: jiff::civil::DateTime, format: &str) -> Result<String, String> {
        let format = match format {
            "long" => self.text("date_long").unwrap_or("%B %-d, %Y"),
            "short" => self.text("date_short").unwrap_or("%Y-%m-%d"),
            other => other,
        };
        let month = usize::try_from(date.month() - 1).unwrap_or(0);
        let weekday = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
        let mut spec = String::with_capacity(format.len());
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                spec.push(c);
                continue;
            }
            let Some(next) = chars.next() else {
                spec.push('%');
                break;
            };
            let name = match next {
                'B' => self.list("months", month),
                'b' | 'h' => self.list("months_short", month),
                'A' => self.list("weekdays", weekday),
                'a' => self.list("weekdays_short", weekday),
                _ => None,
            };
            match name {
                Some(name) => spec.push_str(&name.replace('%', "%%")),
                None => {
                    spec.push('%');
                    spec.push(next);
                }
            }
        }
        jiff::fmt::strtime::format(&spec, date)
            .map_err(|e| format!("bad date format `{format}`: {e}"))
    }
}

/// CLDR's plural category of `n` for the cardinal numbers of `language` (the languages the
/// default theme ships, and the common rule for the rest).
pub fn plural_category(language: &str, n: i64) -> &'static str {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    match primary.as_str() {
        "ja" | "zh" | "ko" | "th" | "vi" | "id" | "ms" => "other",
        "fr" | "pt" if n == 0 || n == 1 => "one",
        "fr" | "pt" => "other",
        _ if n == 1 => "one",
        _ => "other",
    }
}

/// A read translation file: its language code, table and text.
type ReadTable = (String, Table, Arc<str>);

/// Reads `xx.toml` into (language code, table, text); `None` for files that are not tables.
fn read_table(rel: &str, src: &FileSource, root: &Path) -> Option<Result<ReadTable, Diagnostic>> {
    let code = rel.strip_suffix(".toml")?;
    if code.contains('/') {
        return None;
    }
    let shown = src.shown(root);
    let text = match src.read() {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return Some(Err(Diagnostic::error(
                shown,
                format!("cannot read translations: {e}"),
            )));
        }
    };
    let src: Arc<str> = Arc::from(text.as_str());
    Some(
        toml::from_str::<Table>(&text)
            .map(|t| (code.to_lowercase(), t, Arc::clone(&src)))
            .map_err(|e| {
                // serde's "untagged enum WordEntry" names a Rust type; the hint says the rest.
                let message = match e.message().trim() {
                    m if m.contains("untagged enum") => "this value is not a translation",
                    m => m,
                };
                Diagnostic::error(shown, format!("bad translation table: {message}"))
                    .at(&src, e.span().unwrap_or(0..0))
                    .with_hint(
                        "each key is `key = \"text\"`, `key = { one = \"…\", other = \"…\" }` or, for months and weekdays, a list",
                    )
            }),
    )
}

/// Month and weekday lists must have 12 and 7 names. `source` is the table's text and the
/// offset its keys start at (a `[translations.xx]` header), to locate each error.
fn check_lists(
    table: &Table,
    shown: &str,
    code: &str,
    source: Option<(&Arc<str>, usize)>,
) -> Vec<Diagnostic> {
    let located = |d: Diagnostic, key: &str| match source {
        Some((text, from)) => match key_span(text, from, key) {
            Some(span) => d.at(text, span),
            None => d,
        },
        None => d,
    };
    let mut out = Vec::new();
    for &(key, len) in LISTS {
        let has = match table.get(key) {
            None => continue,
            Some(Entry::List(items)) if items.len() == len => continue,
            Some(Entry::List(items)) => format!("it has {}", items.len()),
            Some(_) => "it is not a list".to_owned(),
        };
        let d = Diagnostic::error(
            shown,
            format!(
                "translation `{key}` of language `{code}` must be a list of {len} names; {has}"
            ),
        )
        .with_hint("months run January to December, weekdays Monday to Sunday");
        out.push(located(d, key));
    }
    for (key, entry) in table {
        if matches!(entry, Entry::List(_)) && !LISTS.iter().any(|(k, _)| k == key) {
            let d = Diagnostic::error(
                shown,
                format!("translation `{key}` of language `{code}` is a list"),
            )
            .with_hint(format!(
                "only months, months_short, weekdays and weekdays_short are lists; write text: `{key} = \"…\"`"
            ));
            out.push(located(d, key));
        }
    }
    out
}

/// The span of `key` where a line at or after byte `from` of a TOML text assigns it.
fn key_span(text: &str, from: usize, key: &str) -> Option<std::ops::Range<usize>> {
    let mut at = from.min(text.len());
    for line in text.get(at..)?.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let bare = rest.strip_prefix(key).map(str::trim_start);
        let quoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix('"'))
            .map(str::trim_start);
        if bare.or(quoted).is_some_and(|r| r.starts_with('=')) {
            let start = at + indent + usize::from(rest.starts_with('"'));
            return Some(start..start + key.len());
        }
        at += line.len();
    }
    None
}

/// Every `t(key="…")` with a literal key in a template's source: (byte offset of the key, key).
pub fn literal_keys(src: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(i) = src[from..].find("t(").map(|i| from + i) {
        from = i + 2;
        let standalone = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b'.'));
        if !standalone {
            continue;
        }
        let rest = src[i + 2..].trim_start();
        let Some(rest) = rest.strip_prefix("key") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let start = src.len() - rest.len() + 1;
        let Some(len) = src[start..].find(quote) else {
            continue;
        };
        // Only a key that is the whole argument: `"a" ~ x` or `"a" if c else "b"` are
        // computed, and checked when the page renders.
        let after = src[start + len + 1..].trim_start();
        if after.starts_with(',') || after.starts_with(')') {
            out.push((start, &src[start..start + len]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> jiff::civil::DateTime {
        crate::parse::front_matter::Date::parse(s).expect("date").0
    }

    #[test]
    fn every_builtin_language_has_every_english_key() {
        let en = Words::builtin("en");
        let theme_en = theme::builtin_files("i18n")
            .into_iter()
            .find(|(r, _)| r == "en.toml")
            .expect("en.toml");
        assert!(en.has("skip_to_content"));
        for lang in ["de", "fr", "es", "ja"] {
            let (_, src) = theme::builtin_files("i18n")
                .into_iter()
                .find(|(r, _)| *r == format!("{lang}.toml"))
                .unwrap_or_else(|| panic!("{lang}.toml"));
            let (_, own, _) = read_table(&format!("{lang}.toml"), &src, Path::new(""))
                .expect("a table")
                .expect("valid");
            let (_, english, _) = read_table("en.toml", &theme_en.1, Path::new(""))
                .expect("a table")
                .expect("valid");
            let missing: Vec<&String> = english.keys().filter(|k| !own.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            let extra: Vec<&String> = own.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let d = date("2026-03-04");
        let cases = [
            ("en", "March 4, 2026"),
            ("de", "4. März 2026"),
            ("fr", "4 mars 2026"),
            ("es", "4 de marzo de 2026"),
            ("ja", "2026年3月4日"),
        ];
        for (lang, want) in cases {
            let words = Words::builtin(lang);
            assert_eq!(
                words.format_date(d, "long").expect("format"),
                want,
                "{lang}"
            );
        }
        let de = Words::builtin("de");
        assert_eq!(
            de.format_date(d, "%A, %-d. %b %Y %%B").expect("format"),
            "Mittwoch, 4. März 2026 %B"
        );
        assert_eq!(de.format_date(d, "%Y-%m-%d").expect("format"), "2026-03-04");
    }

    #[test]
    fn plural_forms_per_language() {
        assert_eq!(plural_category("en", 1), "one");
        assert_eq!(plural_category("en", 0), "other");
        assert_eq!(plural_category("fr", 0), "one");
        assert_eq!(plural_category("de-CH", 2), "other");
        assert_eq!(plural_category("ja", 1), "other");
        let en = Words::builtin("en");
        assert_eq!(en.lookup("n_articles", Some(1)), Ok("{count} article"));
        assert_eq!(en.lookup("n_articles", Some(3)), Ok("{count} articles"));
    }

    #[test]
    fn region_codes_fall_back_to_the_language_then_english() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("i18n")).expect("mkdir");
        std::fs::write(dir.path().join("i18n/de-ch.toml"), "home = \"Hei\"\n").expect("write");
        let mut config = Config::parse(
            "title = \"t\"\nbase_url = \"https://x.org/\"\nlanguage = \"de-CH\"\n[translations.de]\nsearch = \"Finden\"\n",
            "site.toml",
        )
        .expect("config");
        let (words, warnings) = Words::load(dir.path(), &Theme::Builtin, &config).expect("load");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(words.text("home"), Some("Hei"));
        assert_eq!(words.text("search"), Some("Finden"));
        assert_eq!(words.text("skip_to_content"), Some("Zum Inhalt springen"));
        config.language = "xx".into();
        let (words, warnings) = Words::load(dir.path(), &Theme::Builtin, &config).expect("load");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("no translations for language `xx`")
        );
        assert_eq!(words.text("home"), Some("Home"));
    }

    #[test]
    fn malformed_tables_are_located_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("i18n")).expect("mkdir");
        std::fs::write(
            dir.path().join("i18n/en.toml"),
            "home = \"Home\"\nmonths = [\"Jan\"]\nx = 3\n",
        )
        .expect("write");
        let config = Config::parse(
            "title = \"t\"\nbase_url = \"https://x.org/\"\n",
            "site.toml",
        )
        .expect("config");
        let errors = Words::load(dir.path(), &Theme::Builtin, &config).expect_err("bad");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, "i18n/en.toml");
        assert_eq!(errors[0].line, 3);
        std::fs::write(dir.path().join("i18n/en.toml"), "months = [\"Jan\"]\n").expect("write");
        let errors = Words::load(dir.path(), &Theme::Builtin, &config).expect_err("bad");
        assert!(errors[0].message.contains("list of 12 names"), "{errors:?}");
    }

    #[test]
    fn literal_keys_are_found_with_their_offsets() {
        let src = "{{ t(key=\"home\") }} {{ t( key = 'n_articles', count=2) }} {{ not(key=\"x\") }} {{ at(key=\"y\") }} {{ t(key=\"a\" ~ b) }} {{ t(key=\"c\" if d else \"e\") }}";
        let keys = literal_keys(src);
        assert_eq!(
            keys.iter().map(|(_, k)| *k).collect::<Vec<_>>(),
            ["home", "n_articles"]
        );
        assert_eq!(&src[keys[0].0..keys[0].0 + 4], "home");
    }
}
