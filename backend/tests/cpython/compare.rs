//! The comparison: the same lines (as a multiset), in CPython's order wherever CPython's
//! order is fixed, and the same time within a stated tolerance.

use std::collections::HashMap;

/// Two lines whose order CPython shows with at least this much time between them are in a
/// fixed order; closer ones (two threads printing at once) may come either way.
pub(crate) const FIXED_ORDER_GAP_S: f64 = 0.05;

/// How far looplab's time may be from CPython's: this much, plus [`WALL_TOLERANCE_SHARE`]
/// of CPython's time.
pub(crate) const WALL_TOLERANCE_S: f64 = 0.15;

/// The share of CPython's time looplab's may differ by, beyond [`WALL_TOLERANCE_S`]: the
/// cost model of computations is calibrated on one machine, not this one.
pub(crate) const WALL_TOLERANCE_SHARE: f64 = 0.2;

/// What is wrong with looplab's console, if anything. Each of the `optional` lines may be
/// missing once from either side (a daemon terminated or abandoned at exit may or may not
/// have printed it).
pub(crate) fn console(
    cpython: &[(f64, String)],
    looplab: &[(f64, String)],
    optional: &[String],
) -> Result<(), String> {
    fn count(lines: &[(f64, String)]) -> HashMap<&str, usize> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (_, l) in lines {
            *counts.entry(l.as_str()).or_default() += 1;
        }
        counts
    }
    let (theirs, ours) = (count(cpython), count(looplab));
    let mut texts: Vec<&str> = theirs.keys().chain(ours.keys()).copied().collect();
    texts.sort_unstable();
    texts.dedup();
    for text in texts {
        let (t, o) = (
            theirs.get(text).copied().unwrap_or(0),
            ours.get(text).copied().unwrap_or(0),
        );
        // Each optional line may be missing from either side once.
        let slack = optional.iter().filter(|l| *l == text).count();
        if t.abs_diff(o) > slack {
            return Err(format!(
                "{text:?} printed {t} time(s) by CPython, {o} by looplab"
            ));
        }
    }
    // Order: the k-th occurrence of a line in one stands for the k-th in the other.
    type At<'a> = HashMap<(&'a str, usize), (usize, f64)>;
    fn position(lines: &[(f64, String)]) -> At<'_> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        lines
            .iter()
            .enumerate()
            .map(|(i, (t, l))| {
                let k = seen.entry(l.as_str()).or_default();
                *k += 1;
                ((l.as_str(), *k), (i, *t))
            })
            .collect()
    }
    let ours_at = position(looplab);
    let theirs_at = position(cpython);
    let mut pairs: Vec<_> = theirs_at.iter().collect();
    pairs.sort_by_key(|(_, (i, _))| *i);
    for (a, (_, ta)) in &pairs {
        for (b, (_, tb)) in &pairs {
            if tb - ta >= FIXED_ORDER_GAP_S
                && let (Some((ia, _)), Some((ib, _))) = (ours_at.get(a), ours_at.get(b))
                && ia > ib
            {
                return Err(format!(
                    "CPython prints {:?} {:.0} ms before {:?}; looplab prints it after",
                    a.0,
                    (tb - ta) * 1e3,
                    b.0
                ));
            }
        }
    }
    Ok(())
}

/// Whether looplab's time is CPython's, within the tolerance.
pub(crate) fn wall(cpython_s: f64, looplab_s: f64) -> Result<(), String> {
    let allowed = WALL_TOLERANCE_S + WALL_TOLERANCE_SHARE * cpython_s;
    if (cpython_s - looplab_s).abs() <= allowed {
        Ok(())
    } else {
        Err(format!(
            "CPython took {cpython_s:.3} s, looplab {looplab_s:.3} s (allowed ±{allowed:.3} s)"
        ))
    }
}

/// The line a traceback ends with, as a learner reads it: stderr's last line, or for an
/// exception group the group's own line (below it CPython draws each sub-exception's
/// traceback in a box).
pub(crate) fn exception_line(stderr: &str) -> Option<&str> {
    let mut lines = stderr.lines().map(str::trim);
    if stderr.contains("+ Exception Group Traceback") {
        lines.find_map(|l| {
            l.strip_prefix("| ")
                .filter(|rest| rest.contains("ExceptionGroup: "))
        })
    } else {
        lines.rfind(|l| !l.is_empty())
    }
}

/// Whether looplab's run ends as CPython's: the same exit status and, for a program that
/// raised, the same exception line, which is also the run's `Failed` reason.
pub(crate) fn ending(
    cpython: (i32, &str),
    looplab: (i32, &str),
    reason: Option<&str>,
) -> Result<(), String> {
    if cpython.0 != looplab.0 {
        return Err(format!(
            "CPython exits {}, looplab {}; CPython's stderr:\n{}\nlooplab's:\n{}",
            cpython.0, looplab.0, cpython.1, looplab.1
        ));
    }
    if cpython.0 == 0 {
        return Ok(());
    }
    let theirs = exception_line(cpython.1);
    let ours = exception_line(looplab.1);
    if theirs.is_none() || theirs != ours || theirs != reason {
        return Err(format!(
            "CPython ends with {theirs:?}, looplab with {ours:?} (its run failed for {reason:?})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(l: &[(f64, &str)]) -> Vec<(f64, String)> {
        l.iter().map(|(t, s)| (*t, (*s).to_owned())).collect()
    }

    #[test]
    fn the_comparison_allows_only_what_cpython_leaves_open() {
        let cpython = lines(&[(0.0, "a"), (0.001, "b"), (1.0, "c")]);
        // a and b came together: either order; c came later: last.
        assert!(console(&cpython, &lines(&[(0.0, "b"), (0.0, "a"), (1.0, "c")]), &[]).is_ok());
        assert!(console(&cpython, &lines(&[(0.0, "c"), (0.0, "a"), (1.0, "b")]), &[]).is_err());
        assert!(console(&cpython, &lines(&[(0.0, "a"), (1.0, "c")]), &[]).is_err());
        assert!(console(&cpython, &lines(&[(0.0, "a"), (1.0, "c")]), &["b".into()]).is_ok());
        // An optional line may be missing once, not more: a daemon's print, not also the
        // same line of a thread that is joined.
        let twice = lines(&[(0.0, "w"), (0.0, "w")]);
        assert!(console(&twice, &lines(&[(0.0, "w")]), &["w".into()]).is_ok());
        assert!(console(&twice, &[], &["w".into()]).is_err());
        assert!(wall(1.0, 1.3).is_ok() && wall(1.0, 1.5).is_err());
    }

    #[test]
    fn an_uncaught_exception_ends_both_alike() {
        let cpython = "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    raise ValueError(\"boom\")\nValueError: boom\n";
        let looplab = "looplab: the run failed:\nValueError: boom\n";
        let boom = Some("ValueError: boom");
        assert_eq!(exception_line(cpython), boom);
        assert!(ending((1, cpython), (1, looplab), boom).is_ok());
        assert!(ending((1, cpython), (0, ""), None).is_err());
        assert!(
            ending(
                (1, cpython),
                (1, "looplab: the run failed:\nValueError\n"),
                boom
            )
            .is_err()
        );
        assert!(ending((1, cpython), (1, looplab), Some("ValueError")).is_err());
        assert!(ending((0, "a warning"), (0, ""), None).is_ok());
        let group = "  + Exception Group Traceback (most recent call last):\n  |   File \"x.py\", line 9, in main\n  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)\n  +-+---------------- 1 ----------------\n    | Traceback (most recent call last):\n    | ValueError: bad\n    +------------------------------------\n";
        assert_eq!(
            exception_line(group),
            Some("ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)")
        );
    }
}
