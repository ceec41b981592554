//! Value types that cannot hold an invalid value: a scenario that parses into
//! them needs no further range checks.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use smssim_engine::Duration;
use std::borrow::Cow;
use std::fmt;

/// A span of time, written `90s`, `15m`, `6h`, `3d`, `250ms` or as a plain
/// number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span(pub Duration);

impl Span {
    /// `ms` milliseconds.
    pub const fn ms(ms: u64) -> Self {
        Span(Duration::from_millis(ms))
    }
    /// `s` seconds.
    pub const fn secs(s: u64) -> Self {
        Span(Duration::from_secs(s))
    }
    /// `m` minutes.
    pub const fn mins(m: u64) -> Self {
        Span(Duration::from_mins(m))
    }
    /// `h` hours.
    pub const fn hours(h: u64) -> Self {
        Span(Duration::from_hours(h))
    }
    /// `d` days.
    pub const fn days(d: u64) -> Self {
        Span(Duration::from_days(d))
    }
    /// The span in milliseconds.
    pub const fn millis(self) -> u64 {
        self.0.millis()
    }
    /// The span in seconds.
    pub fn secs_f64(self) -> f64 {
        self.0.secs_f64()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration such as \"90s\", \"15m\", \"6h\", \"3d\" or a number of seconds",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Span, E> {
                v.parse().map(Span).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Span, E> {
                Ok(Span::secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Span, E> {
                u64::try_from(v)
                    .map(Span::secs)
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Span, E> {
                v.to_string().parse().map(Span).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Span {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: \"90s\", \"15m\", \"6h\", \"3d\", \"250ms\", or a number of seconds.",
            "oneOf": [
                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m|min|h|d)?$" },
                { "type": "number", "minimum": 0 }
            ]
        })
    }
}

/// A probability or share, in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
pub struct Probability(f64);

impl Probability {
    /// `p`, which must lie in `[0, 1]`.
    pub const fn new_const(p: f64) -> Self {
        Probability(p)
    }
    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Probability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = f64::deserialize(d)?;
        if (0.0..=1.0).contains(&p) {
            Ok(Probability(p))
        } else {
            Err(de::Error::custom(format_args!(
                "{p} is not a probability: expected a number from 0 to 1"
            )))
        }
    }
}

impl JsonSchema for Probability {
    fn schema_name() -> Cow<'static, str> {
        "Probability".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "minimum": 0, "maximum": 1 })
    }
}

/// A count that must be at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Positive(u32);

impl Positive {
    /// `n`, which must be at least one.
    pub const fn new_const(n: u32) -> Self {
        assert!(n > 0);
        Positive(n)
    }
    /// The value.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(d)?;
        if n == 0 {
            Err(de::Error::custom("expected a count of at least 1, found 0"))
        } else {
            Ok(Positive(n))
        }
    }
}

impl JsonSchema for Positive {
    fn schema_name() -> Cow<'static, str> {
        "PositiveCount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 1, "maximum": u32::MAX })
    }
}

/// An SMS 2.0 release of a site or of a client's components: the release
/// (RTM) or a service pack.
///
/// Build numbers: RTM is build 1239 (`2.00.1239.0000`) and SP1 build 1380
/// (`2.00.1380.1000`), both from Q252717; SP2 is build 1493, its client
/// files `2.00.1493.2005` (Q264630's log: "client release is
/// 2.00.1493.2"). SP3, SP4 and SP5 keep build 1493: the post-SP3 hotfix
/// files of Q319207 and Q323627 are `2.00.1493.32xx` and the post-SP4 files
/// of Q323627 `2.00.1493.41xx`, so their full versions are taken as
/// `2.00.1493.3000` and `2.00.1493.4000` (**assumed** from those file
/// versions) and SP5's as `2.00.1493.5000` (**assumed**: no article here
/// lists an SP5 file).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SiteVersion {
    /// SMS 2.0 as released, build 1239 (Q252717).
    Rtm,
    /// SMS 2.0 Service Pack 1, build 1380 (Q252717).
    Sp1,
    /// SMS 2.0 Service Pack 2, build 1493 (Q264630).
    Sp2,
    /// SMS 2.0 Service Pack 3, build 1493 (full version **assumed**
    /// 2.00.1493.3000, from the post-SP3 hotfix files of Q319207).
    Sp3,
    /// SMS 2.0 Service Pack 4, build 1493 (full version **assumed**
    /// 2.00.1493.4000, from the post-SP4 hotfix files of Q323627).
    Sp4,
    /// SMS 2.0 Service Pack 5, build 1493 (full version **assumed**
    /// 2.00.1493.5000).
    Sp5,
}

impl SiteVersion {
    /// Every release, oldest first.
    pub const ALL: [SiteVersion; 6] = [
        SiteVersion::Rtm,
        SiteVersion::Sp1,
        SiteVersion::Sp2,
        SiteVersion::Sp3,
        SiteVersion::Sp4,
        SiteVersion::Sp5,
    ];

    /// The build number (Q252717: RTM is build 1239, SP1 build 1380; SP2
    /// and later are build 1493).
    pub fn build(self) -> u32 {
        match self {
            SiteVersion::Rtm => 1239,
            SiteVersion::Sp1 => 1380,
            SiteVersion::Sp2 | SiteVersion::Sp3 | SiteVersion::Sp4 | SiteVersion::Sp5 => 1493,
        }
    }

    /// The `Full Version` value of `HKLM\Software\Microsoft\SMS\Setup`
    /// (Q252717 gives RTM's and SP1's; later ones: see the type's doc).
    pub fn full_version(self) -> &'static str {
        match self {
            SiteVersion::Rtm => "2.00.1239.0000",
            SiteVersion::Sp1 => "2.00.1380.1000",
            SiteVersion::Sp2 => "2.00.1493.2000",
            SiteVersion::Sp3 => "2.00.1493.3000",
            SiteVersion::Sp4 => "2.00.1493.4000",
            SiteVersion::Sp5 => "2.00.1493.5000",
        }
    }

    /// The name scenario files use (`sp2`).
    pub fn name(self) -> &'static str {
        match self {
            SiteVersion::Rtm => "rtm",
            SiteVersion::Sp1 => "sp1",
            SiteVersion::Sp2 => "sp2",
            SiteVersion::Sp3 => "sp3",
            SiteVersion::Sp4 => "sp4",
            SiteVersion::Sp5 => "sp5",
        }
    }

    /// A number that differs for every release (the fingerprint key of an
    /// upgrade): the build for RTM, SP1 and SP2 (as before SP3 existed),
    /// the build and the service pack above it for later ones.
    pub fn key(self) -> u32 {
        match self {
            SiteVersion::Sp3 => 1493 * 10 + 3,
            SiteVersion::Sp4 => 1493 * 10 + 4,
            SiteVersion::Sp5 => 1493 * 10 + 5,
            v => v.build(),
        }
    }
}

impl fmt::Display for SiteVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_reads_strings_and_seconds() {
        let s: Span = serde_json::from_str("\"15m\"").unwrap();
        assert_eq!(s, Span::mins(15));
        let s: Span = serde_json::from_str("90").unwrap();
        assert_eq!(s, Span::secs(90));
        let s: Span = serde_json::from_str("0.25").unwrap();
        assert_eq!(s, Span::ms(250));
        assert!(serde_json::from_str::<Span>("\"soon\"").is_err());
        assert!(serde_json::from_str::<Span>("-3").is_err());
        assert_eq!(serde_json::to_string(&Span::hours(6)).unwrap(), "\"6h\"");
    }

    #[test]
    fn probability_is_bounded() {
        assert!(serde_json::from_str::<Probability>("0.5").is_ok());
        let err = serde_json::from_str::<Probability>("1.5").unwrap_err();
        assert!(err.to_string().contains("from 0 to 1"), "{err}");
    }

    #[test]
    fn positive_rejects_zero() {
        assert!(serde_json::from_str::<Positive>("0").is_err());
        assert_eq!(serde_json::from_str::<Positive>("3").unwrap().get(), 3);
    }
}
