//! `looplab bench python`: what reading and writing Python costs, and the cost model for
//! computations beside what `python3` takes for them on this machine.

use std::time::Instant;

use anyhow::{Context, bail};
use looplab_shared::limits::MAX_PYTHON_BYTES;
use looplab_shared::model::Term;
use looplab_shared::python;

use super::{BenchArgs, spread};
use crate::engine::cores;

/// Times each program is read, for the spread.
const PARSES: usize = 200;
/// Numbers each sum of the cost model's measurement adds up.
const SUM_ITEMS: u64 = 3_000_000;

/// p50 and max, in µs, of `f` run `times` times.
fn time_us(times: usize, mut f: impl FnMut()) -> [f64; 2] {
    let mut samples: Vec<f64> = (0..times)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    let [p50, _, max] = spread(&mut samples);
    [p50, max]
}

/// A program of the subset as long as a program may be: one task after another, each
/// printing, sleeping and returning, all gathered.
fn longest_program() -> String {
    let main = |calls: &[String]| {
        format!(
            "async def main():\n    await asyncio.gather({})\n\n\nasyncio.run(main())\n",
            calls.join(", ")
        )
    };
    let mut out = String::from("import asyncio\n\n");
    let mut calls = Vec::new();
    for i in 0.. {
        let def = format!(
            "async def task_{i}(x):\n    print(f\"task {i} got {{x}}\")\n    await asyncio.sleep(0.01)\n    return x\n\n\n"
        );
        calls.push(format!("task_{i}({i})"));
        if out.len() + def.len() + main(&calls).len() > MAX_PYTHON_BYTES {
            calls.pop();
            break;
        }
        out.push_str(&def);
    }
    out + &main(&calls)
}

pub(super) fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    println!("\n## python: reading and writing programs, {PARSES} times each\n");
    println!("| program | bytes | parse p50 | parse max | render p50 |");
    println!("|---|---|---|---|---|");
    let corpus = args.dir.join("../tests/python");
    let mut programs: Vec<(String, String)> = Vec::new();
    for entry in
        std::fs::read_dir(&corpus).with_context(|| format!("cannot read {}", corpus.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("notes_") {
            programs.push((name.into_owned(), std::fs::read_to_string(&path)?));
        }
    }
    programs.sort();
    programs.push(("the longest allowed (generated)".into(), longest_program()));
    for (name, source) in &programs {
        let scenario = python::parse(source, cores())
            .map_err(|d| anyhow::anyhow!("{name} does not read: {}", d[0]))?;
        let times = if source.len() > 10_000 { 20 } else { PARSES };
        let [p50, max] = time_us(times, || {
            std::hint::black_box(python::parse(std::hint::black_box(source), 2).ok());
        });
        let [render, _] = time_us(times, || {
            std::hint::black_box(python::render(std::hint::black_box(&scenario)));
        });
        println!(
            "| {name} | {} | {} | {} | {} |",
            source.len(),
            micros(p50),
            micros(max),
            micros(render)
        );
    }
    cost_model(args)
}

fn micros(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{us:.0} µs")
    }
}

/// The model's CPU time per number against CPython's, measured now with `thread_time()`.
fn cost_model(args: &BenchArgs) -> anyhow::Result<()> {
    println!("\n## python: the cost model beside CPython, {SUM_ITEMS} numbers a sum\n");
    println!(
        "| computation | model | CPython now (median of {}) | CPython / model |",
        args.runs
    );
    println!("|---|---|---|---|");
    for term in Term::ALL {
        let expr = term.python(&SUM_ITEMS.to_string());
        let script = format!(
            "import math, time\nt = time.thread_time()\n{expr}\nprint(time.thread_time() - t)\n"
        );
        let mut samples = Vec::with_capacity(args.runs);
        for _ in 0..args.runs.max(1) {
            samples.push(run_python(&args.python, &script)? * 1e9 / SUM_ITEMS as f64);
        }
        samples.sort_by(f64::total_cmp);
        let theirs = samples[samples.len() / 2];
        let model = term.ns_per_item();
        println!(
            "| `{expr}` | {model:.0} ns a number | {theirs:.1} ns | {:.2} |",
            theirs / model
        );
    }
    Ok(())
}

/// Runs `script` with `python` and reads the one number it prints.
fn run_python(python: &str, script: &str) -> anyhow::Result<f64> {
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .output()
        .with_context(|| format!("cannot run {python}"))?;
    if !out.status.success() {
        bail!("{python} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("{python} printed {text:?}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_longest_program_is_as_long_as_allowed_and_reads() {
        let program = super::longest_program();
        let limit = looplab_shared::limits::MAX_PYTHON_BYTES;
        assert!(
            program.len() <= limit && program.len() > limit - 200,
            "{}",
            program.len()
        );
        looplab_shared::python::parse(&program, 2).unwrap();
    }
}
