//! `Handle::dump()`: every live task with what it waits on, and the chains of tasks
//! awaiting one another (asyncio 3.14's `print_call_graph` / `python -m asyncio
//! pstree`).
//!
//! # Rules
//!
//! 1. The dump is a snapshot: each task's record is read once (`weft_core::waiting`,
//!    rule 2), so a chain may mix moments a few microseconds apart, never a torn record.
//! 2. A chain starts at a task that awaits a live task and that no live task awaits,
//!    and follows `awaiting` while the awaited task is live and not yet on the chain
//!    (so a cycle ends instead of looping).

use super::{TaskId, TaskInfo};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A snapshot of a runtime's live tasks, printed by `Display` as one line per task and
/// then the call graph. Returned by [`Handle::dump`](crate::runtime::Handle::dump).
///
/// ```
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     let event = std::sync::Arc::new(weft::sync::Event::new());
///     let waiter = event.clone();
///     let inner = weft::task::Builder::new()
///         .name("inner")
///         .spawn(async move { waiter.wait().await });
///     let outer = weft::task::Builder::new()
///         .name("outer")
///         .spawn(async move { inner.await });
///     weft::yield_now().await;
///     let dump = weft::runtime::Handle::current().dump();
///     let text = dump.to_string();
///     assert!(text.contains(r#"awaits task"#), "{text}");
///     assert!(text.contains("which waits on Event::wait at"), "{text}");
///     assert_eq!(dump.tasks().len(), 2);
///     event.set();
///     outer.await.unwrap().unwrap();
/// });
/// ```
#[derive(Clone, Debug)]
pub struct Dump {
    tasks: Vec<TaskInfo>,
}

impl Dump {
    pub(crate) fn new(tasks: Vec<TaskInfo>) -> Dump {
        Dump { tasks }
    }

    /// The live tasks, in spawn order.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// let idle = rt.spawn(std::future::pending::<()>());
    /// assert_eq!(rt.dump().tasks()[0].id(), idle.id());
    /// ```
    pub fn tasks(&self) -> &[TaskInfo] {
        &self.tasks
    }

    /// The chains of tasks awaiting one another (rule 2), each from the outermost
    /// awaiter to the task that waits on something else.
    ///
    /// ```
    /// let rt = weft::Runtime::builder().current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     let inner = weft::spawn(std::future::pending::<()>());
    ///     let inner_id = inner.id();
    ///     let outer = weft::spawn(async move { inner.await });
    ///     weft::yield_now().await;
    ///     let dump = weft::runtime::Handle::current().dump();
    ///     let chains = dump.call_graph();
    ///     let ids: Vec<_> = chains[0].iter().map(|t| t.id()).collect();
    ///     assert_eq!(ids, [outer.id(), inner_id]);
    ///     outer.cancel();
    /// });
    /// ```
    pub fn call_graph(&self) -> Vec<Vec<&TaskInfo>> {
        let by_id: HashMap<TaskId, &TaskInfo> = self.tasks.iter().map(|t| (t.id(), t)).collect();
        let awaited: HashSet<TaskId> = self
            .tasks
            .iter()
            .filter_map(TaskInfo::awaiting)
            .filter(|id| by_id.contains_key(id))
            .collect();
        let mut chains = Vec::new();
        for root in &self.tasks {
            let awaits_live = root.awaiting().is_some_and(|id| by_id.contains_key(&id));
            if !awaits_live || awaited.contains(&root.id()) {
                continue;
            }
            let mut chain = vec![root];
            let mut seen = HashSet::from([root.id()]);
            let mut at = root;
            while let Some(next) = at.awaiting().and_then(|id| by_id.get(&id)) {
                if !seen.insert(next.id()) {
                    break;
                }
                chain.push(next);
                at = next;
            }
            chains.push(chain);
        }
        chains
    }
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} live tasks", self.tasks.len())?;
        for task in &self.tasks {
            writeln!(f, "  {task}")?;
        }
        let chains = self.call_graph();
        if chains.is_empty() {
            return Ok(());
        }
        writeln!(f, "call graph:")?;
        for chain in chains {
            write!(f, "  ")?;
            for (i, task) in chain.iter().enumerate() {
                if i > 0 {
                    write!(f, ", which ")?;
                }
                let last = i + 1 == chain.len();
                if i == 0 {
                    write!(f, "task {}", task.id())?;
                    if let Some(name) = task.name() {
                        write!(f, " {name:?}")?;
                    }
                    write!(f, " ")?;
                }
                match (last, task.describe_wait()) {
                    (false, Some(_)) => {
                        let next = chain[i + 1];
                        write!(f, "awaits task {}", next.id())?;
                        if let Some(name) = next.name() {
                            write!(f, " {name:?}")?;
                        }
                        if let Some(at) = task.waiting_at() {
                            write!(f, " at {at}")?;
                        }
                    }
                    (true, Some(wait)) => write!(f, "{wait}")?,
                    (_, None) => write!(f, "is {:?}", task.state())?,
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
