//! `/questions/`, the question bank: every `> [!question]` callout of the handbook, grouped
//! by the concepts of its article (template `questions.html`, variable `groups`; see
//! docs/templates.md). A question appears under each concept of its article; questions from
//! articles without concepts close the page in a group whose `concept` is none.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{PageId, Site, TermIx, TiVec};
use crate::parse::markdown::{Callout, CalloutKind};
use crate::render::views::{Ctx, PageRef, TermRef};
use crate::render::{Bodies, Output, Renderer};
use typed_index_collections::ti_vec;

/// Output path of the question bank.
const PATH: &str = "questions/";

/// The taxonomy questions are grouped by.
const GROUP_BY: &str = "concepts";

/// One question, linking back to `page.path#anchor`.
#[derive(Serialize)]
struct QuestionView<'a> {
    text: &'a str,
    title: Option<&'a str>,
    page: PageRef<'a>,
    anchor: &'a str,
}

/// The questions of one concept.
#[derive(Serialize)]
struct Group<'a> {
    concept: Option<TermRef<'a>>,
    questions: Vec<QuestionView<'a>>,
}

/// Renders `questions/index.html`.
pub(super) fn render(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
) -> Result<Vec<Output>, Diagnostic> {
    renderer.generated_page(
        site,
        "questions.html",
        (PATH, "Question bank"),
        |ctx, root| {
            ctx.insert("groups", &groups(&Ctx { site, bodies, root }));
        },
    )
}

/// Concepts by name (as on `/concepts/`), each with its articles' questions; articles by
/// title, questions in the order they appear. Concepts without questions are left out.
fn groups<'a>(c: &Ctx<'a>) -> Vec<Group<'a>> {
    let site = c.site;
    let mut asking: Vec<PageId> = site
        .pages
        .keys()
        .filter(|&p| questions(site, p).next().is_some())
        .collect();
    asking.sort_by_cached_key(|&p| (site.pages[p].title.to_lowercase(), &site.pages[p].path));
    let tax = site.taxonomies.iter().find(|t| t.name == GROUP_BY);
    let terms_of = |p: PageId| tax.map_or(&[][..], |t| &t.page_terms[p][..]);
    let mut groups = Vec::new();
    if let Some(t) = tax {
        // One pass over the articles, not one per concept: fine for thousands of both.
        let mut by_term: TiVec<TermIx, Vec<PageId>> = ti_vec![Vec::new(); t.terms.len()];
        for &p in &asking {
            for &i in terms_of(p) {
                if by_term[i].last() != Some(&p) {
                    by_term[i].push(p);
                }
            }
        }
        let mut order: Vec<TermIx> = (by_term.iter_enumerated())
            .filter(|(_, pages)| !pages.is_empty())
            .map(|(i, _)| i)
            .collect();
        order.sort_by_cached_key(|&i| (t.terms[i].name.to_lowercase(), &t.terms[i].slug));
        for i in order {
            let term = &t.terms[i];
            let concept = Some(TermRef {
                name: &term.name,
                slug: &term.slug,
                path: &term.path,
            });
            groups.push(Group {
                concept,
                questions: views(c, &by_term[i]),
            });
        }
    }
    let loose: Vec<PageId> = asking
        .iter()
        .copied()
        .filter(|&p| terms_of(p).is_empty())
        .collect();
    if !loose.is_empty() {
        groups.push(Group {
            concept: None,
            questions: views(c, &loose),
        });
    }
    groups
}

fn questions(site: &Site, p: PageId) -> impl Iterator<Item = &Callout> {
    site.pages[p]
        .scan
        .callouts
        .iter()
        .filter(|c| c.kind == CalloutKind::Question)
}

fn views<'a>(c: &Ctx<'a>, pages: &[PageId]) -> Vec<QuestionView<'a>> {
    let site: &'a Site = c.site;
    pages
        .iter()
        .flat_map(|&p| {
            questions(site, p).map(move |q| QuestionView {
                text: &q.text,
                title: q.title.as_deref(),
                page: c.page_ref(p),
                anchor: &q.id,
            })
        })
        .collect()
}
