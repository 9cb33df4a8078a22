//! `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.
//!
//! The sitemap lists every article, section, taxonomy list and term page by absolute URL,
//! with `lastmod` from the newest `updated`/`date` it shows (omitted when nothing is dated:
//! a made-up date would mislead crawlers). Pagination pages are left out, as Hugo does: they
//! hold nothing a crawler cannot reach from the first page. Past the protocol's 50,000 URLs
//! per file the list is split and `sitemap.xml` becomes a sitemap index.
//!
//! `robots.txt` allows everything and names the sitemap; a site that ships its own
//! `static/robots.txt` (or a theme that does) keeps it.

use std::fmt::Write as _;

use super::{File, hidden_sections, last_modified, newest, section_pages, xml_escape};
use crate::model::Site;
use crate::parse::front_matter::Date;

/// URLs per sitemap file (the protocol's limit).
const MAX_URLS: usize = 50_000;

/// One `<url>`: path below the site root and its last modification.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Url {
    path: String,
    lastmod: Option<Date>,
}

/// `sitemap.xml` (plus its parts on a huge site) and `robots.txt`.
pub(super) fn files(site: &Site) -> Vec<File> {
    let mut out = sitemaps(&site.config.base_url, urls(site));
    let has_own_robots = crate::render::static_files(&site.root, &site.config.theme)
        .iter()
        .any(|(rel, _)| rel == "robots.txt");
    if !has_own_robots {
        out.push(File::new("robots.txt", robots(&site.config.base_url)));
    }
    out
}

fn robots(base: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n")
}

/// Every listed URL, sorted by path.
fn urls(site: &Site) -> Vec<Url> {
    let hidden = hidden_sections(site);
    let mut urls: Vec<Url> = section_pages(site)
        .into_iter_enumerated()
        .filter(|(s, _)| !hidden[*s])
        .map(|(s, pages)| Url {
            path: site.sections[s].path.clone(),
            lastmod: newest(site, pages),
        })
        .collect();
    urls.extend(site.pages.keys().map(|id| Url {
        path: site.pages[id].path.clone(),
        lastmod: last_modified(site, id),
    }));
    for tax in &site.taxonomies {
        let tagged = tax.terms.iter().flat_map(|t| t.pages.iter().copied());
        urls.push(Url {
            path: tax.path.clone(),
            lastmod: newest(site, tagged),
        });
        for term in &tax.terms {
            urls.push(Url {
                path: term.path.clone(),
                lastmod: newest(site, term.pages.iter().copied()),
            });
        }
    }
    urls.sort();
    urls
}

/// `sitemap.xml`, or on a huge site an index plus `sitemap-1.xml`, `sitemap-2.xml`, ….
fn sitemaps(base: &str, urls: Vec<Url>) -> Vec<File> {
    if urls.len() <= MAX_URLS {
        return vec![File::new("sitemap.xml", urlset(base, &urls))];
    }
    let parts: Vec<&[Url]> = urls.chunks(MAX_URLS).collect();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut out = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str("  <sitemap>\n");
        let _ = writeln!(
            index,
            "    <loc>{}</loc>",
            xml_escape(&format!("{base}{name}"))
        );
        if let Some(d) = part.iter().filter_map(|u| u.lastmod).max() {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", d.rfc3339());
        }
        index.push_str("  </sitemap>\n");
        out.push(File::new(name, urlset(base, part)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, File::new("sitemap.xml", index));
    out
}

fn urlset(base: &str, urls: &[Url]) -> String {
    let mut x = String::with_capacity(urls.len() * 120 + 200);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        x.push_str("  <url>\n");
        let _ = writeln!(
            x,
            "    <loc>{}</loc>",
            xml_escape(&format!("{base}{}", u.path))
        );
        if let Some(d) = u.lastmod {
            let _ = writeln!(x, "    <lastmod>{}</lastmod>", d.rfc3339());
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> Url {
        Url {
            path: path.into(),
            lastmod: Date::parse("2026-03-04").ok(),
        }
    }

    #[test]
    fn urls_are_absolute_and_escaped() {
        let x = urlset("https://example.org/h/", &[url("a&b/")]);
        assert!(
            x.contains("<loc>https://example.org/h/a&amp;b/</loc>"),
            "{x}"
        );
        assert!(x.contains("<lastmod>2026-03-04T00:00:00Z</lastmod>"), "{x}");
    }

    #[test]
    fn huge_sites_get_a_sitemap_index() {
        let urls: Vec<Url> = (0..MAX_URLS + 1).map(|i| url(&format!("p{i}/"))).collect();
        let files = sitemaps("https://example.org/", urls);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8_lossy(&files[0].bytes);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://example.org/sitemap-2.xml</loc>"),
            "{index}"
        );
    }

    #[test]
    fn robots_names_the_absolute_sitemap() {
        assert_eq!(
            robots("https://example.org/h/"),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/h/sitemap.xml\n"
        );
    }
}
