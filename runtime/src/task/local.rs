//! Context variables: values that belong to a task and are copied into every task it
//! spawns (asyncio's `contextvars`).
//!
//! A task's variables form an immutable map behind an `Arc`. The task being polled
//! has its map in a thread-local (`runtime/context.rs`); setting a variable replaces
//! the map with a copy that holds the new value. Spawning a task (with `spawn`, in a
//! `TaskGroup`, with `spawn_blocking` or `to_thread`) gives it the parent's current
//! map: a copy of the values at that moment, for the price of one reference count.
//!
//! # Rules
//!
//! 1. A child's `set` changes its own map only; the parent never sees it, nor does a
//!    sibling.
//! 2. Code that runs outside any task (a `block_on` future, a plain thread) has a map
//!    of its own per thread, which `block_on`'s spawns inherit like a task's.
//! 3. A variable's identity is its id, assigned from a process-wide counter on first
//!    use, never reused: a new variable never sees an old one's values.

use super::context;
use crate::loom::sync::atomic::{
    AtomicU64, Ordering::AcqRel, Ordering::Acquire, Ordering::Relaxed,
};
use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// The values of one task's context variables (rule 1: immutable, shared by `Arc`).
#[derive(Clone, Default)]
pub(crate) struct ContextMap(Arc<HashMap<u64, Arc<dyn Any + Send + Sync>>>);

impl ContextMap {
    fn get(&self, id: u64) -> Option<&Arc<dyn Any + Send + Sync>> {
        self.0.get(&id)
    }

    /// A copy with `id` set to `value` (or removed, for `None`).
    fn with(&self, id: u64, value: Option<Arc<dyn Any + Send + Sync>>) -> ContextMap {
        let mut map = (*self.0).clone();
        match value {
            Some(v) => map.insert(id, v),
            None => map.remove(&id),
        };
        ContextMap(Arc::new(map))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A variable whose value is per task and inherited by the tasks it spawns (asyncio's
/// `contextvars.ContextVar`).
///
/// ```
/// use weft::task::ContextVar;
///
/// static REQUEST_ID: ContextVar<u64> = ContextVar::new("request_id");
///
/// let rt = weft::Runtime::builder().current_thread().build().unwrap();
/// rt.block_on(async {
///     REQUEST_ID.set(7);
///     let child = weft::spawn(async {
///         let inherited = REQUEST_ID.get();
///         REQUEST_ID.set(8); // the child's own copy
///         inherited
///     });
///     assert_eq!(child.await.unwrap(), Some(7));
///     assert_eq!(REQUEST_ID.get(), Some(7)); // untouched by the child
/// });
/// ```
pub struct ContextVar<T> {
    name: &'static str,
    /// 0 until first use (rule 3).
    id: AtomicU64,
    _value: PhantomData<fn() -> T>,
}

/// What [`ContextVar::set`] returns: the value before, to restore with
/// [`ContextVar::reset`]. Dropping it keeps the new value (asyncio's `Token`).
pub struct ContextVarToken<T> {
    var_id: u64,
    previous: Option<Arc<dyn Any + Send + Sync>>,
    _value: PhantomData<fn() -> T>,
}

impl<T: Clone + Send + Sync + 'static> ContextVar<T> {
    /// A variable with no value in any task yet.
    #[cfg(not(weft_loom))]
    pub const fn new(name: &'static str) -> ContextVar<T> {
        ContextVar {
            name,
            id: AtomicU64::new(0),
            _value: PhantomData,
        }
    }

    /// A variable with no value in any task yet.
    #[cfg(weft_loom)]
    pub fn new(name: &'static str) -> ContextVar<T> {
        ContextVar {
            name,
            id: AtomicU64::new(0),
            _value: PhantomData,
        }
    }

    /// Its name, for debugging.
    pub fn name(&self) -> &'static str {
        self.name
    }

    fn id(&self) -> u64 {
        let id = self.id.load(Acquire);
        if id != 0 {
            return id;
        }
        let fresh = next_var_id();
        match self.id.compare_exchange(0, fresh, AcqRel, Acquire) {
            Ok(_) => fresh,
            Err(winner) => winner,
        }
    }

    /// The current task's value, or `None` if it has none.
    pub fn get(&self) -> Option<T> {
        let id = self.id();
        context::with_task_context(|map| {
            map.and_then(|m| m.get(id))
                .and_then(|v| v.downcast_ref::<T>())
                .cloned()
        })
    }

    /// Sets the current task's value (its own copy: rule 1), returning a token that
    /// restores the value it replaces.
    pub fn set(&self, value: T) -> ContextVarToken<T> {
        self.replace(Some(Arc::new(value)))
    }

    /// Restores the value `token` saved.
    pub fn reset(&self, token: ContextVarToken<T>) {
        debug_assert_eq!(token.var_id, self.id(), "a token reset on another variable");
        let _ = self.replace(token.previous);
    }

    fn replace(&self, value: Option<Arc<dyn Any + Send + Sync>>) -> ContextVarToken<T> {
        let id = self.id();
        let previous = context::update_task_context(|map| {
            let current = map.clone().unwrap_or_default();
            let previous = current.get(id).cloned();
            let next = current.with(id, value);
            *map = (!next.is_empty()).then_some(next);
            previous
        });
        ContextVarToken {
            var_id: id,
            previous,
            _value: PhantomData,
        }
    }
}

/// A fresh variable id (rule 3).
fn next_var_id() -> u64 {
    #[cfg(not(weft_loom))]
    static NEXT: AtomicU64 = AtomicU64::new(1);
    #[cfg(weft_loom)]
    loom::lazy_static! {
        static ref NEXT: AtomicU64 = AtomicU64::new(1);
    }
    NEXT.fetch_add(1, Relaxed)
}

impl<T> fmt::Debug for ContextVar<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContextVar")
            .field("name", &self.name)
            .finish()
    }
}

impl<T> fmt::Debug for ContextVarToken<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContextVarToken").finish_non_exhaustive()
    }
}
