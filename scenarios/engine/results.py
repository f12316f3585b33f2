"""What a simulation run reports: metrics, and each case's record (built on demand)."""

from dataclasses import dataclass


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
