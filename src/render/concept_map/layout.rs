//! Concept map layout: term counts and co-occurrence weights in; which edges to draw, the
//! order of the concepts around a circle, and each node's position and size out.
//!
//! A circular layout keeps the map readable without any tuning: nodes never overlap (the
//! ring grows with their number), labels stand radially outside the ring, so neighbours
//! cannot collide, and edges are chords inside it. Crossings are reduced by placing
//! concepts that share many articles next to each other (a greedy chain, then pairwise
//! swaps while the total weighted chord length shrinks). Everything is deterministic.

use std::f64::consts::PI;

/// Smallest and largest node radius (area grows with the article count).
pub(super) const R_MIN: f64 = 7.0;
pub(super) const R_MAX: f64 = 20.0;
/// Free space between two neighbouring nodes on the ring, at their largest.
const GAP: f64 = 10.0;
/// The ring is never smaller than this, so a few concepts still make a map.
const MIN_RING: f64 = 160.0;
/// Each concept keeps its strongest few edges; more turns the middle into a hairball.
const EDGES_PER_NODE: usize = 2;
/// Upper bound of swap passes (each pass tries every pair; most maps settle in 3 or 4).
const MAX_PASSES: usize = 12;

/// A weighted, undirected edge between node indexes (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edge {
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) weight: u32,
}

/// Where a node goes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) r: f64,
    /// Angle on the ring, radians, 0 = east, clockwise (SVG's y grows downwards).
    pub(super) angle: f64,
}

/// The drawing: node placements (by node index), the ring radius and the edges to draw.
#[derive(Debug)]
pub(super) struct Layout {
    pub(super) nodes: Vec<Placed>,
    pub(super) ring: f64,
    pub(super) edges: Vec<Edge>,
}

/// Lays out nodes with article `counts`, given all co-occurrence `edges`.
pub(super) fn layout(counts: &[usize], edges: &[Edge]) -> Layout {
    let n = counts.len();
    let edges = strongest(n, edges);
    let order = circular_order(n, &edges);
    let ring = ring_radius(n);
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let mut nodes = vec![
        Placed {
            x: 0.0,
            y: 0.0,
            r: R_MIN,
            angle: 0.0
        };
        n
    ];
    for (pos, &node) in order.iter().enumerate() {
        // Start at the top (−90°) and go clockwise.
        // A lone node sits in the middle with its label to the east, the right way up.
        let angle = if n == 1 {
            0.0
        } else {
            -PI / 2.0 + 2.0 * PI * pos as f64 / n as f64
        };
        let (x, y) = if n == 1 {
            (0.0, 0.0)
        } else {
            (ring * angle.cos(), ring * angle.sin())
        };
        let r = R_MIN + (R_MAX - R_MIN) * (counts[node] as f64 / max).sqrt();
        nodes[node] = Placed { x, y, r, angle };
    }
    Layout {
        nodes,
        ring: if n == 1 { 0.0 } else { ring },
        edges,
    }
}

/// Ring radius at which `n` nodes of the largest size sit `GAP` apart (chord length).
pub(super) fn ring_radius(n: usize) -> f64 {
    if n < 2 {
        return MIN_RING;
    }
    let needed = (2.0 * R_MAX + GAP) / (2.0 * (PI / n as f64).sin());
    needed.max(MIN_RING)
}

/// The edges worth drawing: each node's `EDGES_PER_NODE` strongest (ties: the other node's
/// index), so every connected concept shows at least one link and hubs do not drown the map.
fn strongest(n: usize, edges: &[Edge]) -> Vec<Edge> {
    let mut sorted = edges.to_vec();
    sorted.sort_by_key(|e| (std::cmp::Reverse(e.weight), e.a, e.b));
    let mut kept_per_node = vec![0usize; n];
    let mut keep = Vec::new();
    for e in sorted {
        if kept_per_node[e.a] < EDGES_PER_NODE || kept_per_node[e.b] < EDGES_PER_NODE {
            kept_per_node[e.a] += 1;
            kept_per_node[e.b] += 1;
            keep.push(e);
        }
    }
    keep.sort_by_key(|e| (e.a, e.b));
    keep
}

/// Positions on the ring (`order[pos] = node`), strongly linked nodes close together.
fn circular_order(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut adj = vec![vec![0u32; n]; n];
    for e in edges {
        adj[e.a][e.b] += e.weight;
        adj[e.b][e.a] += e.weight;
    }
    let mut order = greedy_chain(&adj);
    improve(&mut order, edges);
    order
}

/// Starts at node 0 (the biggest concept) and appends, each time, the unplaced node most
/// tied to the last one placed (then: to all placed ones; then: the lowest index).
fn greedy_chain(adj: &[Vec<u32>]) -> Vec<usize> {
    let n = adj.len();
    let mut placed = vec![false; n];
    let mut to_placed = vec![0u32; n];
    let mut order = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let next = (0..n).filter(|&j| !placed[j]).max_by_key(|&j| {
            (
                last.map_or(0, |l: usize| adj[l][j]),
                to_placed[j],
                std::cmp::Reverse(j),
            )
        });
        let Some(next) = next else { break };
        placed[next] = true;
        order.push(next);
        for (j, total) in to_placed.iter_mut().enumerate() {
            *total += adj[next][j];
        }
        last = Some(next);
    }
    order
}

/// Swaps pairs of positions while that shortens the total weighted chord length.
fn improve(order: &mut [usize], edges: &[Edge]) {
    let n = order.len();
    let mut pos = vec![0; n];
    for (p, &node) in order.iter().enumerate() {
        pos[node] = p;
    }
    let cost = |pos: &[usize]| -> u64 {
        edges
            .iter()
            .map(|e| u64::from(e.weight) * ring_distance(pos[e.a], pos[e.b], n) as u64)
            .sum()
    };
    let mut best = cost(&pos);
    for _ in 0..MAX_PASSES {
        let mut improved = false;
        for i in 0..n {
            for j in i + 1..n {
                pos.swap(order[i], order[j]);
                let c = cost(&pos);
                if c < best {
                    best = c;
                    order.swap(i, j);
                    improved = true;
                } else {
                    pos.swap(order[i], order[j]);
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Steps between two ring positions, the short way round.
fn ring_distance(p: usize, q: usize, n: usize) -> usize {
    let d = p.abs_diff(q);
    d.min(n - d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: usize, b: usize, weight: u32) -> Edge {
        Edge { a, b, weight }
    }

    #[test]
    fn nodes_never_overlap_and_the_ring_grows() {
        for n in [2, 5, 40, 60] {
            let counts: Vec<usize> = (0..n).map(|i| 40 - i % 40).collect();
            let l = layout(&counts, &[]);
            for i in 0..n {
                for j in i + 1..n {
                    let (p, q) = (l.nodes[i], l.nodes[j]);
                    let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                    assert!(
                        d >= p.r + q.r + GAP - 0.01,
                        "n={n}: {i} and {j} are {d} apart"
                    );
                }
            }
        }
        assert!(ring_radius(40) > ring_radius(10));
    }

    #[test]
    fn each_node_keeps_its_strongest_edges() {
        // A complete graph on five nodes, every weight different.
        let weights = [
            ((0, 1), 10),
            ((0, 2), 9),
            ((1, 2), 8),
            ((3, 4), 7),
            ((0, 3), 6),
            ((1, 3), 5),
            ((2, 4), 4),
            ((0, 4), 3),
            ((1, 4), 2),
            ((2, 3), 1),
        ];
        let all: Vec<Edge> = weights.iter().map(|&((a, b), w)| edge(a, b, w)).collect();
        let kept: Vec<(usize, usize)> = strongest(5, &all).iter().map(|e| (e.a, e.b)).collect();
        // Taken while one end still has fewer than two: (0,3) for 3, (2,4) for 4.
        assert_eq!(kept, [(0, 1), (0, 2), (0, 3), (1, 2), (2, 4), (3, 4)]);
    }

    #[test]
    fn linked_nodes_end_up_neighbours() {
        // Two triangles 0-2-4 and 1-3-5: a good order keeps each triangle together.
        let edges = [
            edge(0, 2, 3),
            edge(2, 4, 3),
            edge(0, 4, 3),
            edge(1, 3, 3),
            edge(3, 5, 3),
            edge(1, 5, 3),
        ];
        let order = circular_order(6, &edges);
        let mut pos = [0; 6];
        for (p, &node) in order.iter().enumerate() {
            pos[node] = p;
        }
        // Contiguous triangles cost 3 × (1 + 1 + 2) each; any interleaving costs more.
        let cost: usize = edges
            .iter()
            .map(|e| e.weight as usize * ring_distance(pos[e.a], pos[e.b], 6))
            .sum();
        assert_eq!(cost, 24, "{order:?}");
        assert_eq!(order, circular_order(6, &edges), "deterministic");
    }

    #[test]
    fn a_single_node_sits_in_the_middle() {
        let l = layout(&[3], &[]);
        assert_eq!(
            (l.nodes[0].x, l.nodes[0].y, l.nodes[0].r),
            (0.0, 0.0, R_MAX)
        );
    }
}
