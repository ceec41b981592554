//! The administrator's plan (`rollout`): timed hotfix installs, service
//! pack upgrades and the manual remedies the articles give, each at a set
//! of sites. Only the `as-scheduled` policy carries it out; `legacy` and
//! `hotfix` leave it aside, so that the plan is compared with doing nothing
//! and with every fix at once.
//!
//! ```json
//! "rollout": [
//!   { "at": "2d", "sites": ["CEN"], "install": "Q319207" },
//!   { "at": "3d", "sites": "children", "upgrade": "sp2" },
//!   { "at": "4d", "site": "CEN", "action": "delete_retry_history", "package": "CEN00002" },
//!   { "at": "4d", "site": "S01", "action": "clear_ccrretry_box" },
//!   { "at": "5d", "site": "CEN", "action": "remove_dp", "dp": 0 }
//! ]
//! ```
//!
//! `topology.upgrades` and `topology.rollout` stay what they were: service
//! pack upgrades that are part of the scenario's situation (the SP2 upgrade
//! of `mixed-service-packs`), carried out under every policy. A `rollout`
//! entry is checked against the release each site has at that moment, those
//! upgrades and the plan's own earlier upgrades included.

use crate::issues::{issue, Issues};
use crate::release::Defect;
use crate::topology::PlannedSite;
use crate::values::{SiteVersion, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smssim_engine::{SimTime, DAY};

/// One timed step of the plan: exactly one of `install`, `upgrade` or
/// `action`, at the sites of exactly one of `site` or `sites`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolloutAction {
    /// When, from the start.
    pub at: Span,
    /// One site, by code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Sites: a code, a list of codes, `children` (every site but the
    /// central one), `all`, or a domain (`DOMAIN01`: the sites in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<SiteSelector>,
    /// Install the hotfix of this article (`Q323627`, `Q242926`,
    /// `Q319207`, `Q252717`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install: Option<String>,
    /// Upgrade to this release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<SiteVersion>,
    /// A manual remedy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AdminAction>,
    /// `delete_retry_history`: the package, by ID (`CEN00002`) or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// `remove_dp`: the site's distribution point, numbered from 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<u32>,
}

/// Which sites a step concerns.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SiteSelector {
    /// A code, `children`, `all` or a domain name.
    One(String),
    /// Several codes (or any of the words above).
    Many(Vec<String>),
}

/// The remedies an administrator applies by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdminAction {
    /// Delete `...\SMS_DISTRIBUTION_MANAGER\Retry History\<package ID>`:
    /// Distribution Manager stops retrying the package (Q319207).
    DeleteRetryHistory,
    /// Delete every file in `CcrRetry.box`: the CCRs already started stop
    /// retrying (Q264630: otherwise "the installation attempts are retried
    /// every hour for 7 days").
    ClearCcrretryBox,
    /// Remove a distribution point from every package that lists it
    /// (Q319207's workaround for a DP removed from the network).
    RemoveDp,
    /// Create the site's missing `Full Version` value in
    /// `HKLM\\Software\\Microsoft\\SMS\\Setup` (Q252717's steps for
    /// secondary sites), so that hotfixes installed afterwards take.
    SetFullVersion,
}

/// What a planned step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Install a defect's hotfix.
    Install(Defect),
    /// Upgrade to a release.
    Upgrade(SiteVersion),
    /// Delete a package's Retry History (package index).
    DeleteRetryHistory(u32),
    /// Empty `CcrRetry.box`.
    ClearCcrRetryBox,
    /// Remove the site's DP (numbered from 0 within the site).
    RemoveDp(u32),
    /// Set the site's missing `Full Version` registry value.
    SetFullVersion,
}

/// A checked step: when, at which sites (indices into the planned sites).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// When.
    pub at: SimTime,
    /// The sites, in site order.
    pub sites: Vec<usize>,
    /// What.
    pub step: Step,
}

/// What the plan is checked against.
pub(crate) struct PlanContext<'a> {
    pub sites: &'a [PlannedSite],
    pub domains: u32,
    /// Baseline upgrades (`topology.upgrades`, `topology.rollout`):
    /// (time, site, release), in the order the model schedules them.
    pub baseline: Vec<(SimTime, usize, SiteVersion)>,
    /// Package names in package-index order.
    pub packages: Vec<String>,
    pub horizon: SimTime,
}

/// The package ID the model gives package index `i` (`CEN00001`).
pub fn package_id(i: usize) -> String {
    format!("CEN{:05X}", i + 1)
}

/// Checks the plan and resolves its sites; problems go to `out`.
pub(crate) fn plan(
    actions: &[RolloutAction],
    cx: &PlanContext<'_>,
    out: &mut Issues,
) -> Vec<PlannedStep> {
    // Releases over time: the baseline's upgrades, then the plan's own
    // steps in time order (the list order among equal times), as the model
    // carries them out.
    let mut release: Vec<SiteVersion> = cx.sites.iter().map(|s| s.version).collect();
    let mut baseline = cx.baseline.clone();
    baseline.sort_by_key(|b| b.0);
    let mut next_base = 0;
    let mut order: Vec<usize> = (0..actions.len()).collect();
    order.sort_by_key(|&i| (actions[i].at.millis(), i));
    let mut planned: Vec<Option<PlannedStep>> = vec![None; actions.len()];
    for i in order {
        let a = &actions[i];
        let f = |name: &str| format!("rollout.{i}.{name}");
        let at = a.at.millis();
        while next_base < baseline.len() && baseline[next_base].0 <= at {
            let (_, s, v) = baseline[next_base];
            release[s] = release[s].max(v);
            next_base += 1;
        }
        if at > cx.horizon {
            issue(
                out,
                f("at"),
                format!(
                    "{} is after the end of the run ({} days)",
                    a.at,
                    cx.horizon as f64 / DAY as f64
                ),
            );
        }
        let sites = match (&a.site, &a.sites) {
            (Some(code), None) => select(std::slice::from_ref(code), &f("site"), cx, out),
            (None, Some(SiteSelector::One(w))) => {
                select(std::slice::from_ref(w), &f("sites"), cx, out)
            }
            (None, Some(SiteSelector::Many(list))) => select(list, &f("sites"), cx, out),
            (Some(_), Some(_)) => {
                issue(out, f("sites"), "give either `site` or `sites`, not both");
                None
            }
            (None, None) => {
                issue(out, format!("rollout.{i}"), "expected `site` or `sites`");
                None
            }
        };
        let given = [a.install.is_some(), a.upgrade.is_some(), a.action.is_some()];
        if given.iter().filter(|&&g| g).count() != 1 {
            issue(
                out,
                format!("rollout.{i}"),
                "expected exactly one of `install`, `upgrade` or `action`",
            );
            continue;
        }
        // A field of another kind of step is a mistake worth naming.
        for (what, given, wanted) in [
            (
                "package",
                a.package.is_some(),
                AdminAction::DeleteRetryHistory,
            ),
            ("dp", a.dp.is_some(), AdminAction::RemoveDp),
        ] {
            if given && a.action != Some(wanted) {
                issue(out, f(what), format!("this step takes no `{what}`"));
            }
        }
        let Some(sites) = sites else { continue };
        let step = if let Some(name) = &a.install {
            let Some(d) = Defect::by_article(name) else {
                let known: Vec<&str> = Defect::ALL.iter().map(|d| d.def().article).collect();
                issue(
                    out,
                    f("install"),
                    format!("{name:?}: expected one of {}", known.join(", ")),
                );
                continue;
            };
            for &s in &sites {
                if let Some(why) = d.hotfix_refused(release[s]) {
                    issue(
                        out,
                        f("install"),
                        format!("site {}: {why}", cx.sites[s].code),
                    );
                }
            }
            Step::Install(d)
        } else if let Some(v) = a.upgrade {
            for &s in &sites {
                if release[s] > v {
                    issue(
                        out,
                        f("upgrade"),
                        format!(
                            "site {} is already at {} by then: {v} would be a downgrade",
                            cx.sites[s].code, release[s]
                        ),
                    );
                }
                release[s] = release[s].max(v);
            }
            Step::Upgrade(v)
        } else {
            match a.action.expect("one of the three is given") {
                AdminAction::DeleteRetryHistory => {
                    let Some(p) = &a.package else {
                        issue(
                            out,
                            f("package"),
                            "expected the package (its ID, e.g. CEN00001, or its name)",
                        );
                        continue;
                    };
                    let found = (0..cx.packages.len())
                        .find(|&k| package_id(k).eq_ignore_ascii_case(p) || &cx.packages[k] == p);
                    match found {
                        Some(k) => Step::DeleteRetryHistory(k as u32),
                        None => {
                            let ids: Vec<String> = (0..cx.packages.len()).map(package_id).collect();
                            issue(
                                out,
                                f("package"),
                                if ids.is_empty() {
                                    format!("{p:?}: the scenario distributes no package")
                                } else {
                                    format!(
                                        "{p:?}: expected a package ID ({}) or name",
                                        ids.join(", ")
                                    )
                                },
                            );
                            continue;
                        }
                    }
                }
                AdminAction::ClearCcrretryBox => Step::ClearCcrRetryBox,
                AdminAction::SetFullVersion => Step::SetFullVersion,
                AdminAction::RemoveDp => {
                    let Some(dp) = a.dp else {
                        issue(
                            out,
                            f("dp"),
                            "expected the distribution point, numbered from 0",
                        );
                        continue;
                    };
                    for &s in &sites {
                        if dp >= cx.sites[s].dps {
                            issue(
                                out,
                                f("dp"),
                                format!(
                                    "site {} has {} distribution point(s), numbered from 0",
                                    cx.sites[s].code, cx.sites[s].dps
                                ),
                            );
                        }
                    }
                    Step::RemoveDp(dp)
                }
            }
        };
        planned[i] = Some(PlannedStep { at, sites, step });
    }
    planned.into_iter().flatten().collect()
}

/// Resolves selector words to site indices (in site order, each once).
fn select(
    words: &[String],
    field: &str,
    cx: &PlanContext<'_>,
    out: &mut Issues,
) -> Option<Vec<usize>> {
    let n = cx.sites.len();
    let mut chosen = vec![false; n];
    let mut ok = true;
    if words.is_empty() {
        issue(out, field, "expected at least one site");
        return None;
    }
    for w in words {
        if let Some(s) = cx.sites.iter().position(|s| &s.code == w) {
            chosen[s] = true;
        } else if w == "all" {
            chosen.iter_mut().for_each(|c| *c = true);
        } else if w == "children" {
            chosen.iter_mut().skip(1).for_each(|c| *c = true);
        } else if let Some(d) = domain_index(w).filter(|&d| d < cx.domains) {
            for (s, c) in chosen.iter_mut().enumerate() {
                if s as u32 % cx.domains == d {
                    *c = true;
                }
            }
        } else {
            ok = false;
            issue(
                out,
                field,
                format!(
                    "{w:?}: no site has this code; expected a site code, `children`, `all` or a domain (DOMAIN01…DOMAIN{:02})",
                    cx.domains
                ),
            );
        }
    }
    ok.then(|| (0..n).filter(|&s| chosen[s]).collect())
}

/// `DOMAIN07` → 6 (site `i` is in domain `i mod domains`, named from 1).
fn domain_index(w: &str) -> Option<u32> {
    let n: u32 = w.strip_prefix("DOMAIN")?.parse().ok()?;
    n.checked_sub(1)
}
