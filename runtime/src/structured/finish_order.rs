//! `FinishOrder`: many tasks, reported in the order they finish, each polled only when
//! it woke.
//!
//! Every task gets a waker of its own that records its index in a shared ready list
//! and wakes the owner; the owner pops indices and polls just those tasks. Waiting on
//! n tasks costs O(n) polls in all, not O(n) per wake.
//!
//! # Rules
//!
//! 1. The ready list and the owner's waker share one lock: an index pushed after the
//!    owner found the list empty finds the waker registered, so no wake is lost.
//! 2. Every index starts in the list, so each task is polled (and its waker set) once.
//! 3. An index may be in the list twice or belong to a task already reported or
//!    taken; popping it then is a no-op.

use crate::loom::Mutex;
use crate::task::Task;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub(crate) struct FinishOrder<T> {
    tasks: Vec<Option<Task<T>>>,
    reported: Vec<bool>,
    wakers: Vec<Waker>,
    ready: Arc<Ready>,
    unreported: usize,
}

struct Ready {
    state: Mutex<ReadyState>,
}

struct ReadyState {
    indices: Vec<usize>,
    waker: Option<Waker>,
}

/// One task's waker: pushes its index (rule 1).
struct IndexWaker {
    ready: Arc<Ready>,
    index: usize,
}

impl Wake for IndexWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let waker = {
            let mut state = self.ready.state.lock();
            state.indices.push(self.index);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> FinishOrder<T> {
    pub(crate) fn new(tasks: Vec<Task<T>>) -> FinishOrder<T> {
        let n = tasks.len();
        let ready = Arc::new(Ready {
            state: Mutex::new(ReadyState {
                // Rule 2; popped from the back, so reversed to start with the first.
                indices: (0..n).rev().collect(),
                waker: None,
            }),
        });
        let wakers = (0..n)
            .map(|index| {
                Waker::from(Arc::new(IndexWaker {
                    ready: ready.clone(),
                    index,
                }))
            })
            .collect();
        FinishOrder {
            tasks: tasks.into_iter().map(Some).collect(),
            reported: vec![false; n],
            wakers,
            ready,
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
            let index = {
                let mut state = self.ready.state.lock();
                match state.indices.pop() {
                    Some(index) => index,
                    None => {
                        state.waker = Some(cx.waker().clone());
                        return Poll::Pending;
                    }
                }
            };
            // Rule 3.
            let Some(task) = &mut self.tasks[index] else {
                continue;
            };
            if self.reported[index] {
                continue;
            }
            let mut own = Context::from_waker(&self.wakers[index]);
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
