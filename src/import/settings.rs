//! The settings an import takes over: title, address, language and raw-HTML trust, read
//! from the old tool's own configuration (never run), and the `site.toml` written from them.

use std::path::Path;

use super::{Detected, Generator, html};

pub(super) fn read_settings(from: &Path, generator: Generator) -> Detected {
    let read = |rel: &str| std::fs::read_to_string(from.join(rel)).ok();
    match generator {
        Generator::Hugo => {
            let toml_text = [
                "hugo.toml",
                "config.toml",
                "config/_default/hugo.toml",
                "config/_default/config.toml",
            ]
            .iter()
            .find_map(|f| read(f));
            if let Some(text) = toml_text {
                let t = text.parse::<toml::Table>().unwrap_or_default();
                let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                return Detected {
                    title: get("title"),
                    base_url: get("baseURL").or_else(|| get("baseurl")),
                    language: get("languageCode").or_else(|| get("defaultContentLanguage")),
                    raw_html: html::hugo_unsafe(&text, true),
                };
            }
            let text = [
                "hugo.yaml",
                "hugo.yml",
                "config.yaml",
                "config.yml",
                "config/_default/hugo.yaml",
                "config/_default/config.yaml",
                "config/_default/config.yml",
            ]
            .iter()
            .find_map(|f| read(f))
            .unwrap_or_default();
            Detected {
                title: yaml_line(&text, "title"),
                base_url: yaml_line(&text, "baseURL").or_else(|| yaml_line(&text, "baseurl")),
                language: yaml_line(&text, "languageCode")
                    .or_else(|| yaml_line(&text, "defaultContentLanguage")),
                raw_html: html::hugo_unsafe(&text, false),
            }
        }
        Generator::Zola => {
            let t = zola_config(from).unwrap_or_default();
            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            Detected {
                title: get("title"),
                base_url: get("base_url"),
                language: get("default_language"),
                // Zola's Markdown passes raw HTML through, always.
                raw_html: true,
            }
        }
        Generator::Jekyll => {
            let text = read("_config.yml").unwrap_or_default();
            let url = yaml_line(&text, "url");
            let base = yaml_line(&text, "baseurl").unwrap_or_default();
            Detected {
                title: yaml_line(&text, "title"),
                base_url: url.map(|u| format!("{}{base}", u.trim_end_matches('/'))),
                language: yaml_line(&text, "lang"),
                // Jekyll's kramdown passes raw HTML through.
                raw_html: true,
            }
        }
        Generator::MdBook => {
            let t = read("book.toml")
                .and_then(|t| t.parse::<toml::Table>().ok())
                .unwrap_or_default();
            let book = t.get("book");
            let get = |k: &str| {
                book.and_then(|b| b.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            Detected {
                title: get("title"),
                base_url: None,
                language: get("language"),
                // mdBook's Markdown passes raw HTML through, always.
                raw_html: true,
            }
        }
        Generator::Docusaurus => {
            let text = read("docusaurus.config.js")
                .or_else(|| read("docusaurus.config.ts"))
                .unwrap_or_default();
            let url = js_string(&text, "url");
            let base = js_string(&text, "baseUrl").unwrap_or_default();
            Detected {
                title: js_string(&text, "title"),
                base_url: url.map(|u| format!("{}{base}", u.trim_end_matches('/'))),
                language: None,

                raw_html: false,
            }
        }
        Generator::Obsidian | Generator::Plain => Detected {
            title: read("README.md")
                .as_deref()
                .and_then(readme_title)
                .or_else(|| {
                    from.canonicalize().ok().and_then(|p| {
                        p.file_name()
                            .map(|n| crate::config::capitalise(&n.to_string_lossy()))
                    })
                }),
            ..Detected::default()
        },
    }
}

/// Zola's config (`zola.toml`, else a `config.toml` with Zola's `base_url` key, which Hugo
/// spells `baseURL`), parsed.
pub(super) fn zola_config(from: &Path) -> Option<toml::Table> {
    ["zola.toml", "config.toml"].iter().find_map(|f| {
        let t = std::fs::read_to_string(from.join(f))
            .ok()?
            .parse::<toml::Table>()
            .ok()?;
        (*f == "zola.toml" || t.get("base_url").is_some_and(toml::Value::is_str)).then_some(t)
    })
}

/// The title a repository gives itself in its README's first `# Heading`, without the
/// badges (inline HTML) and the leading emoji such headings often carry. A plain
/// repository has no config with a title, and its folder name is often a short clone name.
pub(super) fn readme_title(readme: &str) -> Option<String> {
    let line = readme.lines().find_map(|l| l.strip_prefix("# "))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['#', ' '])
        .trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A top-level `key: value` of a simple YAML file (Jekyll's `_config.yml`).
pub(super) fn yaml_line(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        let v = v.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_owned())
    })
}

/// The first `key: 'value'` of a JavaScript config (`title: 'Docs'`), without running it.
pub(super) fn js_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix(':')?
            .trim();
        let quote = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let inner = &v[1..];
        Some(inner[..inner.find(quote)?].to_owned())
    })
}

pub(super) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

pub(super) fn site_toml(d: &Detected, generator: Generator) -> String {
    let mut base = d
        .base_url
        .clone()
        .unwrap_or_else(|| "https://example.org/".into());
    if !base.ends_with('/') {
        base.push('/');
    }
    format!(
        "# Written by `binder import`; the README lists every key.\ntitle = {}\nbase_url = {}\nlanguage = {}\ntheme = \"default\"\n\n[urls]\n# Keep file and folder names in URLs as the old site had them: no link breaks.\nkeep_names = true\n\n[links]\n# Broken links are reported, not fatal; set \"error\" once they are fixed.\nbroken = \"warn\"\n\n[health]\n# `binder check` agrees: broken links are warnings there too until [links] says \"error\".\nbroken_links = \"warn\"\n\n[front_matter]\n# Keys of the old tool and of your own scripts are kept in page.extra, one warning per key.\nunknown_keys = \"warn\"\n{}{}",
        toml_str(d.title.as_deref().unwrap_or("Handbook")),
        toml_str(&base),
        toml_str(d.language.as_deref().unwrap_or("en")),
        if generator == Generator::Obsidian {
            "# Obsidian's aliases are other names of a note for [[wikilinks]], not old URLs.\naliases = \"names\"\n"
        } else {
            ""
        },
        markdown_section(d.raw_html, generator),
    )
}

/// `[markdown]` of an imported site: raw HTML as the old site had it, and wikilinks only
/// where the old tool had them (elsewhere `[[x]]` is text: a TOML table name, a shell test).
pub(super) fn markdown_section(raw_html: bool, generator: Generator) -> String {
    let mut lines = Vec::new();
    if raw_html {
        lines.push("# The old site passed raw HTML in pages through; so does this one.\nraw_html = \"allow\"");
    }
    if generator != Generator::Obsidian {
        lines.push(
            "# The old tool had no [[wikilinks]]: `[[x]]` in its pages is text.\nwikilinks = false",
        );
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("\n[markdown]\n{}\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_js_and_yaml_without_running_them() {
        let js = "module.exports = {\n  title: 'Team docs',\n  url: \"https://docs.example.org\",\n  baseUrl: '/handbook/',\n};\n";
        assert_eq!(js_string(js, "title").as_deref(), Some("Team docs"));
        assert_eq!(js_string(js, "baseUrl").as_deref(), Some("/handbook/"));
        let yml = "title: \"Our handbook\" # comment\nurl: https://x.org\nbaseurl: /hb\n";
        assert_eq!(yaml_line(yml, "title").as_deref(), Some("Our handbook"));
        assert_eq!(yaml_line(yml, "baseurl").as_deref(), Some("/hb"));
    }

    #[test]
    fn a_readme_heading_names_a_plain_repository() {
        let readme = "Intro line\n# 📘 Team handbook <a href=\"x\"><img alt=\"Status\" src=\"y\"></a>\n## Two\n";
        assert_eq!(readme_title(readme).as_deref(), Some("Team handbook"));
        assert_eq!(readme_title("# Ops #\n").as_deref(), Some("Ops"));
        assert_eq!(readme_title("# <img src=\"logo\">\n"), None);
        assert_eq!(readme_title("No heading\n"), None);
    }
}
