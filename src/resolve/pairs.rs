//! Pair-blog posts: `pair:` links two posts on one topic. A pair must be mutual; a post that
//! names no pair is mirrored from its partner; a conflicting pair is an error naming both.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Topic};
use crate::model::{PageId, Site, TiVec};
use typed_index_collections::ti_vec;

/// Resolves `pair:` paths and checks that pairs are mutual.
pub(super) fn build(site: &mut Site, diags: &mut Diagnostics) {
    let by_rel: HashMap<&str, PageId> = site
        .pages
        .iter_enumerated()
        .map(|(i, p)| (p.rel.as_str(), i))
        .collect();
    let mut named: TiVec<PageId, Option<PageId>> = ti_vec![None; site.pages.len()];
    for (id, p) in site.pages.iter_enumerated() {
        let Some(raw) = p.meta.pair.as_deref() else {
            continue;
        };
        let rel = match raw.strip_prefix("@/") {
            Some(r) => Some(r.to_owned()),
            None => super::join(super::parent(&p.rel), raw.trim()),
        };
        let locate = |d: Diagnostic| d.at(&p.text, p.meta.span_of("pair")).about(Topic::Pair);
        match rel.as_deref().and_then(|r| by_rel.get(r)) {
            Some(&t) if t == id => diags.push(
                locate(Diagnostic::error(&p.shown, "a post cannot be its own pair"))
                    .with_hint("name the partner post's file"),
            ),
            Some(&t) => named[id] = Some(t),
            None => {
                let hint = crate::diag::did_you_mean(
                    raw,
                    site.pages.iter().map(|q| q.rel.as_str()),
                )
                .unwrap_or_else(|| {
                    "write the partner's path relative to this file, e.g. `pair: \"other-post.md\"`"
                        .into()
                });
                diags.push(
                    locate(Diagnostic::error(
                        &p.shown,
                        format!("pair `{raw}` is not an article"),
                    ))
                    .with_hint(hint),
                );
            }
        }
    }
    let mut pair = named.clone();
    for (a, b) in named
        .iter_enumerated()
        .filter_map(|(a, b)| b.map(|b| (a, b)))
    {
        match named[b] {
            Some(back) if back == a => {}
            None => {
                if let Some(other) = pair[b].filter(|&o| o != a) {
                    conflict(site, a, b, other, diags);
                } else {
                    pair[b] = Some(a); // mirror
                }
            }
            Some(other) => conflict(site, a, b, other, diags),
        }
    }
    site.graph.pair = pair;
}

fn conflict(site: &Site, a: PageId, b: PageId, other: PageId, diags: &mut Diagnostics) {
    let (pa, pb, po) = (&site.pages[a], &site.pages[b], &site.pages[other]);
    diags.push(
        Diagnostic::error(
            &pa.shown,
            format!(
                "conflicting pair: this post names {} as its pair, but that post is paired with {}",
                pb.shown, po.shown
            ),
        )
        .at(&pa.text, pa.meta.span_of("pair"))
        .with_hint(format!(
            "a pair is two posts naming each other: fix `pair:` in {} or in {}",
            pa.shown, pb.shown
        ))
        .about(Topic::Pair),
    );
}
