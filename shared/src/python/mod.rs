//! Python in and out: the subset of Python 3 that a scenario is the model of.
//!
//! [`render`] writes any scenario as a runnable Python 3.11 program; [`parse`] (behind the
//! `parse` feature, which carries a real Python parser and so stays out of the page) reads
//! a program of the subset back into a scenario, and refuses anything else at its line and
//! column, saying what is not supported and what is. `parse(render(s)) == s` for every
//! valid scenario.
//!
//! The subset:
//! - imports of `asyncio`, `time`, `math`, `threading`, `multiprocessing`,
//!   `concurrent.futures` and `fastapi` (`import x`, `import x as y`, `from x import y`);
//! - `def` and `async def` with positional parameters; `return` of a value;
//! - `asyncio.run(main())` and `if __name__ == "__main__":` at module level;
//! - in an `async def`: `await asyncio.sleep(s)`, `await asyncio.gather(...)` of coroutine
//!   calls, executor calls, kept tasks and futures, and `*(f() for _ in range(n))`;
//!   `asyncio.create_task(f())`, `loop = asyncio.get_running_loop()`,
//!   `loop.run_in_executor(pool or None, f, *args)`, `await` of any of them, and
//!   `with ThreadPoolExecutor(max_workers=n) as pool:` (or `ProcessPoolExecutor`);
//! - executors assigned at module level: `executor = ProcessPoolExecutor()`;
//! - `asyncio.Lock()`, `asyncio.Semaphore(n)`, `asyncio.Event()`, `asyncio.Queue(maxsize)`
//!   and `threading.Lock()` assigned at module level; `async with lock:` (asyncio's, in an
//!   `async def`) and `with lock:` (threading's, anywhere); `event.set()`,
//!   `await event.wait()`, `await queue.put(x)`, `[x =] await queue.get()`,
//!   `queue.task_done()` and `await queue.join()` in an `async def`;
//! - `for i in range(n):` with `n` written in the program, anywhere;
//! - `threading.Thread` / `multiprocessing.Process` with `target=`, `args=`, `daemon=`, then
//!   `.start()` and `.join()`;
//! - `time.sleep(s)`; `burn_cpu(s)` (CPU work; the prelude [`render::BURN_CPU`] defines it);
//!   `print(...)` of strings, numbers, variables and f-strings of variables;
//! - values: `None`, `True`/`False`, ints, floats, strings, lists, dicts with string keys,
//!   and the computations `sum(math.sqrt(i) for i in range(n))`,
//!   `sum(i * i for i in range(n))`, `sum(i ** 2 ...)`, `sum(i ...)` and `sum(range(n))`,
//!   costed by CPython's time for them ([`Term::ns_per_item`](crate::model::Term::ns_per_item));
//! - a FastAPI app: `app = FastAPI()` and `@app.get("/path")` on `async def` handlers, served
//!   the requests that `# looplab: traffic(...)` directives describe.
//!
//! Directive comments, `# looplab: scenario(name="...", time_scale=0.1, gil=False,
//! loop_workers=2)` and `# looplab: traffic("/path", count=10, every=0.1, at=0)`, carry what
//! Python cannot say.

#[cfg(feature = "parse")]
mod parse;
pub mod render;
pub mod value;

#[cfg(feature = "parse")]
pub use parse::parse;
pub use render::render;

use serde::{Deserialize, Serialize};

/// Where a directive comment starts.
pub const DIRECTIVE: &str = "# looplab: ";

/// A directive comment: `# looplab: name(args)`.
pub(crate) fn directive_call(name: &str, args: &[String]) -> String {
    format!("{DIRECTIVE}{name}({})", args.join(", "))
}

/// Why a program cannot be read, and where: what is wrong, and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    /// The line it starts on, from 1.
    pub line: u32,
    /// The column it starts at, from 1, in characters.
    pub column: u32,
    /// The line it ends on.
    pub end_line: u32,
    /// The column just after its end.
    pub end_column: u32,
    /// What is wrong, in words.
    pub message: String,
    /// The change that puts it right, where there is one sure answer: the page offers it
    /// as a button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A change to the program's text: the diagnostic's range (from `line`/`column` to
/// `end_line`/`end_column`) replaced by `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// What the change does, in words: the button's label.
    pub label: String,
    /// What replaces the range.
    pub text: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// The byte offset of `line` and `column` (both from 1, columns in characters) in `source`;
/// the end of a line for the column just after it.
fn offset(source: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = source
        .split_inclusive('\n')
        .take(line.checked_sub(1)? as usize)
        .map(str::len)
        .sum();
    let text = source.get(start..)?;
    let text = text.split('\n').next()?;
    let skip = column.checked_sub(1)? as usize;
    match text.char_indices().nth(skip) {
        Some((i, _)) => Some(start + i),
        None if text.chars().count() == skip => Some(start + text.len()),
        None => None,
    }
}

/// Line and column (both from 1, columns in characters) of byte `offset` in `source`.
pub fn line_column(source: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let mut at = offset;
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

impl Diagnostic {
    /// A diagnostic for the bytes `start..end` of `source`.
    pub fn at(source: &str, start: usize, end: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(source, start);
        let (end_line, end_column) = line_column(source, end.max(start));
        Self {
            line,
            column,
            end_line,
            end_column,
            message: message.into(),
            fix: None,
        }
    }

    /// `source` with this diagnostic's fix made; none without a fix, or if `source` is not
    /// the text it was found in (its range falls outside).
    pub fn fixed(&self, source: &str) -> Option<String> {
        let fix = self.fix.as_ref()?;
        let start = offset(source, self.line, self.column)?;
        let end = offset(source, self.end_line, self.end_column)?;
        let mut out = String::with_capacity(source.len() + fix.text.len());
        out.push_str(source.get(..start)?);
        out.push_str(&fix.text);
        out.push_str(source.get(end..)?);
        Some(out)
    }

    /// This diagnostic, put right by `fix`.
    pub fn with_fix(self, fix: Fix) -> Self {
        Self {
            fix: Some(fix),
            ..self
        }
    }
}
