use looplab_shared::model::{Call, Expr, StepKind};
use looplab_shared::validate::validate;

use super::*;

fn build(edits: Vec<Edit>) -> Scenario {
    let mut s = empty();
    for e in edits {
        apply(&mut s, e);
    }
    s
}

fn main_body() -> BodyPath {
    BodyPath::of(Root::Task(0))
}

#[test]
fn a_new_scenario_is_an_empty_main_that_asyncio_runs() {
    let s = empty();
    validate(&s, 2).unwrap();
    assert_eq!(
        looplab_shared::python::render(&s).lines().last(),
        Some("asyncio.run(main())")
    );
}

#[test]
fn three_gathered_sleeps_and_a_blocking_job_take_a_handful_of_edits() {
    // What the builder's buttons do: three tasks, a function, a pool, then the gather that
    // "+ step" suggests in main, and one executor call more.
    let mut s = build(vec![
        Edit::AddDef(true),
        Edit::AddDef(true),
        Edit::AddDef(true),
        Edit::AddDef(false),
        Edit::AddPool(PoolKind::Thread),
    ]);
    let gather = StepKind::Gather.example(&s, Some("main"));
    apply(&mut s, Edit::AddStep(main_body(), gather));
    let Step::Gather { calls, .. } = &s.tasks[0].steps[0] else {
        panic!("{:?}", s.tasks[0])
    };
    assert_eq!(calls.len(), 3, "every other task is gathered: {calls:?}");
    validate(&s, 2).unwrap();
    let program = looplab_shared::python::render(&s);
    assert!(
        program.contains("await asyncio.gather(task1(), task2(), task3())"),
        "{program}"
    );
    assert!(
        program.contains("def work1():\n    time.sleep(1)"),
        "{program}"
    );
}

#[test]
fn parameters_give_every_call_an_argument() {
    let mut s = build(vec![Edit::AddDef(false), Edit::AddPool(PoolKind::Process)]);
    let job = StepKind::Gather.example(&s, Some("main"));
    apply(&mut s, Edit::AddStep(main_body(), job));
    apply(
        &mut s,
        Edit::Params(Root::Function(0), vec!["n".into(), "m".into()]),
    );
    let Step::Gather { calls, .. } = &s.tasks[0].steps[0] else {
        panic!()
    };
    assert!(matches!(&calls[0], Call::Executor { args, .. } if args == &[Expr::None, Expr::None]));
    apply(&mut s, Edit::Params(Root::Function(0), vec!["n".into()]));
    let Step::Gather { calls, .. } = &s.tasks[0].steps[0] else {
        panic!()
    };
    assert!(matches!(&calls[0], Call::Executor { args, .. } if args.len() == 1));
}

#[test]
fn renaming_follows_calls_into_blocks_and_routes() {
    let mut s = build(vec![
        Edit::AddDef(false),
        Edit::AddPool(PoolKind::Thread),
        Edit::AddServer,
    ]);
    let with = Step::With {
        pool: "threads1".into(),
        body: vec![],
    };
    apply(&mut s, Edit::AddStep(main_body(), with));
    let inner = main_body().block(0, 0, "body");
    let job = StepKind::Submit.example(&s, Some("main"));
    apply(&mut s, Edit::AddStep(inner.clone(), job));
    apply(&mut s, Edit::RenameDef(Root::Function(0), "resize".into()));
    assert!(matches!(&steps(&s, &inner)[0], Step::Submit { function, .. } if function == "resize"));
    apply(&mut s, Edit::RenameDef(Root::Task(1), "index".into()));
    assert_eq!(s.server.as_ref().unwrap().routes[0].handler, "index");
    assert_eq!(inner.path(), "tasks[0].steps[0].body");
}

#[test]
fn steps_move_and_go() {
    let print = |t: &str| Step::Print { text: t.into() };
    let mut s = build(vec![
        Edit::AddStep(main_body(), print("a")),
        Edit::AddStep(main_body(), print("b")),
        Edit::AddStep(main_body(), print("c")),
    ]);
    apply(&mut s, Edit::MoveStep(main_body(), 2, true));
    apply(&mut s, Edit::MoveStep(main_body(), 0, true)); // already first: nothing
    apply(&mut s, Edit::RemoveStep(main_body(), 0));
    apply(&mut s, Edit::RemoveStep(main_body(), 9)); // no such step: nothing
    assert_eq!(s.tasks[0].steps, [print("c"), print("b")]);
}

#[test]
fn a_server_comes_with_a_handler_and_traffic() {
    let s = build(vec![Edit::AddServer]);
    let server = s.server.as_ref().unwrap();
    assert_eq!(s.task(&server.routes[0].handler).unwrap().name, "task1");
    validate(&s, 2).unwrap();
}
