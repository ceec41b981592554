//! Charts as SVG text: line charts with 95 % bands and horizontal bar
//! charts, drawn the same way for every metric. Every piece of text is
//! escaped by [`esc`]; numbers are written with fixed decimals, so the same
//! data gives the same bytes.

use super::axis::{self, Axis};
use std::fmt::Write as _;

/// The colour-blind-safe palette of Okabe and Ito, in the order lines take
/// colours (yellow, weak on white, last).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// The colours of the values of a second parameter (or grid points), in
/// order: the palette with legacy's and hotfix's colours last, since the
/// policy is then told by dash and marker.
pub const VARIANTS: [&str; 8] = [
    "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#0072B2", "#D55E00", "#F0E442",
];

/// Legacy's colour (vermillion) and hotfix's (blue).
pub const LEGACY: &str = "#D55E00";
/// Hotfix's colour.
pub const HOTFIX: &str = "#0072B2";
/// The colour of a policy with one hotfix knob switched on (sky blue).
pub const ONE_KNOB: &str = "#56B4E9";

const FONT: &str = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
const INK: &str = "#222222";
const GREY: &str = "#555555";
const GRID: &str = "#e4e4e4";
const WHITE: &str = "#ffffff";

/// The width of every chart, in pixels.
pub const WIDTH: f64 = 920.0;

/// A point marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled triangle, point up.
    Triangle,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Stroke and fill colour.
    pub color: &'static str,
    /// SVG `stroke-dasharray`, `None` for a solid line.
    pub dash: Option<&'static str>,
    /// The marker at each point (drawn when the line has few points).
    pub marker: Marker,
    /// Stroke width.
    pub width: f64,
    /// Markers drawn as outlines, larger, so that a filled marker at the
    /// same place shows through.
    pub hollow: bool,
}

/// One line: the mean at each x, and the half-width of its 95 % interval
/// where there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The legend's text.
    pub label: String,
    /// How it is drawn.
    pub style: Style,
    /// `(x, mean, half-width)`, in x order.
    pub points: Vec<(f64, f64, Option<f64>)>,
}

/// A line chart: lines with shaded 95 % bands, a legend right of the data,
/// and caption lines below.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// What is shown, in words.
    pub title: String,
    /// The metric's name and the article it speaks for, smaller.
    pub subtitle: String,
    /// The x axis, ready drawn.
    pub x: Axis,
    /// The y axis title, with its unit.
    pub y_label: String,
    /// Whether the values cannot be below 0 (bands stop at 0).
    pub nonnegative: bool,
    /// The lines, drawn in order (later on top).
    pub lines: Vec<Line>,
    /// The legend's heading.
    pub legend_title: String,
    /// Lines of text under the chart: what the shading means.
    pub caption: Vec<String>,
    /// Shift the lines a few pixels apart sideways, so that equal values at
    /// the same x (a sweep's grid points) stay visible side by side.
    pub dodge: bool,
}

/// One bar of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it stands for, left of it.
    pub label: String,
    /// Its length.
    pub value: f64,
    /// Half-width of its 95 % interval, drawn as a whisker.
    pub half: Option<f64>,
    /// Its colour.
    pub color: &'static str,
    /// A note right of it, e.g. the change from legacy.
    pub note: String,
}

/// A horizontal bar chart with whiskers, a legend below.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// What is shown, in words.
    pub title: String,
    /// The metric's name and meaning, smaller.
    pub subtitle: String,
    /// The value axis title, with its unit.
    pub x_label: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// The legend: a colour and what it means.
    pub legend: Vec<(&'static str, String)>,
    /// Lines of text under the chart.
    pub caption: Vec<String>,
}

/// `s` made safe as XML text or an attribute value: `&`, `<`, `>`, `"`
/// and `'` escaped, and characters XML does not allow (control characters
/// other than tab and line breaks, U+FFFE, U+FFFF) replaced by U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// About how wide `s` is in a sans-serif font of `size` pixels (wide
/// enough for most text: capitals and digits are wider than the average).
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | 'f' | 't' | 'r' => {
                0.32
            }
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.66,
            _ => 0.56,
        })
        .sum::<f64>()
        * size
}

/// `text` broken into lines at most `width` pixels wide at `size`, at
/// most `max_lines` of them, the last cut with `…` if the text is longer.
pub fn wrap(text: &str, width: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    // A single word wider than the line is cut too.
    for l in &mut lines {
        *l = fit(l, width, size);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let mut cut = last.clone();
            while !cut.is_empty() && text_width(&format!("{cut}…"), size) > width {
                cut.pop();
            }
            *last = format!("{}…", cut.trim_end());
        }
    }
    lines
}

/// `s`, cut with `…` to at most `width` pixels at `size`.
pub fn fit(s: &str, width: f64, size: f64) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let mut cut: String = s.to_string();
    while !cut.is_empty() && text_width(&format!("{cut}…"), size) > width {
        cut.pop();
    }
    format!("{cut}…")
}

/// Opens the SVG, with a white background and a `<title>` for screen
/// readers and tooltips.
fn open(s: &mut String, width: f64, height: f64, title: &str) {
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT}" font-size="12" role="img">"#
    );
    let _ = writeln!(s, "<title>{}</title>", esc(title));
    let _ = writeln!(
        s,
        r#"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="{WHITE}"/>"#
    );
}

/// Writes `lines` of text from `(x, y)`, one every `step` pixels; returns
/// the baseline after the last.
#[allow(clippy::too_many_arguments)]
fn text_lines(
    s: &mut String,
    lines: &[String],
    x: f64,
    y: f64,
    step: f64,
    size: f64,
    fill: &str,
    extra: &str,
) -> f64 {
    let mut y = y;
    for l in lines {
        let _ = writeln!(
            s,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}"{extra}>{}</text>"#,
            esc(l)
        );
        y += step;
    }
    y
}

/// The heading: the title (up to three lines) and the subtitle; returns
/// where the drawing may start.
fn heading(s: &mut String, title: &str, subtitle: &str) -> f64 {
    let title_lines = wrap(title, WIDTH - 40.0, 16.0, 3);
    let y = text_lines(
        s,
        &title_lines,
        20.0,
        26.0,
        20.0,
        16.0,
        INK,
        r#" font-weight="bold""#,
    );
    let sub = wrap(subtitle, WIDTH - 40.0, 12.0, 3);
    let y = text_lines(s, &sub, 20.0, y, 15.0, 12.0, GREY, "");
    y + 6.0
}

/// How tall the heading of `title` and `subtitle` is.
fn heading_height(title: &str, subtitle: &str) -> f64 {
    let t = wrap(title, WIDTH - 40.0, 16.0, 3).len() as f64;
    let s = wrap(subtitle, WIDTH - 40.0, 12.0, 3).len() as f64;
    26.0 + 20.0 * t + 15.0 * s - 20.0 + 6.0
}

fn marker(s: &mut String, style: &Style, x: f64, y: f64) {
    let color = style.color;
    let (attrs, k) = if style.hollow {
        (
            format!(r#"fill="none" stroke="{color}" stroke-width="1.6""#),
            1.45,
        )
    } else {
        (
            format!(r#"fill="{color}" stroke="{WHITE}" stroke-width="0.8""#),
            1.0,
        )
    };
    match style.marker {
        Marker::Circle => {
            let _ = writeln!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" {attrs}/>"#,
                4.0 * k
            );
        }
        Marker::Square => {
            let _ = writeln!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" {attrs}/>"#,
                x - 3.75 * k,
                y - 3.75 * k,
                7.5 * k,
                7.5 * k
            );
        }
        Marker::Triangle => {
            let _ = writeln!(
                s,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" {attrs}/>"#,
                x,
                y - 5.0 * k,
                x + 4.8 * k,
                y + 3.5 * k,
                x - 4.8 * k,
                y + 3.5 * k
            );
        }
        Marker::Diamond => {
            let _ = writeln!(
                s,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" {attrs}/>"#,
                x,
                y - 5.0 * k,
                x + 5.0 * k,
                y,
                x,
                y + 5.0 * k,
                x - 5.0 * k,
                y
            );
        }
    }
}

/// One tick of a horizontal axis at `x`: a grid line from `top` down to
/// the axis at `bottom`, a short mark below it if `mark`, and the label.
fn x_tick(s: &mut String, x: f64, top: f64, bottom: f64, label: &str, mark: bool) {
    let _ = writeln!(
        s,
        r#"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{GRID}" stroke-width="1"/>"#
    );
    if mark {
        let _ = writeln!(
            s,
            r#"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="{GREY}" stroke-width="1"/>"#,
            bottom + 5.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text>"#,
        bottom + 19.0,
        esc(label)
    );
}

fn stroke(style: &Style) -> String {
    let dash = style
        .dash
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    format!(
        r#"fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"{dash}"#,
        style.color, style.width
    )
}

/// The most points a line may have and still show its markers.
const MARKED_POINTS: usize = 30;

impl LineChart {
    /// The chart as SVG.
    pub fn svg(&self) -> String {
        let (left, legend_w, gap) = (84.0, 220.0, 28.0);
        let plot_w = WIDTH - left - gap - legend_w - 16.0;
        let plot_h = 300.0;
        let top = heading_height(&self.title, &self.subtitle) + 8.0;
        let (plot_x, plot_y) = (left, top);
        let bottom = plot_y + plot_h;

        // The y axis covers every mean and band.
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for l in &self.lines {
            for &(_, y, h) in &l.points {
                let h = h.unwrap_or(0.0);
                lo = lo.min(y - h);
                hi = hi.max(y + h);
            }
        }
        if self.nonnegative {
            // Counts start at 0, and no band reaches below it.
            lo = 0.0;
        }
        let y_axis = axis::linear(lo, hi, 5, self.y_label.clone());
        let px = |x: f64| plot_x + self.x.frac(x) * plot_w;
        let n_lines = self.lines.len();
        let shift = |i: usize| -> f64 {
            if self.dodge && n_lines > 1 {
                (i as f64 - (n_lines - 1) as f64 / 2.0) * 3.0
            } else {
                0.0
            }
        };
        let py = |y: f64| bottom - y_axis.frac(y) * plot_h;

        // The legend's height decides the chart's.
        let legend_x = plot_x + plot_w + gap;
        let label_w = legend_w - 44.0;
        let entries: Vec<Vec<String>> = self
            .lines
            .iter()
            .map(|l| wrap(&l.label, label_w, 12.0, 3))
            .collect();
        let title_lines = wrap(&self.legend_title, legend_w, 12.0, 2);
        let legend_h = 16.0 * title_lines.len() as f64
            + 6.0
            + entries
                .iter()
                .map(|e| 15.0 * e.len() as f64 + 7.0)
                .sum::<f64>();
        let caption: Vec<String> = self
            .caption
            .iter()
            .flat_map(|c| wrap(c, WIDTH - 40.0, 11.5, 3))
            .collect();
        let caption_y = (bottom + 64.0).max(plot_y + legend_h + 20.0);
        let height = caption_y + 15.0 * caption.len() as f64 + 4.0;

        let mut s = String::new();
        open(&mut s, WIDTH, height, &self.title);
        heading(&mut s, &self.title, &self.subtitle);

        // Grid and ticks.
        for (v, label) in &y_axis.ticks {
            let y = py(*v);
            let _ = writeln!(
                s,
                r#"<line x1="{plot_x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/>"#,
                plot_x + plot_w
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
                plot_x - 8.0,
                y + 4.0,
                esc(label)
            );
        }
        for (v, label) in &self.x.ticks {
            x_tick(&mut s, px(*v), plot_y, bottom, label, true);
        }
        let _ = writeln!(
            s,
            r#"<line x1="{plot_x:.1}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="{GREY}" stroke-width="1"/>"#,
            plot_x + plot_w
        );
        let _ = writeln!(
            s,
            r#"<line x1="{plot_x:.1}" y1="{plot_y:.1}" x2="{plot_x:.1}" y2="{bottom:.1}" stroke="{GREY}" stroke-width="1"/>"#
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="{INK}">{}</text>"#,
            plot_x + plot_w / 2.0,
            bottom + 40.0,
            esc(&fit(&self.x.label, plot_w + legend_w, 13.0))
        );
        let cy = plot_y + plot_h / 2.0;
        let _ = writeln!(
            s,
            r#"<text x="22" y="{cy:.1}" text-anchor="middle" font-size="13" fill="{INK}" transform="rotate(-90 22 {cy:.1})">{}</text>"#,
            esc(&fit(&y_axis.label, plot_h + 40.0, 13.0))
        );

        // Bands first, so that no band hides a line.
        let floor = if self.nonnegative { 0.0 } else { f64::MIN };
        for (i, l) in self.lines.iter().enumerate() {
            if l.points.iter().all(|p| p.2.is_none_or(|h| h == 0.0)) {
                continue;
            }
            let dx = shift(i);
            let upper = l.points.iter().map(|&(x, y, h)| (x, y + h.unwrap_or(0.0)));
            let lower = l
                .points
                .iter()
                .rev()
                .map(|&(x, y, h)| (x, (y - h.unwrap_or(0.0)).max(floor)));
            let pts: Vec<String> = upper
                .chain(lower)
                .map(|(x, y)| format!("{:.1},{:.1}", px(x) + dx, py(y)))
                .collect();
            let _ = writeln!(
                s,
                r#"<polygon points="{}" fill="{}" fill-opacity="0.18" stroke="none"/>"#,
                pts.join(" "),
                l.style.color
            );
        }
        for (i, l) in self.lines.iter().enumerate() {
            let dx = shift(i);
            let pts: Vec<String> = l
                .points
                .iter()
                .map(|&(x, y, _)| format!("{:.1},{:.1}", px(x) + dx, py(y)))
                .collect();
            if pts.len() > 1 {
                let _ = writeln!(
                    s,
                    r#"<polyline points="{}" {}/>"#,
                    pts.join(" "),
                    stroke(&l.style)
                );
            }
            if l.points.len() <= MARKED_POINTS {
                for &(x, y, _) in &l.points {
                    marker(&mut s, &l.style, px(x) + dx, py(y));
                }
            }
        }

        // The legend, right of the data.
        let mut y = text_lines(
            &mut s,
            &title_lines,
            legend_x,
            plot_y + 12.0,
            16.0,
            12.0,
            INK,
            r#" font-weight="bold""#,
        ) + 4.0;
        for (l, lines) in self.lines.iter().zip(&entries) {
            let mid = y - 4.0;
            if l.points.iter().any(|p| p.2.is_some_and(|h| h > 0.0)) {
                let _ = writeln!(
                    s,
                    r#"<rect x="{legend_x:.1}" y="{:.1}" width="34" height="12" fill="{}" fill-opacity="0.18"/>"#,
                    mid - 6.0,
                    l.style.color
                );
            }
            let _ = writeln!(
                s,
                r#"<line x1="{legend_x:.1}" y1="{mid:.1}" x2="{:.1}" y2="{mid:.1}" {}/>"#,
                legend_x + 34.0,
                stroke(&l.style)
            );
            if l.points.len() <= MARKED_POINTS {
                marker(&mut s, &l.style, legend_x + 17.0, mid);
            }
            y = text_lines(&mut s, lines, legend_x + 42.0, y, 15.0, 12.0, INK, "") + 7.0;
        }

        text_lines(&mut s, &caption, 20.0, caption_y, 15.0, 11.5, GREY, "");
        s.push_str("</svg>\n");
        s
    }
}

impl BarChart {
    /// The chart as SVG.
    pub fn svg(&self) -> String {
        let label_w = self
            .bars
            .iter()
            .map(|b| text_width(&b.label, 12.0))
            .fold(60.0, f64::max)
            .min(280.0);
        let plot_x = 20.0 + label_w + 12.0;
        let notes_w = self
            .bars
            .iter()
            .map(|b| text_width(&b.note, 12.0))
            .fold(40.0, f64::max)
            .min(220.0)
            + 16.0;
        let plot_w = WIDTH - plot_x - notes_w - 20.0;
        let row = 28.0;
        let top = heading_height(&self.title, &self.subtitle) + 8.0;
        let plot_h = row * self.bars.len() as f64 + 8.0;
        let bottom = top + plot_h;

        let mut lo: f64 = 0.0;
        let mut hi: f64 = 0.0;
        for b in &self.bars {
            let h = b.half.unwrap_or(0.0);
            lo = lo.min(b.value - h).min(0.0);
            hi = hi.max(b.value + h);
        }
        if lo >= 0.0 {
            lo = 0.0;
        }
        let axis = axis::linear(lo, hi, 5, self.x_label.clone());
        let px = |v: f64| plot_x + axis.frac(v) * plot_w;

        let legend_y = bottom + 62.0;
        let caption: Vec<String> = self
            .caption
            .iter()
            .flat_map(|c| wrap(c, WIDTH - 40.0, 11.5, 3))
            .collect();
        let caption_y = legend_y + if self.legend.is_empty() { 0.0 } else { 24.0 };
        let height = caption_y + 15.0 * caption.len() as f64 + 4.0;

        let mut s = String::new();
        open(&mut s, WIDTH, height, &self.title);
        heading(&mut s, &self.title, &self.subtitle);
        for (v, label) in &axis.ticks {
            x_tick(&mut s, px(*v), top, bottom, label, false);
        }
        let _ = writeln!(
            s,
            r#"<line x1="{plot_x:.1}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="{GREY}" stroke-width="1"/>"#,
            plot_x + plot_w
        );
        let zero = px(0.0);
        let _ = writeln!(
            s,
            r#"<line x1="{zero:.1}" y1="{top:.1}" x2="{zero:.1}" y2="{bottom:.1}" stroke="{GREY}" stroke-width="1"/>"#
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="{INK}">{}</text>"#,
            plot_x + plot_w / 2.0,
            bottom + 40.0,
            esc(&fit(&axis.label, plot_w + notes_w, 13.0))
        );
        for (i, b) in self.bars.iter().enumerate() {
            let y = top + 4.0 + row * i as f64;
            let mid = y + row / 2.0;
            let (a, z) = (px(b.value.min(0.0)), px(b.value.max(0.0)));
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
                plot_x - 8.0,
                mid + 4.0,
                esc(&fit(&b.label, label_w, 12.0))
            );
            let _ = writeln!(
                s,
                r#"<rect x="{a:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                mid - 9.0,
                (z - a).max(0.0),
                18.0,
                b.color
            );
            let mut end = z;
            if let Some(h) = b.half.filter(|h| *h > 0.0) {
                let (w0, w1) = (px(b.value - h), px(b.value + h));
                let _ = writeln!(
                    s,
                    r#"<path d="M{w0:.1},{mid:.1}H{w1:.1}M{w0:.1},{:.1}V{:.1}M{w1:.1},{:.1}V{:.1}" fill="none" stroke="{INK}" stroke-width="1.2"/>"#,
                    mid - 5.0,
                    mid + 5.0,
                    mid - 5.0,
                    mid + 5.0
                );
                end = end.max(w1);
            }
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" fill="{INK}">{}</text>"#,
                end + 6.0,
                mid + 4.0,
                esc(&b.note)
            );
        }
        // The legend, below the axis.
        let mut x = plot_x;
        for (color, label) in &self.legend {
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="14" height="12" fill="{color}"/>"#,
                legend_y - 10.0
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{legend_y:.1}" fill="{INK}">{}</text>"#,
                x + 20.0,
                esc(label)
            );
            x += 20.0 + text_width(label, 12.0) + 24.0;
        }
        text_lines(&mut s, &caption, 20.0, caption_y, 15.0, 11.5, GREY, "");
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_replaces_what_xml_refuses() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(esc("x\u{1}y"), "x\u{fffd}y");
    }

    #[test]
    fn wraps_and_cuts() {
        let w = wrap("one two three four five six", 60.0, 12.0, 2);
        assert_eq!(w.len(), 2);
        assert!(w[1].ends_with('…'), "{w:?}");
        assert_eq!(wrap("short", 500.0, 12.0, 2), ["short"]);
        assert!(fit(&"x".repeat(200), 50.0, 12.0).ends_with('…'));
    }
}
