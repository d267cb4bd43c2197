"""The planner's compiled kernel (`sim.model.plan_kernel`) against plain references: the window of
usable jobs, the claims, the stretch (`sim.model.routes.plan_stretches`) and the rules for a day."""

from __future__ import annotations

import numpy as np

from sim.model import plan_kernel, routes
from sim.model.plan_kernel import DONE, DRAWS, FULL, PHONE, plan_rows
from sim.model.routes import MIN_STRETCH, Routes, plan_stretches

WIDTH = 4


class Day:
    """One task (a source of entries that are elders, with claims) and ``h`` helpers, one route each."""

    def __init__(self, rng, h=6, villages=10, elders=60, hours=600.0, phone=False):
        self.rng = rng
        self.mat = (rng.uniform(5, 40, (villages, villages)),) * 3     # one travel mode (`travel_modes`)
        self.village = rng.integers(0, villages, elders)
        self.death = np.where(rng.random(elders) < 0.2, rng.uniform(0, 1, elders), np.inf)
        self.home_of = np.full(elders, -1, np.int64)
        self.done = rng.random(elders) < 0.15
        self.claim = np.zeros(elders, bool)
        self.phone = (rng.random(elders) < 0.3) if phone else np.zeros(elders, bool)
        own = rng.permutation(elders)                       # disjoint routes, as the sources make them
        cuts = np.sort(rng.integers(0, elders, h - 1))
        self.routes = Routes(h)
        self.routes.assign({u: part for u, part in enumerate(np.split(own, cuts))}, period=3)
        self.base = rng.integers(0, villages, h)
        self.now = np.full(h, 0.3)
        self.shift_end = np.full(h, 0.7)
        self.working = np.ones(h, bool)
        self.used = np.zeros((h, 1))
        self.hours = np.full((h, 1), hours)
        self.idle = np.zeros((h, 1), bool)
        self.dur = rng.uniform(15, 45, 10_000)
        self.ph = rng.uniform(3, 8, 10_000)
        self.dur_pos, self.ph_pos = np.zeros(1, np.int64), np.zeros(1, np.int64)
        self.lunch_due = np.zeros(h, bool)

    def run(self, rows, until=1.0, capacity=64):
        h = len(self.base)
        out = [np.zeros(capacity, np.int64), np.zeros(capacity, np.int64), np.zeros(capacity),
               np.zeros(capacity, np.int64), np.zeros(capacity), np.zeros(capacity),
               np.zeros(capacity, np.int64)] + [np.zeros((capacity, WIDTH), np.int64) for _ in range(4)] \
            + [np.zeros((capacity, WIDTH)) for _ in range(4)] + [np.zeros(1, np.int64)]
        r, zi, zb, zf = self.routes, np.zeros(1, np.int64), np.zeros(1, bool), np.zeros(1)
        three = lambda a, z: (a, z, z)  # noqa: E731 - one task, two empty slots
        empty = Routes(0)
        status, i = plan_rows(
            np.asarray(rows, np.int64), np.arange(h, dtype=np.int64), until, self.now, self.shift_end,
            self.working, self.used, self.hours, np.ones((h, 1), bool), self.idle, np.zeros(h, bool),
            np.zeros(h, bool), np.zeros(h), np.full(h, np.nan), np.ones(h, bool), self.lunch_due,
            np.zeros(1, bool), self.base, np.zeros(h, np.int64), self.mat,
            (r.entries, empty.entries, empty.entries), (r.start, empty.start, empty.start),
            (r.length, empty.length, empty.length), (r.pos, empty.pos, empty.pos),
            (r.period, empty.period, empty.period), three(zi, zi), three(self.done, zb),
            three(self.claim, zb), three(zf, zf), (r.floor, empty.floor, empty.floor),
            np.zeros(3, bool), np.array([True, False, False]), np.zeros(3, bool),
            np.array([True, False, False]), np.zeros(3, bool), self.death, self.home_of, self.village,
            self.phone, self.dur, self.dur_pos, self.ph, self.ph_pos, *out, WIDTH, MIN_STRETCH)
        names = ("row", "task", "t0", "n", "back", "used", "period", "pos", "ent", "elder", "village",
                 "start", "end", "travel", "work")
        k = int(out[-1][0])
        return status, i, {name: a[:k] for name, a in zip(names, out)}


def _window_reference(route, pos, k, usable):
    """One route: walk windows of k from pos until one has a usable entry."""
    while pos < len(route):
        ok = [p for p in range(pos, min(pos + k, len(route))) if usable(route[p])]
        if ok:
            return pos, ok
        pos = min(pos + k, len(route))
    return pos, []


def test_a_first_stretch_is_the_window_of_usable_jobs_planned_as_plan_stretches_plans_it():
    for seed in range(20):
        rng = np.random.default_rng(seed)
        day = Day(rng, phone=seed % 2 == 1)
        h = len(day.base)
        before = {u: (day.routes.route(u).copy(), int(day.routes.pos[u])) for u in range(h)}
        usable = (day.death > 0.3) & ~day.done
        windows = {u: _window_reference(route, pos, WIDTH, usable.__getitem__)
                   for u, (route, pos) in before.items()}
        day.working[:] = True
        _, _, out = day.run(np.arange(h), until=0.3 + 1e-9)      # one stretch each: the block ends now
        drawn = 0
        for u in range(h):
            route, _ = before[u]
            start, ok = windows[u]
            mine = np.flatnonzero(out["row"] == u)
            if not ok:
                assert not len(mine) and (day.idle[u, 0] or not day.working[u])
                continue
            elders = route[ok]
            work = day.dur[drawn: drawn + len(ok)].copy()
            drawn += len(ok)
            villages = day.village[elders].copy()
            if day.phone[elders].any():
                p = np.flatnonzero(day.phone[elders])
                villages[p] = PHONE
                before_u = int(np.count_nonzero(out["village"][out["row"] < u] == PHONE))
                work[p] = day.ph[before_u: before_u + len(p)]
            want = plan_stretches([day.mat[0]], np.zeros(1, np.int64), day.base[u:u + 1], villages[None],
                                  work[None], np.array([len(ok)]), np.array([0.3]), np.array([0.7]),
                                  np.array([600.0]))
            n = int(want[0][0])
            if n == 0:
                assert not len(mine)
                assert not day.claim[elders].any()              # the window's claims are released
                continue
            (o,) = mine
            assert out["n"][o] == n
            assert out["elder"][o, :n].tolist() == elders[:n].tolist()
            assert out["pos"][o, :n].tolist() == ok[:n]
            assert np.array_equal(out["start"][o, :n], want[1][0, :n])
            assert np.array_equal(out["end"][o, :n], want[2][0, :n])
            assert np.array_equal(out["travel"][o, :n], want[3][0, :n])
            assert out["back"][o] == want[4][0]
            assert day.routes.pos[u] == ok[n - 1] + 1           # the route moves past what is planned
            assert day.claim[elders[:n]].all() and not day.claim[elders[n:]].any()
            assert day.used[u, 0] == (want[4][0] - 0.3) * 1440.0


def test_a_day_is_planned_within_shift_and_hours_without_a_job_twice():
    for seed in range(10):
        rng = np.random.default_rng(100 + seed)
        day = Day(rng, hours=float(rng.uniform(60, 400)))
        h = len(day.base)
        status, i, out = day.run(np.arange(h), capacity=256)
        assert status == DONE and i == h
        for u in range(h):
            mine = np.flatnonzero(out["row"] == u)
            assert (np.diff(out["t0"][mine]) > 0).all()
            ends = out["back"][mine]
            assert (ends <= day.shift_end[u] + 1e-9).all()
            assert (out["t0"][mine][1:] >= ends[:-1]).all()       # one stretch after another, from base
            assert day.used[u, 0] <= day.hours[u, 0] + 1e-6
            if not day.working[u]:
                assert day.idle[u, 0] or day.hours[u, 0] - day.used[u, 0] < 30 \
                    or day.routes.pos[u] == day.routes.length[u]
        jobs = out["elder"][out["elder"] >= 0]
        assert len(jobs) == len(np.unique(jobs))                  # no elder visited twice
        assert (day.death[jobs] > 0.3).all() and not day.done[jobs].any()


def test_a_pass_stopped_for_room_or_draws_resumes_where_it_stopped():
    rng = np.random.default_rng(9)
    whole = Day(rng)
    status, _, all_out = whole.run(np.arange(6), capacity=256)
    assert status == DONE
    for cut in ("room", "draws"):
        part = Day(np.random.default_rng(9))
        stream, offset = part.dur, 0                             # the whole stream of durations
        if cut == "draws":
            part.dur = stream[:9]                                # runs out after two windows
        rows, got = np.arange(6), []
        while len(rows):
            status, i, out = part.run(rows, capacity=2 if cut == "room" else 256)
            got.append(out)
            if status == DONE:
                break
            assert status == (FULL if cut == "room" else DRAWS)
            rows = rows[i:]
            if cut == "draws":                                    # the stream goes on where it was
                offset += int(part.dur_pos[0])
                part.dur, part.dur_pos[0] = stream[offset: offset + 9], 0
        assert len(got) > 1
        merged = {k: np.concatenate([o[k] for o in got]) for k in all_out}
        for k in ("row", "n", "elder", "start", "end", "back"):
            assert np.array_equal(merged[k], all_out[k]), (cut, k)


def test_the_kernels_constants_are_the_routes_ones():
    assert (plan_kernel.PHONE, plan_kernel.MIN_PER_DAY) == (routes.PHONE, routes.MIN_PER_DAY)


def test_the_command_line_loads_numba_only_to_simulate():
    """``python -m sim`` (its help, a bad option, a report) does not pay for numba (~0.5 s a process);
    the kernels load when a replication runs."""
    import subprocess
    import sys

    code = ("import sys, sim.__main__, sim.report.__main__, sim.compare\n"
            "print('numba' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "False"
