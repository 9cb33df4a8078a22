//! Link and image output: events plus the caller's [`LinkResolver`] in; events with
//! resolved hrefs (and wikilink labels), and images as `<img … loading="lazy">` out.

use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::events::{Ev, element, escape, html, matching_end, plain_text};
use super::links::internal_kind;
use super::{LinkKind, LinkResolver, ResolvedLink, Warning, embed_marker};

/// Asks the real resolver once per link even though a page is rendered twice (body and
/// summary): resolvers may count or report what they are asked.
pub(super) struct Memo<'r> {
    inner: &'r dyn LinkResolver,
    answers: RefCell<HashMap<usize, Option<ResolvedLink>>>,
}

impl<'r> Memo<'r> {
    pub(super) fn new(inner: &'r dyn LinkResolver) -> Self {
        Self {
            inner,
            answers: RefCell::new(HashMap::new()),
        }
    }
}

impl LinkResolver for Memo<'_> {
    fn resolve(&self, kind: LinkKind, dest: &str, offset: usize) -> Option<ResolvedLink> {
        if let Some(answer) = self.answers.borrow().get(&offset) {
            return answer.clone();
        }
        let answer = self.inner.resolve(kind, dest, offset);
        self.answers.borrow_mut().insert(offset, answer.clone());
        answer
    }
}

/// Rewrites internal link and image destinations through the resolver. An unlabeled
/// wikilink also takes the resolver's text (usually the target page's title). A link the
/// resolver marks `plain` loses its `<a>` and keeps its label; an image keeps its source.
///
/// An embed (`![[Note]]`) on a line of its own that the resolver includes becomes a
/// `<section class="embed">` holding a link to the note and the marker the render stage
/// puts the note's body in by; with `include` off (the summary) and inside a line of text
/// it is a link to the note (the latter with a warning).
pub(super) fn links<'a>(
    events: Vec<Ev<'a>>,
    resolver: &dyn LinkResolver,
    include: bool,
    warnings: &mut Vec<Warning>,
) -> Vec<Ev<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut skip_until = None;
    let mut skip_label_until = None;
    // `End`s of unlinked links still to drop, and of embeds written as links; links nest,
    // so the next one is on top.
    let mut drop_ends: Vec<usize> = Vec::new();
    let mut link_ends: Vec<usize> = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        if let Some(end) = skip_until {
            if index <= end {
                continue;
            }
            skip_until = None;
        }
        if include {
            if let Some((block, end)) = embed_block(&events, index, resolver) {
                out.push(html(block, range));
                skip_until = Some(end);
                continue;
            }
        }
        if let Some(end) = skip_label_until {
            if index < end {
                continue;
            }
            skip_label_until = None;
        }
        if drop_ends.last() == Some(&index) {
            drop_ends.pop();
            continue;
        }
        if link_ends.last() == Some(&index) {
            link_ends.pop();
            out.push((Event::End(TagEnd::Link), range.clone()));
            continue;
        }
        let Event::Start(tag) = event else {
            out.push((event.clone(), range.clone()));
            continue;
        };
        let kind = internal_kind(tag);
        let resolved = kind.and_then(|kind| resolver.resolve(kind, destination(tag), range.start));
        let Some(resolved) = resolved else {
            out.push((event.clone(), range.clone()));
            continue;
        };
        let embed = kind == Some(LinkKind::Embed);
        if resolved.plain {
            match (tag, matching_end(&events, index)) {
                (Tag::Link { .. }, Some(end)) => drop_ends.push(end),
                (Tag::Image { .. }, Some(end)) if embed => drop_ends.push(end),
                _ => out.push((event.clone(), range.clone())),
            }
            continue;
        }
        // An embed the resolver could not include is shown as a link to the note.
        let embedded_as_link;
        if embed && include && resolved.embed.is_some() {
            warnings.push(Warning {
                offset: range.start,
                message: format!(
                    "`![[{}]]` inside a line of text is shown as a link",
                    destination(tag)
                ),
                hint: Some(
                    "put the embed on a line of its own to include the note there".to_owned(),
                ),
            });
        }
        let tag = if embed {
            if let Some(end) = matching_end(&events, index) {
                link_ends.push(end);
            }
            embedded_as_link = as_wikilink(tag);
            &embedded_as_link
        } else {
            tag
        };
        out.push((
            Event::Start(with_destination(tag, resolved.href)),
            range.clone(),
        ));
        if let (true, Some(text)) = (is_unlabeled_wikilink(tag), resolved.text) {
            out.push((Event::Text(CowStr::from(text)), range.clone()));
            skip_label_until = matching_end(&events, index);
        }
    }
    out
}

/// A paragraph at `index` holding nothing but an embed the resolver includes: the
/// `<section>` it becomes, and the index of the paragraph's `End`.
fn embed_block(
    events: &[Ev<'_>],
    index: usize,
    resolver: &dyn LinkResolver,
) -> Option<(String, usize)> {
    let (_, end) = element(events, index, |tag| matches!(tag, Tag::Paragraph))?;
    let blank = |event: &Event<'_>| match event {
        Event::Text(text) => text.trim().is_empty(),
        Event::SoftBreak => true,
        _ => false,
    };
    let inner = &events[index + 1..end];
    let first = inner.iter().position(|(event, _)| !blank(event))?;
    let (Event::Start(tag), range) = &inner[first] else {
        return None;
    };
    let image_end = matching_end(inner, first)?;
    if internal_kind(tag) != Some(LinkKind::Embed)
        || !inner[image_end + 1..].iter().all(|(event, _)| blank(event))
    {
        return None;
    }
    let resolved = resolver.resolve(LinkKind::Embed, destination(tag), range.start)?;
    let key = resolved.embed.as_deref()?;
    let label = resolved
        .text
        .clone()
        .unwrap_or_else(|| plain_text(&inner[first + 1..image_end]));
    let block = format!(
        "<section class=\"embed\">\n<p class=\"embed-source\"><a href=\"{}\">{}</a></p>\n{}\n</section>\n",
        escape(&resolved.href),
        escape(&label),
        embed_marker(key),
    );
    Some((block, end))
}

/// `![[Note]]` as the wikilink `[[Note]]`.
fn as_wikilink<'a>(tag: &Tag<'a>) -> Tag<'a> {
    match tag {
        Tag::Image {
            dest_url,
            title,
            id,
            ..
        } => Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: false },
            dest_url: dest_url.clone(),
            title: title.clone(),
            id: id.clone(),
        },
        other => other.clone(),
    }
}

fn destination<'t>(tag: &'t Tag<'_>) -> &'t str {
    match tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => dest_url,
        _ => "",
    }
}

fn with_destination<'a>(tag: &Tag<'a>, href: String) -> Tag<'a> {
    let mut tag = tag.clone();
    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
        *dest_url = CowStr::from(href);
    }
    tag
}

fn is_unlabeled_wikilink(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: false },
            ..
        }
    )
}

/// Collapses each image into one `<img>` element with `alt` and `loading="lazy"`, and
/// warns about images without alt text (screen readers would only announce "image").
pub(super) fn images<'a>(events: Vec<Ev<'a>>, warnings: &mut Vec<Warning>) -> Vec<Ev<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut index = 0;
    while let Some((event, range)) = events.get(index) {
        let Some((tag, end)) = element(&events, index, |tag| matches!(tag, Tag::Image { .. }))
        else {
            out.push((event.clone(), range.clone()));
            index += 1;
            continue;
        };
        let label = image_alt(tag, &events[index + 1..end]);
        // Obsidian: `![[chart.png|300]]` (or `|300x200`) is a size, not a description.
        let size = obsidian_size(tag, &label);
        let alt = if size.is_some() { String::new() } else { label };
        if alt.is_empty() {
            warnings.push(Warning {
                offset: range.start,
                message: super::NO_ALT_TEXT.to_string(),
                hint: Some("describe the image: ![what it shows](file.png)".to_string()),
            });
        }
        out.push(html(img(tag, &alt, size), range));
        index = end + 1;
    }
    out
}

/// `![[file.png]]` shows its file name as the label, which is not a description.
fn image_alt(tag: &Tag<'_>, label: &[Ev<'_>]) -> String {
    match tag {
        Tag::Image {
            link_type: LinkType::WikiLink { has_pothole: false },
            ..
        } => String::new(),
        _ => plain_text(label),
    }
}

/// The width (and height) a wikilink image's label gives it: `300`, `300x200`.
fn obsidian_size(tag: &Tag<'_>, label: &str) -> Option<(u32, Option<u32>)> {
    if !matches!(
        tag,
        Tag::Image {
            link_type: LinkType::WikiLink { .. },
            ..
        }
    ) {
        return None;
    }
    let (w, h) = match label.trim().split_once('x') {
        Some((w, h)) => (w, Some(h)),
        None => (label.trim(), None),
    };
    let w = w.parse::<u32>().ok().filter(|w| *w > 0)?;
    let h = match h {
        Some(h) => Some(h.parse::<u32>().ok().filter(|h| *h > 0)?),
        None => None,
    };
    Some((w, h))
}

fn img(tag: &Tag<'_>, alt: &str, size: Option<(u32, Option<u32>)>) -> String {
    let (src, title) = match tag {
        Tag::Image {
            dest_url, title, ..
        } => (dest_url.as_ref(), title.as_ref()),
        _ => ("", ""),
    };
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    };
    let size = match size {
        Some((w, Some(h))) => format!(" width=\"{w}\" height=\"{h}\""),
        Some((w, None)) => format!(" width=\"{w}\""),
        None => String::new(),
    };
    format!(
        "<img src=\"{}\" alt=\"{}\"{title}{size} loading=\"lazy\">",
        escape(&src.replace(' ', "%20")),
        escape(alt),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::MarkdownOptions;
    use crate::parse::markdown::events::parse;
    use pulldown_cmark::TagEnd;

    fn has_image_events(events: &[Ev<'_>]) -> bool {
        events.iter().any(|(event, _)| {
            matches!(
                event,
                Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image)
            )
        })
    }

    #[test]
    fn images_become_lazy_img_elements() {
        let body = "![A \"chart\"](<my chart.png> 'Fig 1') ![](x.png)\n";
        let mut warnings = Vec::new();
        let events = images(parse(body, &MarkdownOptions::default()), &mut warnings);
        assert!(!has_image_events(&events));
        let html: Vec<String> = events
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Html(html) => Some(html.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            html,
            vec![
                "<img src=\"my%20chart.png\" alt=\"A &quot;chart&quot;\" title=\"Fig 1\" loading=\"lazy\">",
                "<img src=\"x.png\" alt=\"\" loading=\"lazy\">",
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(Some(warnings[0].offset), body.find("![]"));
    }
}
