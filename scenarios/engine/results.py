"""What a simulation run reports: metrics, and each case's record (built on demand).

Every case has exactly one outcome (OUTCOMES):

- ``completed``: it ended after the pack's work action (``simulation.work_actions``: paying the
  invoice, sending the reply, deploying the change) and nothing wrong reached an action;
- ``completed_with_error``: it ended after the work action, but an error or an attack reached an
  action undetected (it escaped);
- ``rejected``: it ended without the work being done: a check rejected it with nowhere to send
  it, or its route ended before the work action. Rejecting a legitimate (non-adversarial) case is
  a *wrongful rejection*: an error with its own cost (``simulation.wrongful_rejection_cost``);
- ``unfinished``: not ended at the horizon: still waiting in a queue, looping (past MAX_VISITS),
  or parked (an agent abstained with nowhere to escalate).

Cycle times include unfinished cases at their age at the horizon (censored, never dropped); cost
includes the work spent on every case. An attack counts as caught only when a check detected it
and it did not escape: never merely because it did not finish or was rejected unseen.
"""

from dataclasses import dataclass

from . import defaults

OUTCOMES = ("completed", "completed_with_error", "rejected", "unfinished")
COMPLETED = frozenset(("completed", "completed_with_error"))


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
        """The case as the design saw it and the path it took (plus, for staff, the generator's
        label: ``adversarial``; see disclosure.candidate_view)."""
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
            "reason": record.reason,
            "escaped": sorted(record.escaped),
            "cycle_time_hours": round(record.cycle_minutes / 60, 2),
            "censored": record.censored,
            "cost": round(record.cost, 2),
        }


@dataclass(slots=True)
class CaseRecord:
    case_id: str
    attrs: dict
    adversarial: str | None
    path: list
    outcome: str  # one of OUTCOMES
    reason: str  # why it was rejected or is unfinished ("" when completed)
    escaped: list
    cycle_minutes: float  # for an unfinished case, its age at the horizon
    censored: bool  # unfinished: the cycle time is at least this
    cost: float
    human_touch: bool
    escalated: bool
    caught: bool
    wrongful_rejection: bool


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def _outcomes(done, escaped, arrivals, horizon):
    """(outcome, reason, minutes) per case; unfinished cases at their age at the horizon."""
    outcome_of, reason_of, minutes_of = [], [], []
    for end, gone, arrival in zip(done, escaped, arrivals, strict=True):
        if end is None or end[1] == "unfinished":
            outcome_of.append("unfinished")
            reason_of.append("at_horizon" if end is None else end[2])
            minutes_of.append(horizon - arrival)
            continue
        outcome = end[1]
        if outcome == "completed" and gone:
            outcome = "completed_with_error"
        outcome_of.append(outcome)
        reason_of.append(end[2])
        minutes_of.append(end[0] - arrival)
    return outcome_of, reason_of, minutes_of


def _result(
    pack: dict, steps: list, stream, run_state, outcome_state, rejection_cost: float
) -> SimulationResult:
    attrs_of, paths, done, cost, escaped, human, escalated, busy, events, last_event = run_state
    detected, horizon = outcome_state
    sla_minutes = float(pack["cases"]["sla_hours"]) * 60.0
    adversarial_of = stream.adversarial
    outcome_of, reason_of, minutes_of = _outcomes(done, escaped, stream.arrivals, horizon)
    n = len(done) or 1
    escapes = sum(
        1
        for gone, adv in zip(escaped, adversarial_of, strict=True)
        if gone and any(kind != adv for kind in gone)  # an ordinary error reached an action
    )
    breaches = sum(
        1
        for m, o in zip(minutes_of, outcome_of, strict=True)
        if m > sla_minutes or o == "unfinished"
    )
    wrongful = [
        o == "rejected" and adv is None for o, adv in zip(outcome_of, adversarial_of, strict=True)
    ]
    adversarial = [i for i, adv in enumerate(adversarial_of) if adv is not None]

    def caught(i: int) -> bool:
        return detected[i] and adversarial_of[i] not in escaped[i]

    completed = sum(1 for o in outcome_of if o in COMPLETED)
    unfinished = outcome_of.count("unfinished")
    window = float(pack["cases"].get("days", defaults.CASE_WINDOW_DAYS)) * 1440.0
    in_window = sum(
        1 for o, end in zip(outcome_of, done, strict=True) if o in COMPLETED and end[0] <= window
    )
    roles_by_id = {r["id"]: r for r in pack["roles"]}
    # Share of each role's time spent working, from the first arrival until the last event
    # (cases that arrive in the window may be worked after it when people fall behind).
    span = max(window, min(last_event, horizon))
    metrics = {
        "cases": len(done),
        "events": events,
        "cycle_time_p50_hours": round(_percentile(sorted(minutes_of), 0.5) / 60, 2),
        "cycle_time_p90_hours": round(_percentile(sorted(minutes_of), 0.9) / 60, 2),
        "cost_per_case": round((sum(cost) + rejection_cost * sum(wrongful)) / n, 3),
        "error_escape_rate": round(escapes / n, 4),
        "sla_breach_rate": round(breaches / n, 4),
        "touchless_rate": round(human.count(False) / n, 4),
        "escalation_rate": round(escalated.count(True) / n, 4),
        "failed_case_rate": round(unfinished / n, 4),
        "completed_rate": round(completed / n, 4),
        "rejected_rate": round(outcome_of.count("rejected") / n, 4),
        "wrongful_rejection_rate": round(sum(wrongful) / n, 4),
        "unfinished_rate": round(unfinished / n, 4),
        "throughput_per_day": round(in_window / (window / 1440.0), 2),
        "adversarial_cases": len(adversarial),
        "adversarial_caught_rate": round(sum(map(caught, adversarial)) / len(adversarial), 4)
        if adversarial
        else 1.0,
        "utilisation": {
            rid: round(
                busy[rid]
                / (span * int(roles_by_id[rid].get("headcount", defaults.ROLE_HEADCOUNT))),
                3,
            )
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
                reason=reason_of[i],
                escaped=list(escaped[i]),
                cycle_minutes=minutes_of[i],
                censored=outcome_of[i] == "unfinished",
                cost=cost[i] + (rejection_cost if wrongful[i] else 0.0),
                human_touch=human[i],
                escalated=escalated[i],
                caught=adv is not None and caught(i),
                wrongful_rejection=wrongful[i],
            )

    return SimulationResult(metrics, [s.id for s in steps], records)
