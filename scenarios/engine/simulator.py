"""A deterministic discrete-event simulation of cases flowing through a workflow design.

Modelled: arrivals over the scenario's window; human roles as limited servers with FIFO queues
(headcount, hours a day); agents and systems as unlimited servers with latency; agent errors,
confidence and abstention per task type; errors introduced by people; pre-existing defects and
hidden adversarial cases; detection by reviews, approvals and checks (sampled or rule-based);
rejection to rework; escalation on queue timeout or agent abstention; actions where undetected
problems escape. Every case keeps its path so a checkpoint can show the case that broke it.

The event loop is a heap of (time, sequence, ...) tuples: the sequence number breaks ties, so the
same seed gives the same run, byte for byte. It is bounded: each case may visit at most
MAX_VISITS steps and the run at most MAX_EVENTS_PER_CASE events per case.
"""

import gc
import heapq
import itertools
import random
from collections import deque
from contextlib import contextmanager

from .cases import case_stream
from .compiled import _compile, _Step, compile_conditions, holds
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

MAX_VISITS = 40
MAX_EVENTS_PER_CASE = 200


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


def _run(pack: dict, design: dict, seed: int, count: int | None) -> SimulationResult:
    """The event loop.

    Only people are shared resources (queues, limited headcount); agent and system steps never
    wait for each other. So a case runs through agent and system steps inline, advancing its
    own clock, and the heap only holds arrivals at people's steps, their completions and
    escalation timeouts. Arrivals at the start step are already in time order, so they are
    merged with the heap instead of pushed onto it; an arrival goes first on a tie, as if it
    had been queued before every later event.
    """
    steps = _compile(design, pack)
    start = {s["id"]: i for i, s in enumerate(design["steps"])}[design["start"]]
    stream = case_stream(pack["cases"], seed=seed, count=count)
    n = len(stream)
    arrivals = stream.arrivals
    attrs_of = [dict(a) for a in stream.attrs]
    errors_of = [dict.fromkeys(e, False) if e else {} for e in stream.errors]
    rand = random.Random(f"run:{seed}").random
    roles = {r["id"]: r for r in pack["roles"]}
    free = {rid: int(r.get("headcount", 1)) for rid, r in roles.items()}
    busy = dict.fromkeys(roles, 0.0)
    queues = {rid: deque() for rid in roles}
    paths = [[] for _ in range(n)]
    visits = [0] * n
    cost = [0.0] * n
    done = [None] * n  # (end time, outcome)
    escaped = [()] * n  # replaced by a list when something escapes
    human = [False] * n
    escalated = [False] * n
    wait_token = [0] * n
    seq = itertools.count(n)
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    max_events = max(1000, n * MAX_EVENTS_PER_CASE)
    events = 0

    def effects(ci: int, step: _Step, t: float) -> int:
        """Apply a finished step to its case; the next step's index, or -1 if the case ended."""
        cost[ci] += step.cost
        errors = errors_of[ci]
        kind = step.kind
        if kind == "task":
            if step.abstain_p and rand() < step.abstain_p:
                if step.esc_idx >= 0:
                    escalated[ci] = True
                    return step.esc_idx
                done[ci] = (t, "dropped")
                return -1
            if errors:
                attrs = attrs_of[ci]
                # Redoing a piece of work replaces its earlier result (and any mistake in it);
                # other detected problems this task type knows how to fix are fixed.
                for err in list(errors):
                    if err in step.replaces or (errors[err] and err in step.resolves):
                        del errors[err]
                    elif not errors[err] and err in step.detect and rand() < step.detect[err]:
                        errors[err] = True
                        attrs["flagged"] = True
                if attrs["flagged"] and len(step.resolves) > 1 and not any(errors.values()):
                    attrs["flagged"] = False
            if step.error_p and rand() < step.error_p:
                errors.setdefault(step.task_type, False)
                if step.perf_type == "agent":
                    lo, hi = step.conf_bad
                    attrs_of[ci]["confidence"] = round(lo + (hi - lo) * rand(), 3)
            elif step.perf_type == "agent":
                lo, hi = step.conf_ok
                attrs_of[ci]["confidence"] = round(lo + (hi - lo) * rand(), 3)
        elif kind == "review" or kind == "approval":
            if errors:
                rejected = False
                detect = step.detect
                for err in list(errors):
                    if err in detect and (errors[err] or rand() < detect[err]):
                        errors[err] = True
                        rejected = True
                if rejected:
                    attrs_of[ci]["flagged"] = True
                    if step.reject_idx >= 0:
                        return step.reject_idx
                    done[ci] = (t, "rejected")
                    return -1
        elif kind == "action" and errors:
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
            done[ci] = (t, "completed")
        return step.next_idx

    def advance(ci: int, si: int, t: float, now: float) -> None:
        """Move a case into step ``si`` at time ``t``, through agent and system steps inline,
        until it waits for a person or ends."""
        while si >= 0:
            step = steps[si]
            is_role = step.perf_type == "role"
            if is_role and t > now:  # a person's queue is shared: join it in time order
                push(heap, (t, next(seq), 0, ci, si, 0))
                return
            visits[ci] += 1
            if visits[ci] > MAX_VISITS:
                done[ci] = (t, "looping")
                return
            cov = step.coverage
            if cov is not None:
                mode, rate, conds = cov
                if not (
                    mode == "all"
                    or (mode == "sample" and rand() < rate)
                    or (mode == "rule" and holds(conds, attrs_of[ci]))
                ):
                    paths[ci].append(-si - 1)
                    si = next_of(ci, step, t)
                    continue
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
        if not heap:
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
    return _result(pack, steps, stream, run_state)
