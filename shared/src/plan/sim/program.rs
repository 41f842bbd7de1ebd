//! The program as a whole in virtual time: the module's code, the web app's traffic, and
//! the exit, which waits for pools and non-daemon threads; the cores the run keeps busy.

use super::{EVENTS_PER_INSTANCE, Frame, Sim, Workers};
use crate::limits::{HEARTBEAT_MS, MAX_RUN_WALL_MS};
use crate::model::{LoopFlavor, Traffic};
use crate::plan::Ghost;
use crate::plan::resources::Known;
use crate::plan::{Plan, PlanError};
use crate::protocol::SubjectKind;

impl Sim<'_> {
    /// The plan, what this pass saw of queues and events, and the ghosts if asked for.
    pub(in crate::plan) fn run(mut self) -> Result<(Plan, Known, Vec<Ghost>), PlanError> {
        let s = self.s;
        for p in &s.pools {
            if !s.opened_by_with(&p.name) {
                let n = p.workers(self.cores);
                self.pools.insert(&p.name, Workers::new(n));
                self.workers(p.kind, n);
            }
        }
        if let LoopFlavor::MultiThread { workers } = s.options.loop_flavor {
            self.plan.threads = self.plan.threads.saturating_add(u64::from(workers));
        }
        self.count(1, EVENTS_PER_INSTANCE);
        let main = self.enter(|| "<module>".into(), SubjectKind::Main, 0.0);
        let mut frame = Frame {
            module: true,
            ..Frame::default()
        };
        let (mut now, _) = self.body(&s.main, "main", 0.0, &mut frame)?;
        if let Some(server) = &s.server {
            self.has_loop = true;
            let start = now;
            // Requests in the order they arrive, as the server admits them.
            let mut arrivals: Vec<(f64, &Traffic, u32)> = server
                .traffic
                .iter()
                .flat_map(|t| {
                    (0..t.count)
                        .map(move |k| (t.at_ms as f64 + t.every_ms as f64 * f64::from(k), t, k))
                })
                .collect();
            arrivals.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (at, t, k) in arrivals {
                let Some(route) = s.route(&t.path) else {
                    continue;
                };
                let arrival = start + at;
                let name = || format!("GET {} #{}", t.path, k + 1);
                let request = self.enter(name, SubjectKind::Request, arrival);
                let (end, _) = self.task(&route.handler, vec![], arrival, "server")?;
                self.leave(request, None, end);
                self.count(1, EVENTS_PER_INSTANCE + 1);
                now = now.max(end);
            }
        }
        // Exit: pools finish their work and non-daemon threads are joined; daemon processes
        // are terminated and the others joined; daemon threads are abandoned.
        for w in self.pools.values() {
            now = now.max(w.last);
        }
        for (_, daemon, end) in &self.started {
            if !daemon {
                now = now.max(*end);
            }
        }
        if self.has_loop {
            self.plan.events = self
                .plan
                .events
                .saturating_add(MAX_RUN_WALL_MS / HEARTBEAT_MS);
        }
        self.leave(main, None, now);
        self.plan.ideal_ms = now * s.time_scale;
        self.plan.cores_busy = self.cores_busy();
        let mut ghosts = self.ghosts.take().unwrap_or_default();
        for g in &mut ghosts {
            (g.start_ms, g.end_ms) = (g.start_ms * s.time_scale, g.end_ms * s.time_scale);
        }
        Ok((self.plan, self.resources.learned(), ghosts))
    }

    pub(crate) fn cores_busy(&self) -> u32 {
        if !self.computes {
            return 0;
        }
        if self.parallel {
            return self.cores;
        }
        let threads = if self.s.options.gil {
            1
        } else {
            self.plan.threads.saturating_add(1)
        };
        let busy = threads.saturating_add(self.plan.processes);
        u32::try_from(busy).unwrap_or(u32::MAX).clamp(1, self.cores)
    }
}
