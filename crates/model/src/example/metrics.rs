//! The example subsystem's metrics and series.

use crate::catalogue::MetricDef;

/// Its metrics, in the order it writes them.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count("example.ticks", "Hourly ticks the example counted"),
    MetricDef::count(
        "example.check_ins",
        "Clients that checked in after they started",
    ),
];

/// Its time series.
pub(crate) const SERIES: &[MetricDef] =
    &[MetricDef::count("example.check_ins", "Check-ins so far")];
