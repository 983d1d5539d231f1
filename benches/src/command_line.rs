//! The command lines of the measuring tools (`echo_load`, `http_load`, `soak`):
//! `--flag value` pairs and the values they take, with the error each bad value gets.
//!
//! Every tool reads its flags the same way: a flag is followed by its value; `--help`
//! (or `-h`) alone asks for the usage; a value that does not parse is an error that
//! names it.

use std::time::Duration;

/// One step of reading a command line: [`Flags::next`] yields these.
#[derive(Debug, PartialEq, Eq)]
pub enum Flag {
    /// `--help` or `-h`.
    Help,
    /// A flag and its value.
    Value {
        /// The flag as written, `--connections`.
        name: String,
        /// The argument after it.
        value: String,
    },
}

/// The `--flag value` pairs of a command line (without the program's name).
pub struct Flags<I> {
    args: I,
}

impl<I: Iterator<Item = String>> Flags<I> {
    /// Reads `args`, which must not include the program's name.
    pub fn new(args: I) -> Flags<I> {
        Flags { args }
    }

    /// The next flag, `None` at the end; an error for a flag without a value.
    #[allow(clippy::should_implement_trait)] // it returns a Result, not an Item
    pub fn next(&mut self) -> Option<Result<Flag, String>> {
        let name = self.args.next()?;
        if name == "--help" || name == "-h" {
            return Some(Ok(Flag::Help));
        }
        Some(match self.args.next() {
            Some(value) => Ok(Flag::Value { name, value }),
            None => Err(format!("{name} needs a value")),
        })
    }
}

/// A whole number above zero.
pub fn positive(value: &str) -> Result<usize, String> {
    match value.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{value:?} is not a positive whole number")),
    }
}

/// A whole number, zero included, of up to 64 bits (a seed).
pub fn whole_u64(value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number below 2^64"))
}

/// A number of seconds, fractions allowed.
pub fn seconds(value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{value:?} is not a number of seconds"))
}

/// A comma-separated list, each item read by `parse`.
pub fn list<T>(value: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    value.split(',').map(|item| parse(item.trim())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(line: &str) -> Vec<Result<Flag, String>> {
        let mut flags = Flags::new(line.split_whitespace().map(String::from));
        std::iter::from_fn(|| flags.next()).collect()
    }

    #[test]
    fn flags_come_in_pairs_and_help_alone() {
        assert_eq!(
            flags("--seed 7 -h"),
            vec![
                Ok(Flag::Value {
                    name: "--seed".into(),
                    value: "7".into()
                }),
                Ok(Flag::Help)
            ]
        );
        assert_eq!(flags("--seed"), vec![Err("--seed needs a value".into())]);
    }

    #[test]
    fn values_parse_or_say_what_is_wrong() {
        assert_eq!(positive("3"), Ok(3));
        assert!(positive("0").unwrap_err().contains("positive"));
        assert_eq!(whole_u64("0"), Ok(0));
        assert!(whole_u64("-1").is_err());
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(seconds("soon").is_err());
        assert_eq!(list("1, 2", positive), Ok(vec![1, 2]));
        assert!(list("1,x", positive).is_err());
    }
}
