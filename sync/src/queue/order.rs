//! The orders a queue can hand items out in: FIFO, LIFO, by priority.

use std::collections::{BinaryHeap, VecDeque};

/// The storage of a queue, and so the order it hands items out in.
///
/// [`Fifo`], [`Lifo`] and [`Priority`] give [`Queue`](crate::Queue),
/// [`LifoQueue`](crate::LifoQueue) and [`PriorityQueue`](crate::PriorityQueue);
/// any other order can be had by implementing this trait.
///
/// ```
/// use weft_sync::{Fifo, Order};
///
/// let mut fifo = Fifo::default();
/// fifo.push(1);
/// fifo.push(2);
/// assert_eq!(fifo.pop(), Some(1));
/// fifo.restore(1);
/// assert_eq!(fifo.pop(), Some(1));
/// ```
pub trait Order<T>: Default {
    /// Stores an item that was put.
    ///
    /// ```
    /// use weft_sync::{Lifo, Order};
    /// let mut order = Lifo::default();
    /// order.push(1);
    /// assert_eq!(order.len(), 1);
    /// ```
    fn push(&mut self, item: T);

    /// Removes the item to hand out next.
    ///
    /// ```
    /// use weft_sync::{Lifo, Order};
    /// let mut order = Lifo::default();
    /// order.push(1);
    /// order.push(2);
    /// assert_eq!(order.pop(), Some(2));
    /// ```
    fn pop(&mut self) -> Option<T>;

    /// Puts back an item that had been handed to a getter which was cancelled
    /// before it ran: it must come out next, or in its proper place.
    ///
    /// ```
    /// use weft_sync::{Fifo, Order};
    /// let mut order = Fifo::default();
    /// order.push(2);
    /// order.restore(1); // handed out earlier, given back
    /// assert_eq!(order.pop(), Some(1));
    /// ```
    fn restore(&mut self, item: T);

    /// How many items are stored.
    ///
    /// ```
    /// use weft_sync::{Order, Priority};
    /// let mut order = Priority::default();
    /// order.push(3);
    /// assert_eq!(order.len(), 1);
    /// ```
    fn len(&self) -> usize;

    /// Whether no item is stored.
    ///
    /// ```
    /// use weft_sync::{Fifo, Order};
    /// assert!(Order::<u8>::is_empty(&Fifo::default()));
    /// ```
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First in, first out (asyncio's `Queue`).
///
/// ```
/// use weft_sync::{Fifo, Order};
/// let mut order = Fifo::default();
/// order.push('a');
/// order.push('b');
/// assert_eq!(order.pop(), Some('a'));
/// ```
#[derive(Debug)]
pub struct Fifo<T>(VecDeque<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Order<T> for Fifo<T> {
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }

    fn restore(&mut self, item: T) {
        self.0.push_front(item);
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Last in, first out (asyncio's `LifoQueue`).
///
/// ```
/// use weft_sync::{Lifo, Order};
/// let mut order = Lifo::default();
/// order.push('a');
/// order.push('b');
/// assert_eq!(order.pop(), Some('b'));
/// ```
#[derive(Debug)]
pub struct Lifo<T>(Vec<T>);

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T> Order<T> for Lifo<T> {
    fn push(&mut self, item: T) {
        self.0.push(item);
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }

    fn restore(&mut self, item: T) {
        self.0.push(item);
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first (asyncio's `PriorityQueue`, which pops the lowest entry);
/// use [`std::cmp::Reverse`] for largest first.
///
/// ```
/// use weft_sync::{Order, Priority};
/// let mut order = Priority::default();
/// order.push(3);
/// order.push(1);
/// order.push(2);
/// assert_eq!(order.pop(), Some(1));
/// ```
#[derive(Debug)]
pub struct Priority<T: Ord>(BinaryHeap<std::cmp::Reverse<T>>);

impl<T: Ord> Default for Priority<T> {
    fn default() -> Self {
        Priority(BinaryHeap::new())
    }
}

impl<T: Ord> Order<T> for Priority<T> {
    fn push(&mut self, item: T) {
        self.0.push(std::cmp::Reverse(item));
    }

    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|std::cmp::Reverse(item)| item)
    }

    fn restore(&mut self, item: T) {
        self.push(item);
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}
