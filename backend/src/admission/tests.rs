use super::*;

fn one_core() -> Arc<Admission> {
    Admission::new(Capacity {
        cores: 1,
        light_per_core: 1,
        ..Capacity::of_cores(1)
    })
}

#[tokio::test]
async fn tickets_are_served_in_order_and_know_their_place() {
    let admission = one_core();
    let need = Need::Cores(1);
    let running = admission.try_slot(need).unwrap();
    assert!(admission.try_slot(need).is_none());
    let (a, b, c) = (
        admission.enqueue(need).unwrap(),
        admission.enqueue(need).unwrap(),
        admission.enqueue(need).unwrap(),
    );
    assert_eq!((a.position(), b.position(), c.position()), (1, 2, 3));
    drop(b); // stopped while waiting: the places behind it move up
    assert_eq!(c.position(), 2);
    let first = tokio::spawn(a.slot());
    drop(running);
    let slot = first.await.unwrap();
    drop(a);
    assert_eq!(c.position(), 1);
    drop(slot);
    let _slot = c.slot().await;
}

#[tokio::test]
async fn runs_that_wait_share_a_core_and_runs_that_compute_have_theirs() {
    let admission = Admission::new(Capacity::of_cores(2));
    let per_core = LIGHT_RUNS_PER_CORE as usize;
    // A class of runs that only wait all start at once: a core's worth of them.
    let class: Vec<_> = (0..per_core)
        .map(|_| admission.try_slot(Need::Waits(0)).unwrap())
        .collect();
    // The other core is whole: a run that computes on one core starts beside them.
    let one = admission.try_slot(Need::Cores(1)).unwrap();
    // A run that computes on both waits for them, and the runs behind it wait for it.
    assert!(admission.try_slot(Need::Cores(2)).is_none());
    let both = admission.enqueue(Need::Cores(2)).unwrap();
    assert!(
        admission.try_slot(Need::Waits(0)).is_none(),
        "it would starve"
    );
    let behind = admission.enqueue(Need::Waits(0)).unwrap();
    assert_eq!((both.position(), behind.position()), (1, 2));
    let (both_slot, behind_slot) = (tokio::spawn(both.slot()), tokio::spawn(behind.slot()));
    drop(one);
    drop(class);
    let held = both_slot.await.unwrap();
    assert_eq!(admission.free_shares(), 0, "both cores are its own");
    assert!(!behind_slot.is_finished());
    drop((both, held));
    let _light = behind_slot.await.unwrap();
    // More cores than offered: all of them.
    drop(behind);
    drop(_light);
    let _all = admission.try_slot(Need::Cores(64)).unwrap();
    assert_eq!(admission.free_shares(), 0);
}

#[test]
fn a_scenario_needs_what_its_plan_says() {
    use looplab_shared::presets;
    let need = |id: &str| Need::of(&presets::find(id).unwrap().scenario(), 2);
    assert_eq!(need("gather"), Need::Waits(1));
    let mut crowd = presets::find("gather").unwrap().scenario();
    crowd.time_scale = 0.01;
    assert!(matches!(Need::of(&crowd, 2), Need::Waits(n) if n < 1000 / LIGHT_RUNS_PER_CORE));
    assert_eq!(need("gil"), Need::Cores(1));
    assert_eq!(need("process-pool"), Need::Cores(2));
}

#[test]
fn a_run_whose_bookkeeping_is_busy_takes_up_to_a_core() {
    let admission = Admission::new(Capacity::of_cores(2));
    let per_core = LIGHT_RUNS_PER_CORE;
    assert_eq!(admission.shares(Need::Waits(0)), 1);
    assert_eq!(admission.shares(Need::Waits(1000 / per_core + 1)), 2);
    // Ten thousand 10 ms tasks: their bookkeeping would keep a core and more busy.
    let json = include_str!("../../../bench/scenarios/gather-10k.json");
    let s = looplab_shared::validate::parse_scenario(json, 2).unwrap();
    let need = Need::of(&s, 2);
    assert!(matches!(need, Need::Waits(n) if n > 1000), "{need:?}");
    assert_eq!(admission.shares(need), per_core);
}

#[test]
fn a_full_queue_and_busy_addresses_are_refused() {
    let admission = one_core();
    let tickets: Vec<_> = (0..MAX_QUEUED_RUNS)
        .map(|_| admission.enqueue(Need::Waits(0)).unwrap())
        .collect();
    assert_eq!(
        admission.enqueue(Need::Waits(0)).unwrap_err(),
        Refusal::Busy
    );
    assert_eq!(
        admission.enqueue(Need::Cores(1)).unwrap_err(),
        Refusal::Busy,
        "one queue for both classes"
    );
    drop(tickets);

    let address: IpAddr = [10, 0, 0, 1].into();
    let held: Vec<_> = (0..MAX_CONNECTIONS_PER_ADDRESS)
        .map(|_| admission.connect(address).unwrap())
        .collect();
    assert_eq!(
        admission.connect(address).unwrap_err(),
        Refusal::Connections(MAX_CONNECTIONS_PER_ADDRESS)
    );
    let other = admission.connect([10, 0, 0, 2].into()).unwrap();
    let now = Instant::now();
    for _ in 0..MAX_RUNS_PER_MINUTE_PER_ADDRESS {
        admission.count_run(&other, now).unwrap();
    }
    assert_eq!(
        admission.count_run(&other, now).unwrap_err(),
        Refusal::Runs(MAX_RUNS_PER_MINUTE_PER_ADDRESS)
    );
    assert!(
        admission
            .count_run(&other, now + Duration::from_secs(61))
            .is_ok(),
        "a minute later"
    );
    drop(held);
    assert!(admission.connect(address).is_ok());
}

#[test]
fn the_per_address_caps_are_the_servers_flags() {
    let caps = AddressCaps {
        max_connections_per_address: 2,
        max_runs_per_minute_per_address: 3,
    };
    let admission = Admission::new(Capacity::of_cores(2).with_caps(caps));
    let address: IpAddr = [10, 0, 0, 1].into();
    let held = [
        admission.connect(address).unwrap(),
        admission.connect(address).unwrap(),
    ];
    assert_eq!(
        admission.connect(address).unwrap_err(),
        Refusal::Connections(2)
    );
    let now = Instant::now();
    for _ in 0..3 {
        admission.count_run(&held[0], now).unwrap();
    }
    let refusal = admission.count_run(&held[1], now).unwrap_err();
    assert_eq!(refusal, Refusal::Runs(3));
    assert!(
        refusal.to_string().contains("at most 3 a minute"),
        "{refusal}"
    );
    assert!(admission.connect([10, 0, 0, 2].into()).is_ok());
}
