//! The server's log: `tracing` events on stderr, as text for people or as JSON lines for
//! collectors (`--log-format`). A connection's lines carry its peer, a run's lines its run id
//! (spans named `connection` and `run`). `RUST_LOG` picks what is written (`info` by
//! default; `looplab_backend=debug` for more), in `tracing`'s target syntax.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// What is logged when `RUST_LOG` says nothing.
pub const DEFAULT_LOG_FILTER: &str = "info";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text an event, its spans' fields before the message.
    #[default]
    Text,
    /// One JSON object a line: `timestamp`, `level`, `fields.message`, the event's fields, and
    /// `spans`, each with its fields (`run_id`, `peer`).
    Json,
}

/// Why the log could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// `RUST_LOG` is not a list of `target=level` directives.
    #[error("RUST_LOG={0:?} is not a filter such as `info` or `looplab_backend=debug,info`")]
    Filter(String),
    /// Another subscriber was set first.
    #[error("the log was set up twice")]
    Twice,
}

/// Sends this process's `tracing` events to stderr in `format`, filtered by `RUST_LOG`.
pub fn init(format: LogFormat) -> Result<(), LogError> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(text) if !text.trim().is_empty() => text
            .parse::<Targets>()
            .map_err(|_| LogError::Filter(text))?,
        _ => DEFAULT_LOG_FILTER
            .parse()
            .expect("the default filter reads"),
    };
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false);
    let registry = tracing_subscriber::registry().with(filter);
    let done = match format {
        LogFormat::Text => registry.with(fmt).try_init(),
        LogFormat::Json => registry
            .with(fmt.json().with_current_span(false).with_span_list(true))
            .try_init(),
    };
    done.map_err(|_| LogError::Twice)
}
