//! One internal link → its target: a link as written (relative, `@/`, site-root, folder,
//! wikilink) in; the output href and target page out, or a [`Problem`] saying why not and
//! what to write instead.
//!
//! The conventions are those of the tools handbooks come from: `README.md`, `index.md`
//! and `_index.md` stand for their folder, a folder link (`../values/`) means the folder's
//! page, `/values/` and `/handbook/values/` (under a `base_url` subpath) are site-root
//! paths, and `#anchors` match ids the way GitHub, Hugo or Zola would write them.

use crate::diag::did_you_mean_one_of;
use crate::model::ROOT_MARK;
use crate::parse::markdown::{LinkKind, LinkRef, ResolvedLink, Scan, heading_id};

use super::index::{Index, Target, is_folder_index};
use super::report::{Cause, Problem};

/// A body being resolved: where it lives and what its scan found.
pub(super) struct Body<'a> {
    pub(super) rel: &'a str,
    /// Output folder of an article (assets it references are copied there); None otherwise.
    pub(super) out_dir: Option<&'a str>,
    pub(super) scan: &'a Scan,
}

/// A link that resolved.
pub(super) struct LinkOutcome {
    pub(super) link: ResolvedLink,
    pub(super) target: Option<Target>,
    /// (asset path under content/, where the output copy lives).
    pub(super) asset: Option<(String, String)>,
    /// Worth a warning even though it resolved (an embed shown as a link).
    pub(super) note: Option<Problem>,
}

impl LinkOutcome {
    fn href(href: String, target: Option<Target>) -> Self {
        LinkOutcome {
            link: ResolvedLink {
                href,
                text: None,
                plain: false,
                embed: None,
            },
            target,
            asset: None,
            note: None,
        }
    }
}

type Outcome = Result<Option<LinkOutcome>, Problem>;

/// Resolves one link of `body`; `Ok(None)` leaves it as written (in-page anchors).
pub(super) fn resolve_link(index: &Index, body: &Body, link: &LinkRef) -> Outcome {
    match link.kind {
        LinkKind::Wiki => return resolve_wiki(index, body, link),
        LinkKind::Embed => return resolve_embed(index, body, link),
        LinkKind::Link | LinkKind::Image => {}
    }
    // `![[chart.png\|300]]` in a table: the escaped pipe leaves a backslash behind.
    let dest = link.dest.trim().trim_end_matches('\\');
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or(""));
    if path.is_empty() {
        return own_anchor(body, fragment);
    }
    if let Some(site_rel) = path.strip_prefix("@/") {
        return resolve_content_path(index, body, site_rel, fragment, dest, Hints::Yes);
    }
    if let Some(abs) = path.strip_prefix('/') {
        return resolve_root_relative(index, body, abs, fragment, dest);
    }
    let outcome = match join(parent(body.rel), &path) {
        Some(joined) if link.kind == LinkKind::Image && !index.has_asset(&joined) => {
            // `![[diagram.png]]` in an Obsidian vault: the one file of that name anywhere.
            match index.assets_named(&path).as_slice() {
                [one] if !path.contains('/') => Ok(Some(asset_outcome(body, one))),
                _ => resolve_content_path(index, body, &joined, fragment, dest, Hints::Yes),
            }
        }
        Some(joined) => resolve_content_path(index, body, &joined, fragment, dest, Hints::Yes),
        None => Err(Problem::new(
            Cause::Outside,
            dest,
            format!("the link `{dest}` points outside the content folder"),
            Some("internal links are relative to the file, or start with `@/` for content/".into()),
        )),
    };
    match outcome {
        Err(problem) if link.kind == LinkKind::Link && !path.ends_with(".md") => {
            url_relative(index, body, &path, fragment, dest).ok_or(problem)
        }
        other => other,
    }
}

/// A link written relative to the page's published address rather than its file, as in a
/// site with pretty URLs: from `legal.md`, published at `/ar/legal/`,
/// `../leadership/#anchor` means `/ar/leadership/#anchor`, which a browser on the old site
/// followed. Tried only when the link fails relative to the file, and taken only if it
/// resolves there entirely (page and anchor).
fn url_relative(
    index: &Index,
    body: &Body,
    path: &str,
    fragment: Option<&str>,
    dest: &str,
) -> Option<Option<LinkOutcome>> {
    let page_dir = body.out_dir?.trim_end_matches('/');
    let abs = join(page_dir, path)?;
    resolve_content_path(index, body, &abs, fragment, dest, Hints::No).ok()
}

/// `#anchor` in the same page.
fn own_anchor(body: &Body, fragment: Option<&str>) -> Outcome {
    let Some(f) = fragment else { return Ok(None) };
    let own = Anchors { scan: body.scan };
    let decoded = percent_decode(f);
    if f.is_empty() || f.starts_with("fn") {
        return Ok(None);
    }
    if let Some(id) = own.find(&decoded) {
        return Ok((id != f).then(|| LinkOutcome::href(format!("#{id}"), None)));
    }
    Err(Problem::new(
        Cause::MissingAnchor(body.rel.to_owned()),
        &format!("#{f}"),
        format!("no heading with the anchor `#{f}` in this page"),
        own.suggest(&decoded),
    )
    .instead(ResolvedLink {
        href: "#".to_owned(),
        text: None,
        plain: true,
        embed: None,
    }))
}

/// `/values/`, `/handbook/values/` (base_url `…/handbook/`) or `/values/README.md`: tried
/// as written, then without the base_url path.
fn resolve_root_relative(
    index: &Index,
    body: &Body,
    abs: &str,
    fragment: Option<&str>,
    dest: &str,
) -> Outcome {
    // `/handbook/values/` is mostly a link that works once the base path is dropped: the
    // "did you mean" of the first try is only worked out if the second fails too.
    let first = resolve_content_path(index, body, abs, fragment, dest, Hints::No);
    let base = index.base_path();
    let stripped = abs
        .strip_prefix(base)
        .filter(|rest| !base.is_empty() && (rest.is_empty() || rest.starts_with('/')));
    match first {
        Err(problem) if problem.cause.is_missing_target() => {
            let second = stripped.map(|rest| {
                let rest = rest.trim_start_matches('/');
                resolve_content_path(index, body, rest, fragment, dest, Hints::No)
            });
            match second {
                Some(Ok(found)) => Ok(found),
                _ => resolve_content_path(index, body, abs, fragment, dest, Hints::Yes),
            }
        }
        first => first,
    }
}

/// Whether a missing target gets its "did you mean" (the costly part of a broken link).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hints {
    Yes,
    No,
}

/// A path relative to `content/`: a Markdown file, a folder, an asset or an output path.
fn resolve_content_path(
    index: &Index,
    body: &Body,
    joined: &str,
    fragment: Option<&str>,
    dest: &str,
    hints: Hints,
) -> Outcome {
    if joined.ends_with(".md") {
        let (dir, file) = joined.rsplit_once('/').unwrap_or(("", joined));
        let target = index
            .by_rel(joined)
            .or_else(|| is_folder_index(file).then(|| index.by_dir(dir)).flatten());
        let Some(target) = target else {
            let similar = (hints == Hints::Yes)
                .then(|| did_you_mean_path(index, joined))
                .flatten();
            let hint = similar.unwrap_or_else(|| {
                "link a Markdown file relative to this one (`../tips/x.md`), \
                 or from content/ with `@/tips/x.md`"
                    .into()
            });
            return Err(Problem::new(
                Cause::MissingFile(joined.to_owned()),
                dest,
                format!("broken link: `{dest}` (no file content/{joined})"),
                Some(hint),
            )
            .unlinked());
        };
        return finish(index, target, fragment, None, dest);
    }
    if index.has_asset(joined) {
        return Ok(Some(asset_outcome(body, joined)));
    }
    if let Some(target) = index.by_dir(joined) {
        return finish(index, target, fragment, None, dest);
    }
    resolve_site_path(index, joined, fragment, dest, hints)
}

/// A link to an output path (`/tips/ask/` or `../tips/`): allowed when it names a page.
fn resolve_site_path(
    index: &Index,
    path: &str,
    fragment: Option<&str>,
    dest: &str,
    hints: Hints,
) -> Outcome {
    let trimmed = path.trim_end_matches("index.html").trim_end_matches('/');
    let key = if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    };
    if let Some(target) = index.by_path(&key) {
        return finish(index, target, fragment, None, dest);
    }
    if index.has_asset(path) || index.has_static(path) {
        return Ok(Some(LinkOutcome::href(format!("{ROOT_MARK}{path}"), None)));
    }
    if index.is_generated(&key) {
        let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        return Ok(Some(LinkOutcome::href(
            format!("{ROOT_MARK}{key}{frag}"),
            None,
        )));
    }
    let hint = match file_name(path) {
        // A file (an image, a PDF): pages are no answer, files of that name are.
        Some(name) => (hints == Hints::Yes).then(|| file_hint(index, name)),
        None => (hints == Hints::Yes)
            .then(|| elsewhere_hint(index, path).or_else(|| did_you_mean_path(index, path)))
            .flatten(),
    };
    Err(Problem::new(
        Cause::NoPage(key.clone()),
        dest,
        format!("broken link: `{dest}` matches no page or file"),
        hint,
    )
    .unlinked())
}

/// The file name of a link to a file rather than a page: its last segment has an extension
/// other than `.md`/`.html` (`images/logo.png` → `logo.png`).
fn file_name(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let page = ["md", "html", "htm"].contains(&ext.to_ascii_lowercase().as_str());
    (!stem.is_empty() && !ext.is_empty() && !page).then_some(name)
}

/// Where a missing file of that name is, or how to add it.
fn file_hint(index: &Index, name: &str) -> String {
    match index.files_named(name).as_slice() {
        [] => format!(
            "no file `{name}` in content/ or static/: put it next to the article and link it \
             by name, or under static/ and link it from the site root (`/images/{name}`)"
        ),
        found => {
            let list: Vec<&str> = found.iter().take(3).map(String::as_str).collect();
            format!(
                "a file of that name is at {}: fix the path to point there",
                crate::diag::or_list(&list)
            )
        }
    }
}

/// The href of `target`, with its anchor checked; a missing anchor falls back to the page.
fn finish(
    index: &Index,
    target: Target,
    fragment: Option<&str>,
    text: Option<String>,
    dest: &str,
) -> Outcome {
    let page = format!("{ROOT_MARK}{}", index.path(target));
    let anchors = Anchors {
        scan: index.scan(target),
    };
    let frag = match fragment {
        None | Some("") => String::new(),
        Some(f) => match anchors.find(&percent_decode(f)) {
            Some(id) => format!("#{id}"),
            None => {
                let hint = anchors
                    .suggest(&percent_decode(f))
                    .unwrap_or_else(|| format!("headings there: {}", anchors.list()));
                // The page exists: a reader is better served by the page than by no link.
                return Err(Problem::new(
                    Cause::MissingAnchor(index.rel(target).to_owned()),
                    &format!("#{f}"),
                    format!("`{dest}`: the target has no heading `#{f}`"),
                    Some(hint),
                )
                .instead(ResolvedLink {
                    href: page,
                    text,
                    plain: false,
                    embed: None,
                }));
            }
        },
    };
    Ok(Some(LinkOutcome {
        link: ResolvedLink {
            href: format!("{page}{frag}"),
            text,
            plain: false,
            embed: None,
        },
        target: Some(target),
        asset: None,
        note: None,
    }))
}

/// `![[Note]]` and `![[Note#Heading]]`: Obsidian includes the note (or that part of it)
/// there, and so does binder: the link carries the key the render stage finds the target's
/// body by (its output path, `#` and the heading id). A missing note or heading is a broken
/// link like any other; an embed of a file that is no page is shown as a link, with a note.
fn resolve_embed(index: &Index, body: &Body, link: &LinkRef) -> Outcome {
    let (name, _) = link.dest.split_once('#').unwrap_or((&link.dest, ""));
    let mut outcome = if name.trim().ends_with(".md") {
        let as_link = LinkRef {
            kind: LinkKind::Link,
            ..link.clone()
        };
        resolve_link(index, body, &as_link)?
    } else {
        resolve_wiki(index, body, link)?
    };
    if let Some(o) = outcome.as_mut() {
        if o.link.text.is_none() && !link.has_label {
            o.link.text = o.target.map(|t| index.title(t).to_owned());
        }
        match o.target {
            Some(t) => {
                let id = o.link.href.split_once('#').map_or("", |(_, id)| id);
                o.link.embed = Some(format!("{}#{id}", index.path(t)));
            }
            None => {
                o.note = Some(Problem::new(
                    Cause::Embed(name.to_owned()),
                    &format!("![[{}]]", link.dest),
                    format!(
                        "`![[{}]]` names no note to include: it is shown as a link",
                        link.dest
                    ),
                    Some("embed a Markdown note, or write `[[…]]` for a link".to_owned()),
                ));
            }
        }
    }
    Ok(outcome)
}

/// The parts of a wikilink's target as Obsidian reads them: `Note#Part#Sub` → (`Note`,
/// `Sub`): a heading path ends in the heading meant. In a table the label's pipe is
/// escaped (`[[Note\|label]]`), which leaves a backslash at the end of the target.
fn wiki_parts(dest: &str) -> (&str, Option<&str>) {
    let dest = dest.trim().trim_end_matches('\\').trim_end();
    match dest.split_once('#') {
        Some((n, f)) => (n.trim(), f.rsplit('#').next().map(str::trim)),
        None => (dest, None),
    }
}

fn resolve_wiki(index: &Index, body: &Body, link: &LinkRef) -> Outcome {
    let (name, fragment) = wiki_parts(&link.dest);
    if name.is_empty() {
        // `[[#Heading]]`: a heading of this page, shown as the heading's text.
        return wiki_own_anchor(body, fragment, link);
    }
    // `[[Folder/Note]]` names a file by its path in the vault.
    let one;
    let found = match name
        .contains('/')
        .then(|| index.by_wiki_path(name))
        .flatten()
    {
        Some(t) => {
            one = [t];
            &one[..]
        }
        None => index.by_name(name),
    };
    // Of several notes of that name, the one beside the linking note (as Obsidian picks).
    let beside: Vec<Target> = match found {
        [_, _, ..] => found
            .iter()
            .copied()
            .filter(|t| parent(index.rel(*t)) == parent(body.rel))
            .collect(),
        _ => Vec::new(),
    };
    let found = if beside.len() == 1 {
        &beside[..]
    } else {
        found
    };
    let target = match found {
        [one] => *one,
        [] if fragment.is_none() && index.term_by_name(name).is_some() => {
            // A glossary term by title, slug or synonym (`[[managing up]]`): its term page.
            let (title, path) = index.term_by_name(name).unwrap_or_default();
            return Ok(Some(LinkOutcome {
                link: ResolvedLink {
                    href: format!("{ROOT_MARK}{path}"),
                    text: (!link.has_label).then(|| title.to_owned()),
                    plain: false,
                    embed: None,
                },
                target: None,
                asset: None,
                note: None,
            }));
        }
        [] => {
            let hint = did_you_mean_one_of(&index.similar_titles(name))
                .map(|h| format!("{h} (wikilinks match a title, slug or alias)"));
            return Err(Problem::new(
                Cause::NoArticle(name.to_lowercase()),
                name,
                format!("broken wikilink: no article titled, slugged or aliased `{name}`"),
                hint,
            )
            .unlinked());
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|t| format!("`{}`", index.rel(*t)))
                .collect();
            return Err(Problem::new(
                Cause::Ambiguous(name.to_lowercase()),
                name,
                format!(
                    "ambiguous wikilink `[[{name}]]`: it matches {}",
                    list.join(" and ")
                ),
                Some(format!(
                    "link one file directly, e.g. `[text](@/{})`",
                    index.rel(many[0])
                )),
            )
            .unlinked());
        }
    };
    let text = (!link.has_label).then(|| index.title(target).to_owned());
    finish(index, target, fragment, text, &link.dest)
}

/// `[[#Heading]]` (Obsidian's link to a heading of the same note): the anchor, with the
/// heading's text unless the link has a label.
fn wiki_own_anchor(body: &Body, fragment: Option<&str>, link: &LinkRef) -> Outcome {
    let Some(f) = fragment.filter(|f| !f.is_empty()) else {
        return Err(Problem::new(
            Cause::NoArticle(String::new()),
            &link.dest,
            "this wikilink names no note".to_owned(),
            Some("write the note's title between the brackets: `[[Title]]`".into()),
        )
        .unlinked());
    };
    let own = Anchors { scan: body.scan };
    match own.find(f) {
        Some(id) => {
            let text = body
                .scan
                .headings
                .iter()
                .find(|h| h.id == id)
                .map(|h| h.text.clone());
            Ok(Some(LinkOutcome {
                link: ResolvedLink {
                    href: format!("#{id}"),
                    text: if link.has_label { None } else { text },
                    plain: false,
                    embed: None,
                },
                target: None,
                asset: None,
                note: None,
            }))
        }
        None => Err(Problem::new(
            Cause::MissingAnchor(body.rel.to_owned()),
            &format!("#{f}"),
            format!("no heading with the anchor `#{f}` in this page"),
            own.suggest(f),
        )
        .unlinked()),
    }
}

/// Where a referenced asset is served from: next to the article's page when the file sits in
/// (or below) the article's folder, so `![](chart.png)` keeps working; else its own path.
fn asset_outcome(body: &Body, asset: &str) -> LinkOutcome {
    let src_dir = parent(body.rel);
    let below = if src_dir.is_empty() {
        Some(asset)
    } else {
        asset
            .strip_prefix(src_dir)
            .and_then(|r| r.strip_prefix('/'))
    };
    let dest = match (body.out_dir, below) {
        (Some(dir), Some(rest)) => format!("{dir}{rest}"),
        _ => asset.to_owned(),
    };
    LinkOutcome {
        asset: Some((asset.to_owned(), dest.clone())),
        ..LinkOutcome::href(format!("{ROOT_MARK}{dest}"), None)
    }
}

/// The anchors a page offers: heading, callout and block (`^name`) ids.
struct Anchors<'a> {
    scan: &'a Scan,
}

impl Anchors<'_> {
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.scan
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.scan.callouts.iter().map(|c| c.id.as_str()))
            .chain(self.scan.blocks.iter().map(String::as_str))
    }

    /// The id `f` means: the id itself, or the heading whose text, or id under GitHub's or
    /// the ASCII slug rules, `f` is (case-insensitive), so `#Café-Über`, `#cafe-uber` and
    /// `#café-über` all find `## Café Über` whichever style this site uses.
    fn find(&self, f: &str) -> Option<String> {
        if let Some(id) = self.ids().find(|i| *i == f) {
            return Some(id.to_owned());
        }
        let lower = f.to_lowercase();
        let ascii = slug::slugify(f);
        self.ids()
            .find(|i| i.to_lowercase() == lower)
            .map(str::to_owned)
            .or_else(|| {
                self.scan
                    .headings
                    .iter()
                    .find(|h| {
                        h.text.to_lowercase() == lower
                            || heading_id(&h.text, crate::config::HeadingIds::Github) == lower
                            || (!ascii.is_empty() && slug::slugify(&h.text) == ascii)
                    })
                    .map(|h| h.id.clone())
            })
    }

    fn suggest(&self, f: &str) -> Option<String> {
        let ids: Vec<String> = self.ids().map(|i| format!("#{i}")).collect();
        crate::diag::did_you_mean(&format!("#{f}"), ids.iter().map(String::as_str))
    }

    fn list(&self) -> String {
        let ids: Vec<String> = self
            .scan
            .headings
            .iter()
            .take(8)
            .map(|h| format!("#{}", h.id))
            .collect();
        if ids.is_empty() {
            "none".into()
        } else {
            ids.join(", ")
        }
    }
}

/// For a path under a folder the site does not have at all (`/job-library/engineer/`, a
/// page of another site): that, instead of pages that merely share letters with it.
fn elsewhere_hint(index: &Index, path: &str) -> Option<String> {
    let (first, _) = path.split_once('/')?;
    (!first.is_empty() && !index.has_folder(first)).then(|| {
        format!(
            "nothing on this site is under `/{first}/`: if the page is on another site, link \
             its full URL (`https://…`), or remove the link"
        )
    })
}

fn did_you_mean_path(index: &Index, wanted: &str) -> Option<String> {
    did_you_mean_one_of(&index.similar_paths(wanted))
}

/// `%20`, `%E6%97%A5` … decoded (links copied from a browser's address bar); invalid
/// escapes and invalid UTF-8 are kept as written.
pub(super) fn percent_decode(s: &str) -> String {
    // percent-encoding already keeps a malformed escape (`%zz`, a trailing `%2`) as written.
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_owned(), std::borrow::Cow::into_owned)
}

pub(super) fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins a relative link onto a folder, resolving `.` and `..`; None if it leaves the root.
pub fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_dots() {
        assert_eq!(
            join("tips", "../principles/trust.md").as_deref(),
            Some("principles/trust.md")
        );
        assert_eq!(join("tips", "ask.md").as_deref(), Some("tips/ask.md"));
        assert_eq!(join("", "./a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(join("tips", "../../x.md"), None);
        assert_eq!(join("a/b", "../").as_deref(), Some("a/"));
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("%E6%97%A5%E6%9C%AC"), "日本");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(percent_decode("%E6%97%A5"), "日");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
        // One invalid UTF-8 sequence keeps the whole link as written, valid escapes too.
        assert_eq!(percent_decode("a%20%FF"), "a%20%FF");
        assert_eq!(percent_decode("a+b"), "a+b");
    }
}
