//! Virtual time: an integer count of milliseconds since the scenario's start.

use std::fmt;
use std::str::FromStr;

/// A point in virtual time, in milliseconds since the start of the run.
pub type SimTime = u64;

/// One second of virtual time.
pub const SECOND: SimTime = 1_000;
/// One minute of virtual time.
pub const MINUTE: SimTime = 60 * SECOND;
/// One hour of virtual time.
pub const HOUR: SimTime = 60 * MINUTE;
/// One day of virtual time.
pub const DAY: SimTime = 24 * HOUR;

/// A span of virtual time in milliseconds, read from and written as `90s`,
/// `15m`, `6h`, `3d`, `250ms` or plain seconds (`42`, `1.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub u64);

impl Duration {
    /// A duration of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Duration(ms)
    }
    /// A duration of `s` seconds.
    pub const fn from_secs(s: u64) -> Self {
        Duration(s * SECOND)
    }
    /// A duration of `m` minutes.
    pub const fn from_mins(m: u64) -> Self {
        Duration(m * MINUTE)
    }
    /// A duration of `h` hours.
    pub const fn from_hours(h: u64) -> Self {
        Duration(h * HOUR)
    }
    /// A duration of `d` days.
    pub const fn from_days(d: u64) -> Self {
        Duration(d * DAY)
    }
    /// The duration in milliseconds.
    pub const fn millis(self) -> u64 {
        self.0
    }
    /// The duration in (fractional) seconds.
    pub fn secs_f64(self) -> f64 {
        self.0 as f64 / SECOND as f64
    }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ParseDurationError {
    /// The text that was rejected.
    pub text: String,
    /// What is wrong with it.
    pub problem: DurationProblem,
}

/// What is wrong with a duration's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationProblem {
    /// Not a number with a known unit.
    Format,
    /// Below zero.
    Negative,
    /// Longer than the clock holds ([`MAX_DURATION`]).
    TooLong,
}

/// Bits of an event key that hold the virtual time (milliseconds): 2^36 ms
/// is about 795 days, the longest span a scenario may simulate.
pub const TIME_BITS: u32 = 36;
/// The largest virtual time an event key can hold.
pub const MAX_TIME: SimTime = (1 << TIME_BITS) - 1;

/// The longest duration the simulator's clock holds ([`MAX_TIME`], about
/// 795 days).
pub const MAX_DURATION: Duration = Duration(MAX_TIME);

impl ParseDurationError {
    fn message(&self) -> String {
        let shown = short(&self.text);
        match self.problem {
            DurationProblem::Format => format!(
                "invalid duration {shown:?}: expected a number with an optional unit ms, s, m, h or d \
                 (e.g. 90s, 15m, 6h, 3d; a plain number is seconds)"
            ),
            DurationProblem::Negative => {
                format!("invalid duration {shown:?}: a duration cannot be negative")
            }
            DurationProblem::TooLong => format!(
                "duration {shown:?} is too long: at most {} days (the longest span the simulated clock holds)",
                MAX_DURATION.0 / DAY
            ),
        }
    }
}

/// Long input shown by its start and end.
fn short(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 40 {
        text.to_string()
    } else {
        let head: String = chars[..20].iter().collect();
        let tail: String = chars[chars.len() - 10..].iter().collect();
        format!("{head}…{tail}")
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |problem| ParseDurationError {
            text: s.to_string(),
            problem,
        };
        let err = || fail(DurationProblem::Format);
        let t = s.trim();
        let (num, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) => (&t[..i], &t[i..]),
            None => (t, "s"),
        };
        let factor = match unit {
            "ms" => 1.0,
            "s" => SECOND as f64,
            "m" | "min" => MINUTE as f64,
            "h" => HOUR as f64,
            "d" => DAY as f64,
            _ => return Err(err()),
        };
        let n: f64 = num.trim().parse().map_err(|_| err())?;
        if n.is_nan() {
            return Err(err());
        }
        if n < 0.0 {
            return Err(fail(DurationProblem::Negative));
        }
        let ms = (n * factor).round();
        if ms > MAX_DURATION.0 as f64 {
            return Err(fail(DurationProblem::TooLong));
        }
        Ok(Duration(ms as u64))
    }
}

impl fmt::Display for Duration {
    /// Writes the largest unit that divides the duration exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms == 0 {
            return write!(f, "0s");
        }
        for (unit, size) in [("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", SECOND)] {
            if ms.is_multiple_of(size) {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!("90s".parse(), Ok(Duration::from_secs(90)));
        assert_eq!("15m".parse(), Ok(Duration::from_mins(15)));
        assert_eq!("6h".parse(), Ok(Duration::from_hours(6)));
        assert_eq!("3d".parse(), Ok(Duration::from_days(3)));
        assert_eq!("250ms".parse(), Ok(Duration::from_millis(250)));
        assert_eq!("42".parse(), Ok(Duration::from_secs(42)));
        assert_eq!("1.5".parse(), Ok(Duration::from_millis(1500)));
        assert_eq!("0.5d".parse(), Ok(Duration::from_hours(12)));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "x", "3w", "-1s", "1.2.3s", "NaN", "inf"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn displays_round_trip() {
        for d in ["3d", "6h", "15m", "90s", "250ms", "0s"] {
            let parsed: Duration = d.parse().unwrap();
            assert_eq!(parsed.to_string(), d);
        }
    }
}
