use super::*;
use crate::presets;
use crate::protocol::SubjectKind;

fn ideal(id: &str) -> f64 {
    plan(&presets::find(id).unwrap().scenario(), 2)
        .unwrap()
        .ideal_ms
}

#[test]
fn the_ideal_schedule_is_the_lessons() {
    assert_eq!(ideal("gather"), 2000.0);
    assert_eq!(ideal("thread-pool"), 3000.0);
    // The longer sum: twelve million square roots at CPython's cost.
    let sqrt = crate::model::Term::Sqrt.ns_per_item();
    assert!((ideal("process-pool") - 12e6 * sqrt / 1e6).abs() < 1e-6);
    assert_eq!(ideal("daemon-threads"), 5000.0);
    // The daemon is abandoned when the non-daemon thread ends.
    assert_eq!(ideal("daemon-threads-outlast"), 2000.0);
    // The non-daemon process is waited for; the daemon is terminated.
    assert_eq!(ideal("daemon-processes"), 5000.0);
    assert_eq!(ideal("rayon"), 1000.0);
    // `/compute` arrives at 100 ms and computes 1.5 s; the last `/` arrives at 1.7 s and
    // answers 2 ms later.
    assert_eq!(ideal("responsive-server"), 1702.0);
    assert_eq!(ideal("report-generator"), 1400.0);
    // One inference worker: the three API calls overlap (500), then 800 of inference.
    assert_eq!(ideal("ai-assistant"), 1300.0);
}

#[test]
fn pools_run_their_workers_jobs_in_turn() {
    let mut s = presets::find("thread-pool").unwrap().scenario();
    s.pools[0].max_workers = Some(1);
    assert_eq!(
        plan(&s, 2).unwrap().ideal_ms,
        6000.0,
        "one worker: one job after the other"
    );
    assert_eq!(plan(&s, 2).unwrap().threads, 1);
    s.pools[0].max_workers = None;
    assert_eq!(plan(&s, 2).unwrap().threads, 6, "min(32, cores + 4)");
}

#[test]
fn counts_what_a_run_creates() {
    let p = plan(&presets::find("gather").unwrap().scenario(), 2).unwrap();
    // main, the main task, task1, task2.
    assert_eq!(p.instances, 3 + 1);
    let d = plan(&presets::find("daemon-processes").unwrap().scenario(), 2).unwrap();
    assert_eq!((d.threads, d.processes), (0, 2));
}

#[test]
fn a_run_that_only_waits_needs_no_core_and_one_that_computes_needs_its_own() {
    let busy = |id: &str, cores: u32| {
        plan(&presets::find(id).unwrap().scenario(), cores)
            .unwrap()
            .cores_busy
    };
    for waits in [
        "gather",
        "thread-pool",
        "blocking-the-loop",
        "daemon-threads",
    ] {
        assert_eq!(busy(waits, 8), 0, "{waits}");
    }
    // Threads under the GIL take turns on one core, however many there are.
    assert_eq!(busy("gil", 8), 1);
    // Without it, or in processes, each worker has a core, up to the machine's.
    assert!(busy("gil-off", 8) > 1);
    assert!(busy("process-pool", 8) > 1);
    assert_eq!(busy("process-pool", 2), 2);
    assert_eq!(busy("rayon", 8), 8);
    assert_eq!(busy("rayon", 1), 1);
}

/// The ideal schedule of a corpus program, read from its Python.
#[cfg(feature = "parse")]
fn ideal_of(program: &str) -> f64 {
    let path = format!(
        "{}/../tests/python/{program}.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let s = crate::python::parse(&source, 2).unwrap_or_else(|e| panic!("{program}: {e:?}"));
    plan(&s, 2).unwrap().ideal_ms
}

#[cfg(feature = "parse")]
#[test]
fn exceptions_cut_the_ideal_schedule_short() {
    // A child fails at 200 ms: the group cancels `slow` (1 s) there; the second group's
    // child fails 200 ms later.
    assert_eq!(ideal_of("taskgroup_failure"), 400.0);
    assert_eq!(ideal_of("uncaught_taskgroup"), 100.0);
    // gather raises the first exception when it is raised; main raises it on.
    assert_eq!(ideal_of("uncaught_in_gather"), 200.0);
    // A cancelled task ends where it awaits; awaiting it raises at once.
    assert_eq!(ideal_of("cancel_cleanup"), 300.0);
    // wait_for gives up at 0.3 s, waits 1 s the second time; the block times out at 0.2 s.
    assert_eq!(ideal_of("timeouts"), 1500.0);
}

fn ghosts(id: &str, cores: u32) -> Vec<Ghost> {
    schedule(&presets::find(id).unwrap().scenario(), cores)
        .unwrap()
        .1
}

#[test]
fn the_schedule_names_each_subject_as_the_run_does_and_times_it() {
    let g = ghosts("thread-pool", 2);
    let names: Vec<(&str, SubjectKind)> = g.iter().map(|g| (g.name.as_str(), g.what)).collect();
    assert_eq!(names[0], ("<module>", SubjectKind::Main));
    assert_eq!(g[0].parent, None);
    assert_eq!((g[0].start_ms, g[0].end_ms), (0.0, 3000.0));
    let jobs: Vec<&Ghost> = g.iter().filter(|g| g.what == SubjectKind::Job).collect();
    assert_eq!(jobs.len(), 2, "{names:?}");
    for j in &jobs {
        assert!(j.end_ms > j.start_ms, "{j:?}");
        assert!(j.parent.is_some(), "{j:?}");
    }
    assert_eq!(
        jobs.iter().map(|j| j.end_ms).fold(0.0, f64::max),
        3000.0,
        "the last job ends with the run"
    );
}

#[test]
fn a_gathered_call_made_n_times_has_n_ghosts_under_the_same_parent() {
    let g = ghosts("gather", 2);
    let tasks: Vec<&Ghost> = g.iter().filter(|g| g.what == SubjectKind::Task).collect();
    // `asyncio.run(main())`, and what main gathers.
    assert_eq!(tasks[0].name, "main");
    assert_eq!(tasks[0].parent, Some(0));
    for t in &tasks[1..] {
        assert_eq!(t.parent, Some(1), "{t:?}");
        assert!(t.end_ms <= tasks[0].end_ms, "{t:?}");
    }
    assert!(tasks.len() >= 3, "{tasks:?}");
}

#[test]
fn rayon_chunks_run_in_waves_of_the_cores() {
    for cores in [1, 2, 4] {
        let g = ghosts("rayon", cores);
        let chunks: Vec<&Ghost> = g.iter().filter(|g| g.what == SubjectKind::Chunk).collect();
        assert!(chunks.len() > cores as usize, "{cores} cores: {chunks:?}");
        for c in &chunks {
            let at_once = chunks
                .iter()
                .filter(|d| d.start_ms <= c.start_ms && c.start_ms < d.end_ms)
                .count();
            assert!(
                at_once <= cores as usize,
                "{cores} cores: {at_once} at {c:?}"
            );
        }
        let end = chunks.iter().map(|c| c.end_ms).fold(0.0, f64::max);
        assert!(
            end <= g[0].end_ms + 1e-9,
            "{cores} cores: {end} after the run"
        );
    }
}

#[test]
fn the_schedule_scales_with_the_time_scale() {
    let mut s = presets::find("gather").unwrap().scenario();
    s.time_scale = 0.5;
    let (plan, g) = schedule(&s, 2).unwrap();
    assert_eq!(plan.ideal_ms, 1000.0);
    assert_eq!(g[0].end_ms, 1000.0);
    // Asking for the ghosts changes nothing else.
    assert_eq!(super::plan(&s, 2).unwrap(), plan);
}

#[test]
fn requests_are_scheduled_in_the_order_they_arrive() {
    let g = ghosts("responsive-server", 2);
    let requests: Vec<&Ghost> = g
        .iter()
        .filter(|g| g.what == SubjectKind::Request)
        .collect();
    assert!(requests.len() > 2);
    assert!(
        requests.windows(2).all(|w| w[0].start_ms <= w[1].start_ms),
        "{requests:?}"
    );
    assert!(requests.iter().any(|r| r.name.starts_with("GET /compute")));
}
