//! Embeds that cannot be included all the way: `![[Note]]` edges between bodies in; a
//! located warning for each embed on a cycle (a embeds b embeds a) or at the start of a
//! chain deeper than [`EMBED_DEPTH`] out. The render stage cuts both the same way (the
//! repeated or too-deep note is shown as the link heading its box), so these only explain.

use std::collections::HashMap;

use crate::parse::markdown::EMBED_DEPTH;

use super::index::Target;

/// One embed: the body holding it, the body it includes, and its index in the holder's
/// links.
pub(super) type Edge = (Target, Target, usize);

/// What is wrong with one embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Trouble {
    /// Including the target leads back to the holder: the path of bodies, holder first.
    Cycle(Vec<Target>),
    /// Includes nest deeper than [`EMBED_DEPTH`] from here (the depth reached).
    TooDeep(usize),
}

/// The troubled embeds of `edges`, as (index into `edges`, trouble).
pub(super) fn check(edges: &[Edge]) -> Vec<(usize, Trouble)> {
    let mut out_of: HashMap<Target, Vec<Target>> = HashMap::new();
    for &(from, to, _) in edges {
        let list = out_of.entry(from).or_default();
        if !list.contains(&to) {
            list.push(to);
        }
    }
    let mut troubles = Vec::new();
    for (i, &(from, to, _)) in edges.iter().enumerate() {
        if let Some(mut path) = path_to(&out_of, to, from) {
            path.insert(0, from);
            troubles.push((i, Trouble::Cycle(path)));
            continue;
        }
        let depth = 1 + longest(&out_of, to, &mut vec![from]);
        if depth > EMBED_DEPTH {
            troubles.push((i, Trouble::TooDeep(depth)));
        }
    }
    troubles
}

/// A path of embeds from `from` to `to` (both included), if any.
fn path_to(out_of: &HashMap<Target, Vec<Target>>, from: Target, to: Target) -> Option<Vec<Target>> {
    let mut stack = vec![(from, vec![from])];
    let mut seen = vec![from];
    while let Some((at, path)) = stack.pop() {
        if at == to {
            return Some(path);
        }
        for &next in out_of.get(&at).map_or(&[][..], Vec::as_slice) {
            if !seen.contains(&next) {
                seen.push(next);
                let mut p = path.clone();
                p.push(next);
                stack.push((next, p));
            }
        }
    }
    None
}

/// The longest chain of embeds below `at` (0 for a body that embeds nothing), not
/// revisiting `on_path`, and never counting past `EMBED_DEPTH`.
fn longest(out_of: &HashMap<Target, Vec<Target>>, at: Target, on_path: &mut Vec<Target>) -> usize {
    if on_path.len() > EMBED_DEPTH {
        return 0;
    }
    on_path.push(at);
    let mut best = 0;
    for &next in out_of.get(&at).map_or(&[][..], Vec::as_slice) {
        if !on_path.contains(&next) {
            best = best.max(1 + longest(out_of, next, on_path));
        }
    }
    on_path.pop();
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(i: usize) -> Target {
        Target::Page(i.into())
    }

    #[test]
    fn a_cycle_is_found_on_each_of_its_embeds() {
        let (a, b, c) = (page(0), page(1), page(2));
        let edges = [(a, b, 0), (b, a, 3), (a, c, 1)];
        assert_eq!(
            check(&edges),
            [
                (0, Trouble::Cycle(vec![a, b, a])),
                (1, Trouble::Cycle(vec![b, a, b]))
            ]
        );
    }

    #[test]
    fn a_note_embedding_itself_is_a_cycle() {
        let a = page(0);
        assert_eq!(check(&[(a, a, 0)]), [(0, Trouble::Cycle(vec![a, a]))]);
    }

    #[test]
    fn chains_deeper_than_the_limit_are_reported_where_they_start() {
        let pages: Vec<Target> = (0..=EMBED_DEPTH + 1).map(page).collect();
        let edges: Vec<Edge> = pages.windows(2).map(|w| (w[0], w[1], 0)).collect();
        let troubles = check(&edges);
        assert_eq!(troubles, [(0, Trouble::TooDeep(EMBED_DEPTH + 1))]);
        let shallow = &edges[1..];
        assert!(check(shallow).is_empty(), "{EMBED_DEPTH} levels are fine");
    }
}
