//! `FinishOrder`: many tasks, reported in the order they finish, each polled only when
//! it woke.
//!
//! Every task is polled with its own waker from a `ReadySet` (`combinator/
//! ready_set.rs`), which records the index that woke; the owner polls just those
//! tasks. Waiting on n tasks costs O(n) polls in all, not O(n) per wake.
//!
//! # Rules
//!
//! 1. No wake is lost, every task is polled once at the start, and an index may
//!    belong to a task already reported or taken: the `ReadySet`'s rules 1, 2 and 4.
//! 2. A task is reported at most once (`reported`).

use crate::combinator::ReadySet;
use crate::task::Task;
use std::task::{Context, Poll};

pub(crate) struct FinishOrder<T> {
    tasks: Vec<Option<Task<T>>>,
    reported: Vec<bool>,
    ready: ReadySet,
    unreported: usize,
}

impl<T> FinishOrder<T> {
    pub(crate) fn new(tasks: Vec<Task<T>>) -> FinishOrder<T> {
        let n = tasks.len();
        FinishOrder {
            tasks: tasks.into_iter().map(Some).collect(),
            reported: vec![false; n],
            ready: ReadySet::new(n),
            unreported: n,
        }
    }

    /// How many tasks there are (reported or not).
    pub(crate) fn len(&self) -> usize {
        self.tasks.len()
    }

    /// The index of the next task to finish: `Ready(Some(i))` (it stays in place,
    /// finished), `Ready(None)` once every task has been reported.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<usize>> {
        loop {
            if self.unreported == 0 {
                return Poll::Ready(None);
            }
            let Some(index) = self.ready.pop(cx) else {
                return Poll::Pending;
            };
            // Rule 1: the index of a task taken or reported is skipped (rule 2).
            let Some(task) = &mut self.tasks[index] else {
                continue;
            };
            if self.reported[index] {
                continue;
            }
            let mut own = Context::from_waker(self.ready.waker(index));
            if task.poll_finished(&mut own).is_ready() {
                self.reported[index] = true;
                self.unreported -= 1;
                return Poll::Ready(Some(index));
            }
        }
    }

    /// The task at `index`, if not taken.
    pub(crate) fn get(&self, index: usize) -> Option<&Task<T>> {
        self.tasks[index].as_ref()
    }

    /// Takes the task at `index` out.
    pub(crate) fn take(&mut self, index: usize) -> Option<Task<T>> {
        if !self.reported[index] && self.tasks[index].is_some() {
            self.reported[index] = true;
            self.unreported -= 1;
        }
        self.tasks[index].take()
    }

    /// The tasks not reported yet, in their original order, taken out.
    pub(crate) fn take_unreported(&mut self) -> Vec<Task<T>> {
        let unreported: Vec<usize> = (0..self.tasks.len())
            .filter(|&i| !self.reported[i])
            .collect();
        unreported
            .into_iter()
            .filter_map(|i| self.take(i))
            .collect()
    }

    /// Cancels every task not reported yet (left in place).
    pub(crate) fn cancel_unreported(&self) {
        for (task, reported) in self.tasks.iter().zip(&self.reported) {
            if let (Some(task), false) = (task, reported) {
                task.cancel();
            }
        }
    }
}
