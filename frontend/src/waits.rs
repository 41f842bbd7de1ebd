//! A suspended or blocked span's wait in words, with who holds what it waits for:
//! "waiting for lock `db`, held by `writer`", "semaphore `sem` full (3/3: a, b, c)",
//! "queue `q` empty", "awaiting `fetch(2)`". The tooltip and the screen reader's text say it.

use looplab_shared::model::ResourceKind;

use crate::resources::{capacity, holders_at, names, quoted, size_at};
use crate::state::{RunView, Span, UseOp, WaitOn};

/// What `span` of `subject` waited for, in words, with who held it at `at` (the moment
/// pointed at); without a moment, who held it when the wait began, and whether that changed
/// before it ended. `None` for a span that is no wait on anything in particular.
pub fn wait_words(run: &RunView, subject: usize, span: &Span, at: Option<u64>) -> Option<String> {
    let on = span.on?;
    let t = at.map_or(span.start, |t| {
        t.clamp(span.start, span.end.unwrap_or(t).max(span.start))
    });
    let words = words_at(run, subject, on, t);
    let r = match on {
        WaitOn::Lock(r) | WaitOn::ThreadLock(Some(r)) => r,
        _ => return Some(words),
    };
    Some(if at.is_none() && holders_changed(run, subject, r, span) {
        format!("{words} at first; the holders changed during the wait")
    } else {
        words
    })
}

/// Whether anyone but `subject` took `resource` while `span` lasted: a holder letting it go
/// is how a wait ends, someone else taking it is a new holder the first words did not name.
fn holders_changed(run: &RunView, subject: usize, resource: u32, span: &Span) -> bool {
    let end = span.end.unwrap_or(run.last_t_ns);
    run.uses.iter().any(|u| {
        u.resource == resource
            && u.subject as usize != subject
            && u.op == UseOp::Acquired
            && u.t_ns > span.start
            && u.t_ns < end
    })
}

fn words_at(run: &RunView, subject: usize, on: WaitOn, t: u64) -> String {
    let resource = |r: u32| run.resources.get(r as usize);
    let name = |r: u32| resource(r).map_or_else(|| "?".to_owned(), |x| x.name.clone());
    let kind = |r: u32| resource(r).map(|x| x.kind);
    let held = |r: u32| {
        let mut holders = holders_at(run, r, t);
        holders.retain(|&h| h as usize != subject);
        holders
    };
    let held_by = |r: u32| match held(r).as_slice() {
        [] => String::new(),
        holders => format!(", held by {}", quote_all(run, holders)),
    };
    match on {
        WaitOn::Lock(r) => match kind(r) {
            Some(ResourceKind::Semaphore { value }) => {
                let holders = holders_at(run, r, t);
                let who = match holders.as_slice() {
                    [] => String::new(),
                    h => format!(": {}", names(run, h)),
                };
                format!(
                    "semaphore `{}` full ({}/{value}{who})",
                    name(r),
                    holders.len()
                )
            }
            _ => format!("waiting for lock `{}`{}", name(r), held_by(r)),
        },
        WaitOn::ThreadLock(Some(r)) => {
            format!("waiting for threading.Lock `{}`{}", name(r), held_by(r))
        }
        WaitOn::ThreadLock(None) => "waiting for a threading.Lock another thread holds".into(),
        WaitOn::Put(r) => {
            let size = size_at(run, r, t);
            match kind(r).and_then(capacity) {
                Some(max) => format!("queue `{}` full ({size}/{max})", name(r)),
                None => format!("queue `{}` full ({size})", name(r)),
            }
        }
        WaitOn::Get(r) => format!("queue `{}` empty", name(r)),
        WaitOn::Join(r) => format!(
            "waiting in `{}.join()` until every item put is marked done",
            name(r)
        ),
        WaitOn::Event(r) => format!("event `{}` not set yet", name(r)),
        WaitOn::Await(s) => format!("awaiting {}", quoted(run, s)),
        WaitOn::Gather(n) => format!("gathering {n} {}", if n == 1 { "task" } else { "tasks" }),
    }
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn quote_all(run: &RunView, subjects: &[u32]) -> String {
    let q: Vec<String> = subjects.iter().map(|&s| quoted(run, s)).collect();
    match q.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use looplab_shared::model::{Resource, ResourceKind};

    use super::*;
    use crate::resources::tests::run_with;
    use crate::state::SpanKind;

    fn wait(start: u64, on: WaitOn) -> Span {
        Span {
            start,
            end: Some(start + 10),
            kind: WaitOn::suspended(Some(on)),
            on: Some(on),
        }
    }

    #[test]
    fn waits_name_what_they_wait_for_and_who_holds_it() {
        use UseOp::{Acquired, Put};
        let resource = |name: &str, kind| Resource {
            name: name.into(),
            kind,
        };
        let mut run = run_with(
            &["main", "writer", "a", "b", "c", "fetch(2)"],
            &[
                (5, 1, 0, Acquired),
                (5, 2, 1, Acquired),
                (6, 3, 1, Acquired),
                (7, 4, 1, Acquired),
                (8, 1, 2, Put(0)),
                (9, 1, 2, Put(1)),
                (9, 1, 2, Put(2)),
            ],
        );
        run.resources = Rc::new(vec![
            resource("db", ResourceKind::Lock),
            resource("sem", ResourceKind::Semaphore { value: 3 }),
            resource("q", ResourceKind::Queue { maxsize: 3 }),
            resource("ready", ResourceKind::Event),
        ]);
        let check = |subject, span: Span, want: &str| {
            assert_eq!(
                wait_words(&run, subject, &span, None).as_deref(),
                Some(want)
            );
        };
        check(
            5,
            wait(10, WaitOn::Lock(0)),
            "waiting for lock `db`, held by `writer`",
        );
        check(
            5,
            wait(10, WaitOn::Lock(1)),
            "semaphore `sem` full (3/3: a, b, c)",
        );
        check(5, wait(10, WaitOn::Put(2)), "queue `q` full (3/3)");
        check(5, wait(0, WaitOn::Get(2)), "queue `q` empty");
        check(5, wait(0, WaitOn::Event(3)), "event `ready` not set yet");
        check(0, wait(0, WaitOn::Await(5)), "awaiting `fetch(2)`");
        check(0, wait(0, WaitOn::Gather(3)), "gathering 3 tasks");
        check(
            2,
            wait(10, WaitOn::ThreadLock(Some(0))),
            "waiting for threading.Lock `db`, held by `writer`",
        );
        // Before anyone took it, no holder to name; then `writer` took it.
        check(
            5,
            wait(1, WaitOn::Lock(0)),
            "waiting for lock `db` at first; the holders changed during the wait",
        );
        // Pointed at after `writer` took it, the wait names `writer`.
        let at = |t| wait_words(&run, 5, &wait(1, WaitOn::Lock(0)), Some(t));
        assert_eq!(at(3).as_deref(), Some("waiting for lock `db`"));
        assert_eq!(
            at(8).as_deref(),
            Some("waiting for lock `db`, held by `writer`")
        );
        assert_eq!(wait(1, WaitOn::Lock(0)).kind, SpanKind::Contended);
        assert_eq!(wait(1, WaitOn::Await(1)).kind, SpanKind::Suspended);
        let sleep = Span {
            on: None,
            ..wait(0, WaitOn::Gather(1))
        };
        assert_eq!(wait_words(&run, 0, &sleep, None), None);
        assert_eq!(quote_all(&run, &[1, 2, 3]), "`writer`, `a` and `b`");
    }
}
