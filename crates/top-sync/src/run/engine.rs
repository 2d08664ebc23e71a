//! The dispatcher and its workers. One dispatcher claims work in line order (a row marked
//! `in_flight`, or a batch whose membership and request id are committed) only when a
//! worker slot and a rate-limiter permit are free, so little is claimed ahead of sending.
//! Workers send through a client whose retry layer (top-core's, the only one) this run
//! configures, read the final result, wait out short code-7 bans together, and journal
//! every outcome. Nothing that may have been applied is sent again in the run.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use top_core::TopClient;

use crate::api::BulkPlan;
use crate::error::SyncError;
use crate::journal::{Failure, JobMeta, Journal, RowState, StoredBatch, Target};
use crate::report::StopReason;
use crate::run::gate::BanGate;
use crate::run::options::RunOptions;
use crate::run::progress::Progress;
use crate::run::source::PendingSource;
use crate::run::stop::StopSignal;
use crate::run::unit::{Unit, UnitContext, now_ms};
use crate::run::verdict::{Verdict, verdict};

/// Everything the dispatcher and the workers share.
pub(crate) struct Engine {
    pub journal: Arc<Journal>,
    pub meta: Arc<JobMeta>,
    /// How rows become calls, and the job's checked flags.
    pub context: UnitContext,
    pub client: TopClient,
    pub options: RunOptions,
    pub progress: Arc<Progress>,
    pub stop: Arc<StopSignal>,
    gate: BanGate,
    limiter: DefaultDirectRateLimiter,
    /// `progress.calls` when the run started; the client counts the run's attempts.
    calls_before: u64,
}

impl Engine {
    pub(crate) fn new(
        journal: Arc<Journal>,
        meta: Arc<JobMeta>,
        context: UnitContext,
        client: TopClient,
        options: RunOptions,
        progress: Arc<Progress>,
        stop: Arc<StopSignal>,
    ) -> Self {
        let qps = NonZeroU32::new(options.qps).unwrap_or(NonZeroU32::MIN);
        let calls_before = progress.snapshot().calls;
        Engine {
            journal,
            meta,
            context,
            client: client.with_retry(options.retry_config()),
            calls_before,
            options,
            progress,
            stop,
            gate: BanGate::default(),
            limiter: RateLimiter::direct(Quota::per_second(qps)),
        }
    }

    /// Sends every unfinished row; returns when all are finished, or after a stop once the
    /// calls in flight have been journaled.
    pub(crate) async fn run(self: Arc<Self>) -> Result<(), SyncError> {
        let mut queue = self.recover()?;
        let mut source = PendingSource::default();
        let slots = Arc::new(Semaphore::new(self.options.concurrency));
        let mut workers = JoinSet::new();
        let mut failure: Option<SyncError> = None;
        loop {
            if self.stop.is_stopped() {
                break;
            }
            let permit = tokio::select! {
                permit = slots.clone().acquire_owned() => match permit {
                    Ok(p) => p,
                    Err(_) => break,
                },
                () = self.stop.stopped() => break,
            };
            tokio::select! {
                () = self.ready() => {}
                () = self.stop.stopped() => break,
            }
            let unit = match queue.pop_front() {
                Some(unit) => Some(unit),
                None => match self.next_unit(&mut source) {
                    Ok(unit) => unit,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                },
            };
            let Some(unit) = unit else { break };
            let engine = Arc::clone(&self);
            workers.spawn(async move { engine.work(unit, permit).await });
            while let Some(done) = workers.try_join_next() {
                if let Err(e) = flatten(done) {
                    failure.get_or_insert(e);
                }
            }
            if failure.is_some() {
                break;
            }
        }
        if failure.is_some() {
            self.stop.stop();
        }
        while let Some(done) = workers.join_next().await {
            if let Err(e) = flatten(done) {
                failure.get_or_insert(e);
            }
        }
        self.journal.checkpoint()?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Work an earlier run left in flight: batches and rows of an API with an idempotency
    /// key are resent with their request ids; those of one without become `unknown` (they
    /// may have been applied).
    fn recover(&self) -> Result<VecDeque<Unit>, SyncError> {
        let mut queue = VecDeque::new();
        let plan: &BulkPlan = self.context.plan;
        let unknown = match (plan.batched(), plan.idempotent()) {
            (true, true) => {
                queue.extend(
                    self.journal
                        .in_flight_batches()?
                        .into_iter()
                        .map(Unit::Batch),
                );
                0
            }
            (false, true) => {
                queue.extend(self.journal.in_flight_rows()?.into_iter().map(Unit::Row));
                0
            }
            (true, false) => self.journal.in_flight_batches_to_unknown()?,
            (false, false) => self.journal.in_flight_to_unknown()?,
        };
        if unknown > 0 {
            tracing::warn!(
                rows = unknown,
                "rows in flight when the last run stopped are now unknown"
            );
        }
        if !queue.is_empty() {
            tracing::info!(
                units = queue.len(),
                "resending work left in flight by the last run"
            );
        }
        Ok(queue)
    }

    /// Claims the next unit from the pending rows.
    fn next_unit(&self, source: &mut PendingSource) -> Result<Option<Unit>, SyncError> {
        if self.context.plan.batched() {
            let rows = source.take(&self.journal, self.options.batch_size)?;
            if rows.is_empty() {
                return Ok(None);
            }
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let request_time_ms = now_ms();
            let (id, request_id) =
                self.journal
                    .create_batch(&self.meta.job_id, request_time_ms, &ids)?;
            Ok(Some(Unit::Batch(StoredBatch {
                id,
                request_id,
                request_time_ms,
                rows,
            })))
        } else {
            let Some(row) = source.take(&self.journal, 1)?.pop() else {
                return Ok(None);
            };
            self.journal.claim_row(row.id)?;
            Ok(Some(Unit::Row(row)))
        }
    }

    /// Waits for the ban gate and a rate-limiter permit.
    async fn ready(&self) {
        self.gate.wait().await;
        self.limiter.until_ready().await;
    }

    /// Sends one unit until it is finished, or parks it when the run stops. The unit is
    /// sent again only after a code-7 ban (nothing was applied); top-core's retry layer has
    /// already retried whatever was safe inside each send.
    async fn work(&self, unit: Unit, _slot: OwnedSemaphorePermit) -> Result<(), SyncError> {
        let target = unit.target();
        let rows = unit.rows();
        loop {
            let result = unit.send(&self.context, &self.client).await;
            self.progress.calls.fetch_max(
                self.calls_before + self.client.attempts(),
                Ordering::Relaxed,
            );
            let (ban, failure) = match verdict(result) {
                Verdict::Done => return self.finish(target, rows, RowState::Done, None),
                Verdict::Unknown(f) => {
                    return self.finish(target, rows, RowState::Unknown, Some(&f));
                }
                Verdict::Failed(f) => return self.finish(target, rows, RowState::Failed, Some(&f)),
                Verdict::Ban(ban, f) => (ban, f),
            };
            Progress::add(&self.progress.bans, 1);
            if ban > self.options.max_ban_wait {
                let resume_at = chrono::Utc::now()
                    + chrono::TimeDelta::from_std(ban).unwrap_or(chrono::TimeDelta::MAX);
                tracing::warn!(ban_seconds = ban.as_secs(), %resume_at, "long rate-limit ban: stopping");
                self.stop.stop_because(StopReason::RateLimited {
                    resume_at,
                    ban_seconds: ban.as_secs(),
                });
                return self.park(&unit, &failure);
            }
            tracing::info!(
                ban_seconds = ban.as_secs(),
                "rate-limit ban: every worker pauses"
            );
            self.gate
                .pause(ban.max(std::time::Duration::from_millis(500)));
            self.journal.note_attempt(target, &failure)?;
            if self.stop.is_stopped() {
                return self.park(&unit, &failure);
            }
            tokio::select! {
                () = self.ready() => {}
                () = self.stop.stopped() => return self.park(&unit, &failure),
            }
        }
    }

    fn finish(
        &self,
        target: Target,
        rows: u64,
        state: RowState,
        failure: Option<&Failure>,
    ) -> Result<(), SyncError> {
        self.journal.finish(target, state, failure)?;
        let counter = match state {
            RowState::Done => &self.progress.done,
            RowState::Unknown => &self.progress.unknown,
            _ => &self.progress.failed,
        };
        Progress::add(counter, rows);
        Ok(())
    }

    /// Leaves a unit for the next run after a code-7 ban (nothing was applied): a row goes
    /// back to `pending` (keeping its request id); a batch stays `in_flight` and is resent
    /// with the same request id.
    fn park(&self, unit: &Unit, last: &Failure) -> Result<(), SyncError> {
        match unit {
            Unit::Row(row) => self.journal.release_row(row.id, Some(last)),
            Unit::Batch(_) => Ok(()),
        }
    }
}

fn flatten(done: Result<Result<(), SyncError>, tokio::task::JoinError>) -> Result<(), SyncError> {
    done.map_err(SyncError::Worker)?
}
