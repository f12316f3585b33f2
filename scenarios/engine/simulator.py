"""A deterministic discrete-event simulation of cases flowing through a workflow design.

Modelled: arrivals over the scenario's window; human roles as limited servers with FIFO queues
(headcount, hours a day); agents and systems as unlimited servers with latency; agent errors,
confidence and abstention per task type; errors introduced by people; pre-existing defects and
hidden adversarial cases; detection by reviews, approvals and checks (sampled or rule-based);
rejection to rework; escalation on queue timeout or agent abstention; actions where undetected
problems escape. Every case keeps its path so a checkpoint can show the case that broke it.

Every case gets one outcome (results.py): completed (the pack's work action was done; correctly
or with an escaped error), rejected (it ended without the work: a check rejected it, or its
route ended before the work), or unfinished at the horizon (the arrival window plus
``simulation.drain_days``: still queued, looping past MAX_VISITS, or parked by an agent that
abstained with nowhere to escalate). Random numbers come from streams keyed by (seed, case,
purpose, subject) (draws.py): a step that does nothing draws nothing.

The event loop is a heap of (time, sequence, ...) tuples: the sequence number breaks ties, so the
same seed gives the same run, byte for byte. It is bounded: by the horizon, each case may be
worked at MAX_VISITS steps, and the run has at most MAX_EVENTS_PER_CASE events per case
(defaults.py).
"""

import gc
import heapq
import itertools
from collections import deque
from contextlib import contextmanager

from . import defaults
from .cases import case_stream
from .compiled import _compile, _Step, compile_conditions, holds
from .draws import Draws
from .pack import Pack, substitute
from .results import CaseRecord, SimulationResult, _result

__all__ = [
    "CaseRecord",
    "SimulationResult",
    "compile_conditions",
    "gc_paused",
    "holds",
    "run",
    "simulate",
]

MAX_VISITS = defaults.MAX_VISITS
MAX_SKIPS = defaults.MAX_SKIPS
MAX_EVENTS_PER_CASE = defaults.MAX_EVENTS_PER_CASE


def simulate(
    pack, variant: dict, design: dict, *, seed: int, count: int | None = None
) -> SimulationResult:
    """Run ``design`` for one variant of ``pack`` (a :class:`Pack`, or pack data with
    ``${name}`` placeholders). Deterministic for ``seed``; ``count`` overrides the pack's case
    volume (benchmarks, tests). The design must have passed :func:`validate_design`."""
    resolved = pack.resolve(variant) if isinstance(pack, Pack) else substitute(pack, variant)
    return run(resolved, design, seed=seed, count=count)


def run(pack: dict, design: dict, *, seed: int, count: int | None = None) -> SimulationResult:
    """Run ``design`` over a resolved pack's case stream (numbers already drawn)."""
    with gc_paused():
        return _run(pack, design, seed, count)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector. A run allocates many small objects that all live
    until it ends (and make no cycles), so the collector would only walk them again and again,
    which made time grow faster than the number of cases; memory is bounded by the caps."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Draw:
    """One step's random streams (None where the step draws nothing of that purpose)."""

    __slots__ = ("abstain", "confidence", "detect", "error", "sample")

    def __init__(self, step: _Step, draws: Draws):
        def stream(p, purpose, subject):
            return draws.stream(purpose, subject) if 0.0 < p < 1.0 else None

        work = step.task_type or ""
        self.abstain = stream(step.abstain_p, "abstain", work)
        # Errors and confidence are keyed by the work, not by who does it: the same case is hard
        # for whoever does it (common random numbers across designs).
        self.error = stream(step.error_p, "error", work)
        self.confidence = draws.stream("confidence", work) if step.perf_type == "agent" else None
        cov = step.coverage
        rate = cov[1] if cov is not None and cov[0] == "sample" else 0.0
        self.sample = stream(rate, "sample", f"{step.kind}:{work}")
        self.detect = {
            err: stream(p, "detect", f"{err}:{step.kind}:{work}") for err, p in step.detect.items()
        }


def settings(pack: dict) -> tuple:
    """(work actions, horizon in minutes, wrongful rejection cost) of a resolved pack."""
    sim = pack.get("simulation", {})
    work = frozenset(sim.get("work_actions", pack.get("actions", [])))
    days = float(pack["cases"].get("days", defaults.CASE_WINDOW_DAYS))
    horizon = (days + float(sim.get("drain_days", defaults.DRAIN_DAYS))) * 1440.0
    return (
        work,
        horizon,
        float(sim.get("wrongful_rejection_cost", defaults.WRONGFUL_REJECTION_COST)),
    )


def _chance(p: float, stream, ci: int) -> bool:
    """True with probability ``p`` (drawing only when the answer is not certain)."""
    return p >= 1.0 or (stream is not None and stream.draw(ci) < p)


def _run(pack: dict, design: dict, seed: int, count: int | None) -> SimulationResult:
    """The event loop.

    Only people are shared resources (queues, limited headcount); agent and system steps never
    wait for each other. So a case runs through agent and system steps inline, advancing its
    own clock, and the heap only holds arrivals at people's steps, their completions and
    escalation timeouts. Arrivals at the start step are already in time order, so they are
    merged with the heap instead of pushed onto it; an arrival goes first on a tie, as if it
    had been queued before every later event. Nothing happens after the horizon.
    """
    steps = _compile(design, pack)
    work_actions, horizon, _ = settings(pack)
    is_work = [
        s.kind == "action" and raw.get("action") in work_actions
        for s, raw in zip(steps, design["steps"], strict=True)
    ]
    start = {s["id"]: i for i, s in enumerate(design["steps"])}[design["start"]]
    stream = case_stream(pack["cases"], seed=seed, count=count)
    n = len(stream)
    arrivals = stream.arrivals
    adversarial_of = stream.adversarial
    attrs_of = [dict(a) for a in stream.attrs]
    errors_of = [dict.fromkeys(e, False) if e else {} for e in stream.errors]
    draws = Draws(seed, n)
    streams = [_Draw(step, draws) for step in steps]
    roles = {r["id"]: r for r in pack["roles"]}
    free = {rid: int(r.get("headcount", defaults.ROLE_HEADCOUNT)) for rid, r in roles.items()}
    busy = dict.fromkeys(roles, 0.0)
    queues = {rid: deque() for rid in roles}
    paths = [[] for _ in range(n)]
    visits = [0] * n
    skips = [0] * n
    cost = [0.0] * n
    done = [None] * n  # (end time, outcome, reason)
    escaped = [()] * n  # replaced by a list when something escapes
    human = [False] * n
    escalated = [False] * n
    worked = [False] * n  # the pack's work action was done
    detected = [False] * n  # a check found the case's attack
    wait_token = [0] * n
    seq = itertools.count(n)
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    max_events = max(1000, n * MAX_EVENTS_PER_CASE)
    events = 0

    def found(ci: int, err: str) -> None:
        errors_of[ci][err] = True
        attrs_of[ci]["flagged"] = True
        if err == adversarial_of[ci]:
            detected[ci] = True

    def effects(ci: int, step: _Step, t: float) -> int:
        """Apply a finished step to its case; the next step's index, or -1 if the case ended."""
        cost[ci] += step.cost
        errors = errors_of[ci]
        kind = step.kind
        draw = streams[step.idx]
        if kind == "task":
            p = step.abstain_p
            if p and (p >= 1.0 or draw.abstain.draw(ci) < p):
                if step.esc_idx >= 0:
                    escalated[ci] = True
                    return step.esc_idx
                done[ci] = (t, "unfinished", "dropped")
                return -1
            if errors:
                attrs = attrs_of[ci]
                # Redoing a piece of work replaces its earlier result (and any mistake in it);
                # other detected problems this task type knows how to fix are fixed.
                detect = step.detect
                for err in list(errors):
                    if err in step.replaces or (errors[err] and err in step.resolves):
                        del errors[err]
                    elif (
                        not errors[err]
                        and err in detect
                        and _chance(detect[err], draw.detect[err], ci)
                    ):
                        found(ci, err)
                if attrs["flagged"] and len(step.resolves) > 1 and not any(errors.values()):
                    attrs["flagged"] = False
            p = step.error_p
            if p and (p >= 1.0 or draw.error.draw(ci) < p):
                errors.setdefault(step.task_type, False)
                if draw.confidence is not None:
                    lo, hi = step.conf_bad
                    attrs_of[ci]["confidence"] = round(lo + (hi - lo) * draw.confidence.draw(ci), 3)
            elif draw.confidence is not None:
                lo, hi = step.conf_ok
                attrs_of[ci]["confidence"] = round(lo + (hi - lo) * draw.confidence.draw(ci), 3)
        elif kind == "review" or kind == "approval":
            if errors:
                rejected = False
                detect = step.detect
                for err in list(errors):
                    if err in detect and (
                        errors[err] or _chance(detect[err], draw.detect[err], ci)
                    ):
                        found(ci, err)
                        rejected = True
                if rejected:
                    if step.reject_idx >= 0:
                        return step.reject_idx
                    done[ci] = (t, "rejected", "rejected_by_check")
                    return -1
        elif kind == "action":
            if is_work[step.idx]:
                worked[ci] = True
            if errors:
                escaped[ci] = [*escaped[ci], *sorted(errors)]
                errors.clear()
        return next_of(ci, step, t)

    def next_of(ci: int, step: _Step, t: float) -> int:
        if step.routes:
            attrs = attrs_of[ci]
            for conds, to in step.routes:
                if holds(conds, attrs):
                    return to
        if step.next_idx < 0:
            done[ci] = (t, "completed", "") if worked[ci] else (t, "rejected", "ended_without_work")
        return step.next_idx

    def advance(ci: int, si: int, t: float, now: float) -> None:
        """Move a case into step ``si`` at time ``t``, through agent and system steps inline,
        until it waits for a person, ends, or reaches the horizon."""
        while si >= 0:
            if t > horizon:
                return
            step = steps[si]
            is_role = step.perf_type == "role"
            if is_role and t > now:  # a person's queue is shared: join it in time order
                push(heap, (t, next(seq), 0, ci, si, 0))
                return
            cov = step.coverage
            if cov is not None:
                mode, rate, conds = cov
                if not (
                    mode == "all"
                    or (mode == "sample" and _chance(rate, streams[si].sample, ci))
                    or (mode == "rule" and holds(conds, attrs_of[ci]))
                ):
                    skips[ci] += 1
                    if skips[ci] > MAX_SKIPS:
                        done[ci] = (t, "unfinished", "looping")
                        return
                    if mode != "sample" or rate > 0.0:  # a step that never checks is invisible
                        paths[ci].append(-si - 1)
                    si = next_of(ci, step, t)
                    continue
            visits[ci] += 1
            if visits[ci] > MAX_VISITS:
                done[ci] = (t, "unfinished", "looping")
                return
            paths[ci].append(si)
            if is_role:
                rid = step.perf_ref
                if free[rid] > 0:
                    free[rid] -= 1
                    busy[rid] += step.duration
                    push(heap, (t + step.duration, next(seq), 1, ci, si, 0))
                else:
                    wait_token[ci] += 1
                    queues[rid].append((ci, si, wait_token[ci]))
                    if step.esc_idx >= 0:
                        push(heap, (t + step.esc_timeout, next(seq), 2, ci, si, wait_token[ci]))
                return
            t += step.duration
            si = effects(ci, step, t)

    ai = 0
    t = 0.0
    while True:
        if ai < n and (not heap or arrivals[ai] <= heap[0][0]):
            events += 1
            if events > max_events:
                break
            t = arrivals[ai]
            advance(ai, start, t, t)
            ai += 1
            continue
        if not heap or heap[0][0] > horizon:
            break
        events += 1
        if events > max_events:
            break
        t, _, ev, ci, si, token = pop(heap)
        if ev == 0:  # arrives at a person's step
            advance(ci, si, t, t)
        elif ev == 2:  # escalation timeout while waiting in a queue
            if wait_token[ci] == token:
                wait_token[ci] += 1  # its queue entry is now stale
                escalated[ci] = True
                advance(ci, steps[si].esc_idx, t, t)
        else:  # a person finishes a step: take the next case from the queue, then move on
            step = steps[si]
            rid = step.perf_ref
            human[ci] = True
            queue = queues[rid]
            while queue:
                qci, qsi, qtoken = queue.popleft()
                if wait_token[qci] != qtoken:
                    continue
                wait_token[qci] += 1
                qstep = steps[qsi]
                busy[rid] += qstep.duration
                push(heap, (t + qstep.duration, next(seq), 1, qci, qsi, 0))
                break
            else:
                free[rid] += 1
            advance(ci, effects(ci, step, t), t, t)

    run_state = (attrs_of, paths, done, cost, escaped, human, escalated, busy, events, t)
    outcome_state = (detected, horizon)
    return _result(pack, steps, stream, run_state, outcome_state, settings(pack)[2])
