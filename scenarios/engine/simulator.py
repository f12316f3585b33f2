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
import operator
import random
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

from .cases import case_stream
from .pack import Pack, substitute

MAX_VISITS = 40
MAX_EVENTS_PER_CASE = 200
_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda a, b: a in b,
}


def holds(conditions, attrs: dict) -> bool:
    for attr, op, value in conditions:
        actual = attrs.get(attr)
        if actual is None:
            return False
        try:
            if not _OPS[op](actual, value):
                return False
        except TypeError:
            return False
    return True


def compile_conditions(conds: list[dict]) -> tuple:
    return tuple(
        (c["attr"], c["op"], tuple(c["value"]) if isinstance(c["value"], list) else c["value"])
        for c in conds
    )


@dataclass(slots=True)
class _Step:
    idx: int
    id: str
    kind: str
    perf_type: str
    perf_ref: str
    task_type: str | None
    routes: tuple
    next_idx: int  # -1 = end
    reject_idx: int  # -1 = none
    esc_idx: int
    esc_timeout: float
    coverage: tuple | None  # (mode, rate, conditions)
    duration: float  # wall-clock minutes
    cost: float
    error_p: float
    abstain_p: float
    conf_ok: tuple
    conf_bad: tuple
    detect: dict  # error kind -> probability
    resolves: frozenset
    replaces: frozenset


class SimulationResult:
    """Metrics of one run, and every case's record (built on first use: a design that passes
    its outcome checkpoints never needs them, and building them is a fifth of a run)."""

    def __init__(self, metrics: dict, step_ids: list, records):
        self.metrics = metrics
        self.step_ids = step_ids
        self._records = records  # a function yielding CaseRecords in case order
        self._cases: list | None = None

    @property
    def cases(self) -> list:
        if self._cases is None:
            self._cases = list(self._records())
        return self._cases

    def iter_cases(self):
        """The case records in order, without keeping them (for searches that stop early)."""
        return iter(self._cases) if self._cases is not None else self._records()

    def case_trace(self, record: "CaseRecord") -> dict:
        path = []
        for idx in record.path:
            if idx >= 0:
                path.append(self.step_ids[idx])
            else:
                path.append(f"{self.step_ids[-idx - 1]} (not checked)")
        return {
            "case_id": record.case_id,
            "attributes": record.attrs,
            "adversarial": record.adversarial,
            "path": path,
            "outcome": record.outcome,
            "escaped": sorted(record.escaped),
            "cycle_time_hours": round(record.cycle_minutes / 60, 2),
            "cost": round(record.cost, 2),
        }


@dataclass(slots=True)
class CaseRecord:
    case_id: str
    attrs: dict
    adversarial: str | None
    path: list
    outcome: str
    escaped: list
    cycle_minutes: float
    cost: float
    human_touch: bool
    escalated: bool
    caught: bool


def _compile(design: dict, pack: dict) -> list[_Step]:
    roles = {r["id"]: r for r in pack["roles"]}
    agents = {a["id"]: a for a in pack["agents"]}
    systems = {s["id"]: s for s in pack["systems"]}
    task_types = pack["task_types"]
    detection_table = pack.get("detection", {})
    index = {s["id"]: i for i, s in enumerate(design["steps"])}
    compiled = []
    for i, s in enumerate(design["steps"]):
        ptype, pref = s["performer"]["type"], s["performer"]["ref"]
        kind = s["kind"]
        task = s.get("task_type")
        # What the step does, for performance tables: the task type, "review", "approval" or
        # "action"; detection tables are keyed by the task type a review checks.
        work_key = task if kind in ("task", "review") else kind
        time_key = "review" if kind == "review" else work_key
        error_p = abstain_p = 0.0
        conf_ok = conf_bad = (1.0, 1.0)
        if ptype == "role":
            role = roles[pref]
            minutes = role.get("minutes", {}).get(time_key, role.get("default_minutes", 10))
            duration = minutes * 24.0 / role.get("hours_per_day", 8)
            cost = minutes * role["hourly_cost"] / 60.0
            if kind == "task":
                error_p = role.get("errors", {}).get(task, role.get("error_rate", 0.02))
            skill = role.get("skill", {})
            review_rate = role.get("detection", {}).get(task, role.get("default_detection", 0.6))
        elif ptype == "agent":
            agent = agents[pref]
            duration = agent.get("latency_minutes", 1)
            cost = agent.get("cost_per_call", 0.01)
            spec = agent.get("tasks", {}).get(work_key, {})
            if kind == "task":
                error_p = 1.0 - spec.get("accuracy", 0.5)
                abstain_p = spec.get("abstain", 0.0)
                conf_ok = tuple(spec.get("confidence_correct", (0.7, 1.0)))
                conf_bad = tuple(spec.get("confidence_wrong", (0.3, 0.9)))
            skill = agent.get("skill", {})
            review_rate = agent.get("detection", {}).get(task, agent.get("default_detection", 0.3))
        else:
            system = systems[pref]
            duration = system.get("latency_minutes", 0.5)
            cost = system.get("cost_per_call", 0.0)
            if kind == "task":
                error_p = 1.0 - system.get("tasks", {}).get(work_key, {}).get("accuracy", 1.0)
            skill = system.get("skill", {})
            review_rate = system.get("default_detection", 0.0)
        detect = {}
        for err_kind, by_task in detection_table.items():
            p = by_task.get(work_key, 0.0)
            if p:
                detect[err_kind] = p * skill.get(err_kind, 1.0)
        if kind == "review" and task:
            detect[task] = max(detect.get(task, 0.0), review_rate * skill.get(task, 1.0))
        resolves = (
            set(task_types.get(task, {}).get("resolves", [])) if kind == "task" and task else set()
        )
        if kind == "task" and task:
            resolves.add(task)
        replaces = (
            set(task_types.get(task, {}).get("replaces", [])) if kind == "task" and task else set()
        )
        if kind == "task" and task:
            replaces.add(task)
        cov = s.get("coverage")
        coverage = None
        if cov:
            coverage = (cov["mode"], cov.get("rate", 1.0), compile_conditions(cov.get("when", [])))
        esc = s.get("escalation")
        compiled.append(
            _Step(
                idx=i,
                id=s["id"],
                kind=kind,
                perf_type=ptype,
                perf_ref=pref,
                task_type=task,
                routes=tuple(
                    (compile_conditions(r["when"]), index[r["to"]]) for r in s.get("routes", [])
                ),
                next_idx=-1 if s.get("next", "end") == "end" else index[s["next"]],
                reject_idx=index[s["on_reject"]] if s.get("on_reject") else -1,
                esc_idx=index[esc["to"]] if esc else -1,
                esc_timeout=float(esc["timeout_minutes"]) if esc else 0.0,
                coverage=coverage,
                duration=float(duration),
                cost=float(cost),
                error_p=error_p,
                abstain_p=abstain_p,
                conf_ok=conf_ok,
                conf_bad=conf_bad,
                detect=detect,
                resolves=frozenset(resolves),
                replaces=frozenset(replaces),
            )
        )
    return compiled


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


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


_FAILED = frozenset(("looping", "dropped", "unfinished"))


def _result(pack: dict, steps: list, stream, run_state) -> SimulationResult:
    attrs_of, paths, done, cost, escaped, human, escalated, busy, events, last_event = run_state
    sla_minutes = float(pack["cases"]["sla_hours"]) * 60.0
    adversarial_of = stream.adversarial
    minutes_of = [
        -1.0 if end is None else end[0] - arrival
        for end, arrival in zip(done, stream.arrivals, strict=True)
    ]
    outcome_of = ["unfinished" if end is None else end[1] for end in done]
    cycle = sorted(
        m for m, o in zip(minutes_of, outcome_of, strict=True) if o in ("completed", "rejected")
    )
    escapes = sum(
        1
        for gone, adv in zip(escaped, adversarial_of, strict=True)
        if gone and any(kind != adv for kind in gone)  # an ordinary error reached an action
    )
    breaches = sum(
        1
        for m, o in zip(minutes_of, outcome_of, strict=True)
        if m < 0 or m > sla_minutes or o in _FAILED
    )
    adversarial = [i for i, adv in enumerate(adversarial_of) if adv is not None]

    def caught(i: int) -> bool:
        return adversarial_of[i] not in escaped[i] and outcome_of[i] != "unfinished"

    n = len(done) or 1
    roles_by_id = {r["id"]: r for r in pack["roles"]}
    # Share of each role's time spent working, from the first arrival until the last event
    # (cases that arrive in the window may be worked after it when people fall behind).
    horizon = max(float(pack["cases"].get("days", 5)) * 1440.0, last_event)
    metrics = {
        "cases": len(done),
        "events": events,
        "cycle_time_p50_hours": round(_percentile(cycle, 0.5) / 60, 2),
        "cycle_time_p90_hours": round(_percentile(cycle, 0.9) / 60, 2),
        "cost_per_case": round(sum(cost) / n, 3),
        "error_escape_rate": round(escapes / n, 4),
        "sla_breach_rate": round(breaches / n, 4),
        "touchless_rate": round(human.count(False) / n, 4),
        "escalation_rate": round(escalated.count(True) / n, 4),
        "failed_case_rate": round(sum(1 for o in outcome_of if o in _FAILED) / n, 4),
        "adversarial_cases": len(adversarial),
        "adversarial_caught_rate": round(sum(map(caught, adversarial)) / len(adversarial), 4)
        if adversarial
        else 1.0,
        "utilisation": {
            rid: round(busy[rid] / (horizon * int(roles_by_id[rid].get("headcount", 1))), 3)
            for rid in sorted(busy)
        },
    }
    metrics["max_utilisation"] = max(metrics["utilisation"].values(), default=0.0)

    def records():
        for i, case_id in enumerate(stream.ids):
            adv = adversarial_of[i]
            yield CaseRecord(
                case_id=case_id,
                attrs=attrs_of[i],
                adversarial=adv,
                path=paths[i],
                outcome=outcome_of[i],
                escaped=list(escaped[i]),
                cycle_minutes=minutes_of[i],
                cost=cost[i],
                human_touch=human[i],
                escalated=escalated[i],
                caught=adv is not None and caught(i),
            )

    return SimulationResult(metrics, [s.id for s in steps], records)
