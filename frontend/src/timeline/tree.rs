//! Subjects as a tree: each under the subject that created it, children in the order of
//! where they ran, then of their creation; a collapsed subject hides everything under it.

use crate::state::RunView;

/// A subject's place in the tree, as its row shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Node {
    /// The subject.
    pub(super) subject: usize,
    /// How deep: 0 for a root (`main`).
    pub(super) depth: usize,
    /// Whether it has subjects under it: `Some(true)` while they show, `Some(false)` once
    /// collapsed.
    pub(super) open: Option<bool>,
    /// How many subjects its collapse hides (all below it); 0 while open.
    pub(super) hidden: usize,
}

/// `subjects` (in the order rows would have them) in tree order, each after its creator,
/// without those under a subject of `collapsed`.
pub(super) fn tree(run: &RunView, subjects: &[usize], collapsed: &[usize]) -> Vec<Node> {
    // Subjects are indices into the tracks: vectors, not maps, so ten thousand cost little.
    let n = run.tracks.len();
    let mut listed = vec![false; n];
    for &s in subjects {
        listed[s] = true;
    }
    let parent = |s: usize| {
        run.tracks[s]
            .parent
            .map(|p| p as usize)
            .filter(|&p| p != s && listed.get(p).copied().unwrap_or(false))
    };
    // Each subject's children, in the order given: a count, then a fill.
    let mut first = vec![0usize; n + 1];
    let mut roots = Vec::new();
    for &s in subjects {
        match parent(s) {
            Some(p) => first[p + 1] += 1,
            None => roots.push(s),
        }
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut next = first.clone();
    let mut kids = vec![0usize; first[n]];
    for &s in subjects {
        if let Some(p) = parent(s) {
            kids[next[p]] = s;
            next[p] += 1;
        }
    }
    let mut out = Vec::with_capacity(subjects.len());
    // Depth first, without recursion: a chain of ten thousand tasks is a deep tree.
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|s| (s, 0)).collect();
    let mut seen = vec![false; n];
    while let Some((s, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        let children = &kids[first[s]..first[s + 1]];
        let open = collapsed.binary_search(&s).is_err();
        out.push(Node {
            subject: s,
            depth,
            open: (!children.is_empty()).then_some(open),
            hidden: if open { 0 } else { below(&first, &kids, s) },
        });
        if open {
            stack.extend(children.iter().rev().map(|&k| (k, depth + 1)));
        }
    }
    out
}

/// How many subjects are below `s`, however deep, given each subject's children as
/// `kids[first[s]..first[s + 1]]`.
fn below(first: &[usize], kids: &[usize], s: usize) -> usize {
    let (mut count, mut stack) = (0, vec![s]);
    let mut seen = vec![false; first.len()];
    while let Some(s) = stack.pop() {
        for &k in &kids[first[s]..first[s + 1]] {
            if !std::mem::replace(&mut seen[k], true) {
                count += 1;
                stack.push(k);
            }
        }
    }
    count
}

/// The subject whose row shows `subject`: itself, or the nearest ancestor with a row when a
/// collapsed subject hides it.
pub(super) fn shown_as(
    run: &RunView,
    subject: usize,
    has_row: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut s = subject;
    for _ in 0..run.tracks.len() {
        if has_row(s) {
            return Some(s);
        }
        s = run.tracks.get(s)?.parent? as usize;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Track;

    fn run(parents: &[Option<u32>]) -> RunView {
        let tracks = parents
            .iter()
            .enumerate()
            .map(|(i, &parent)| Track {
                parent,
                ..Track::new(format!("t{i}"))
            })
            .collect();
        RunView::started(1, "r".into(), 1, tracks)
    }

    fn shape(nodes: &[Node]) -> Vec<(usize, usize, Option<bool>)> {
        nodes.iter().map(|n| (n.subject, n.depth, n.open)).collect()
    }

    #[test]
    fn subjects_nest_under_their_creator_and_collapse() {
        // main creates 1 and 3; 1 creates 2; 3 creates 4; 5 was created by a subject with no
        // row, so it is a root.
        let r = run(&[None, Some(0), Some(1), Some(0), Some(3), Some(9)]);
        let all = [0, 1, 3, 2, 4, 5];
        assert_eq!(
            shape(&tree(&r, &all, &[])),
            vec![
                (0, 0, Some(true)),
                (1, 1, Some(true)),
                (2, 2, None),
                (3, 1, Some(true)),
                (4, 2, None),
                (5, 0, None),
            ]
        );
        assert_eq!(
            shape(&tree(&r, &all, &[1])),
            vec![
                (0, 0, Some(true)),
                (1, 1, Some(false)),
                (3, 1, Some(true)),
                (4, 2, None),
                (5, 0, None),
            ]
        );
        // A collapsed subject counts all it hides, however deep.
        let hidden = |collapsed: &[usize]| -> Vec<(usize, usize)> {
            tree(&r, &all, collapsed)
                .iter()
                .map(|n| (n.subject, n.hidden))
                .filter(|&(_, h)| h > 0)
                .collect()
        };
        assert_eq!(hidden(&[1]), vec![(1, 1)]);
        assert_eq!(hidden(&[0]), vec![(0, 4)]);
        assert_eq!(hidden(&[]), vec![]);
        // A hidden subject is shown on its nearest ancestor's row.
        let rows = [0, 1, 3, 4, 5];
        assert_eq!(shown_as(&r, 2, |s| rows.contains(&s)), Some(1));
        assert_eq!(shown_as(&r, 4, |s| rows.contains(&s)), Some(4));
        assert_eq!(shown_as(&r, 2, |_| false), None);
    }
}
