//! What the CCR subsystem reports: metrics, time series,
//! `CcrRetry.box` snapshots, machines worth tracing, and the conservation
//! law of CCRs.

use super::store::State;
use super::{files, Ccr, F_NEW, F_REPAIR_FAILED};
use crate::hierarchy::ClientId;
use crate::record::{percentile, Metrics, Sample};
use crate::subsystem::Ctx;
use smssim_scenario::policy::CcrRetryNaming;

impl Ccr {
    /// Series: files in every `CcrRetry.box`, mixed machines, CCRs waiting
    /// for a thread, busy threads.
    pub(super) fn add_sample(&self, sample: &mut Sample<'_>) {
        sample.add("ccrretry.files", self.store.box_files as f64);
        sample.add("clients.mixed", self.mixed.len() as f64);
        let queued: usize = self.sites.iter().map(|s| s.queue.len()).sum();
        sample.add("ccm.queue", queued as f64);
        let busy: u32 = self.sites.iter().map(|s| s.busy.count_ones()).sum();
        sample.add("ccm.busy_threads", f64::from(busy));
    }

    /// Writes every site's `CcrRetry.box` as `.CCR` files ("The CCR Request Process").
    pub(super) fn write_snapshot(&self, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        for (id, r) in self.store.ccrs.iter().enumerate().filter(|(_, r)| r.in_box) {
            let code = &h.sites[r.site as usize].code;
            let name = files::box_name(r, h, self.store.naming_of(id as u32));
            let path = format!("sites/{code}/CcrRetry.box/{name}.CCR");
            let text = files::ccr_file(r, h, cx.env.calendar());
            cx.trace.files.insert(path, text);
        }
    }

    /// Machines that held several CCRs at once (most first), the first
    /// machines to become mixed, and the first to get a cross-version
    /// attempt, taken in turn so that the first few show each effect.
    pub(super) fn add_interesting(&self, out: &mut Vec<ClientId>) {
        let mut dup: Vec<(u16, ClientId)> = self
            .store
            .peak
            .iter()
            .enumerate()
            .filter(|(_, &p)| p > 1)
            .map(|(c, &p)| (p, c as ClientId))
            .collect();
        dup.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let lists = [
            dup.into_iter().take(5).map(|(_, c)| c).collect::<Vec<_>>(),
            self.first_mixed.clone(),
            self.first_crossed.clone(),
        ];
        for k in 0..5 {
            for c in lists.iter().filter_map(|l| l.get(k)) {
                if !out.contains(c) {
                    out.push(*c);
                }
            }
        }
    }

    /// Seconds from a machine's first CCR (or the end of the access-denied
    /// windows it was in, if later) to its installation.
    fn install_times(&self, cx: &Ctx<'_, '_>) -> Vec<f64> {
        let mut out = Vec::new();
        for (c, &t) in self.installed_s.iter().enumerate() {
            if t == u32::MAX || self.first_ccr_s[c] == u32::MAX {
                continue;
            }
            let mut from = u64::from(self.first_ccr_s[c]) * 1000;
            for (i, w) in self.windows.iter().enumerate() {
                if w.until > from && self.in_window(cx.env, c as ClientId, i) {
                    from = w.until;
                }
            }
            out.push((u64::from(t) * 1000).saturating_sub(from) as f64 / 1000.0);
        }
        out
    }

    /// Reports the metrics and checks that every CCR created was deleted
    /// (installed, already a client, skipped, expired, replaced) or is still
    /// queued, processing or in `CcrRetry.box`.
    pub(super) fn report(&mut self, cx: &mut Ctx<'_, '_>, m: &mut Metrics) -> Result<(), String> {
        let h = cx.env.hierarchy;
        let now = cx.now();
        let f = self.store.fates.clone();
        let pending = self.store.pending();
        m.count("ccr.created", self.n.created);
        m.count("ccr.installed", f.installed);
        m.count("ccr.already_client", f.already_client);
        m.count("ccr.skipped_newer", f.skipped_newer);
        m.count("ccr.expired", f.expired);
        m.count("ccr.replaced", f.replaced);
        m.count("ccr.pending", pending);
        m.count("ccrretry.files_peak", self.store.box_peak);
        m.count("ccrretry.files_end", self.store.box_files);
        m.count(
            "ccrretry.max_per_client",
            u64::from(self.store.max_per_client),
        );
        m.count(
            "ccrretry.clients_with_duplicates",
            self.store.peak.iter().filter(|&&p| p > 1).count() as u64,
        );
        m.count("ccm.attempts", self.n.attempts);
        m.count("ccm.errors_5", self.n.errors[0]);
        m.count("ccm.errors_53", self.n.errors[1]);
        m.count("ccm.errors_67", self.n.errors[2]);
        m.count("ccm.errors_1053", self.n.errors[3]);
        m.count("ccm.verifications", self.n.verifications);
        let threads = u64::from(self.spec.ccm.threads.get()) * h.sites.len() as u64;
        let busy: u64 = self.sites.iter().map(|s| s.busy_ms).sum();
        let span = (threads * now.max(1)) as f64;
        m.push("ccm.busy_pct", 100.0 * busy as f64 / span, "pct");
        m.count("ccm.sam_replications", self.n.sam_replications);
        m.count("ccm.cross_version_attempts", self.n.cross_version);
        m.count("ccm.cross_version_clients", self.n.cross_version_clients);
        m.count("ddm.ddrs_logon", self.n.ddrs_logon);
        m.count("ddm.ddrs_network", self.n.ddrs_network);
        m.count("ddm.ddrs_heartbeat", self.n.ddrs_heartbeat);
        let new = self.flags.iter().filter(|&&f| f & F_NEW != 0).count() as u64;
        m.count("clients.new", new);
        m.count("clients.installed", self.n.installs);
        m.count("lsm.passes", self.n.lsm_passes);
        m.count("lsm.clicore_copies", self.n.lsm_copies);
        m.count("lsm.copylog_claims_newer", self.n.lsm_claims_newer);
        m.count("logon.clicore_copies", self.n.clicore_copies);
        m.count("clients.mixed_ever", self.n.mixed_ever);
        m.count("clients.mixed", self.mixed.len() as u64);
        let open_ms: u64 = self.mixed.iter().map(|&(_, t)| now - t).sum();
        m.push(
            "clients.mixed_hours",
            (self.mixed_closed_ms + open_ms) as f64 / 3_600_000.0,
            "hours",
        );
        m.count("clients.repaired", self.n.repaired);
        let orphaned = self
            .mixed
            .iter()
            .filter(|&&(c, _)| self.flags[c as usize] & F_REPAIR_FAILED != 0)
            .count();
        m.count("clients.orphaned", orphaned as u64);
        if self.n.mixed_ever != self.n.repaired + self.mixed.len() as u64 {
            return Err(format!(
                "mixed clients: {} entered != {} repaired + {} still mixed",
                self.n.mixed_ever,
                self.n.repaired,
                self.mixed.len()
            ));
        }
        let mut times = self.install_times(cx);
        times.sort_by(f64::total_cmp);
        m.push(
            "install.time_to_install_p95_s",
            percentile(&times, 0.95),
            "s",
        );

        // Conservation of CCRs.
        if self.n.created != f.deleted() + pending {
            return Err(format!(
                "CCRs created {} != installed {} + already client {} + skipped {} + expired {} + replaced {} + pending {}",
                self.n.created, f.installed, f.already_client, f.skipped_newer, f.expired, f.replaced, pending
            ));
        }
        let in_box = self.store.ccrs.iter().filter(|r| r.in_box).count() as u64;
        let per_client: u64 = self.store.files.iter().map(|&x| u64::from(x)).sum();
        if in_box != self.store.box_files || per_client != in_box {
            return Err(format!(
                "CcrRetry.box holds {in_box} files, counted {} in all and {per_client} by machine",
                self.store.box_files
            ));
        }
        if self
            .store
            .ccrs
            .iter()
            .any(|r| r.in_box && r.state == State::Gone)
        {
            return Err("a deleted CCR is still in CcrRetry.box".into());
        }
        if self.naming == CcrRetryNaming::PerSystem && self.store.max_per_client > 1 {
            return Err(format!(
                "per_system naming let one machine hold {} files in CcrRetry.box",
                self.store.max_per_client
            ));
        }
        Ok(())
    }
}
