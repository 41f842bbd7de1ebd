//! A diagnostic with one sure answer carries it, and the answer, made, reads.
#![cfg(feature = "parse")]

use looplab_shared::python::parse;

fn fix_of(program: &str) -> (String, String) {
    let diags = parse(program, 2).expect_err("refused");
    assert_eq!(diags.len(), 1, "{diags:?}");
    let fix = diags[0].fix.clone().expect("a fix");
    let fixed = diags[0]
        .fixed(program)
        .expect("the fix applies to its program");
    (fix.label, fixed)
}

#[test]
fn a_coroutine_called_without_await_in_a_coroutine_is_awaited() {
    let program = "import asyncio\n\nasync def work(n):\n    await asyncio.sleep(0.1)\n\n\
                   async def main():\n    work(1)\n    print(\"é done\")\n\nasyncio.run(main())\n";
    let (label, fixed) = fix_of(program);
    assert_eq!(label, "Fix: await it");
    assert!(fixed.contains("\n    await work(1)\n"), "{fixed}");
    parse(&fixed, 2).expect("the fixed program reads");
}

#[test]
fn at_module_level_it_is_run_by_asyncio_run() {
    let program = "import asyncio\n\nasync def main():\n    print(\"ok\")\n\nmain()\n";
    let (label, fixed) = fix_of(program);
    assert_eq!(label, "Fix: run it with asyncio.run");
    assert!(fixed.ends_with("\nasyncio.run(main())\n"), "{fixed}");
    parse(&fixed, 2).expect("the fixed program reads");
}

#[test]
fn in_a_plain_function_there_is_no_sure_answer() {
    let program = "import asyncio\n\nasync def work():\n    pass\n\ndef job():\n    work()\n\n\
                   async def main():\n    await asyncio.to_thread(job)\n\nasyncio.run(main())\n";
    let diags = parse(program, 2).expect_err("refused");
    let never = diags
        .iter()
        .find(|d| d.message.contains("never awaited"))
        .expect("the call is named");
    assert_eq!(never.fix, None);
    assert_eq!(never.fixed(program), None);
}

#[test]
fn a_fix_does_not_apply_to_another_text() {
    let program = "import asyncio\n\nasync def main():\n    print(\"ok\")\n\nmain()\n";
    let diags = parse(program, 2).expect_err("refused");
    assert_eq!(diags[0].fixed("x = 1\n"), None);
}
