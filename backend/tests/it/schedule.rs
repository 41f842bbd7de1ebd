//! The ideal schedule the page draws under the measured bars names the run's subjects: every
//! lesson's and challenge's ghosts are the subjects its real run creates, each under the same
//! parent, so each measured row finds its ghost.

use std::collections::{BTreeMap, HashMap};

use looplab_shared::model::Scenario;
use looplab_shared::plan::schedule;
use looplab_shared::presets::{self, challenges};
use looplab_shared::protocol::{EventKind, SubjectKind};

use crate::lessons::execute;

/// Subjects as (name, kind, parent's name), counted.
type Census = BTreeMap<(String, String, String), usize>;

fn measured(events: &[looplab_backend::engine::Record]) -> Census {
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut census = Census::new();
    for e in events {
        if let EventKind::Created { name, what, parent } = &e.kind {
            names.insert(e.subject, name.clone());
            let parent = match what {
                SubjectKind::Main => String::new(),
                _ => names.get(parent).cloned().unwrap_or_default(),
            };
            *census
                .entry((name.clone(), format!("{what:?}"), parent))
                .or_default() += 1;
        }
    }
    census
}

fn predicted(s: &Scenario, cores: u32) -> Census {
    let (_, ghosts) = schedule(s, cores).unwrap();
    let mut census = Census::new();
    for g in &ghosts {
        let parent = g.parent.map_or(String::new(), |p| ghosts[p].name.clone());
        *census
            .entry((g.name.clone(), format!("{:?}", g.what), parent))
            .or_default() += 1;
    }
    census
}

#[tokio::test]
async fn every_lessons_ghosts_are_the_subjects_its_run_creates() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut scenarios: Vec<Scenario> = presets::all()
        .iter()
        .filter(|p| !p.deadlocks())
        .map(|p| p.scenario())
        .collect();
    // A deadlock's run never completes: its subjects are checked by the lessons' tests.
    scenarios.extend(
        challenges::all()
            .iter()
            .filter(|c| c.id != "fix-the-deadlock")
            .map(|c| c.start()),
    );
    let (mut wrong, mut subjects, count) = (Vec::new(), 0, scenarios.len());
    for mut s in scenarios {
        s.time_scale = s.time_scale.min(0.2);
        let run = execute(&s).await;
        let (ran, planned) = (measured(&run.events), predicted(&s, cores));
        subjects += ran.values().sum::<usize>();
        if ran != planned {
            wrong.push(format!(
                "{}:\n  ran     {ran:?}\n  planned {planned:?}",
                s.name
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // `<module>` and more in every one.
    assert!(subjects > 3 * count, "{subjects} subjects in {count} runs");
    eprintln!("{subjects} subjects in {count} runs, each with its ghost");
}
