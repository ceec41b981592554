//! What the status subsystem reports: metrics and the conservation check at
//! the end, time series at each sample, inbox listings at the snapshot.

use super::advert::AdTally;
use super::cqmgr::box_of;
use super::inbox::{BoxKind, BOXES};
use super::names;
use super::Status;
use crate::record::{Metrics, Sample};
use crate::subsystem::Ctx;
use crate::world::World;

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

impl Status {
    pub(super) fn add_sample(&self, sample: &mut Sample<'_>) {
        let mut max = 0;
        let mut total = 0;
        for cap in self.inboxes.chunks(BOXES) {
            let n = cap[BoxKind::StatMsgs as usize].len();
            max = max.max(n);
            total += n;
        }
        sample.add("cap.statmsgs_files_max", max as f64);
        sample.add("cap.statmsgs_files_total", total as f64);
        sample.add("cqmgr.items_queued", self.queues.live() as f64);
    }

    /// Lists each inbox of the traced sites' CAPs as it stands now.
    pub(super) fn write_snapshot(&self, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        for (s, site) in h.sites.iter().enumerate() {
            if !cx.trace.site(s as u16) {
                continue;
            }
            for cap in site.caps.clone() {
                let n = cap - site.caps.start + 1;
                for kind in BoxKind::ALL {
                    let inbox = &self.inboxes[cap as usize * BOXES + kind as usize];
                    let mut text = format!(
                        "Directory of \\\\{}CAP{n}\\CAP_{}\\{}\n",
                        site.code,
                        site.code,
                        kind.folder()
                    );
                    for f in inbox.files() {
                        let c = cx.env.calendar().civil(f.at);
                        text.push_str(&format!(
                            "{:02}-{:02}-{:04} {:02}:{:02}:{:02}.{:03}  {}  {}\n",
                            c.month,
                            c.day,
                            c.year,
                            c.hour,
                            c.minute,
                            c.second,
                            c.milli,
                            names::file_name(f.name, kind.ext()),
                            h.client_name(f.client)
                        ));
                    }
                    text.push_str(&format!("{} File(s)\n", inbox.len()));
                    let path = format!("sites/{}/CAP{n}/{}.txt", site.code, kind.folder());
                    cx.trace.files.insert(path, text);
                }
            }
        }
    }

    /// Reports the metrics and checks that every item is accounted for.
    pub(super) fn report(&mut self, world: &World, m: &mut Metrics) -> Result<(), String> {
        let mut pending = [0u64; BOXES];
        for it in self.cl.iter().flat_map(|cq| self.queues.iter(cq.head)) {
            pending[box_of(it.kind) as usize] += 1;
        }
        let k = &self.counts;
        let s = BoxKind::StatMsgs as usize;
        let lost = |b: usize| k.lost_retries[b] + k.lost_lifetime[b];
        m.count("status.generated", k.generated[s]);
        m.count("status.delivered", k.delivered[s]);
        m.count("status.lost", lost(s));
        m.count("status.lost_retries", k.lost_retries[s]);
        m.count("status.lost_lifetime", k.lost_lifetime[s]);
        m.count("status.pending", pending[s]);
        m.count("status.requeued", k.requeued[s]);
        m.push("status.lost_pct", pct(lost(s), k.generated[s]), "pct");
        m.push("status.delivery_p95_s", self.latency.quantile_s(0.95), "s");
        m.push("status.delivery_p99_s", self.latency.quantile_s(0.99), "s");
        m.push("status.delivery_max_s", self.latency.quantile_s(1.0), "s");
        let mut ads = AdTally::default();
        for a in &self.ads {
            // The console lists SMS clients only: a machine of the
            // collection that was never installed was offered nothing.
            let t = a.tally(|c| world.sms_client(c));
            ads.targeted += t.targeted;
            ads.ran += t.ran;
            ads.missing += t.missing;
            ads.lost += t.lost;
        }
        m.count("ad.clients_targeted", ads.targeted);
        m.count("ad.clients_ran", ads.ran);
        m.count("ad.clients_missing_status", ads.missing);
        m.count("ad.clients_lost_status", ads.lost);
        m.push(
            "ad.clients_missing_status_pct",
            pct(ads.missing, ads.targeted),
            "pct",
        );
        let d = BoxKind::Ddr as usize;
        let i = BoxKind::Inventory as usize;
        m.count("ddr.generated", k.generated[d]);
        m.count("ddr.lost", lost(d));
        m.count("inventory.generated", k.generated[i]);
        m.count("inventory.lost", lost(i));
        m.count("cqmgr.items_generated", k.generated.iter().sum());
        m.count("cqmgr.items_delivered", k.delivered.iter().sum());
        m.count("cqmgr.items_lost", (0..BOXES).map(lost).sum());
        m.count("cqmgr.items_pending", pending.iter().sum());
        m.count("cqmgr.copy_attempts", k.attempts);
        m.count("cqmgr.collisions", k.collisions);
        m.count("cqmgr.copy_cycles", k.cycles);
        // The inbox peak: the fullest inbox folder of any kind on any
        // CAP at any moment; then the same for each kind.
        m.count("cap.inbox_peak", k.peak.iter().copied().max().unwrap_or(0));
        m.count("cap.statmsgs_peak", k.peak[BoxKind::StatMsgs as usize]);
        m.count("cap.ddr_peak", k.peak[BoxKind::Ddr as usize]);
        m.count("cap.inventory_peak", k.peak[BoxKind::Inventory as usize]);
        m.count("ima.files_moved", k.moved);
        if !self.outages.is_empty() {
            m.count("cqmgr.failover_copies", k.failover_copies);
            m.count("cqmgr.destination_unavailable", k.unavailable);
        }
        for b in BoxKind::ALL {
            let b = b as usize;
            let accounted = k.delivered[b] + lost(b) + pending[b];
            if k.generated[b] != accounted {
                return Err(format!(
                    "{} items: generated {} != delivered {} + lost {} + pending {}",
                    BoxKind::ALL[b].folder(),
                    k.generated[b],
                    k.delivered[b],
                    lost(b),
                    pending[b]
                ));
            }
        }
        let in_inboxes: u64 = self.inboxes.iter().map(|b| b.len() as u64).sum();
        let delivered: u64 = k.delivered.iter().sum();
        if delivered != k.moved + in_inboxes {
            return Err(format!(
                "CAP files: delivered {delivered} != moved {} + still in inboxes {in_inboxes}",
                k.moved
            ));
        }
        Ok(())
    }
}
