//! The defects as the releases and hotfixes of SMS 2.0 know them: for
//! each, the component that owns the behaviour, the release that first
//! corrected it, the releases its hotfix was built for, and the policy
//! knobs that describe the behaviour before and after.
//!
//! How a knob and a component's release combine (the rule every subsystem
//! follows, at the moment the component acts): a component whose release
//! already corrects the defect, or whose site has the hotfix installed
//! (for a client component: once the client has picked it up), behaves as
//! the hotfix does, whatever the policy; any other component behaves as the
//! policy's knob says. So `legacy` leaves a defect fixed where the release
//! fixed it, `hotfix` (every knob at its hotfix value) fixes it everywhere
//! from the start, and `legacy+<knob>` switches one knob on everywhere.

use crate::policy::Knob;
use crate::values::SiteVersion;
use std::fmt;

/// A defect that a release or a hotfix corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Defect {
    /// Copy Queue Manager's file-name collisions in the CAP inbox.
    Q323627,
    /// Client Configuration Manager's duplicate retry CCRs.
    Q242926,
    /// Distribution Manager re-sending a package to every child site on
    /// each retry.
    Q319207,
    /// An SP1 site's Client Configuration Manager installing on clients of
    /// a later release.
    Q252717,
    /// An SP1 site's Logon Server Manager claiming in `Copylog.tcf` a
    /// `Clicore.exe` it did not copy.
    Q249077,
}

/// Where a defect's behaviour lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A site server component: the site's release and hotfixes decide.
    Site,
    /// A client component: the client follows its site's release and
    /// hotfixes after its own pick-up delay (`clients.component_pickup`).
    Client,
}

/// One defect: who owns it, where it was fixed, which hotfix fixes it
/// before that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefectDef {
    /// The defect.
    pub defect: Defect,
    /// Its article, which is also the hotfix's name in a rollout
    /// (`"install": "Q319207"`).
    pub article: &'static str,
    /// The SMS component whose behaviour it is.
    pub component: &'static str,
    /// Whether a site or a client component acts.
    pub owner: Owner,
    /// The first release that corrects it.
    pub fixed_in: SiteVersion,
    /// The releases its hotfix is built for.
    pub hotfix_for: &'static [SiteVersion],
    /// The knobs that describe it, at their legacy values before the fix
    /// and at their hotfix values after it.
    pub knobs: &'static [Knob],
    /// Where the facts come from.
    pub source: &'static str,
}

/// Every defect, in [`Defect`] order.
pub const DEFECTS: [DefectDef; 5] = [
    DefectDef {
        defect: Defect::Q323627,
        article: "Q323627",
        component: "Copy Queue Manager (Cqmgr32.dll, client)",
        owner: Owner::Client,
        fixed_in: SiteVersion::Sp5,
        hotfix_for: &[SiteVersion::Sp3, SiteVersion::Sp4],
        knobs: &[
            Knob::CqmgrNameAlgorithm,
            Knob::CqmgrMaxRetries,
            Knob::CqmgrOnExhausted,
        ],
        source: "Q323627: \"first corrected in SMS 2.0 Service Pack 5\"; its hotfix lists \
                 post-SP3 and post-SP4 versions of Cqmgr32.dll, a client file the site \
                 hands to its clients",
    },
    DefectDef {
        defect: Defect::Q242926,
        article: "Q242926",
        component: "Client Configuration Manager",
        owner: Owner::Site,
        fixed_in: SiteVersion::Sp2,
        hotfix_for: &[SiteVersion::Rtm, SiteVersion::Sp1],
        knobs: &[Knob::CcmRetryNaming],
        source: "Q242926: \"first corrected in Systems Management Server version 2.0 \
                 Service Pack 2\"; a hotfix bundle (Q253151) for earlier sites",
    },
    DefectDef {
        defect: Defect::Q319207,
        article: "Q319207",
        component: "Distribution Manager (Distmgr.dll)",
        owner: Owner::Site,
        fixed_in: SiteVersion::Sp5,
        hotfix_for: &[SiteVersion::Sp3, SiteVersion::Sp4],
        knobs: &[Knob::DistmgrRetry],
        source: "Q319207: a post-SP3 hotfix (Distmgr.dll 2.00.1493.3257), \"first corrected \
                 in the SMS 2.0 SP4 Hotfix Rollup Package\"; SP4 sites take it as that \
                 rollup, and SP5 is **assumed** to include it",
    },
    DefectDef {
        defect: Defect::Q252717,
        article: "Q252717",
        component: "Client Configuration Manager (Ccm.dll, Ccmbtldr.exe)",
        owner: Owner::Site,
        fixed_in: SiteVersion::Sp2,
        hotfix_for: &[SiteVersion::Rtm, SiteVersion::Sp1],
        knobs: &[Knob::CcmVersionCheck],
        source: "Q252717 (SP1 sites) and Q252718 (RTM sites); Q264630: \"This \
                 functionality is included with SP2\"",
    },
    DefectDef {
        defect: Defect::Q249077,
        article: "Q249077",
        component: "Windows NT Logon Server Manager (Copylog.tcf)",
        owner: Owner::Site,
        fixed_in: SiteVersion::Sp2,
        hotfix_for: &[SiteVersion::Rtm, SiteVersion::Sp1],
        knobs: &[Knob::LogonCopylog],
        source: "Q249077 (SP1 sites) and Q251070 (RTM sites), both required before \
                 upgrading to SP2 (Q252717, Q264630); SP2 sites write the site that \
                 last updated the file",
    },
];

impl Defect {
    /// Every defect, in [`DEFECTS`] order.
    pub const ALL: [Defect; 5] = [
        Defect::Q323627,
        Defect::Q242926,
        Defect::Q319207,
        Defect::Q252717,
        Defect::Q249077,
    ];

    /// The defect's row of [`DEFECTS`].
    pub fn def(self) -> &'static DefectDef {
        &DEFECTS[self as usize]
    }

    /// The defect whose article (the hotfix's name) is `article`.
    pub fn by_article(article: &str) -> Option<Defect> {
        DEFECTS
            .iter()
            .find(|d| d.article.eq_ignore_ascii_case(article))
            .map(|d| d.defect)
    }

    /// Whether release `v` already corrects it.
    pub fn fixed_in(self, v: SiteVersion) -> bool {
        v >= self.def().fixed_in
    }

    /// Why its hotfix cannot go on a site at release `v`, if it cannot.
    pub fn hotfix_refused(self, v: SiteVersion) -> Option<String> {
        let d = self.def();
        if self.fixed_in(v) {
            return Some(format!(
                "{v} already corrects {} (first corrected in {}): the hotfix is not needed",
                d.article, d.fixed_in
            ));
        }
        if !d.hotfix_for.contains(&v) {
            let list: Vec<&str> = d.hotfix_for.iter().map(|r| r.name()).collect();
            return Some(format!(
                "the {} hotfix is built for {} sites, not {v}: upgrade the site first",
                d.article,
                list.join(" and ")
            ));
        }
        None
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.def().article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_defect_all_and_covers_every_knob_once() {
        let mut knobs = Vec::new();
        for (i, d) in Defect::ALL.into_iter().enumerate() {
            assert_eq!(DEFECTS[i].defect, d);
            assert_eq!(Defect::by_article(d.def().article), Some(d));
            for k in d.def().knobs {
                assert_eq!(k.def().article, d.def().article, "{k}");
                knobs.push(*k);
            }
            // A hotfix is for releases before the fix.
            for v in d.def().hotfix_for {
                assert!(!d.fixed_in(*v), "{d} {v}");
                assert_eq!(d.hotfix_refused(*v), None);
            }
        }
        knobs.sort();
        assert_eq!(knobs, Knob::ALL.to_vec());
    }

    #[test]
    fn releases_decide_what_is_fixed() {
        assert!(!Defect::Q242926.fixed_in(SiteVersion::Sp1));
        assert!(Defect::Q242926.fixed_in(SiteVersion::Sp2));
        assert!(!Defect::Q319207.fixed_in(SiteVersion::Sp4));
        assert!(Defect::Q323627.fixed_in(SiteVersion::Sp5));
        let why = Defect::Q242926.hotfix_refused(SiteVersion::Sp2).unwrap();
        assert!(why.contains("not needed"), "{why}");
        let why = Defect::Q319207.hotfix_refused(SiteVersion::Sp2).unwrap();
        assert!(why.contains("sp3 and sp4"), "{why}");
    }
}
