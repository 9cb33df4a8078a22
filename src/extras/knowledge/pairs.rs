//! `/pairs/`: every pair-blog pair once, side by side, newest first (template `pairs.html`,
//! variable `pairs`; see docs/templates.md).

use std::cmp::Reverse;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{PageId, Site};
use crate::render::views::{Ctx, PageRef};
use crate::render::{Bodies, Output, Renderer};

/// Output path of the pairs page.
const PATH: &str = "pairs/";

/// One pair as the template sees it.
#[derive(Serialize)]
struct PairView<'a> {
    topic: String,
    date: Option<String>,
    left: PageRef<'a>,
    right: PageRef<'a>,
}

/// Renders `pairs/index.html`.
pub(super) fn render(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
) -> Result<Vec<Output>, Diagnostic> {
    renderer.generated_page(site, "pairs.html", (PATH, "Pair posts"), |ctx, root| {
        let c = Ctx { site, bodies, root };
        let views: Vec<PairView> = pairs(site)
            .into_iter()
            .map(|(l, r)| PairView {
                topic: topic(&site.pages[l].title, &site.pages[r].title),
                date: pair_date(site, l, r).map(|d| d.ymd()),
                left: c.page_ref(l),
                right: c.page_ref(r),
            })
            .collect();
        ctx.insert("pairs", &views);
    })
}

/// Every pair once as (left, right): left is the post written first (earlier date, then
/// source path), so the conversation reads left to right. Pairs are sorted newest first
/// (by the later of the two dates; undated pairs last), then by the left post's path.
fn pairs(site: &Site) -> Vec<(PageId, PageId)> {
    let first = |a: PageId, b: PageId| {
        let key = |p: PageId| {
            (
                site.pages[p].date().is_none(),
                site.pages[p].date(),
                &site.pages[p].path,
            )
        };
        if key(a) <= key(b) { (a, b) } else { (b, a) }
    };
    let mut list: Vec<(PageId, PageId)> = site
        .graph
        .pair
        .iter_enumerated()
        .filter_map(|(a, partner)| partner.filter(|&b| b > a).map(|b| first(a, b)))
        .collect();
    list.sort_by_key(|&(l, r)| {
        (
            pair_date(site, l, r).is_none(),
            Reverse(pair_date(site, l, r)),
            &site.pages[l].path,
        )
    });
    list
}

/// A pair's date: when its second post appeared.
fn pair_date(site: &Site, l: PageId, r: PageId) -> Option<crate::parse::front_matter::Date> {
    site.pages[l].date().max(site.pages[r].date())
}

/// What a pair is about: the part of the titles before `:` when both share it
/// (`Feedback that lands: …`), else the first post's title.
fn topic(left: &str, right: &str) -> String {
    match (left.split_once(':'), right.split_once(':')) {
        (Some((a, _)), Some((b, _)))
            if !a.trim().is_empty() && a.trim().to_lowercase() == b.trim().to_lowercase() =>
        {
            a.trim().to_owned()
        }
        _ => left.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::topic;

    #[test]
    fn topic_is_the_shared_title_prefix() {
        assert_eq!(
            topic(
                "Feedback that lands: the coach",
                "feedback that lands : the lead"
            ),
            "Feedback that lands"
        );
        assert_eq!(
            topic("Asking permission", "Why I ask: permission"),
            "Asking permission"
        );
        assert_eq!(topic("One: a", "Two: b"), "One: a");
        assert_eq!(topic(": a", ": b"), ": a");
    }
}
