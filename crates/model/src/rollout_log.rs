//! The site logs of upgrades and hotfix installs (`smssim trace`): what
//! the installers would have written at the site server.

use crate::hierarchy::SiteId;
use crate::record::sms_log_line;
use crate::subsystem::Ctx;
use smssim_scenario::{Owner, Step};

/// Logs site `s`'s upgrade in its `SMSSETUP.LOG` (the file name
/// **assumed**), if the site is traced.
pub fn log_upgrade(s: SiteId, cx: &mut Ctx<'_, '_>) {
    if !cx.trace.site(s) {
        return;
    }
    let v = cx.world.site_version[s as usize];
    let code = &cx.env.hierarchy.sites[s as usize].code;
    let text = format!(
        "Site {code} upgraded to SMS 2.0 {} (Full Version {}, build {}).",
        v.name().to_uppercase(),
        v.full_version(),
        v.build()
    );
    let line = sms_log_line(cx.env.calendar(), cx.now(), "SMS_SETUP", 1, &text);
    cx.trace.line(format!("sites/{code}/SMSSETUP.LOG"), line);
}

/// Logs rollout step `n`'s hotfix install at site `s` in the installer's
/// `Qxxxxxx.log` (Q252717 names that log), if the site is traced.
pub fn log_install(n: u16, s: SiteId, cx: &mut Ctx<'_, '_>) {
    let Step::Install(d) = cx.env.scenario.rollout[n as usize].step else {
        return;
    };
    if !cx.trace.site(s) {
        return;
    }
    let v = cx.world.site_version[s as usize];
    let code = &cx.env.hierarchy.sites[s as usize].code;
    let def = d.def();
    if cx.world.full_version_missing[s as usize] {
        // Q252717: "The Qxxxxxx.log file that is generated when you install
        // the hotfix will state that the version is 000."
        let text = format!(
            "{}: the version is 000 (no Full Version value in HKLM\\Software\\Microsoft\\SMS\\Setup); no file replaced.",
            def.article
        );
        let line = sms_log_line(cx.env.calendar(), cx.now(), "HOTFIX_INSTALLER", 1, &text);
        cx.trace
            .line(format!("sites/{code}/{}.log", def.article), line);
        return;
    }
    let what = match def.owner {
        Owner::Site => format!("{} now has the fix", def.component),
        Owner::Client => format!(
            "{} goes to the site's clients at their next component check",
            def.component
        ),
    };
    let text = format!(
        "{} installed on site {code} (Full Version {}): {what}.",
        def.article,
        v.full_version(),
    );
    let line = sms_log_line(cx.env.calendar(), cx.now(), "HOTFIX_INSTALLER", 1, &text);
    cx.trace
        .line(format!("sites/{code}/{}.log", def.article), line);
}

/// Logs a step the world itself carries out (`set_full_version`) in the
/// site's `SMSSETUP.LOG`, if the site is traced.
pub fn log_remedy(n: u16, s: SiteId, cx: &mut Ctx<'_, '_>) {
    if cx.env.scenario.rollout[n as usize].step != Step::SetFullVersion || !cx.trace.site(s) {
        return;
    }
    let v = cx.world.site_version[s as usize];
    let code = &cx.env.hierarchy.sites[s as usize].code;
    let text = format!(
        "The administrator set Full Version = {} in HKLM\\Software\\Microsoft\\SMS\\Setup.",
        v.full_version()
    );
    let line = sms_log_line(cx.env.calendar(), cx.now(), "SMS_SETUP", 1, &text);
    cx.trace.line(format!("sites/{code}/SMSSETUP.LOG"), line);
}
