//! The `tracing` feature: a span per task, entered on each poll, events for its life,
//! and the runtime's reports as events. A small capturing subscriber records what
//! weft emits; each test runs a current-thread runtime inside it.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

#[derive(Clone, Debug)]
struct Captured {
    target: String,
    level: Level,
    message: String,
    fields: HashMap<String, String>,
    /// The fields of the span entered when the event was emitted.
    in_span: Option<HashMap<String, String>>,
}

#[derive(Default)]
struct Capture {
    next_id: AtomicU64,
    spans: Mutex<HashMap<u64, HashMap<String, String>>>,
    entered: Mutex<Vec<u64>>,
    events: Mutex<Vec<Captured>>,
}

#[derive(Default)]
struct Fields(HashMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// The subscriber handed to `tracing`; the test keeps the other end.
#[derive(Clone)]
struct Sink(Arc<Capture>);

impl Subscriber for Sink {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::default();
        span.record(&mut fields);
        fields
            .0
            .insert("span.name".into(), span.metadata().name().into());
        self.0.spans.lock().unwrap().insert(id, fields.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let Some(span) = self.0.spans.lock().unwrap().get_mut(&span.into_u64()) {
            span.extend(fields.0);
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let message = fields.0.remove("message").unwrap_or_default();
        let span = event
            .parent()
            .map(Id::into_u64)
            .or_else(|| self.0.entered.lock().unwrap().last().copied());
        let in_span = span.and_then(|id| self.0.spans.lock().unwrap().get(&id).cloned());
        self.0.events.lock().unwrap().push(Captured {
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            message,
            fields: fields.0,
            in_span,
        });
    }

    fn enter(&self, span: &Id) {
        self.0.entered.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut entered = self.0.entered.lock().unwrap();
        if let Some(at) = entered.iter().rposition(|&id| id == span.into_u64()) {
            entered.remove(at);
        }
    }
}

/// Runs `body` on a current-thread runtime (built by `build`) under a capturing
/// subscriber; returns what it captured.
fn capture(
    build: impl FnOnce(&mut weft::Builder),
    body: impl std::future::Future,
) -> Vec<Captured> {
    let capture = Arc::new(Capture::default());
    tracing::subscriber::with_default(Sink(capture.clone()), || {
        let mut builder = weft::Runtime::builder();
        builder.current_thread();
        build(&mut builder);
        let rt = builder.build().unwrap();
        rt.block_on(body);
    });
    let events = capture.events.lock().unwrap().clone();
    events
}

fn find<'a>(events: &'a [Captured], message: &str) -> Vec<&'a Captured> {
    events.iter().filter(|e| e.message == message).collect()
}

#[test]
fn each_task_has_a_span_entered_on_each_poll() {
    let events = capture(|_| {}, async {
        let parent = weft::task::Builder::new().name("parent").spawn(async {
            let child = weft::task::Builder::new().name("child").spawn(async {
                tracing::info!("from the child");
                weft::yield_now().await;
                tracing::info!("from the child again");
            });
            let id = child.id();
            child.await.unwrap();
            (weft::task::current().unwrap().id(), id)
        });
        parent.await.unwrap()
    });
    let inside = find(&events, "from the child");
    let again = find(&events, "from the child again");
    for event in inside.iter().chain(&again) {
        let span = event.in_span.as_ref().expect("logged outside any span");
        assert_eq!(span["span.name"], "task");
        assert_eq!(span["task_name"], "child");
        assert!(span["spawned_at"].contains("task_tracing.rs"));
        assert!(span.contains_key("parent"), "{span:?}");
    }
}

#[test]
fn spawn_completion_panic_and_cancel_are_events() {
    let events = capture(|_| {}, async {
        weft::spawn(async {}).await.unwrap();
        let err = weft::spawn(async { panic!("kaboom") as () })
            .await
            .unwrap_err();
        assert!(err.is_panic());
        let pending = weft::spawn(std::future::pending::<()>());
        pending.cancel();
        assert!(pending.await.unwrap_err().is_cancelled());
    });
    assert!(events
        .iter()
        .all(|e| e.target.starts_with("weft") || e.target == "task_tracing"));
    assert_eq!(find(&events, "spawned").len(), 3);
    let completed = find(&events, "completed");
    let outcomes: Vec<&str> = completed
        .iter()
        .map(|e| e.fields["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["Returned", "Panicked", "Cancelled"]);
    let panicked = find(&events, "panicked");
    assert_eq!(panicked.len(), 1);
    assert_eq!(panicked[0].level, Level::ERROR);
    assert_eq!(panicked[0].fields["panic"], "kaboom");
    assert_eq!(find(&events, "cancel requested").len(), 1, "{events:#?}");
}

#[test]
fn debug_mode_reports_are_warn_events_when_nobody_set_a_hook() {
    let events = capture(
        |builder| {
            builder
                .debug(true)
                .slow_poll_threshold(Duration::from_millis(5));
        },
        async {
            weft::spawn(async { std::thread::sleep(Duration::from_millis(10)) })
                .await
                .unwrap();
        },
    );
    let reports: Vec<_> = events.iter().filter(|e| e.target == "weft").collect();
    assert_eq!(reports.len(), 1, "{events:?}");
    assert_eq!(reports[0].level, Level::WARN);
    assert!(
        reports[0].message.contains("held its worker for"),
        "{}",
        reports[0].message
    );
}
