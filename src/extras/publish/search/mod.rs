//! Client-side search: the site's articles in; a sharded full-text index out, as small
//! JavaScript files under `search/` that `search.js` (in the theme) loads on demand.
//!
//! Why script files and not JSON: a page opened from `file://` may not `fetch` anything, but
//! it may add `<script src>` elements, so every file is `binderSearchData(name, data);`.
//!
//! Why sharded: a phone should not download the whole index to look up one word.
//! - `search/index.js`: what every search needs: article count, stop words, the section and
//!   concept filters (each a list of article ids) and the first word of every shard.
//! - `search/t<N>.js`: shard N of the word → postings table (see [`encode`]), ~32 KB each;
//!   a query loads the one or two shards its words fall in.
//! - `search/d/<id>.js`: one article's title, path and plain text split at its headings,
//!   loaded only for the results on screen, to cut the snippet and link the heading.
//!
//! Every name but `index.js` is loaded with `?v=<hash of the index>`, so a browser never
//! mixes shards of two builds.

mod encode;
mod index;
mod tokens;

use rayon::prelude::*;
use serde::Serialize;

use super::File;
use crate::diag::Diagnostic;
use crate::model::{PageId, SectionId, Site, TiVec};
use crate::parse::markdown::{TextSection, text_sections};
use crate::write::Sink;
use index::{DocWords, Fields};
use typed_index_collections::ti_vec;

/// Output folder of the index, below the site root.
pub(crate) const DIR: &str = "search";

/// Bytes of postings per shard: small enough for a phone, few enough files on a big site.
const SHARD_BYTES: usize = 32 * 1024;

/// A filter of the search box: `[title, path, encoded article ids]`.
type Filter<'a> = (&'a str, &'a str, String);

/// `search/index.js`.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Format version, bumped when `search.js` must change with it.
    format: u32,
    /// Hash of every other index file; appended to their URLs.
    v: String,
    /// Number of articles (ids are `0..n`).
    n: usize,
    stop: &'static [&'static str],
    /// `[title, path, article ids]` per section (its subsections included).
    sections: Vec<Filter<'a>>,
    /// `[name, path, article ids]` per concept, by name.
    concepts: Vec<Filter<'a>>,
    /// `[title, name, article ids]` per content kind, by name (`[kinds.*]` in site.toml).
    kinds: Vec<(String, &'a str, String)>,
    /// First word of each shard `t<N>.js`.
    shards: Vec<String>,
}

/// `search/d/<id>.js`.
#[derive(Serialize)]
struct DocFile<'a> {
    /// Title.
    t: &'a str,
    /// Path below the site root.
    p: &'a str,
    /// Index of its section in [`Manifest::sections`], `-1` for articles on the home page.
    s: i64,
    /// `[heading id, heading text, text]` per part, the intro first (with empty id).
    x: Vec<(&'a str, &'a str, &'a str)>,
}

/// Writes every file of the search index into `sink`; returns how many it wrote.
///
/// Streams: each article's text is extracted, tokenised and written as its `d/<id>.js` in one
/// parallel pass and then dropped, so the site's text is never held at once; only the word
/// lists stay for the shards. The manifest's version folds the hashes of all files in a
/// fixed order (shards, then documents), so it changes exactly when the index does.
pub(super) fn write(site: &Site, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let stop = tokens::stop_words(&site.config.language);
    let md = site.config.markdown_options();
    let (sections, section_of) = section_filters(site);
    let per_page: Vec<Result<(DocWords, u64), Diagnostic>> = site
        .pages
        .raw
        .par_iter()
        .enumerate()
        .map(|(id, page)| {
            let id = PageId::from(id);
            let texts = text_sections(page.body(), &md);
            let words = index::doc_words(&fields(site, id, &texts), stop);
            let doc = DocFile {
                t: &page.title,
                p: &page.path,
                s: section_of[id].map_or(-1, |s| i64::try_from(s).unwrap_or(-1)),
                x: texts
                    .iter()
                    .map(|part| match &part.heading {
                        Some(h) => (h.id.as_str(), h.text.as_str(), part.text.as_str()),
                        None => ("", "", part.text.as_str()),
                    })
                    .collect(),
            };
            let file = script(&format!("d/{id}"), &doc);
            put(sink, &file).map(|()| (words, file_hash(&file)))
        })
        .collect();
    let mut words = Vec::with_capacity(per_page.len());
    let mut doc_hashes = Vec::with_capacity(per_page.len());
    for r in per_page {
        let (w, h) = r?;
        words.push(w);
        doc_hashes.push(h);
    }
    let encoded: Vec<(String, String)> = index::postings(&words)
        .into_iter()
        .map(|(w, list)| (w, encode::posting_list(&list)))
        .collect();
    drop(words);
    let shards = encode::shards(encoded, SHARD_BYTES);
    let mut version = xxhash_rust::xxh3::Xxh3::new();
    for (i, shard) in shards.iter().enumerate() {
        let file = script(&format!("t{i}"), shard);
        put(sink, &file)?;
        version.update(&file_hash(&file).to_le_bytes());
    }
    for h in &doc_hashes {
        version.update(&h.to_le_bytes());
    }
    let manifest = Manifest {
        format: 1,
        v: format!("{:016x}", version.digest()),
        n: site.pages.len(),
        stop,
        sections,
        concepts: concept_filters(site),
        kinds: kind_filters(site),
        shards: shards
            .iter()
            .map(|s| s.first().cloned().unwrap_or_default())
            .collect(),
    };
    put(sink, &script("index", &manifest))?;
    Ok(shards.len() + doc_hashes.len() + 1)
}

fn put(sink: &dyn Sink, file: &File) -> Result<(), Diagnostic> {
    sink.write(&file.path, &file.bytes)
        .map_err(|e| crate::write::write_error(&file.path, &e))
}

fn file_hash(file: &File) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(file.path.as_bytes());
    h.update(&file.bytes);
    h.digest()
}

/// `binderSearchData("name", data);` at `search/name.js`.
fn script(name: &str, data: &impl Serialize) -> File {
    // Serialising plain strings and numbers cannot fail; an empty object keeps the file valid.
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned());
    File::new(
        format!("{DIR}/{name}.js"),
        format!("binderSearchData(\"{name}\",{json});\n"),
    )
}

/// The searchable fields of page `id`.
fn fields<'a>(site: &'a Site, id: PageId, texts: &'a [TextSection]) -> Fields<'a> {
    let page = &site.pages[id];
    let terms = |name: &str| -> Vec<&'a str> {
        site.taxonomies
            .iter()
            .filter(|t| t.name == name)
            .flat_map(|t| t.page_terms[id].iter().map(|&i| t.terms[i].name.as_str()))
            .collect()
    };
    Fields {
        title: &page.title,
        description: page.meta.description.as_deref().unwrap_or(""),
        concepts: terms("concepts"),
        authors: terms("authors"),
        headings: texts
            .iter()
            .filter_map(|t| t.heading.as_ref().map(|h| h.text.as_str()))
            .collect(),
        body: texts.iter().map(|t| t.text.as_str()).collect(),
    }
}

/// The section filters (every section but the home page that holds an article, with the
/// articles of its subsections), and each article's own section among them.
fn section_filters(site: &Site) -> (Vec<Filter<'_>>, TiVec<PageId, Option<usize>>) {
    let mut ids: TiVec<SectionId, Vec<u32>> = ti_vec![Vec::new(); site.sections.len()];
    for (id, page) in site.pages.iter_enumerated() {
        let mut cur = Some(page.section);
        while let Some(s) = cur.filter(|&s| s != SectionId::HOME) {
            ids[s].push(u32::try_from(id.index()).unwrap_or(u32::MAX));
            cur = site.sections[s].parent;
        }
    }
    let mut position = ti_vec![None; site.sections.len()];
    let mut filters = Vec::new();
    for (s, list) in ids.iter_enumerated().filter(|(_, l)| !l.is_empty()) {
        position[s] = Some(filters.len());
        filters.push((
            site.sections[s].title.as_str(),
            site.sections[s].path.as_str(),
            encode::id_list(list),
        ));
    }
    let section_of = site.pages.iter().map(|p| position[p.section]).collect();
    (filters, section_of)
}

/// One filter per content kind that has articles, by kind name.
fn kind_filters(site: &Site) -> Vec<(String, &str, String)> {
    site.config
        .kinds
        .iter()
        .filter_map(|(name, kind)| {
            let ids: Vec<u32> = site
                .pages
                .keys()
                .filter(|&id| crate::kinds::kind_of(site, id).is_some_and(|k| k.name == name))
                .map(|id| u32::try_from(id.index()).unwrap_or(u32::MAX))
                .collect();
            (!ids.is_empty()).then(|| {
                (
                    crate::kinds::title_of(name, kind),
                    name.as_str(),
                    encode::id_list(&ids),
                )
            })
        })
        .collect()
}

/// One filter per term of the `concepts` taxonomy that has articles, by name.
fn concept_filters(site: &Site) -> Vec<Filter<'_>> {
    let Some(tax) = site.taxonomies.iter().find(|t| t.name == "concepts") else {
        return Vec::new();
    };
    let mut out: Vec<Filter<'_>> = tax
        .terms
        .iter()
        .filter(|t| !t.pages.is_empty())
        .map(|t| {
            let mut ids: Vec<u32> = t
                .pages
                .iter()
                .map(|&p| u32::try_from(p.index()).unwrap_or(u32::MAX))
                .collect();
            ids.sort_unstable();
            (t.name.as_str(), t.path.as_str(), encode::id_list(&ids))
        })
        .collect();
    out.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.1.cmp(b.1))
    });
    out
}
