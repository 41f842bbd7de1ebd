//! Each step as the line of Python it stands for, so a scenario reads like the program of
//! the lesson.

use looplab_shared::model::{Call, Step};

fn seconds(ms: u64) -> String {
    let s = ms as f64 / 1000.0;
    format!("{s}")
}

fn call(c: &Call) -> String {
    let times = |text: String, n: u32| {
        if n == 1 {
            text
        } else {
            format!("*({text} for _ in range({n}))")
        }
    };
    match c {
        Call::Task { task, times: n } => times(format!("{task}()"), *n),
        Call::Executor {
            pool,
            function,
            arg,
            times: n,
        } => {
            let args = if arg.is_empty() {
                String::new()
            } else {
                format!(", {arg:?}")
            };
            times(
                format!("loop.run_in_executor({pool}, {function}{args})"),
                *n,
            )
        }
    }
}

/// The Python line for `step`; `in_task` says whether it runs in a coroutine.
pub fn line(step: &Step, in_task: bool) -> String {
    match step {
        Step::Print { text } => format!("print({text:?})"),
        Step::Sleep { ms } if in_task => format!("await asyncio.sleep({})", seconds(*ms)),
        Step::Sleep { ms } | Step::BlockingSleep { ms } => format!("time.sleep({})", seconds(*ms)),
        Step::Cpu { ms } => format!("burn_cpu({})  # {} s of CPU", seconds(*ms), seconds(*ms)),
        Step::ParCpu { ms, chunks } => {
            format!(
                "pool.map(burn_cpu, {chunks} chunks)  # {} s of CPU in all",
                seconds(*ms)
            )
        }
        Step::Spawn { task } => format!("asyncio.create_task({task}())"),
        Step::Gather { calls } => {
            let calls: Vec<_> = calls.iter().map(call).collect();
            format!("await asyncio.gather({})", calls.join(", "))
        }
        Step::StartThread {
            function,
            daemon,
            arg,
        } => start("threading.Thread", function, *daemon, arg),
        Step::StartProcess {
            function,
            daemon,
            arg,
        } => start("multiprocessing.Process", function, *daemon, arg),
    }
}

fn start(class: &str, function: &str, daemon: bool, arg: &str) -> String {
    let args = if arg.is_empty() {
        String::new()
    } else {
        format!(", args=({arg:?},)")
    };
    let daemon = if daemon { "True" } else { "False" };
    format!("{class}(target={function}{args}, daemon={daemon}).start()")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(step: Step, in_task: bool, want: &str) {
        assert_eq!(line(&step, in_task), want);
    }

    #[test]
    fn steps_read_like_python() {
        check(Step::Sleep { ms: 2000 }, true, "await asyncio.sleep(2)");
        check(Step::Sleep { ms: 1500 }, false, "time.sleep(1.5)");
        check(Step::BlockingSleep { ms: 2000 }, true, "time.sleep(2)");
        check(Step::Print { text: "hi".into() }, true, "print(\"hi\")");
        check(
            Step::Gather {
                calls: vec![
                    Call::Task {
                        task: "task1".into(),
                        times: 1,
                    },
                    Call::Executor {
                        pool: "pool".into(),
                        function: "job".into(),
                        arg: "A".into(),
                        times: 2,
                    },
                ],
            },
            true,
            "await asyncio.gather(task1(), *(loop.run_in_executor(pool, job, \"A\") for _ in range(2)))",
        );
        check(
            Step::StartThread {
                function: "worker".into(),
                daemon: true,
                arg: String::new(),
            },
            true,
            "threading.Thread(target=worker, daemon=True).start()",
        );
    }
}
