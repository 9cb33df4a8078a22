//! Atom feeds (RFC 4287): one for the whole site (`atom.xml`), one per section
//! (`tips/atom.xml`, covering its subsections too) and one per taxonomy term
//! (`concepts/trust/atom.xml`) when the taxonomy has `feed = true`.
//!
//! Entries are the newest dated articles (articles without a `date` have no place on a
//! timeline and are left out), newest first, at most `[feeds] limit`. Every URL is absolute,
//! built from `base_url`, and each entry carries `xml:base` so the fragment links left in a
//! body resolve against the article. A feed's `updated` is its newest entry's date, never the
//! build time, so rebuilding unchanged content changes no feed.

/// Categories per feed entry and taxonomy (see `render::views::LIST_TERMS`).
const FEED_CATEGORIES: usize = 20;

use std::fmt::Write as _;

use rayon::prelude::*;

use super::{File, hidden_sections, last_modified, newest, section_pages, xml_escape};
use crate::config::{FeedContent, RendererWords};
use crate::model::{PageId, ROOT_MARK, Site};
use crate::parse::front_matter::Date;
use crate::render::Bodies;

/// The file name of every feed, next to the listing it follows.
const FEED_FILE: &str = "atom.xml";

/// One feed to write.
struct Feed {
    /// Output path of the listing it follows (`tips/`, `""` for the site).
    listing: String,
    /// `<title>`.
    title: String,
    /// `<subtitle>` (may be empty).
    subtitle: String,
    /// Candidate pages, any order.
    pages: Vec<PageId>,
}

/// Every feed of the site.
pub(super) fn feeds(site: &Site, bodies: &Bodies) -> Vec<File> {
    let mut out: Vec<Feed> = vec![Feed {
        listing: String::new(),
        title: site.config.title.clone(),
        subtitle: site.config.description.clone(),
        pages: site.pages.keys().collect(),
    }];
    let words = |key: &str, english: &str, args: &[(&str, &str)]| {
        RendererWords::word(Some(&site.config.renderer_words), key, english, args)
    };
    let subtree = section_pages(site);
    let hidden = hidden_sections(site);
    for (s, sec) in site
        .sections
        .iter_enumerated()
        .skip(1)
        .filter(|(s, _)| !hidden[*s])
    {
        out.push(Feed {
            listing: sec.path.clone(),
            title: words(
                "feed_title_section",
                "{section} · {site}",
                &[("section", &sec.title), ("site", &site.config.title)],
            ),
            subtitle: sec.meta.description.clone().unwrap_or_default(),
            pages: subtree[s].clone(),
        });
    }
    for tax in site.taxonomies.iter().filter(|t| t.feed) {
        for term in &tax.terms {
            out.push(Feed {
                listing: term.path.clone(),
                title: words(
                    "feed_title_term",
                    "{taxonomy}: {term} · {site}",
                    &[
                        ("taxonomy", &tax.title),
                        ("term", &term.name),
                        ("site", &site.config.title),
                    ],
                ),
                subtitle: String::new(),
                pages: term.pages.clone(),
            });
        }
    }
    let fallback = newest(site, site.pages.keys());
    // A feed per term adds up on a big site; each renders on its own.
    out.par_iter()
        .map(|feed| {
            let path = format!("{}{FEED_FILE}", feed.listing);
            File::new(path, render(site, bodies, feed, fallback))
        })
        .collect()
}

/// The dated pages of `pages`, newest first (ties by path), cut to the configured limit
/// (`0` keeps them all).
fn entries(site: &Site, pages: &[PageId]) -> Vec<PageId> {
    let mut dated: Vec<PageId> = pages
        .iter()
        .copied()
        .filter(|&p| site.pages[p].date().is_some())
        .collect();
    dated.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date()
            .cmp(&pa.date())
            .then_with(|| pa.path.cmp(&pb.path))
    });
    let limit = site.config.feeds.limit;
    if limit > 0 {
        dated.truncate(limit);
    }
    dated
}

/// The Unix epoch: `updated` of a feed in a site with no dated article at all (Atom requires
/// the element, and any build-time clock would break reproducible output).
const EPOCH: &str = "1970-01-01T00:00:00Z";

fn render(site: &Site, bodies: &Bodies, feed: &Feed, fallback: Option<Date>) -> String {
    let base = &site.config.base_url;
    let entries = entries(site, &feed.pages);
    let updated = newest(site, entries.iter().copied())
        .or(fallback)
        .map_or_else(|| EPOCH.to_owned(), |d| d.rfc3339());
    let self_url = format!("{base}{}{FEED_FILE}", feed.listing);
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&site.config.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", xml_escape(&feed.title));
    if !feed.subtitle.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml_escape(&feed.subtitle));
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&self_url)
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&format!("{base}{}", feed.listing))
    );
    let _ = writeln!(x, "  <id>{}</id>", xml_escape(&self_url));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    // A feed-level author makes every entry valid, including articles without `authors`.
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        xml_escape(&site.config.title)
    );
    let _ = writeln!(
        x,
        "  <generator version=\"{}\">binder</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for &id in &entries {
        entry(&mut x, site, bodies, id);
    }
    x.push_str("</feed>\n");
    x
}

fn entry(x: &mut String, site: &Site, bodies: &Bodies, id: PageId) {
    let base = &site.config.base_url;
    let page = &site.pages[id];
    let permalink = xml_escape(&format!("{base}{}", page.path));
    let published = page.date().map(|d| d.rfc3339()).unwrap_or_default();
    let updated = last_modified(site, id)
        .map(|d| d.rfc3339())
        .unwrap_or_default();
    let _ = writeln!(x, "  <entry xml:base=\"{permalink}\">");
    let _ = writeln!(
        x,
        "    <title type=\"text\">{}</title>",
        xml_escape(&page.title)
    );
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{permalink}\"/>"
    );
    let _ = writeln!(x, "    <id>{permalink}</id>");
    let _ = writeln!(x, "    <published>{published}</published>");
    let _ = writeln!(x, "    <updated>{updated}</updated>");
    for name in page.meta.terms_of("authors") {
        let _ = writeln!(
            x,
            "    <author><name>{}</name></author>",
            xml_escape(name.trim())
        );
    }
    for tax in site.taxonomies.iter().filter(|t| t.name != "authors") {
        // Bounded like list entries: a page is an entry in every one of its terms' feeds.
        for &i in tax.page_terms[id].iter().take(FEED_CATEGORIES) {
            let term = &tax.terms[i];
            let scheme = xml_escape(&format!("{base}{}", tax.path));
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\" scheme=\"{scheme}\"/>",
                xml_escape(&term.slug),
                xml_escape(&term.name)
            );
        }
    }
    if let Some(kind) = crate::kinds::kind_of(site, id) {
        let _ = writeln!(
            x,
            "    <category term=\"{}\" label=\"{}\" scheme=\"{}#kind\"/>",
            xml_escape(kind.name),
            xml_escape(&kind.title),
            xml_escape(base)
        );
    }
    let body = &bodies.pages[id];
    let description = page.meta.description.as_deref().unwrap_or("");
    match site.config.feeds.content {
        FeedContent::Full => {
            if !description.is_empty() {
                let _ = writeln!(
                    x,
                    "    <summary type=\"text\">{}</summary>",
                    xml_escape(description)
                );
            }
            let html = crate::render::embeds::splice(site, bodies, &body.html, &page.path)
                .replace(ROOT_MARK, base);
            let _ = writeln!(
                x,
                "    <content type=\"html\">{}</content>",
                xml_escape(&html)
            );
        }
        FeedContent::Summary if !body.summary_html.trim().is_empty() => {
            let html = body.summary_html.replace(ROOT_MARK, base);
            let _ = writeln!(
                x,
                "    <summary type=\"html\">{}</summary>",
                xml_escape(&html)
            );
        }
        FeedContent::Summary if !description.is_empty() => {
            let _ = writeln!(
                x,
                "    <summary type=\"text\">{}</summary>",
                xml_escape(description)
            );
        }
        // Nothing to summarise: the alternate link alone makes a valid entry.
        FeedContent::Summary => {}
    }
    x.push_str("  </entry>\n");
}
