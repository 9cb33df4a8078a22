//! Table of contents: a page's flat list of headings in, a tree nested by level out.

use super::{Heading, TocEntry};

/// Nests headings by level. A deeper heading goes under the closest shallower one before
/// it, so a jump from h2 to h4 nests the h4 under the h2 (no empty h3 level is invented);
/// headings before any shallower one stay at the top.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut roots = Vec::new();
    for heading in headings {
        insert(
            &mut roots,
            TocEntry {
                level: heading.level,
                id: heading.id.clone(),
                title: heading.text.clone(),
                children: Vec::new(),
            },
        );
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str) -> Heading {
        Heading {
            level,
            text: text.to_string(),
            id: text.to_lowercase(),
        }
    }

    /// `title(children…)` notation, to compare whole trees at a glance.
    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|entry| {
                if entry.children.is_empty() {
                    entry.title.clone()
                } else {
                    format!("{}({})", entry.title, shape(&entry.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level() {
        let headings = [
            heading(2, "A"),
            heading(3, "A1"),
            heading(3, "A2"),
            heading(4, "A2x"),
            heading(2, "B"),
            heading(3, "B1"),
        ];
        assert_eq!(shape(&toc(&headings)), "A(A1 A2(A2x)) B(B1)");
    }

    #[test]
    fn skipped_level_nests_under_the_previous_heading() {
        let headings = [
            heading(2, "A"),
            heading(4, "Deep"),
            heading(3, "Mid"),
            heading(2, "B"),
        ];
        assert_eq!(shape(&toc(&headings)), "A(Deep Mid) B");
    }

    #[test]
    fn leading_deep_heading_stays_at_top() {
        let headings = [heading(3, "Early"), heading(2, "A"), heading(3, "A1")];
        let tree = toc(&headings);
        assert_eq!(shape(&tree), "Early A(A1)");
        assert_eq!(tree[1].id, "a");
        assert_eq!(tree[1].level, 2);
    }
}
