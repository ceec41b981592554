#!/usr/bin/env python3
"""A SimPy peer of smssim's status-storm model (Q323627).

Clients' Copy Queue Manager (CQMGR) copies status messages, discovery
records and inventory into inboxes on their CAP under 8-digit names. With
the legacy, clock-seeded name algorithm every client whose clock reads the
same tick walks the same name sequence, so clients that act in the same
second collide; a copy try gives up after `cqmgr_max_retries` further names
and the item is deleted (legacy) or kept for the next copy cycle (hotfix).
The hotfix also draws every name from the client's own random stream.

This program implements the same mechanism and parameters as smssim's
status subsystem (crates/model/src/status/) and the client world it rests
on (crates/model/src/world.rs) as SimPy processes; it computes no loss from
a formula. Its random streams are Python's, not smssim's, so only
statistical agreement with smssim is expected.

    python3 status_storm.py scenarios/status-storm.json \\
        --clients-per-cap 1000,4000 --policy legacy --policy hotfix \\
        --replications 10

prints, per point and policy, the mean and 95 % confidence half-width
(Student t, as smssim's sweep.csv) of `status.lost`, `status.lost_pct` and
`ad.clients_missing_status_pct`, among others. `--csv` writes them in
sweep.csv's columns.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as _dt
import json
import math
import random
import re
import sys
import time
from collections import deque

import simpy

MS = 1
SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# ---------------------------------------------------------------------------
# Scenario: the fields smssim reads, with smssim's defaults
# (crates/scenario/src/{spec,status,topology}.rs).
# ---------------------------------------------------------------------------

SPAN_RE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|min|h|d)?$")
SPAN_UNIT = {None: SECOND, "ms": 1, "s": SECOND, "m": MINUTE, "min": MINUTE,
             "h": HOUR, "d": DAY}


def span_ms(v) -> int:
    """A scenario duration ("90s", "15m", "6h", "3d", "250ms" or seconds) in ms."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int(round(v * SECOND))
    m = SPAN_RE.match(str(v).strip())
    if not m:
        raise ValueError(f"not a duration: {v!r}")
    return int(round(float(m.group(1)) * SPAN_UNIT[m.group(2)]))


DEFAULT_CLIENTS = {
    "power_off_at_night": 0.5, "weekend_work": False, "arrive": "8h",
    "arrive_sigma": "30m", "leave": "63000s", "leave_sigma": "45m",
    "logon_delay": "3m", "clock_skew_sigma": "2s",
}
DEFAULT_STATUS = {
    "wake_up_cycle": "1380m", "item_lifetime": "11520m",
    "copy_time_min": "50ms", "copy_time_max": "200ms",
    "seed_resolution_ms": 1000, "inbox_poll_interval": "5m",
    "inbox_files_per_minute": 3000, "logon_discovery": True,
    "heartbeat_interval": "7d", "inventory_interval": "7d",
}
DEFAULT_AD = {
    "id": "CEN20001", "at": "2h", "sites": [], "target_share": 1.0,
    "same_minute_share": 0.3, "same_minute_delay_mean": "10s",
    "notice_window": "30m", "start_delay": "1s", "run_time_median": "3m",
    "run_time_sigma": 0.5, "success_share": 0.95, "missed_run_delay": "2m",
}
DEFAULT_TOPOLOGY = {
    "child_sites": 0, "grandchild_sites": 0, "caps_per_site": 1,
    "clients_per_cap": 100, "central_clients_per_cap": None,
}

# The policy knobs of the status subsystem (crates/scenario/src/policy.rs).
POLICIES = {
    "legacy": {"names": "clock_seeded", "max_retries": 50, "on_exhausted": "delete"},
    "hotfix": {"names": "unique", "max_retries": 10, "on_exhausted": "requeue"},
}


def set_path(doc: dict, path: str, value):
    """`--set a.b.0.c=v`: sets a dotted path of the scenario document."""
    keys = path.split(".")
    node = doc
    for i, k in enumerate(keys[:-1]):
        nxt = keys[i + 1]
        if isinstance(node, list):
            k = int(k)
            while len(node) <= k:
                node.append({})
            node = node[k]
            continue
        if k not in node or node[k] is None:
            node[k] = [] if nxt.isdigit() else {}
        node = node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


class Params:
    """Every number a run needs, in ms, from the scenario and a policy."""

    def __init__(self, doc: dict, policy: str):
        self.seed = int(doc.get("seed", 1))
        self.horizon = int(round(float(doc.get("duration_days", 7)) * DAY))
        start = doc.get("start", "2002-06-03T08:00:00")
        t0 = _dt.datetime.fromisoformat(start)
        self.start_tod = (t0.hour * HOUR + t0.minute * MINUTE + t0.second * SECOND)
        self.start_weekday = t0.weekday()  # Monday = 0, as smssim's calendar

        topo = {**DEFAULT_TOPOLOGY, **doc.get("topology", {})}
        if "sites" in topo and topo["sites"] is not None:
            raise SystemExit("explicit topology.sites lists are not supported by the peer")
        n_sites = 1 + int(topo["child_sites"]) + int(topo["grandchild_sites"])
        cpc = int(topo["clients_per_cap"])
        central = topo.get("central_clients_per_cap")
        central = cpc if central is None else int(central)
        self.caps_per_site = int(topo["caps_per_site"])
        self.site_clients_per_cap = [central] + [cpc] * (n_sites - 1)
        self.site_codes = ["CEN"] + [f"{chr(ord('A') + i // 100)}{i % 100:02d}"
                                     for i in range(1, n_sites)]

        cl = {**DEFAULT_CLIENTS, **doc.get("clients", {})}
        self.power_off_at_night = float(cl["power_off_at_night"])
        self.weekend_work = bool(cl["weekend_work"])
        self.arrive = span_ms(cl["arrive"])
        self.arrive_sigma = span_ms(cl["arrive_sigma"])
        self.leave = span_ms(cl["leave"])
        self.leave_sigma = span_ms(cl["leave_sigma"])
        self.logon_delay = span_ms(cl["logon_delay"])
        self.skew_sigma = span_ms(cl["clock_skew_sigma"])

        st = {**DEFAULT_STATUS, **doc.get("status", {})}
        self.wake_up_cycle = max(1, span_ms(st["wake_up_cycle"]))
        self.item_lifetime = max(1, span_ms(st["item_lifetime"]))
        self.copy_min = span_ms(st["copy_time_min"])
        self.copy_max = max(self.copy_min, span_ms(st["copy_time_max"]))
        self.resolution = max(1, int(st["seed_resolution_ms"]))
        self.poll_interval = max(1, span_ms(st["inbox_poll_interval"]))
        # smssim moves ceil(per_minute / 60) files per one-second step.
        self.files_per_step = max(1, -(-int(st["inbox_files_per_minute"]) // 60))
        self.logon_discovery = bool(st["logon_discovery"])
        self.heartbeat = span_ms(st["heartbeat_interval"])
        self.inventory = span_ms(st["inventory_interval"])

        ads = doc.get("workload", {}).get("advertisements", [])
        self.ads = []
        for a in ads:
            a = {**DEFAULT_AD, **a}
            self.ads.append({
                "at": span_ms(a["at"]),
                "sites": list(a["sites"]),
                "target_share": float(a["target_share"]),
                "same_minute_share": float(a["same_minute_share"]),
                "tau": float(span_ms(a["same_minute_delay_mean"])),
                "late": max(span_ms(a["notice_window"]), MINUTE) - MINUTE,
                "start_delay": span_ms(a["start_delay"]),
                "run_mu": math.log(max(1, span_ms(a["run_time_median"]))),
                "run_sigma": float(a["run_time_sigma"]),
                "success_share": float(a["success_share"]),
                "missed_run_delay": span_ms(a["missed_run_delay"]),
            })

        pol = POLICIES[policy]
        self.policy = policy
        self.unique_names = pol["names"] == "unique"
        self.max_retries = pol["max_retries"]
        self.requeue = pol["on_exhausted"] == "requeue"


# ---------------------------------------------------------------------------
# Names (crates/model/src/status/names.rs)
# ---------------------------------------------------------------------------

NAME_SPACE = 100_000_000
LCG_A = 24_691_341
LCG_C = 907_633
M64 = (1 << 64) - 1


def splitmix(x: int) -> int:
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def clock_seeded_start(tick: int) -> int:
    """The first name of the sequence a clock tick seeds: every client whose
    clock reads this tick starts here."""
    return splitmix(tick) % NAME_SPACE


def clock_seeded_next(name: int) -> int:
    """The next name: a full-period LCG over the 10^8 names."""
    return (LCG_A * name + LCG_C) % NAME_SPACE


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------

# Inboxes of a CAP (status/inbox.rs), in the order the Inbox Manager
# Assistant empties them.
STATMSGS, DDR, INVENTORY = 0, 1, 2
BOXES = 3

# Where a client stands with an advertisement (status/advert.rs).
NOT_TARGETED, WAITING, MISSED, RAN = 0, 1, 2, 3


class Item:
    """One file in a client's copy queue (status/queue.rs)."""
    __slots__ = ("client", "submitted", "box", "ad", "copy_try", "waiting", "copying")

    def __init__(self, client, submitted, box, ad):
        self.client = client
        self.submitted = submitted
        self.box = box
        self.ad = ad          # advertisement index for status messages, else -1
        self.copy_try = 0
        self.waiting = False  # ran out of names, waits for the next copy cycle
        self.copying = False


class Inbox:
    """A CAP inbox folder: the names present and the files oldest first."""
    __slots__ = ("names", "files")

    def __init__(self):
        self.names = set()
        self.files = deque()


class StatusStorm:
    def __init__(self, p: Params, replication: int, background: bool = True):
        self.p = p
        self.env = simpy.Environment()
        self.rng = random.Random(p.seed * 1_000_003 + replication)
        self.background = background

        # Hierarchy (crates/model/src/hierarchy.rs): CAPs of each site in
        # order, each with its clients numbered consecutively.
        self.cap_of = []
        self.site_caps = []
        ncap = 0
        for cpc in p.site_clients_per_cap:
            caps = list(range(ncap, ncap + p.caps_per_site))
            self.site_caps.append(caps)
            for cap in caps:
                self.cap_of.extend([cap] * cpc)
            ncap += p.caps_per_site
        self.site_of_cap = [s for s, caps in enumerate(self.site_caps) for _ in caps]
        n = self.n = len(self.cap_of)
        self.ncap = ncap

        # World (world.rs): who is on, who switches off at night, clock skew.
        self.powered = [False] * n
        self.night_off = [False] * n
        self.skew = [0] * n
        rng = self.rng
        for c in range(n):
            self.night_off[c] = rng.random() < p.power_off_at_night
            s = rng.gauss(0.0, p.skew_sigma) if p.skew_sigma > 0 else 0.0
            self.skew[c] = int(round(s))

        # Copy Queue Manager per client (cqmgr.rs, mod.rs::ClientCq).
        self.queue = [None] * n           # list of Items, created on first use
        self.busy = [False] * n           # a copy try is under way
        self.last_cycle = [None] * n      # start of the last copy cycle
        self.wake = [0] * n               # wake-up timer: odd = armed (engine Timer)
        self.due_hb = [False] * n
        self.due_inv = [False] * n
        self.lost_flag = [False] * n

        # CAP inboxes and Inbox Manager Assistant (inbox.rs, ima.rs).
        self.inbox = [[Inbox() for _ in range(BOXES)] for _ in range(ncap)]
        self.ima_busy = [False] * ncap

        # Advertisements' view of their clients (advert.rs).
        na = len(p.ads)
        self.ad_state = [[NOT_TARGETED] * n for _ in range(na)]
        self.ad_gen = [[0] * n for _ in range(na)]
        self.ad_del = [[0] * n for _ in range(na)]
        self.ad_lost = [[False] * n for _ in range(na)]

        # Counts (mod.rs::Counts).
        self.generated = [0] * BOXES
        self.delivered_n = [0] * BOXES
        self.lost_retries = [0] * BOXES
        self.lost_lifetime = [0] * BOXES
        self.requeued = [0] * BOXES
        self.attempts = 0
        self.collisions = 0
        self.cycles = 0
        self.moved = 0
        self.peak = [0] * BOXES
        self.latencies = []

    # -- time helpers ------------------------------------------------------

    def is_workday(self, d: int) -> bool:
        return self.p.weekend_work or (self.p.start_weekday + d) % 7 < 5

    def next_workday(self, d: int) -> int:
        d += 1
        while not self.is_workday(d):
            d += 1
        return d

    def day_of(self, t: int) -> int:
        return (self.p.start_tod + t) // DAY

    def plan(self, c: int, d: int):
        """Client c's day d: arrival, logon, leaving (world.rs::plan)."""
        p, rng = self.p, self.rng
        midnight = d * DAY - p.start_tod
        a = rng.gauss(p.arrive, p.arrive_sigma) if p.arrive_sigma > 0 else float(p.arrive)
        arrive = int(min(max(a, 0.0), DAY - MINUTE))
        earliest_leave = min(arrive + 30 * MINUTE, DAY - 1)
        lv = rng.gauss(p.leave, p.leave_sigma) if p.leave_sigma > 0 else float(p.leave)
        leave = min(max(int(lv), earliest_leave), DAY - 1)
        delay = int(rng.expovariate(1.0 / p.logon_delay)) if p.logon_delay > 0 else 0
        logon = min(arrive + delay, leave - 1)
        return midnight + arrive, midnight + logon, midnight + leave

    def wait_until(self, t: int):
        return self.env.timeout(max(0, t - self.env.now))

    # -- the world: power and logons (world.rs) ----------------------------

    def start_world(self):
        """Every client in its state at time 0 (world.rs::start_clients)."""
        env = self.env
        workday0 = self.is_workday(0)
        for c in range(self.n):
            p0 = self.plan(c, 0) if workday0 else None
            if self.night_off[c]:
                on_now = p0 is not None and p0[0] <= 0 < p0[2]
            else:
                on_now = True
            if on_now:
                self.powered[c] = True
            if self.night_off[c]:
                env.process(self.night_off_user(c, p0, on_now))
            else:
                env.process(self.always_on_user(c, p0))

    def night_off_user(self, c, p0, on_now):
        """A user who switches the client on when arriving, off when leaving."""
        h = self.p.horizon
        if on_now:
            _, logon, leave = p0
            if logon > 0:
                yield self.wait_until(logon)
                self.user_logon(c)
            yield self.wait_until(leave)
            self.power_off(c)
            d = self.next_workday(self.day_of(self.env.now))
        elif p0 is not None and p0[0] > 0:
            d = 0
        else:
            d = self.next_workday(0)
        while True:
            # A day's plan is drawn once (smssim draws it from the client's
            # own stream for that day, so every look at it agrees).
            arrive, logon, leave = p0 if d == 0 and p0 is not None else self.plan(c, d)
            if arrive > h:
                return
            yield self.wait_until(arrive)
            self.power_on(c)
            yield self.wait_until(logon)
            self.user_logon(c)
            yield self.wait_until(leave)
            self.power_off(c)
            d = self.next_workday(self.day_of(self.env.now))

    def always_on_user(self, c, p0):
        """A user who leaves the client on: a logon every workday."""
        h = self.p.horizon
        if p0 is not None and p0[1] > 0:
            d, logon = 0, p0[1]
        else:
            d = self.next_workday(0)
            logon = self.plan(c, d)[1]
        while logon <= h:
            yield self.wait_until(logon)
            self.user_logon(c)
            d = self.next_workday(d)
            logon = self.plan(c, d)[1]

    def power_on(self, c):
        self.powered[c] = True
        # Q292030: a new Copy Queue Manager cycle runs when the client starts.
        self.cycle(c)
        self.run_missed(c)

    def power_off(self, c):
        # The wake-up timer dies with the process; the queue is on disk.
        self.wake_cancel(c)
        self.powered[c] = False

    def user_logon(self, c):
        if self.p.logon_discovery and self.background:
            self.submit(c, DDR, -1)

    # -- Copy Queue Manager (cqmgr.rs) --------------------------------------

    def submit(self, c, box, ad):
        q = self.queue[c]
        if q is None:
            q = self.queue[c] = []
        q.append(Item(c, self.env.now, box, ad))
        self.generated[box] += 1
        if ad >= 0:
            g = self.ad_gen[ad]
            if g[c] < 3:
                g[c] += 1
        if not self.busy[c]:
            self.start_next(c)

    def next_ready(self, c):
        if not self.powered[c]:
            return None
        q = self.queue[c]
        if q:
            for it in q:
                if not it.waiting and not it.copying:
                    return it
        return None

    def start_next(self, c):
        """Starts the client's copier if it has a ready item (busy while it runs)."""
        if self.next_ready(c) is None:
            self.busy[c] = False
            return
        self.busy[c] = True
        self.env.process(self.copier(c))

    def copier(self, c):
        """Copies the client's ready items one at a time: for each, one copy
        try of up to 1 + max_retries names, each name one copy attempt of
        copy_min..copy_max ms that ends with a create-new in the CAP inbox."""
        p, env, rng = self.p, self.env, self.rng
        cap = self.cap_of[c]
        span = p.copy_max - p.copy_min + 1
        while True:
            it = self.next_ready(c)
            if it is None:
                self.busy[c] = False
                return
            it.copy_try += 1
            it.copying = True
            if p.unique_names:
                name = int(rng.random() * NAME_SPACE)
            else:
                local = max(0, env.now + self.skew[c])
                name = clock_seeded_start(local // p.resolution)
            tries = 1
            inbox = self.inbox[cap][it.box]
            while True:
                yield env.timeout(p.copy_min + int(rng.random() * span))
                self.attempts += 1
                if name not in inbox.names:
                    inbox.names.add(name)
                    inbox.files.append(name)
                    if len(inbox.files) > self.peak[it.box]:
                        self.peak[it.box] = len(inbox.files)
                    self.delivered(it)
                    break
                self.collisions += 1
                if tries <= p.max_retries:
                    tries += 1
                    name = (int(rng.random() * NAME_SPACE) if p.unique_names
                            else clock_seeded_next(name))
                    continue
                self.exhausted(it)
                break

    def delivered(self, it):
        c = it.client
        self.delivered_n[it.box] += 1
        if it.ad >= 0:
            self.latencies.append(self.env.now - it.submitted)
            d = self.ad_del[it.ad]
            if d[c] < 3:
                d[c] += 1
        self.queue[c].remove(it)

    def exhausted(self, it):
        """Every name of the copy try collided."""
        c = it.client
        if self.p.requeue:
            self.requeued[it.box] += 1
            it.waiting = True
            it.copying = False
            self.arm_wake_up(c)
        else:
            self.lost_retries[it.box] += 1
            self.lost(it)
            self.queue[c].remove(it)

    def lost(self, it):
        if it.ad >= 0:
            self.ad_lost[it.ad][it.client] = True
            self.lost_flag[it.client] = True

    def get_last_cycle(self, c):
        lc = self.last_cycle[c]
        if lc is None:
            # A client that was on before the run started its cycle earlier.
            lc = self.last_cycle[c] = -int(self.rng.random() * self.p.wake_up_cycle)
        return lc

    def arm_wake_up(self, c):
        """The next wake-up on the client's cycle grid; only clients with a
        waiting item arm it."""
        if self.wake[c] & 1:
            return
        last = self.get_last_cycle(c)
        w = self.p.wake_up_cycle
        k = (self.env.now - last) // w + 1
        t = last + k * w
        g = self.wake[c] = (self.wake[c] + 1) | 1
        if t > self.p.horizon:
            self.wake_cancel(c)
            return
        self.env.process(self.wake_up(c, g, t))

    def wake_cancel(self, c):
        self.wake[c] += self.wake[c] & 1

    def wake_up(self, c, g, t):
        yield self.wait_until(t)
        if self.wake[c] & 1 and self.wake[c] == g:
            self.wake[c] += 1
            if self.powered[c]:
                self.cycle(c)

    def cycle(self, c):
        """A copy cycle: items past their lifetime are deleted, the others
        are tried again."""
        self.cycles += 1
        now = self.env.now
        self.last_cycle[c] = now
        q = self.queue[c]
        if not q:
            return
        for it in list(q):
            if it.copying:
                continue
            if now - it.submitted >= self.p.item_lifetime:
                self.lost_lifetime[it.box] += 1
                self.lost(it)
                q.remove(it)
            else:
                it.waiting = False
        if not self.busy[c]:
            self.start_next(c)

    # -- Inbox Manager Assistant (ima.rs) -----------------------------------

    def start_ima(self):
        p = self.p
        for caps in self.site_caps:
            n = len(caps)
            for i, cap in enumerate(caps):
                first = p.poll_interval * (i + 1) // max(1, n)
                self.env.process(self.ima_poller(cap, first))

    def ima_poller(self, cap, first):
        p, env = self.p, self.env
        yield env.timeout(first)
        while True:
            if not self.ima_busy[cap] and any(b.files for b in self.inbox[cap]):
                self.ima_busy[cap] = True
                env.process(self.ima_mover(cap))
            if env.now + p.poll_interval > p.horizon:
                return
            yield env.timeout(p.poll_interval)

    def ima_mover(self, cap):
        """Moves files oldest first, statmsgs.box first, a step's quota per
        second, while any are left."""
        p, env = self.p, self.env
        boxes = self.inbox[cap]
        while True:
            quota = p.files_per_step
            for b in boxes:
                files, names = b.files, b.names
                while quota > 0 and files:
                    names.discard(files.popleft())
                    quota -= 1
                    self.moved += 1
            left = any(b.files for b in boxes)
            if not left or env.now + SECOND > p.horizon:
                self.ima_busy[cap] = False
                return
            yield env.timeout(SECOND)

    # -- Workload (workload.rs) ---------------------------------------------

    def start_advertisements(self):
        p, rng = self.p, self.rng
        for a, ad in enumerate(p.ads):
            if ad["sites"]:
                sites = [self.p.site_codes.index(s) for s in ad["sites"]
                         if s in self.p.site_codes]
            else:
                sites = range(len(self.site_caps))
            tau = ad["tau"]
            tail = math.exp(-MINUTE / tau) if tau > 0 else 0.0
            at, late = ad["at"], ad["late"]
            wanted = set(sites)
            state = self.ad_state[a]
            for c in range(self.n):
                if self.site_of_cap[self.cap_of[c]] not in wanted:
                    continue
                targeted = rng.random() < ad["target_share"]
                in_minute = rng.random() < ad["same_minute_share"]
                u = rng.random()
                if not targeted:
                    continue
                if in_minute:
                    # Exponential with mean tau truncated to the minute.
                    if tau <= 0:
                        delay = 0
                    else:
                        delay = min(int(-tau * math.log(1.0 - u * (1.0 - tail))), MINUTE - 1)
                else:
                    delay = MINUTE + int(u * late)
                # Due at a local time: the real time is shifted by the skew.
                real = max(0, at + delay - self.skew[c])
                state[c] = WAITING
                if real <= p.horizon:
                    self.env.process(self.run_advertisement(a, c, real))

    def run_advertisement(self, a, c, t):
        """The Advertised Programs Monitor notices the assignment at t: if
        the client is on it submits 10002, starts the program (10005) and
        reports its end (10008 or 10006)."""
        env, ad = self.env, self.p.ads[a]
        yield self.wait_until(t)
        state = self.ad_state[a]
        if state[c] != WAITING:
            return
        if not self.powered[c]:
            state[c] = MISSED
            return
        state[c] = RAN
        self.submit(c, STATMSGS, a)          # 10002
        yield env.timeout(ad["start_delay"])
        self.submit(c, STATMSGS, a)          # 10005
        run = self.rng.lognormvariate(ad["run_mu"], ad["run_sigma"])
        yield env.timeout(int(max(run, 1.0)))
        # 10008 with probability success_share, else 10006: both go to
        # statmsgs.box under the same names, so the outcome is not drawn.
        self.submit(c, STATMSGS, a)

    def run_missed(self, c):
        for a, ad in enumerate(self.p.ads):
            if self.ad_state[a][c] == MISSED:
                self.ad_state[a][c] = WAITING
                t = self.env.now + ad["missed_run_delay"]
                if t <= self.p.horizon:
                    self.env.process(self.run_advertisement(a, c, t))
        if self.due_hb[c]:
            self.due_hb[c] = False
            self.submit(c, DDR, -1)
        if self.due_inv[c]:
            self.due_inv[c] = False
            self.submit(c, INVENTORY, -1)

    def start_background(self):
        p, rng = self.p, self.rng
        if not self.background or (p.heartbeat == 0 and p.inventory == 0):
            return
        for c in range(self.n):
            u, v = rng.random(), rng.random()
            if p.heartbeat > 0 and int(u * p.heartbeat) <= p.horizon:
                self.env.process(self.periodic(c, int(u * p.heartbeat), p.heartbeat, DDR))
            if p.inventory > 0 and int(v * p.inventory) <= p.horizon:
                self.env.process(self.periodic(c, int(v * p.inventory), p.inventory, INVENTORY))

    def periodic(self, c, first, every, box):
        """Heartbeat discovery or hardware inventory: a file now, or at the
        client's next start if it is off."""
        yield self.env.timeout(first)
        while True:
            if self.powered[c]:
                self.submit(c, box, -1)
            elif box == DDR:
                self.due_hb[c] = True
            else:
                self.due_inv[c] = True
            if self.env.now + every > self.p.horizon:
                return
            yield self.env.timeout(every)

    # -- a run ---------------------------------------------------------------

    def run(self) -> dict:
        # Same start order as smssim: the world, then the subsystem's timers.
        self.start_world()
        self.start_ima()
        self.start_advertisements()
        self.start_background()
        self.env.run(until=self.p.horizon + 1)
        return self.report()

    def report(self) -> dict:
        pending = [0] * BOXES
        for q in self.queue:
            if q:
                for it in q:
                    pending[it.box] += 1
        s = STATMSGS
        lost = [self.lost_retries[b] + self.lost_lifetime[b] for b in range(BOXES)]
        for b in range(BOXES):
            assert self.generated[b] == self.delivered_n[b] + lost[b] + pending[b], b
        in_inboxes = sum(len(b.files) for cap in self.inbox for b in cap)
        assert sum(self.delivered_n) == self.moved + in_inboxes
        targeted = ran = missing = lost_clients = 0
        for a in range(len(self.p.ads)):
            st, g, d, lf = self.ad_state[a], self.ad_gen[a], self.ad_del[a], self.ad_lost[a]
            for c in range(self.n):
                if st[c] == NOT_TARGETED:
                    continue
                targeted += 1
                if g[c] > 0:
                    ran += 1
                if g[c] > d[c]:
                    missing += 1
                if lf[c]:
                    lost_clients += 1
        pct = lambda part, whole: 100.0 * part / whole if whole else 0.0
        lat = sorted(self.latencies)

        def q_s(q):
            # smssim's histogram: whole seconds (upper edge) up to an hour.
            if not lat:
                return 0.0
            k = min(max(math.ceil(q * len(lat)), 1), len(lat)) - 1
            sec = lat[k] // 1000
            return float(sec + 1) if sec < 3600 else float(3600 + ((sec - 3600) // 60 + 1) * 60)

        return {
            "status.generated": self.generated[s],
            "status.delivered": self.delivered_n[s],
            "status.lost": lost[s],
            "status.lost_retries": self.lost_retries[s],
            "status.lost_lifetime": self.lost_lifetime[s],
            "status.pending": pending[s],
            "status.requeued": self.requeued[s],
            "status.lost_pct": pct(lost[s], self.generated[s]),
            "status.delivery_p99_s": q_s(0.99),
            "ad.clients_targeted": targeted,
            "ad.clients_ran": ran,
            "ad.clients_missing_status": missing,
            "ad.clients_lost_status": lost_clients,
            "ad.clients_missing_status_pct": pct(missing, targeted),
            "ddr.generated": self.generated[DDR],
            "inventory.generated": self.generated[INVENTORY],
            "cqmgr.copy_attempts": self.attempts,
            "cqmgr.collisions": self.collisions,
            "cqmgr.copy_cycles": self.cycles,
            "cap.statmsgs_peak": self.peak[s],
            "ima.files_moved": self.moved,
        }


# ---------------------------------------------------------------------------
# Replications and summaries (as crates/results/src/stats.rs)
# ---------------------------------------------------------------------------

T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
       2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
       2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def summarize(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    t = T95[n - 2] if n - 2 < len(T95) else 1.960
    return mean, t * math.sqrt(var / n)


UNITS = {"status.lost_pct": "pct", "ad.clients_missing_status_pct": "pct",
         "status.delivery_p99_s": "s"}
SHOWN = ["status.lost", "status.lost_pct", "ad.clients_missing_status_pct",
         "status.generated", "ad.clients_ran", "status.requeued", "status.pending",
         "cqmgr.collisions", "ddr.generated", "inventory.generated"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/status-storm.json")
    ap.add_argument("--clients-per-cap", default=None,
                    help="topology.clients_per_cap; a comma list runs each (default: the scenario's)")
    ap.add_argument("--policy", action="append", choices=sorted(POLICIES),
                    help="legacy or hotfix; repeat for both (default: legacy)")
    ap.add_argument("--replications", type=int, default=1)
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a scenario field by dotted path, e.g. status.seed_resolution_ms=60000")
    ap.add_argument("--no-background", action="store_true",
                    help="leave out logon/heartbeat DDRs and inventory (an ablation)")
    ap.add_argument("--csv", help="write mean/ci95 rows in smssim's sweep.csv columns")
    ap.add_argument("--runs-csv", help="write every replication's metrics")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    with open(a.scenario) as f:
        base = json.load(f)
    for kv in a.set:
        k, v = kv.split("=", 1)
        set_path(base, k, parse_value(v))
    if a.seed is not None:
        base["seed"] = a.seed
    points = ([int(x) for x in a.clients_per_cap.split(",")] if a.clients_per_cap
              else [None])
    policies = a.policy or ["legacy"]

    rows, runs = [], []
    for cpc in points:
        doc = copy.deepcopy(base)
        if cpc is not None:
            doc.setdefault("topology", {})["clients_per_cap"] = cpc
        shown_cpc = doc.get("topology", {}).get("clients_per_cap", DEFAULT_TOPOLOGY["clients_per_cap"])
        for pol in policies:
            p = Params(doc, pol)
            per = []
            for r in range(a.replications):
                t0 = time.perf_counter()
                m = StatusStorm(p, r, background=not a.no_background).run()
                dt = time.perf_counter() - t0
                per.append(m)
                runs.append((shown_cpc, pol, r, dt, m))
                if not a.quiet:
                    print(f"# clients_per_cap={shown_cpc} {pol} rep {r}: "
                          f"lost {m['status.lost']} ({m['status.lost_pct']:.3f} %), "
                          f"missing {m['ad.clients_missing_status_pct']:.3f} % of clients, "
                          f"{dt:.1f} s", file=sys.stderr, flush=True)
            for k in per[0]:
                mean, ci = summarize([float(m[k]) for m in per])
                rows.append((shown_cpc, pol, k, UNITS.get(k, "count"), mean, ci, len(per)))

    print(f"{'clients_per_cap':>15} {'policy':<7} {'metric':<31} {'mean':>12} {'± ci95':>12}  n")
    for cpc, pol, k, unit, mean, ci, n in rows:
        if k in SHOWN:
            cis = "" if ci is None else f"{ci:.4g}"
            print(f"{cpc:>15} {pol:<7} {k:<31} {mean:>12.6g} {cis:>12}  {n}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["topology.clients_per_cap", "policy", "metric", "unit", "mean", "ci95", "n"])
            for cpc, pol, k, unit, mean, ci, n in rows:
                w.writerow([cpc, pol, k, unit, repr(mean), "" if ci is None else repr(ci), n])
    if a.runs_csv:
        with open(a.runs_csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["topology.clients_per_cap", "policy", "replication", "wall_s", "metric", "value"])
            for cpc, pol, r, dt, m in runs:
                for k, v in m.items():
                    w.writerow([cpc, pol, r, f"{dt:.3f}", k, v])


if __name__ == "__main__":
    main()
