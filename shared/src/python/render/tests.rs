use super::*;
use crate::presets;

#[test]
fn literals_are_python_literals() {
    assert_eq!(seconds(2000), "2");
    assert_eq!(seconds(1500), "1.5");
    assert_eq!(seconds(2), "0.002");
    assert_eq!(expr(&Expr::Int(10_000_000)), "10_000_000");
    assert_eq!(expr(&Expr::Int(-12345)), "-12_345");
    assert_eq!(expr(&Expr::Int(1000)), "1000");
    assert_eq!(expr(&Expr::str("a \"b\"\n")), r#""a \"b\"\n""#);
    assert_eq!(template_literal("{name} started"), r#"f"{name} started""#);
    assert_eq!(template_literal("{x!r} {{y}}"), r#"f"{x!r} {{y}}""#);
    assert_eq!(template_literal("a {{b}}"), r#""a {b}""#);
}

#[test]
fn the_gather_lesson_is_the_notes_program() {
    let program = render(&presets::find("gather").unwrap().scenario());
    let want = r#"# looplab: scenario(name="gather")
import asyncio


async def task1():
    print("Task 1 started")
    await asyncio.sleep(2)
    print("Task 1 finished")


async def task2():
    print("Task 2 started")
    await asyncio.sleep(1)
    print("Task 2 finished")


async def main():
    await asyncio.gather(task1(), task2())


asyncio.run(main())
"#;
    assert_eq!(program, want);
}

#[test]
fn every_preset_renders_with_its_imports_and_prelude() {
    for p in presets::all() {
        let program = render(&p.scenario());
        assert!(program.starts_with(DIRECTIVE), "{}", p.id);
        assert!(program.contains("import asyncio"), "{}", p.id);
        assert_eq!(
            program.contains("burn_cpu("),
            program.contains("def burn_cpu"),
            "{}:\n{program}",
            p.id
        );
        assert!(!program.contains("{arg}"), "{}", p.id);
    }
    let daemon = render(&presets::find("daemon-threads").unwrap().scenario());
    assert!(
        daemon.contains("t1 = threading.Thread(target=worker, daemon=True)\nt1.start()\n"),
        "{daemon}"
    );
    let pool = render(&presets::find("process-pool").unwrap().scenario());
    assert!(
        pool.contains("if __name__ == \"__main__\":\n    asyncio.run(main())"),
        "{pool}"
    );
    assert!(
        pool.contains("return sum(math.sqrt(i) for i in range(n))"),
        "{pool}"
    );
    assert!(pool.contains("print(f\"Results: {results}\")"), "{pool}");
    let server = render(&presets::find("responsive-server").unwrap().scenario());
    assert!(
        server.contains("@app.get(\"/compute\")\nasync def compute_endpoint():"),
        "{server}"
    );
    assert!(
        server.contains("# looplab: traffic(\"/\", count=18, every=0.1)"),
        "{server}"
    );
}
