//! Axes: round ticks (1-2-5 steps), simulated time in days or hours, log
//! scales, and numbers written for people.

/// An axis as drawn: its range, its scale and its labelled ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The value at the start of the axis.
    pub lo: f64,
    /// The value at the end.
    pub hi: f64,
    /// Logarithmic (`lo` and `hi` above 0).
    pub log: bool,
    /// Tick positions and their labels.
    pub ticks: Vec<(f64, String)>,
    /// The axis title, with its unit.
    pub label: String,
}

impl Axis {
    /// Where `v` falls on the axis, from 0 (at `lo`) to 1 (at `hi`).
    pub fn frac(&self, v: f64) -> f64 {
        let f = if self.log {
            (v.max(f64::MIN_POSITIVE).log10() - self.lo.log10())
                / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if f.is_finite() {
            f
        } else {
            0.0
        }
    }
}

/// The smallest of 1, 2 and 5 times a power of ten that is at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// Most ticks an axis draws; more means the range could not be rounded.
const MAX_TICKS: f64 = 1000.0;

/// A linear axis over `lo..hi` widened to whole steps of 1, 2 or 5 times a
/// power of ten, about `target` steps in all; ticks labelled by `fmt`.
pub fn linear(lo: f64, hi: f64, target: usize, label: String) -> Axis {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        // One value: show it in the middle of a round range.
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() / 2.0 };
        lo -= pad;
        hi += pad;
        if lo < 0.0 && (hi - pad) >= 0.0 {
            lo = 0.0;
        }
    }
    let target = target.max(1) as f64;
    // Divided first, so that a span near f64::MAX does not overflow.
    let step = nice_step(hi / target - lo / target);
    // Values within rounding noise of a tick stop at that tick.
    let lo = (lo / step + 1e-9).floor() * step;
    let hi = (hi / step - 1e-9).ceil() * step;
    let n = (hi / step - lo / step).round();
    if !(n.is_finite() && (0.0..=MAX_TICKS).contains(&n)) {
        // Rounding at the ends of the f64 range: an axis that says so.
        return linear(0.0, 1.0, 5, label);
    }
    let n = n as usize;
    let ticks = (0..=n)
        .map(|i| {
            let v = lo + step * i as f64;
            // -0 and rounding noise print as what they are.
            let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
            (v, number(v, step))
        })
        .collect();
    Axis {
        lo,
        hi,
        log: false,
        ticks,
        label,
    }
}

/// A logarithmic axis over `lo..hi` (both above 0), widened to powers of
/// ten, ticked at 1, 2 and 5 times each power (only the powers of ten over
/// more than three decades).
pub fn log(lo: f64, hi: f64, label: String) -> Axis {
    let lo_exp = lo.log10().floor() as i32;
    let hi_exp = hi.log10().ceil() as i32;
    let decades = hi_exp - lo_exp;
    let mults: &[f64] = if decades > 3 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut ticks = Vec::new();
    for e in lo_exp..=hi_exp {
        let p = 10f64.powi(e);
        for &m in mults {
            let v = m * p;
            if v >= 10f64.powi(lo_exp) * (1.0 - 1e-9) && v <= 10f64.powi(hi_exp) * (1.0 + 1e-9) {
                ticks.push((v, number(v, p)));
            }
        }
    }
    // Trim ticks far outside the data: start at the last tick at or below
    // `lo` and end at the first at or above `hi`.
    let start = ticks
        .iter()
        .rposition(|t| t.0 <= lo * (1.0 + 1e-9))
        .unwrap_or(0);
    let end = ticks
        .iter()
        .position(|t| t.0 >= hi * (1.0 - 1e-9))
        .unwrap_or(ticks.len() - 1);
    let ticks: Vec<(f64, String)> = ticks[start..=end].to_vec();
    Axis {
        lo: ticks[0].0,
        hi: ticks[ticks.len() - 1].0,
        log: true,
        ticks,
        label,
    }
}

/// Whether values from `lo` to `hi` are best drawn on a log scale: all
/// above 0 and spanning two decades or more.
pub fn wants_log(lo: f64, hi: f64) -> bool {
    lo > 0.0 && hi / lo >= 100.0
}

/// A time axis from 0 to `end_s` seconds of simulated time: in days with
/// ticks at whole days when the span is over two days, else in hours with
/// ticks 1, 2, 3, 6 or 12 hours apart. Returns the axis (in days or hours)
/// and the number of seconds in its unit.
pub fn time(end_s: f64) -> (Axis, f64) {
    let hours = end_s / 3600.0;
    let (span, step, hi, label, unit_s) = if hours > 48.0 {
        let days = end_s / 86_400.0;
        let step = nice_step(days / 8.0).max(1.0);
        (days, step, days, "simulated time (days)", 86_400.0)
    } else {
        let step = [1.0, 2.0, 3.0, 6.0, 12.0]
            .into_iter()
            .find(|s| hours / s <= 6.0)
            .unwrap_or(12.0);
        (
            hours,
            step,
            hours.max(1.0),
            "simulated time (hours)",
            3600.0,
        )
    };
    let n = (span / step + 1e-9).floor() as usize;
    let ticks = (0..=n)
        .map(|i| {
            let v = step * i as f64;
            (v, number(v, step))
        })
        .collect();
    let axis = Axis {
        lo: 0.0,
        hi,
        log: false,
        ticks,
        label: label.to_string(),
    };
    (axis, unit_s)
}

/// `v` written with as many decimals as `step` needs, thousands grouped
/// (`12,500`), millions and above as `1.5M`, `2G`.
pub fn number(v: f64, step: f64) -> String {
    let (scaled, suffix, step) = if v.abs() >= 1e9 && step >= 1e8 {
        (v / 1e9, "G", step / 1e9)
    } else if v.abs() >= 1e6 && step >= 1e5 {
        (v / 1e6, "M", step / 1e6)
    } else {
        (v, "", step)
    };
    let decimals = decimals_for(step);
    let text = format!("{scaled:.decimals$}");
    let text = if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        text
    };
    format!("{}{suffix}", group(&text))
}

/// Decimals that show a multiple of `step` exactly (at most 6).
fn decimals_for(step: f64) -> usize {
    let step = step.abs();
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    for d in 0..=6 {
        let scaled = step * 10f64.powi(d);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
            return d as usize;
        }
    }
    6
}

/// `1234567.5` as `1,234,567.5`.
pub fn group(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if !int.chars().all(|c| c.is_ascii_digit()) || int.len() <= 3 {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// A value for a table or a label: whole numbers as such (grouped), others
/// with four significant digits.
pub fn value(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return group(&format!("{v:.0}"));
    }
    let mag = v.abs().log10().floor() as i32;
    let decimals = (3 - mag).clamp(0, 6) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    group(&text)
}

/// A change in percent, signed, with a true minus: `−45 %`, `+3.1 %`,
/// `±0 %` (whole percents from 10 up, one decimal below).
pub fn change(c: f64) -> String {
    let rounded = if c.abs() >= 10.0 {
        format!("{:.0}", c.abs())
    } else {
        format!("{:.1}", c.abs())
    };
    if rounded.trim_end_matches(['0', '.']).is_empty() {
        "±0 %".to_string()
    } else if c < 0.0 {
        format!("−{} %", group(&rounded))
    } else {
        format!("+{} %", group(&rounded))
    }
}

/// How a unit from the CSV files is shown, and the factor that turns a
/// value into it, chosen for values up to `max` (seconds become minutes,
/// hours or days; bytes become kB, MB or GB).
pub fn display_unit(unit: &str, max: f64) -> (String, f64) {
    let max = max.abs();
    match unit {
        "s" => {
            if max >= 2.0 * 86_400.0 {
                ("days".into(), 86_400.0)
            } else if max >= 2.0 * 3600.0 {
                ("hours".into(), 3600.0)
            } else if max >= 120.0 {
                ("minutes".into(), 60.0)
            } else {
                ("seconds".into(), 1.0)
            }
        }
        "bytes" => {
            if max >= 1e9 {
                ("GB".into(), 1e9)
            } else if max >= 1e6 {
                ("MB".into(), 1e6)
            } else if max >= 1e3 {
                ("kB".into(), 1e3)
            } else {
                ("bytes".into(), 1.0)
            }
        }
        "pct" => ("%".into(), 1.0),
        "" => (String::new(), 1.0),
        other => (other.to_string(), 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(a: &Axis) -> Vec<&str> {
        a.ticks.iter().map(|t| t.1.as_str()).collect()
    }

    #[test]
    fn steps_are_one_two_or_five() {
        assert_eq!(nice_step(3.81), 5.0);
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(720.0), 1000.0);
        let a = linear(0.0, 19.05, 5, String::new());
        assert_eq!(labels(&a), ["0", "5", "10", "15", "20"]);
        let a = linear(0.0, 0.53, 5, String::new());
        assert_eq!(labels(&a), ["0", "0.2", "0.4", "0.6"]);
        let a = linear(0.0, 23_400.0, 5, String::new());
        assert_eq!(
            labels(&a),
            ["0", "5,000", "10,000", "15,000", "20,000", "25,000"]
        );
        let a = linear(0.0, 4_100_000.0, 5, String::new());
        assert_eq!(labels(&a)[1], "1M");
    }

    #[test]
    fn one_value_gets_a_round_range_around_it() {
        let a = linear(5.0, 5.0, 5, String::new());
        assert!(a.lo <= 5.0 && a.hi > 5.0, "{a:?}");
        let a = linear(0.0, 0.0, 5, String::new());
        assert!(a.lo <= 0.0 && a.hi > 0.0, "{a:?}");
    }

    #[test]
    fn time_ticks_are_whole_days_or_hour_steps() {
        let (a, unit) = time(7.0 * 86_400.0);
        assert_eq!(unit, 86_400.0);
        assert_eq!(labels(&a), ["0", "1", "2", "3", "4", "5", "6", "7"]);
        let (a, _) = time(30.0 * 86_400.0);
        assert_eq!(labels(&a), ["0", "5", "10", "15", "20", "25", "30"]);
        let (a, unit) = time(12.0 * 3600.0);
        assert_eq!(unit, 3600.0);
        assert_eq!(labels(&a), ["0", "2", "4", "6", "8", "10", "12"]);
        let (a, _) = time(48.0 * 3600.0);
        assert_eq!(labels(&a), ["0", "12", "24", "36", "48"]);
    }

    #[test]
    fn log_axes_tick_powers_of_ten() {
        let a = log(1.0, 120.0, String::new());
        assert_eq!(labels(&a), ["1", "2", "5", "10", "20", "50", "100", "200"]);
        let a = log(10.0, 1e6, String::new());
        assert_eq!(
            labels(&a),
            ["10", "100", "1,000", "10,000", "100,000", "1M"]
        );
        assert!(wants_log(1.0, 100.0));
        assert!(!wants_log(0.0, 100.0));
        assert!(!wants_log(250.0, 4000.0));
    }

    #[test]
    fn values_read_well() {
        assert_eq!(value(100000.0), "100,000");
        assert_eq!(value(1.23456), "1.235");
        assert_eq!(value(0.012346), "0.01235");
        assert_eq!(value(12345.678), "12,346");
        assert_eq!(number(2500.0, 500.0), "2,500");
        assert_eq!(number(-0.0, 1.0), "0");
        assert_eq!(change(-45.2), "−45 %");
        assert_eq!(change(3.12), "+3.1 %");
        assert_eq!(change(0.0), "±0 %");
        assert_eq!(change(-0.01), "±0 %");
        assert_eq!(change(13984.2), "+13,984 %");
    }
}

/// Any finite data range gives a bounded axis, never a panic or a runaway
/// tick list (a CSV may hold any finite number).
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            -1e6..1e6f64,
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(0.0),
        ]
    }

    proptest! {
        #[test]
        fn linear_axes_are_bounded(lo in finite(), hi in finite(), target in 0usize..40) {
            let a = linear(lo, hi, target, String::new());
            prop_assert!(!a.ticks.is_empty() && a.ticks.len() <= 1001);
            prop_assert!(a.lo.is_finite() && a.hi.is_finite());
        }

        #[test]
        fn log_axes_are_bounded(lo in 1e-300..1e300f64, factor in 1.0..1e10f64) {
            let hi = (lo * factor).min(f64::MAX);
            let a = log(lo, hi, String::new());
            prop_assert!(!a.ticks.is_empty() && a.ticks.len() <= 2000);
        }

        #[test]
        fn time_axes_are_bounded(end in 0.0..1e12f64) {
            let (a, _) = time(end);
            prop_assert!(!a.ticks.is_empty() && a.ticks.len() <= 1001);
        }
    }
}
