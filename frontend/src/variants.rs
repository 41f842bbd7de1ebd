//! What a comparison compares: a lesson's own comparison list; a lesson the learner changed
//! against the lesson as written; any other scenario against itself with the GIL switched.

use looplab_shared::model::{LoopFlavor, Scenario, Step};
use looplab_shared::presets::{self, Preset};

/// Most variants one comparison shows.
pub const MAX_VARIANTS: usize = 4;

/// The variants to compare `scenario` with, itself first, each labelled; every one at the
/// scenario's time scale so the comparison is fair. `lesson` is the lesson the scenario is;
/// `from` the one it was made from, if the learner changed it.
pub fn variants(
    scenario: &Scenario,
    lesson: Option<&Preset>,
    from: Option<&Preset>,
) -> Vec<(String, Scenario)> {
    let at_its_speed = |p: &Preset| {
        let mut s = p.scenario();
        s.time_scale = scenario.time_scale;
        s
    };
    if let Some(from) = from.filter(|_| lesson.is_none()) {
        // The lesson's own comparisons are about the lesson, not about the learner's change.
        return vec![
            ("Your version".to_owned(), scenario.clone()),
            (format!("{} (as written)", from.title), at_its_speed(from)),
        ];
    }
    let preset = lesson;
    let mut out = vec![(
        preset.map_or_else(|| scenario.name.clone(), |p| p.title.to_owned()),
        scenario.clone(),
    )];
    let others: Vec<&Preset> = preset
        .map(|p| {
            p.compare
                .iter()
                .filter_map(|id| presets::find(id))
                .collect()
        })
        .unwrap_or_default();
    if others.is_empty() && gil_matters(scenario) {
        let mut flipped = scenario.clone();
        flipped.options.gil = !flipped.options.gil;
        let label = if flipped.options.gil {
            "with the GIL"
        } else {
            "without the GIL"
        };
        out.push((label.to_owned(), flipped));
    }
    for other in others {
        out.push((other.title.to_owned(), at_its_speed(other)));
    }
    out.truncate(MAX_VARIANTS);
    out
}

/// Whether [`variants`] has anything to set beside `scenario`, without building them (the
/// page asks at every render).
pub fn comparable(scenario: &Scenario, lesson: Option<&Preset>, from: Option<&Preset>) -> bool {
    from.is_some() && lesson.is_none()
        || lesson.is_some_and(|p| p.compare.iter().any(|id| presets::find(id).is_some()))
        || gil_matters(scenario)
}

/// Whether switching the GIL could change the run: Python CPU work somewhere other than
/// the one loop thread (a function, run by a pool, a thread or a process; a task on a
/// multi-threaded loop). Otherwise the same program runs the same either way.
pub fn gil_matters(s: &Scenario) -> bool {
    let computes = |steps: &[Step]| {
        let mut found = false;
        for step in steps {
            step.walk(&mut |st| {
                found |= matches!(st, Step::Cpu { .. })
                    || matches!(st, Step::Assign { value, .. } | Step::Return { value }
                        if value.computes());
            });
        }
        found
    };
    let multi = matches!(s.options.loop_flavor, LoopFlavor::MultiThread { .. });
    s.functions.iter().any(|f| computes(&f.steps))
        || (multi && s.tasks.iter().any(|t| computes(&t.steps)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_compares_with_its_list_at_its_own_speed() {
        let gil = presets::find("gil").unwrap();
        let mut s = gil.scenario();
        s.time_scale = 0.5;
        let v = variants(&s, Some(gil), Some(gil));
        let labels: Vec<_> = v.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                gil.title,
                presets::find("gil-off").unwrap().title,
                presets::find("gil-processes").unwrap().title
            ]
        );
        assert!(v.iter().all(|(_, s)| s.time_scale == 0.5));
    }

    #[test]
    fn the_gil_is_offered_only_where_it_can_change_the_run() {
        // The GIL lesson's program, on its own (no lesson list): with and without.
        let gil = presets::find("gil").unwrap().scenario();
        let v = variants(&gil, None, None);
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].0, "without the GIL");
        // A program that only waits on the loop runs the same either way: nothing to offer.
        let scraper = presets::find("semaphore-scraper").unwrap().scenario();
        assert!(!gil_matters(&scraper));
        assert_eq!(variants(&scraper, None, None).len(), 1);
        assert!(!comparable(&scraper, None, None));
        assert!(comparable(&gil, None, None));
    }

    #[test]
    fn anything_else_compares_with_the_gil_switched() {
        let s = presets::find("process-pool").unwrap().scenario();
        let v = variants(&s, None, None);
        assert_eq!(v.len(), 2);
        assert_ne!(v[0].1.options.gil, v[1].1.options.gil);
        // Rayon's chunks are native code: no GIL to switch.
        let rayon = presets::find("rayon").unwrap().scenario();
        assert_eq!(variants(&rayon, None, None).len(), 1);
    }

    #[test]
    fn a_changed_lesson_compares_with_the_lesson_as_written() {
        let gil = presets::find("gil").unwrap();
        let mut s = gil.scenario();
        s.name = "mine".into();
        s.time_scale = 0.5;
        let v = variants(&s, None, Some(gil));
        let labels: Vec<_> = v.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["Your version", &format!("{} (as written)", gil.title)]
        );
        assert_eq!(v[0].1, s);
        let mut written = gil.scenario();
        written.time_scale = 0.5;
        assert_eq!(v[1].1, written);
    }
}
