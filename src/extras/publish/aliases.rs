//! Alias redirects: each `aliases:` entry of an article (`/tips/old-name/`) becomes a small
//! page at the old URL that sends readers and crawlers on to the article.
//!
//! The page redirects three ways, so it works on any static host, under a subpath and from
//! `file://`: a script (which also keeps the `#fragment` and adds `index.html` on `file://`,
//! where no server does), a `<meta http-equiv="refresh">` for readers without script, and a
//! visible link. Every URL in it is relative; `<link rel="canonical">` (absolute) tells
//! search engines where the content lives now. Aliases were validated, and checked against
//! every other URL, while the model was built (`site::check_aliases`).

use super::File;
use crate::assemble::alias_path;
use crate::config::RendererWords;
use crate::model::Site;
use crate::render::views::root_prefix;

/// One redirect page per alias.
pub(super) fn pages(site: &Site) -> Vec<File> {
    let mut out = Vec::new();
    // Obsidian's aliases are names, not old URLs (`[front_matter] aliases = "names"`).
    let redirects = site.config.front_matter.aliases == crate::config::AliasMeaning::Redirects;
    for page in &site.pages {
        // Invalid aliases were reported as errors already; a build never gets here with one.
        // Old paths (names binder slugged) were checked against every other URL too.
        let paths = page
            .meta
            .aliases
            .iter()
            .filter(|_| redirects)
            .filter_map(|a| alias_path(a).ok())
            .chain(page.old_paths.iter().cloned());
        for path in paths {
            let (file, dir) = if path.ends_with('/') {
                (format!("{path}index.html"), path.clone())
            } else {
                let dir = path
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| format!("{d}/"));
                (path.clone(), dir)
            };
            let target = format!("{}{}", root_prefix(&dir), page.path);
            let canonical = format!("{}{}", site.config.base_url, page.path);
            out.push(File::new(
                file,
                redirect(
                    (&site.config.language, &site.config.renderer_words),
                    &page.title,
                    &target,
                    &canonical,
                ),
            ));
        }
    }
    out
}

/// The redirect page: `target` is relative to it, `canonical` absolute.
/// `(language, words)` are the site's.
fn redirect(
    (language, words): (&str, &RendererWords),
    title: &str,
    target: &str,
    canonical: &str,
) -> String {
    let words = Some(words);
    let (lang, title, href, canonical) = (
        escape(language),
        escape(title),
        escape(target),
        escape(canonical),
    );
    let link = format!("<a href=\"{href}\">{title}</a>");
    let heading = RendererWords::word(words, "moved_title", "Moved: {title}", &[("title", &title)]);
    let text = RendererWords::word(
        words,
        "moved_text",
        "This page has moved to {link}.",
        &[("link", &link)],
    );
    // serde_json quotes the target as a JS string; `<` cannot occur in a slugged path, so the
    // string cannot close the script element.
    let js = serde_json::to_string(target).unwrap_or_else(|_| "\"./\"".to_owned());
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{heading}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <script>var u = {js}; if (location.protocol === \"file:\") u += \"index.html\"; location.replace(u + location.hash);</script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
         <p>{text}</p>\n</body>\n</html>\n"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths_are_normalised() {
        assert_eq!(
            alias_path("/tips/old-name/"),
            Ok("tips/old-name/".to_owned())
        );
        assert_eq!(alias_path("tips/old-name"), Ok("tips/old-name/".to_owned()));
        assert_eq!(
            alias_path("/2019/01/post.html"),
            Ok("2019/01/post.html".to_owned())
        );
    }

    #[test]
    fn bad_aliases_are_refused() {
        for bad in [
            "/",
            "",
            "https://x.org/a/",
            "//x.org/a",
            "/a/../b/",
            "/a//b/",
            "/a?b",
            "/a#b",
        ] {
            assert!(alias_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_page_is_relative_with_an_absolute_canonical() {
        let html = redirect(
            ("en", &RendererWords::default()),
            "Ask & listen",
            "../../tips/ask/",
            "https://example.org/h/tips/ask/",
        );
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../tips/ask/\">"),
            "{html}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/h/tips/ask/\">"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"../../tips/ask/\">Ask &amp; listen</a>"),
            "{html}"
        );
        assert!(html.contains("var u = \"../../tips/ask/\";"), "{html}");
    }
}
