//! `Options`: what the attribute's arguments ask for, checked.
//!
//! # Rules
//!
//! 1. Options are written `name = literal`, separated by commas, each at most once:
//!    `flavor = "current_thread" | "multi_thread"`, `worker_threads = N` (an integer
//!    literal, at least 1), `start_paused = true | false`, `debug = true | false`,
//!    `crate = "path"`.
//! 2. The flavor defaults to `multi_thread` for `#[weft::main]` and `current_thread`
//!    for `#[weft::test]`.
//! 3. `worker_threads` needs the multi-thread flavor; `start_paused` needs the
//!    current-thread flavor (on `main` as well as on tests, as in tokio).
//! 4. Every mistake is reported, each at its own tokens, with what to write instead;
//!    the options that were valid are kept, so the expansion stays close to what the
//!    user meant and the only errors are ours.

use crate::errors::Errors;
use crate::Entry;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, Meta, MetaNameValue, Token};

/// Which scheduler the generated code builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Builder::current_thread`: one thread, deterministic order.
    CurrentThread,
    /// `Builder::multi_thread`: work-stealing workers.
    MultiThread,
}

impl Flavor {
    const NAMES: [&'static str; 2] = ["current_thread", "multi_thread"];

    fn from_name(name: &str) -> Option<Flavor> {
        match name {
            "current_thread" => Some(Flavor::CurrentThread),
            "multi_thread" => Some(Flavor::MultiThread),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Flavor::CurrentThread => "current_thread",
            Flavor::MultiThread => "multi_thread",
        }
    }
}

/// The runtime the generated code builds.
pub(crate) struct Options {
    pub(crate) flavor: Flavor,
    pub(crate) worker_threads: Option<usize>,
    pub(crate) start_paused: Option<bool>,
    pub(crate) debug: Option<bool>,
    /// The path of the `weft` crate; `::weft` unless `crate = "..."` says otherwise.
    pub(crate) crate_path: Option<syn::Path>,
}

/// The option names, as written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Flavor,
    WorkerThreads,
    StartPaused,
    Debug,
    Crate,
}

impl Key {
    const ALL: [Key; 5] = [
        Key::Flavor,
        Key::WorkerThreads,
        Key::StartPaused,
        Key::Debug,
        Key::Crate,
    ];

    fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }

    fn name(self) -> &'static str {
        match self {
            Key::Flavor => "flavor",
            Key::WorkerThreads => "worker_threads",
            Key::StartPaused => "start_paused",
            Key::Debug => "debug",
            Key::Crate => "crate",
        }
    }

    /// How to write this option, for error messages.
    fn example(self) -> &'static str {
        match self {
            Key::Flavor => r#"`flavor = "current_thread"` or `flavor = "multi_thread"`"#,
            Key::WorkerThreads => "`worker_threads = 4`",
            Key::StartPaused => "`start_paused = true`",
            Key::Debug => "`debug = true`",
            Key::Crate => r#"`crate = "path::to::weft"`"#,
        }
    }
}

/// One option as given: its value and the tokens of the whole `name = value`, which
/// errors about it point at.
struct Given<T> {
    value: T,
    tokens: TokenStream,
}

/// What the arguments asked for, before the options are checked against each other.
#[derive(Default)]
struct Requested {
    flavor: Option<Given<Flavor>>,
    worker_threads: Option<Given<usize>>,
    start_paused: Option<Given<bool>>,
    debug: Option<Given<bool>>,
    crate_path: Option<Given<syn::Path>>,
}

impl Options {
    /// Parses and checks the attribute's arguments. Never fails: each mistake is pushed
    /// to `errors` and the options that were valid are returned.
    pub(crate) fn parse(entry: Entry, args: TokenStream, errors: &mut Errors) -> Options {
        let mut requested = Requested::default();
        match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
            Ok(metas) => {
                for meta in metas {
                    requested.add(entry, meta, errors);
                }
            }
            Err(err) => errors.push(syn::Error::new(
                err.span(),
                format!(
                    "{err}; write the options as `name = value`, separated by commas, \
                     for example `#[{}(flavor = \"multi_thread\", worker_threads = 2)]`",
                    entry.name(),
                ),
            )),
        }
        requested.check(entry, errors)
    }
}

impl Requested {
    fn add(&mut self, entry: Entry, meta: Meta, errors: &mut Errors) {
        let name_value = match meta {
            Meta::NameValue(name_value) => name_value,
            Meta::Path(path) => {
                let word = path_name(&path);
                let message = match (word.as_deref(), word.as_deref().and_then(Key::from_name)) {
                    (Some(flavor @ ("current_thread" | "multi_thread")), _) => {
                        format!("the flavor is an option: write `flavor = \"{flavor}\"`")
                    }
                    (_, Some(key)) => {
                        format!("`{}` needs a value: write {}", key.name(), key.example())
                    }
                    _ => unknown_option(entry, word.as_deref()),
                };
                return errors.at(path, message);
            }
            Meta::List(list) => {
                let message = match path_name(&list.path).as_deref().and_then(Key::from_name) {
                    Some(key) => format!(
                        "options are written `name = value`: write {}",
                        key.example()
                    ),
                    None => unknown_option(entry, path_name(&list.path).as_deref()),
                };
                return errors.at(list, message);
            }
        };
        let name = path_name(&name_value.path);
        let Some(key) = name.as_deref().and_then(Key::from_name) else {
            return errors.at(&name_value.path, unknown_option(entry, name.as_deref()));
        };
        let tokens = name_value.to_token_stream();
        let already_given = match key {
            Key::Flavor => self.flavor.is_some(),
            Key::WorkerThreads => self.worker_threads.is_some(),
            Key::StartPaused => self.start_paused.is_some(),
            Key::Debug => self.debug.is_some(),
            Key::Crate => self.crate_path.is_some(),
        };
        if already_given {
            let message = format!("`{}` is given twice; keep one", key.name());
            return errors.at(tokens, message);
        }
        let value = literal(&name_value);
        let parsed = match key {
            Key::Flavor => parse_flavor(value, &name_value)
                .map(|value| self.flavor = Some(Given { value, tokens })),
            Key::WorkerThreads => parse_worker_threads(value, &name_value)
                .map(|value| self.worker_threads = Some(Given { value, tokens })),
            Key::StartPaused => parse_bool(Key::StartPaused, value, &name_value)
                .map(|value| self.start_paused = Some(Given { value, tokens })),
            Key::Debug => parse_bool(Key::Debug, value, &name_value)
                .map(|value| self.debug = Some(Given { value, tokens })),
            Key::Crate => parse_crate_path(value, &name_value)
                .map(|value| self.crate_path = Some(Given { value, tokens })),
        };
        if let Err(err) = parsed {
            errors.push(err);
        }
    }

    /// Checks the options against each other and the attribute's defaults (rule 3),
    /// dropping any that conflict.
    fn check(self, entry: Entry, errors: &mut Errors) -> Options {
        let flavor = self
            .flavor
            .as_ref()
            .map_or(entry.default_flavor(), |given| given.value);
        let conflict = |option: Key, needs: Flavor| match &self.flavor {
            Some(_) => format!(
                "`{}` needs `flavor = \"{}\"`, not `flavor = \"{}\"`",
                option.name(),
                needs.name(),
                flavor.name(),
            ),
            None => format!(
                "`#[{}]` uses the `{}` flavor by default; add `flavor = \"{}\"` to use `{}`",
                entry.name(),
                flavor.name(),
                needs.name(),
                option.name(),
            ),
        };
        let mut worker_threads = self.worker_threads.map(|given| (given.value, given.tokens));
        if let (Flavor::CurrentThread, Some((_, tokens))) = (flavor, &worker_threads) {
            errors.at(tokens, conflict(Key::WorkerThreads, Flavor::MultiThread));
            worker_threads = None;
        }
        let mut start_paused = self.start_paused.map(|given| (given.value, given.tokens));
        if let (Flavor::MultiThread, Some((_, tokens))) = (flavor, &start_paused) {
            errors.at(tokens, conflict(Key::StartPaused, Flavor::CurrentThread));
            start_paused = None;
        }
        Options {
            flavor,
            worker_threads: worker_threads.map(|(n, _)| n),
            start_paused: start_paused.map(|(paused, _)| paused),
            debug: self.debug.map(|given| given.value),
            crate_path: self.crate_path.map(|given| given.value),
        }
    }
}

/// The option's name when `path` is a single identifier (keywords such as `crate`
/// included).
fn path_name(path: &syn::Path) -> Option<String> {
    match (&path.leading_colon, path.segments.len()) {
        (None, 1) if path.segments[0].arguments.is_none() => {
            Some(path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

fn unknown_option(entry: Entry, name: Option<&str>) -> String {
    let names = Key::ALL.map(Key::name);
    match name {
        Some(name) => match closest(name, &names) {
            Some(close) => format!("unknown option `{name}`; did you mean `{close}`?"),
            None => format!(
                "unknown option `{name}` for `#[{}]`; the options are `flavor`, \
                 `worker_threads`, `start_paused`, `debug` and `crate`",
                entry.name(),
            ),
        },
        None => format!(
            "expected an option name; the options of `#[{}]` are `flavor`, \
             `worker_threads`, `start_paused`, `debug` and `crate`",
            entry.name(),
        ),
    }
}

/// The literal on the right of `=`, seen through the invisible group a `macro_rules!`
/// fragment (`$n:literal`) is wrapped in.
fn literal(name_value: &MetaNameValue) -> Option<&Lit> {
    let mut value = &name_value.value;
    while let Expr::Group(group) = value {
        value = &group.expr;
    }
    match value {
        Expr::Lit(lit) => Some(&lit.lit),
        _ => None,
    }
}

fn parse_flavor(value: Option<&Lit>, name_value: &MetaNameValue) -> syn::Result<Flavor> {
    let Some(Lit::Str(lit)) = value else {
        let message = match &name_value.value {
            Expr::Path(path) if path_name(&path.path).is_some() => {
                let word = path_name(&path.path).unwrap_or_default();
                format!("the flavor is a string: write `flavor = \"{word}\"`")
            }
            _ => format!("expected a string: write {}", Key::Flavor.example()),
        };
        return Err(syn::Error::new_spanned(&name_value.value, message));
    };
    let name = lit.value();
    Flavor::from_name(&name).ok_or_else(|| {
        let message = match closest(&name, &Flavor::NAMES) {
            Some(close) => format!("unknown flavor \"{name}\"; did you mean \"{close}\"?"),
            None => format!(
                "unknown flavor \"{name}\"; the flavors are \"current_thread\" (one thread, \
                 deterministic) and \"multi_thread\" (work-stealing workers)"
            ),
        };
        syn::Error::new(lit.span(), message)
    })
}

fn parse_worker_threads(value: Option<&Lit>, name_value: &MetaNameValue) -> syn::Result<usize> {
    let lit = match value {
        Some(Lit::Int(lit)) => lit,
        Some(Lit::Str(lit)) if lit.value().trim().parse::<usize>().is_ok() => {
            let message = format!(
                "`worker_threads` is a number: write `worker_threads = {}`",
                lit.value().trim()
            );
            return Err(syn::Error::new(lit.span(), message));
        }
        _ => {
            let message = "`worker_threads` takes an integer literal, such as \
                           `worker_threads = 4`; to choose the count at run time, build the \
                           runtime with `weft::Runtime::builder().worker_threads(n)`";
            return Err(syn::Error::new_spanned(&name_value.value, message));
        }
    };
    match lit.base10_parse::<usize>() {
        Ok(0) => Err(syn::Error::new(
            lit.span(),
            "`worker_threads` must be at least 1",
        )),
        Ok(n) => Ok(n),
        Err(err) => Err(syn::Error::new(
            lit.span(),
            format!("`worker_threads` must be a number of threads that fits a `usize`: {err}"),
        )),
    }
}

fn parse_bool(key: Key, value: Option<&Lit>, name_value: &MetaNameValue) -> syn::Result<bool> {
    match value {
        Some(Lit::Bool(lit)) => Ok(lit.value),
        Some(Lit::Str(lit)) if matches!(lit.value().as_str(), "true" | "false") => {
            let message = format!(
                "`{0}` is a bool: write `{0} = {1}`",
                key.name(),
                lit.value()
            );
            Err(syn::Error::new(lit.span(), message))
        }
        _ => Err(syn::Error::new_spanned(
            &name_value.value,
            format!("`{}` takes `true` or `false`", key.name()),
        )),
    }
}

fn parse_crate_path(value: Option<&Lit>, name_value: &MetaNameValue) -> syn::Result<syn::Path> {
    match value {
        Some(Lit::Str(lit)) => lit.parse::<syn::Path>().map_err(|err| {
            let message = format!(
                "`crate` must be the path of the weft crate, such as \
                 `crate = \"my_crate::weft\"`: {err}"
            );
            syn::Error::new(lit.span(), message)
        }),
        _ => {
            let message = match &name_value.value {
                Expr::Path(path) => format!(
                    "the path is a string: write `crate = \"{}\"`",
                    path.path.to_token_stream().to_string().replace(' ', "")
                ),
                _ => format!("expected a string: write {}", Key::Crate.example()),
            };
            Err(syn::Error::new_spanned(&name_value.value, message))
        }
    }
}

/// The candidate `word` is most likely a misspelling of: at most two single-character
/// edits away, ignoring case and `-`/`_`.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normal = |s: &str| s.to_lowercase().replace('-', "_");
    let word = normal(word);
    candidates
        .iter()
        .map(|candidate| (edit_distance(&word, &normal(candidate)), *candidate))
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("worker_thread", "worker_threads"), 1);
        assert_eq!(edit_distance("flavour", "flavor"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_suggests_only_near_misses() {
        assert_eq!(
            closest("multi-thread", &Flavor::NAMES),
            Some("multi_thread")
        );
        assert_eq!(closest("multithread", &Flavor::NAMES), Some("multi_thread"));
        assert_eq!(closest("local", &Flavor::NAMES), None);
    }
}
