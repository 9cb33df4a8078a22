//! Series: pages sharing `series:` ordered by `series_order`; duplicates, gaps and missing
//! numbers are errors naming the files involved.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, Series, Site};
use typed_index_collections::ti_vec;

/// Groups pages into series and records each page's place.
pub(super) fn build(site: &mut Site, diags: &mut Diagnostics) {
    let mut groups: BTreeMap<String, Vec<(i64, PageId)>> = BTreeMap::new();
    // A series with a part whose `series_order` was rejected (and reported) in front matter
    // is not checked for gaps: those would be knock-on errors in other files.
    let mut unchecked = std::collections::BTreeSet::new();
    for (id, p) in site.pages.iter_enumerated() {
        if let (Some(name), true) = (&p.meta.series, p.meta.is_invalid("series_order")) {
            unchecked.insert(name.trim().to_owned());
            continue;
        }
        match (&p.meta.series, p.meta.series_order) {
            (Some(name), Some(order)) => groups
                .entry(name.trim().to_owned())
                .or_default()
                .push((order, id)),
            (Some(name), None) => diags.push(
                Diagnostic::error(
                    &p.shown,
                    format!("part of the series `{name}` but has no `series_order`"),
                )
                .at(&p.text, p.meta.span_of("series"))
                .with_hint("add `series_order: N` with this article's position in the series"),
            ),
            (None, Some(_)) if p.meta.is_invalid("series") => {}
            (None, Some(_)) => diags.push(
                Diagnostic::warning(&p.shown, "`series_order` without `series` is ignored")
                    .at(&p.text, p.meta.span_of("series_order"))
                    .with_hint("add `series: \"name\"` or remove `series_order`"),
            ),
            (None, None) => {}
        }
    }
    site.graph.series_of = ti_vec![None; site.pages.len()];
    site.graph.series.clear();
    for (name, mut parts) in groups {
        parts.sort();
        if !unchecked.contains(&name) {
            check_order(site, &name, &parts, diags);
        }
        let si = site.graph.series.next_key();
        for (pos, &(_, id)) in parts.iter().enumerate() {
            site.graph.series_of[id] = Some((si, pos));
        }
        site.graph.series.push(Series {
            name,
            parts: parts.into_iter().map(|(_, id)| id).collect(),
        });
    }
}

fn check_order(site: &Site, name: &str, parts: &[(i64, PageId)], diags: &mut Diagnostics) {
    for w in parts.windows(2) {
        let ((a_order, a), (b_order, b)) = (w[0], w[1]);
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        if a_order == b_order {
            diags.push(
                Diagnostic::error(
                    &pb.shown,
                    format!(
                        "series `{name}`: `series_order: {b_order}` is also used by {}",
                        pa.shown
                    ),
                )
                .at(&pb.text, pb.meta.span_of("series_order"))
                .with_hint(format!(
                    "give {} and {} different positions",
                    pa.shown, pb.shown
                )),
            );
        } else if b_order != a_order + 1 {
            diags.push(
                Diagnostic::error(
                    &pb.shown,
                    format!(
                        "series `{name}` jumps from part {a_order} ({}) to part {b_order} ({})",
                        pa.shown, pb.shown
                    ),
                )
                .at(&pb.text, pb.meta.span_of("series_order"))
                .with_hint(format!(
                    "number the parts 1, 2, 3, … without gaps; part {} is missing",
                    a_order + 1
                )),
            );
        }
    }
    if let Some(&(first, id)) = parts.first() {
        if first != 1 {
            let p = &site.pages[id];
            diags.push(
                Diagnostic::error(
                    &p.shown,
                    format!("series `{name}` starts at part {first}, not 1"),
                )
                .at(&p.text, p.meta.span_of("series_order"))
                .with_hint("number the parts 1, 2, 3, …"),
            );
        }
    }
}
