//! `TaskGroup`: structured concurrency with asyncio 3.11's semantics.
//!
//! `task_group(|tg| async move { .. })` runs the body and every task it spawns with
//! `tg.spawn`, and finishes only when all of them have.
//!
//! # Rules
//!
//! 1. **Never before its children.** The group's future completes only once the body is
//!    done (returned, or dropped after it was cancelled) and no child is alive. A child
//!    counts from `spawn` until its future is dropped, however it ends.
//! 2. **The first failure aborts.** A child that returns an error or panics is recorded
//!    (in order) and the group aborts: every other child is cancelled, and so is the
//!    body, through the body's own scope — never through the task, so nothing leaks
//!    into the enclosing task's next await. Cancelled children are not failures.
//! 3. **An outer cancel comes out as a cancel — unless a child failed.** The group
//!    counts as a cancellable region of the enclosing task and scopes. A request the
//!    body did not catch itself is taken by the group on the way up: it aborts, waits
//!    for its children (rule 1), then re-arms the request and stays pending, so an
//!    outer region, timeout or the runtime sees a cancellation. If children failed
//!    meanwhile, their errors go first (asyncio 3.12, `test_error_and_cancel`): the
//!    group returns its `GroupError` and re-arms the request behind that error
//!    (`task/cancel/mod.rs`, rule 6), so the enclosing code's next await is
//!    cancelled, a timeout around lets the error through, and a task that returns the
//!    error ends with it.
//! 4. **Closed groups refuse.** Once aborting or finished, `spawn` gives a task that is
//!    already cancelled (it never runs) and `try_spawn` an error.
//! 5. **Dropped early, it still cancels.** Dropping the group's future before it
//!    finishes cancels every child (it cannot wait for them).
//! 6. **A runtime only to spawn.** The group needs a runtime handle only to spawn
//!    children: it takes the current one at its first poll if there is one, else at
//!    the first `spawn`. A group with no children runs wherever its future is polled.

use super::catch_unwind::CatchUnwind;
use super::group_error::{GroupError, GroupFailure};
use crate::loom::Mutex;
use crate::scheduler;
use crate::scheduler::context;
use crate::scheduler::local::LocalScheduler;
use crate::task::cancel::{within, Cancelled, Registration, ScopeSlot};
use crate::task::{CountedRef, IdMap, LocalTask, SpawnMeta, Task, TaskError, TaskId};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// Runs `body` with a [`TaskGroup`] and waits for it and every task it spawns (asyncio's
/// `async with TaskGroup() as tg:`).
///
/// Resolves to the body's value, or to a [`GroupError`] listing every child that failed.
/// The first failure cancels the other children and the body; a cancellation of the
/// enclosing task cancels them too and ends the task as cancelled. See the module rules
/// in `docs/cancellation.md`.
///
/// ```
/// use std::time::Duration;
///
/// let rt = weft::Runtime::builder().current_thread().start_paused(true).build().unwrap();
/// rt.block_on(async {
///     let total = weft::task_group(|tg| async move {
///         let a = tg.spawn(async { Ok::<_, std::io::Error>(1) });
///         let b = tg.spawn(async { weft::time::sleep(Duration::from_millis(5)).await; Ok::<_, std::io::Error>(2) });
///         a.await.unwrap() + b.await.unwrap()
///     })
///     .await
///     .unwrap();
///     assert_eq!(total, 3);
///
///     let failed = weft::task_group(|tg| async move {
///         tg.spawn(async { Err::<(), _>(std::io::Error::other("boom")) });
///         weft::time::sleep(Duration::from_secs(3600)).await; // cancelled by the failure
///     })
///     .await
///     .unwrap_err();
///     assert_eq!(failed.failures().len(), 1);
/// });
/// ```
///
/// # Cancel safety
///
/// Not cancel safe: dropping the future before it completes cancels every child
/// (rule 5); their work is lost, as is the body's.
///
/// # Panics
///
/// [`TaskGroup::spawn`] panics when the group was first polled outside a weft runtime
/// and no runtime is current where `spawn` is called (rule 6).
pub fn task_group<F, Fut>(body: F) -> GroupFuture<F, Fut>
where
    F: FnOnce(TaskGroup) -> Fut,
    Fut: Future,
{
    GroupFuture {
        make_body: Some(body),
        body: None,
        output: None,
        shared: None,
        registration: None,
        body_scope: ScopeSlot::new(),
        body_cancel: BodyCancel::NotAsked,
        caught: None,
        state: GroupState::Running,
    }
}

/// What a [`TaskGroup`] child may return: `()` (it fails only by panicking) or a
/// `Result` (it fails by returning `Err`).
pub trait ChildOutput: Send + 'static {
    /// What the child's [`Task`] yields when it succeeds.
    type Value: Send + 'static;

    /// The value, or the error that fails the group.
    fn into_result(self) -> Result<Self::Value, Box<dyn Error + Send + Sync>>;
}

impl ChildOutput for () {
    type Value = ();

    fn into_result(self) -> Result<(), Box<dyn Error + Send + Sync>> {
        Ok(())
    }
}

impl<T, E> ChildOutput for Result<T, E>
where
    T: Send + 'static,
    E: Into<Box<dyn Error + Send + Sync>> + Send + 'static,
{
    type Value = T;

    fn into_result(self) -> Result<T, Box<dyn Error + Send + Sync>> {
        self.map_err(Into::into)
    }
}

/// The handle a [`task_group`] body spawns children with; cheap to clone and to move
/// into the children themselves.
#[derive(Clone)]
pub struct TaskGroup {
    shared: Arc<Shared>,
}

/// [`TaskGroup::try_spawn`] into a group that is aborting or finished: the future is
/// handed back, unrun.
pub struct GroupClosed<F>(pub F);

struct Shared {
    state: Mutex<State>,
}

struct State {
    /// The runtime children are spawned on (rule 6): the current one at the first
    /// poll, or at the first spawn.
    handle: Option<scheduler::Handle>,
    /// Live children (rule 1): a cancel handle once the spawn has returned one.
    children: IdMap<Option<CountedRef>>,
    failures: Vec<GroupFailure>,
    /// Rule 2-4: no child runs any more, the body is being cancelled.
    aborting: bool,
    /// The group's future has finished or was dropped.
    closed: bool,
    waker: Option<Waker>,
}

impl TaskGroup {
    /// Spawns `future` as a child (asyncio's `tg.create_task`). It fails the group if it
    /// returns `Err` or panics; its [`Task`] yields the error as
    /// [`TaskError::is_failed`] (the same error the group reports). Into a group that is
    /// aborting or finished it gives a task that is already cancelled (rule 4).
    ///
    /// # Panics
    ///
    /// When the group has no runtime to spawn on: it was first polled outside a weft
    /// runtime and none is current here either (rule 6).
    ///
    /// # Cancel safety
    ///
    /// Awaiting the returned [`Task`] by reference is cancel safe; see [`Task`].
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> Task<<F::Output as ChildOutput>::Value>
    where
        F: Future + Send + 'static,
        F::Output: ChildOutput,
    {
        let location = Location::caller();
        match self.spawn_at(future, location) {
            Ok(task) => task,
            Err(GroupClosed(future)) => {
                let meta = SpawnMeta::new(location, None, false);
                let task = self
                    .shared
                    .handle()
                    .spawn_fallible(child(future, None), meta);
                // Cancelled before its first poll, it never runs (cancel.rs, rule 2).
                task.cancel();
                task
            }
        }
    }

    /// As [`spawn`](Self::spawn), but into a group that is aborting or finished it
    /// spawns nothing and hands the future back.
    ///
    /// # Panics
    ///
    /// As [`spawn`](Self::spawn), when the group has no runtime to spawn on.
    #[track_caller]
    pub fn try_spawn<F>(
        &self,
        future: F,
    ) -> Result<Task<<F::Output as ChildOutput>::Value>, GroupClosed<F>>
    where
        F: Future + Send + 'static,
        F::Output: ChildOutput,
    {
        self.spawn_at(future, Location::caller())
    }

    fn spawn_at<F>(
        &self,
        future: F,
        location: &'static Location<'static>,
    ) -> Result<Task<<F::Output as ChildOutput>::Value>, GroupClosed<F>>
    where
        F: Future + Send + 'static,
        F::Output: ChildOutput,
    {
        let handle = self.shared.handle();
        let Some((meta, live)) = self.admit(location, handle.eager_by_default()) else {
            return Err(GroupClosed(future));
        };
        let id = meta.id;
        let task = handle.spawn_fallible(child(future, Some(live)), meta);
        self.adopt(id, &task);
        Ok(task)
    }

    /// Spawns `future` as a child that is a local task of this thread
    /// ([`weft::spawn_local`](crate::spawn_local)): it need not be `Send` and runs only
    /// here. Otherwise as [`spawn`](Self::spawn): it fails the group by returning `Err`
    /// or panicking, and is cancelled with the group. A body that holds the returned
    /// [`LocalTask`] is not `Send` either, so such a group is awaited in a local task or
    /// in `block_on`.
    ///
    /// ```
    /// use std::rc::Rc;
    ///
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let total = weft::task_group(|tg| async move {
    ///         let shared = Rc::new(20); // not Send
    ///         let a = tg.spawn_local({
    ///             let shared = shared.clone();
    ///             async move { Ok::<_, std::io::Error>(*shared + 1) }
    ///         });
    ///         let b = tg.spawn_local(async move { Ok::<_, std::io::Error>(*shared + 1) });
    ///         a.await.unwrap() + b.await.unwrap()
    ///     })
    ///     .await
    ///     .unwrap();
    ///     assert_eq!(total, 42);
    /// });
    /// ```
    ///
    /// # Panics
    ///
    /// As [`weft::spawn_local`](crate::spawn_local): on a thread with no local tasks.
    ///
    /// # Cancel safety
    ///
    /// As for [`spawn`](Self::spawn).
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> LocalTask<<F::Output as ChildOutput>::Value>
    where
        F: Future + 'static,
        F::Output: ChildOutput,
    {
        let location = Location::caller();
        LocalScheduler::with_current(|local| {
            let Some(local) = local else {
                panic!("{}", crate::scheduler::local::NO_LOCAL_TASKS)
            };
            let Some((meta, live)) = self.admit(location, local.eager_by_default()) else {
                // Rule 4: into a closed group, a task cancelled before it ever runs.
                let meta = SpawnMeta::new(location, None, false);
                let task = local.spawn_fallible(child(future, None), meta);
                task.cancel();
                return task;
            };
            let id = meta.id;
            let task = local.spawn_fallible(child(future, Some(live)), meta);
            self.adopt(id, &task);
            task
        })
    }

    /// Counts a new child in (rule 1), unless the group is aborting or finished (rule
    /// 4): its spawn meta, and its place in the group for its future to hold.
    fn admit(
        &self,
        location: &'static Location<'static>,
        eager: bool,
    ) -> Option<(SpawnMeta, LiveChild)> {
        let meta = SpawnMeta::new(location, None, eager);
        let id = meta.id;
        {
            let mut state = self.shared.state.lock();
            if state.aborting || state.closed {
                return None;
            }
            state.children.insert(id, None);
        }
        let live = LiveChild {
            shared: self.shared.clone(),
            id,
        };
        Some((meta, live))
    }

    /// Keeps a handle to cancel the spawned child `id` with (rule 2), and cancels it at
    /// once if the group began aborting while it was being spawned.
    fn adopt<T>(&self, id: TaskId, task: &Task<T>) {
        let mut state = self.shared.state.lock();
        // Still alive: keep a handle to cancel it with (rule 2). Gone already if it
        // finished (an eager child, or a fast worker).
        if let Some(slot) = state.children.get_mut(&id) {
            // SAFETY: `task` holds a reference for the length of the call.
            *slot = Some(unsafe { CountedRef::new(task.raw()) });
        }
        let aborted_meanwhile = state.aborting;
        drop(state);
        if aborted_meanwhile {
            task.cancel();
        }
    }

    /// Stops the group: cancels every child and the body, and reports no failure for
    /// it — the group ends with the body's value if the body caught the cancellation
    /// and returned one, else with a [`GroupError`] whose
    /// [`is_cancelled`](GroupError::is_cancelled) is true.
    pub fn cancel(&self) {
        self.shared.abort();
    }
}

impl Shared {
    /// The runtime to spawn children on (rule 6).
    #[track_caller]
    fn handle(&self) -> scheduler::Handle {
        if let Some(handle) = &self.state.lock().handle {
            return handle.clone();
        }
        let handle = context::try_current().unwrap_or_else(|| {
            panic!(
                "weft::TaskGroup::spawn was called outside a weft runtime, on a group \
                 first polled outside one: spawn children from inside the runtime"
            )
        });
        self.state
            .lock()
            .handle
            .get_or_insert_with(|| handle.clone())
            .clone()
    }

    /// Rule 2: marks the group aborting, cancels the children and wakes the group.
    fn abort(&self) {
        self.abort_but(None);
    }

    /// As `abort`, sparing the child `failed`, which is returning its error now: a
    /// request would end it cancelled instead (`task/cancel/mod.rs`, rule 1).
    fn abort_but(&self, failed: Option<TaskId>) {
        let (children, waker) = {
            let mut state = self.state.lock();
            if state.aborting {
                return;
            }
            state.aborting = true;
            let children: Vec<CountedRef> = state
                .children
                .iter()
                .filter(|(id, _)| Some(**id) != failed)
                .filter_map(|(_, child)| child.clone())
                .collect();
            (children, state.waker.take())
        };
        for child in children {
            crate::task::cancel::request(child.raw(), None);
        }
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn fail(&self, failure: GroupFailure) {
        let id = failure.task_id();
        self.state.lock().failures.push(failure);
        self.abort_but(Some(id));
    }
}

/// A child's place in the group, given up when its future is dropped (rule 1).
struct LiveChild {
    shared: Arc<Shared>,
    id: TaskId,
}

impl Drop for LiveChild {
    fn drop(&mut self) {
        let waker = {
            let mut state = self.shared.state.lock();
            state.children.remove(&self.id);
            if state.children.is_empty() {
                state.waker.take()
            } else {
                None
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// A child's future: runs `future`, reports its failure to the group (rule 2), and
/// ends the child's task with the same error.
async fn child<F>(
    future: F,
    live: Option<LiveChild>,
) -> Result<<F::Output as ChildOutput>::Value, TaskError>
where
    F: Future,
    F::Output: ChildOutput,
{
    let id = crate::task::current()
        .map(|task| task.id())
        .expect("a task group child runs as a task");
    let outcome = CatchUnwind(future).await;
    let report = |failure: GroupFailure| {
        if let Some(live) = &live {
            live.shared.fail(failure);
        }
    };
    match outcome {
        Ok(output) => output.into_result().map_err(|err| {
            let err: Arc<dyn Error + Send + Sync> = Arc::from(err);
            report(GroupFailure::returned(id, err.clone()));
            TaskError::failed(id, err)
        }),
        Err(payload) => {
            let message = crate::task::panic_message(&*payload)
                .unwrap_or("a task group child panicked")
                .to_owned();
            report(GroupFailure::panicked(id, TaskError::panicked(id, payload)));
            Err(TaskError::panicked(id, Box::new(message)))
        }
    }
}

/// Where the body's cancellation stands (rule 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyCancel {
    NotAsked,
    /// Requested on the body's scope; a region inside may be cleaning up.
    Requested,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GroupState {
    Running,
    /// Finished after catching an outer cancellation: pending for good (rule 3).
    CancelledOut,
    Finished,
}

/// The future of [`task_group`].
#[must_use = "futures do nothing unless awaited"]
pub struct GroupFuture<F, Fut: Future> {
    make_body: Option<F>,
    /// Structurally pinned; dropped in place when cancelled.
    body: Option<Fut>,
    output: Option<Fut::Output>,
    shared: Option<Arc<Shared>>,
    registration: Option<Registration>,
    body_scope: ScopeSlot,
    body_cancel: BodyCancel,
    /// The outer request the group took (rule 3), to re-arm.
    caught: Option<Cancelled>,
    state: GroupState,
}

impl<F, Fut> Future for GroupFuture<F, Fut>
where
    F: FnOnce(TaskGroup) -> Fut,
    Fut: Future,
{
    type Output = Result<Fut::Output, GroupError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `body` is structurally pinned — only ever dropped in place (by
        // assigning `None`), never moved; no other field is pinned, and `Drop` moves
        // nothing.
        let this = unsafe { self.get_unchecked_mut() };
        match this.state {
            GroupState::Running => {}
            GroupState::CancelledOut => return Poll::Pending,
            GroupState::Finished => {
                panic!("a weft task_group future was polled after it completed")
            }
        }
        let shared = this.shared.get_or_insert_with(Shared::current).clone();
        if let Some(make_body) = this.make_body.take() {
            this.body = Some(make_body(TaskGroup {
                shared: shared.clone(),
            }));
        }
        this.registration.get_or_insert_with(Registration::enter);
        shared.state.lock().waker = Some(cx.waker().clone());

        this.poll_body(cx);
        if this.caught.is_none() {
            // Rule 3: the body left an outer request; the group takes it — but once
            // the body has returned, not one waiting behind an error the body is
            // handing on (`task/cancel/mod.rs`, rule 6).
            let take = match this.body {
                Some(_) => Registration::take_requests,
                None => Registration::take_requests_ahead_of_errors,
            };
            this.caught = this.registration.as_ref().and_then(take);
            if this.caught.is_some() {
                shared.abort();
            }
        }
        if shared.state.lock().aborting {
            this.cancel_body(cx);
        }

        let children_done = shared.state.lock().children.is_empty();
        if this.body.is_some() || !children_done {
            return Poll::Pending;
        }
        this.close(&shared);
        let failures = std::mem::take(&mut shared.state.lock().failures);
        if let Some(caught) = this.caught.take() {
            if failures.is_empty() {
                this.state = GroupState::CancelledOut;
                caught.rearm();
                return Poll::Pending;
            }
            // Rule 3: the children's errors go first; the request waits behind them.
            caught.rearm_behind_error();
        }
        this.state = GroupState::Finished;
        match this.output.take() {
            Some(output) if failures.is_empty() => Poll::Ready(Ok(output)),
            _ => Poll::Ready(Err(GroupError::new(failures))),
        }
    }
}

impl<F, Fut: Future> GroupFuture<F, Fut> {
    fn poll_body(&mut self, cx: &mut Context<'_>) {
        let Some(body) = self.body.as_mut() else {
            return;
        };
        // SAFETY: see `poll`: the body stays where it is.
        let body = unsafe { Pin::new_unchecked(body) };
        if let Poll::Ready(output) = within(&self.body_scope, None, || body.poll(cx)) {
            self.output = Some(output);
            self.body = None;
        }
    }

    /// Rule 2 for the body: a request on its scope the first time, polled at once so a
    /// region inside takes it now. The body is dropped as soon as no region is left to
    /// take the request: none was inside at all, or the regions inside ended without
    /// taking it or re-armed it (a group nested in the body does, once it has wound
    /// down) — nothing would ever wake the group to look again.
    fn cancel_body(&mut self, cx: &mut Context<'_>) {
        if self.body.is_none() {
            return;
        }
        if self.body_cancel == BodyCancel::NotAsked {
            self.body_cancel = BodyCancel::Requested;
            if !self.body_scope.request_if_regions() {
                self.body = None;
                return;
            }
            self.poll_body(cx);
        }
        let pending_unheard = self
            .body_scope
            .get()
            .is_none_or(|scope| scope.is_requested() && !scope.has_regions());
        if self.body.is_some() && pending_unheard {
            self.body = None;
        }
    }

    fn close(&mut self, shared: &Shared) {
        let mut state = shared.state.lock();
        state.closed = true;
        state.aborting = true;
        state.waker = None;
        drop(state);
        self.registration = None;
    }
}

impl<F, Fut: Future> Drop for GroupFuture<F, Fut> {
    fn drop(&mut self) {
        // Rule 5.
        if let Some(shared) = &self.shared {
            if self.state == GroupState::Running {
                shared.state.lock().closed = true;
                shared.abort();
            }
        }
    }
}

impl Shared {
    /// A group on the current runtime, or on none yet (rule 6).
    fn current() -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State {
                handle: context::try_current(),
                children: IdMap::default(),
                failures: Vec::new(),
                aborting: false,
                closed: false,
                waker: None,
            }),
        })
    }
}

impl fmt::Debug for TaskGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.lock();
        f.debug_struct("TaskGroup")
            .field("children", &state.children.len())
            .field("failures", &state.failures.len())
            .field("aborting", &state.aborting)
            .finish()
    }
}

impl<F, Fut: Future> fmt::Debug for GroupFuture<F, Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupFuture")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<F> fmt::Debug for GroupClosed<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GroupClosed(..)")
    }
}

impl<F> fmt::Display for GroupClosed<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the task group is aborting or finished: it takes no new task")
    }
}

impl<F> Error for GroupClosed<F> {}
