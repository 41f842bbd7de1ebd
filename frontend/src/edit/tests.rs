use looplab_shared::validate::validate;

use super::*;

fn build(edits: Vec<Edit>) -> Scenario {
    let mut s = empty();
    for e in edits {
        apply(&mut s, e);
    }
    s
}

#[test]
fn a_scenario_built_from_nothing_is_valid_and_says_what_was_built() {
    let mut s = build(vec![
        Edit::AddDef(true),
        Edit::AddDef(false),
        Edit::AddPool(PoolKind::Thread),
    ]);
    let gather = Step::Gather {
        calls: vec![
            Call::Task {
                task: "task1".into(),
                times: 2,
            },
            Call::Executor {
                pool: "threads1".into(),
                function: "work1".into(),
                arg: "A".into(),
                times: 1,
            },
        ],
    };
    apply(&mut s, Edit::AddStep(Body::Main, gather));
    let step = new_step(&s, "print");
    apply(&mut s, Edit::AddStep(Body::Main, step));
    validate(&s).unwrap();
    assert_eq!(s.tasks[0].name, "task1");
    assert_eq!(s.pools[0].name, "threads1");
    assert_eq!(s.main.len(), 2);
}

#[test]
fn steps_move_and_go() {
    let mut s = build(vec![
        Edit::AddStep(Body::Main, Step::Print { text: "a".into() }),
        Edit::AddStep(Body::Main, Step::Print { text: "b".into() }),
        Edit::AddStep(Body::Main, Step::Print { text: "c".into() }),
    ]);
    apply(&mut s, Edit::MoveStep(Body::Main, 2, true));
    apply(&mut s, Edit::MoveStep(Body::Main, 0, true)); // already first: nothing
    apply(&mut s, Edit::RemoveStep(Body::Main, 0));
    apply(&mut s, Edit::RemoveStep(Body::Main, 9)); // no such step: nothing
    let texts: Vec<_> = s
        .main
        .iter()
        .map(|st| match st {
            Step::Print { text } => text.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(texts, ["c", "b"]);
}

#[test]
fn renaming_a_definition_renames_its_calls() {
    let mut s = build(vec![
        Edit::AddDef(true),
        Edit::AddDef(false),
        Edit::AddPool(PoolKind::Process),
    ]);
    let step = new_step(&s, "gather");
    apply(&mut s, Edit::AddStep(Body::Main, step));
    let step = new_step(&s, "start_thread");
    apply(&mut s, Edit::AddStep(Body::Main, step));
    apply(
        &mut s,
        Edit::Requests(Some(Requests {
            handler: "task1".into(),
            every_ms: 100,
            count: 3,
        })),
    );
    apply(&mut s, Edit::RenameDef(Body::Task(0), "fetch".into()));
    apply(&mut s, Edit::RenameDef(Body::Function(0), "crunch".into()));
    assert_eq!(
        s.main[0],
        Step::Gather {
            calls: vec![Call::Task {
                task: "fetch".into(),
                times: 1
            }]
        }
    );
    assert!(matches!(&s.main[1], Step::StartThread { function, .. } if function == "crunch"));
    assert_eq!(s.requests.as_ref().unwrap().handler, "fetch");
    validate(&s).unwrap();
}

#[test]
fn every_offered_kind_makes_a_step_of_that_kind() {
    let s = build(vec![Edit::AddDef(true), Edit::AddDef(false)]);
    for kind in step_kinds(true) {
        assert_eq!(kind_of(&new_step(&s, kind)), *kind);
    }
    assert!(
        step_kinds(false)
            .iter()
            .all(|k| !new_step(&s, k).needs_loop())
    );
}

#[test]
fn options_and_pools_change() {
    let mut s = build(vec![
        Edit::Gil(true),
        Edit::LoopWorkers(Some(3)),
        Edit::Scale(0.5),
        Edit::AddPool(PoolKind::Thread),
    ]);
    apply(&mut s, Edit::PoolWorkers(0, 5));
    assert!(s.options.gil);
    assert_eq!(
        s.options.loop_flavor,
        LoopFlavor::MultiThread { workers: 3 }
    );
    assert_eq!((s.time_scale, s.pools[0].max_workers), (0.5, 5));
    apply(&mut s, Edit::RemovePool(0));
    apply(&mut s, Edit::LoopWorkers(None));
    assert!(s.pools.is_empty());
    assert_eq!(s.options.loop_flavor, LoopFlavor::SingleThread);
    apply(&mut s, Edit::Clear);
    assert_eq!(s, empty());
}
