//! The calendar a run is anchored to. Virtual time starts at the scenario's
//! `start`; the calendar only turns virtual times into the dates and times
//! that logs and `.CCR` files print, and tells the time of day and weekday
//! that users keep.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use smssim_engine::{SimTime, DAY, SECOND};
use std::borrow::Cow;
use std::fmt;

/// A civil date and time, without time zone (the site's local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    /// Year, e.g. 2002.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–59.
    pub second: u32,
    /// Millisecond, 0–999.
    pub milli: u32,
    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub weekday: u32,
}

/// The calendar instant at which virtual time 0 falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// Milliseconds from 1970-01-01T00:00:00 to the start.
    epoch_ms: i64,
}

impl Default for Calendar {
    /// Monday 3 June 2002, 08:00: a working morning in the era of SMS 2.0 SP4.
    fn default() -> Self {
        Calendar::from_civil(2002, 6, 3, 8, 0, 0).expect("valid default")
    }
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    // Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Calendar {
    /// The calendar starting at the given civil time, if it exists.
    pub fn from_civil(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Self> {
        if !(1..=12).contains(&mo)
            || d == 0
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 59
        {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        let secs = days * 86_400 + (h * 3600 + mi * 60 + s) as i64;
        Some(Calendar {
            epoch_ms: secs * 1000,
        })
    }

    /// The civil date and time at virtual time `t`.
    pub fn civil(&self, t: SimTime) -> Civil {
        let ms = self.epoch_ms + t as i64;
        let day_ms = DAY as i64;
        let days = ms.div_euclid(day_ms);
        let rem = ms.rem_euclid(day_ms) as u64;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3_600_000) as u32,
            minute: (rem / 60_000 % 60) as u32,
            second: (rem / SECOND % 60) as u32,
            milli: (rem % 1000) as u32,
            // 1970-01-01 was a Thursday (3 with Monday = 0).
            weekday: ((days + 3).rem_euclid(7)) as u32,
        }
    }

    /// Milliseconds since local midnight at virtual time `t`.
    pub fn time_of_day(&self, t: SimTime) -> u64 {
        (self.epoch_ms + t as i64).rem_euclid(DAY as i64) as u64
    }

    /// The virtual time of the midnight that begins calendar day `n`
    /// counted from the start's day (0 = the start's own midnight, which may
    /// precede virtual time 0: the result is then `None`).
    pub fn midnight(&self, n: u64) -> Option<SimTime> {
        let start_tod = self.time_of_day(0);
        (n * DAY).checked_sub(start_tod)
    }

    /// The day number (0 = the start's day) at virtual time `t`.
    pub fn day_index(&self, t: SimTime) -> u64 {
        (self.time_of_day(0) + t) / DAY
    }

    /// Whether virtual time `t` falls on a Saturday or Sunday.
    pub fn is_weekend(&self, t: SimTime) -> bool {
        self.civil(t).weekday >= 5
    }

    /// `2002-06-03T08:00:00`, the form scenario files use.
    pub fn iso(&self, t: SimTime) -> String {
        let c = self.civil(t);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// `06/03/2002 08:00:00`, the date form of `.CCR` files.
    pub fn ccr_date(&self, t: SimTime) -> String {
        let c = self.civil(t);
        format!(
            "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
            c.month, c.day, c.year, c.hour, c.minute, c.second
        )
    }

    /// `6/3/02 8:00:00 AM`, the date and time SMS log viewers print.
    pub fn log_stamp(&self, t: SimTime) -> String {
        let c = self.civil(t);
        let (h12, ampm) = match c.hour {
            0 => (12, "AM"),
            1..=11 => (c.hour, "AM"),
            12 => (12, "PM"),
            _ => (c.hour - 12, "PM"),
        };
        format!(
            "{}/{}/{:02} {}:{:02}:{:02} {}",
            c.month,
            c.day,
            c.year % 100,
            h12,
            c.minute,
            c.second,
            ampm
        )
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso(0))
    }
}

impl std::str::FromStr for Calendar {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("invalid start {s:?}: expected a local date and time such as \"2002-06-03T08:00:00\"")
        };
        let (date, time) = s.split_once('T').ok_or_else(bad)?;
        let d: Vec<&str> = date.split('-').collect();
        let t: Vec<&str> = time.split(':').collect();
        if d.len() != 3 || !(2..=3).contains(&t.len()) {
            return Err(bad());
        }
        let n = |x: &str| x.parse::<u32>().map_err(|_| bad());
        let y: i32 = d[0].parse().map_err(|_| bad())?;
        let sec = if t.len() == 3 { n(t[2])? } else { 0 };
        Calendar::from_civil(y, n(d[1])?, n(d[2])?, n(t[0])?, n(t[1])?, sec).ok_or_else(bad)
    }
}

impl Serialize for Calendar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Calendar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for Calendar {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "Local date and time of virtual time 0, e.g. \"2002-06-03T08:00:00\".",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smssim_engine::HOUR;

    #[test]
    fn default_start_is_a_monday_morning() {
        let c = Calendar::default();
        let civ = c.civil(0);
        assert_eq!(
            (civ.year, civ.month, civ.day, civ.hour, civ.weekday),
            (2002, 6, 3, 8, 0)
        );
        assert_eq!(c.iso(0), "2002-06-03T08:00:00");
        assert_eq!(c.ccr_date(HOUR * 5 + 1500), "06/03/2002 13:00:01");
        assert_eq!(c.log_stamp(HOUR * 5), "6/3/02 1:00:00 PM");
        assert!(c.is_weekend(5 * DAY));
        assert!(!c.is_weekend(4 * DAY));
    }

    #[test]
    fn midnights_and_days() {
        let c = Calendar::default();
        assert_eq!(c.midnight(0), None);
        assert_eq!(c.midnight(1), Some(16 * HOUR));
        assert_eq!(c.day_index(16 * HOUR - 1), 0);
        assert_eq!(c.day_index(16 * HOUR), 1);
        assert_eq!(c.time_of_day(HOUR), 9 * HOUR);
    }

    #[test]
    fn parses_and_rejects() {
        assert!("2000-02-29T00:00:00".parse::<Calendar>().is_ok());
        assert!("2001-02-29T00:00:00".parse::<Calendar>().is_err());
        assert!("2002-06-03".parse::<Calendar>().is_err());
        assert!("2002-06-03T25:00".parse::<Calendar>().is_err());
        let c: Calendar = "1999-12-31T23:59:59".parse().unwrap();
        assert_eq!(c.iso(1000), "2000-01-01T00:00:00");
    }
}
