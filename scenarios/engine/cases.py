"""The case stream: attributes drawn from the pack's distributions, pre-existing defects and
hidden adversarial cases. Deterministic for a seed."""

import math
import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Case:
    index: int
    case_id: str
    arrival: float  # minutes from the start of the run
    attrs: dict
    errors: dict = field(default_factory=dict)  # error kind -> detected?
    adversarial: str | None = None


def _draw(rng: random.Random, spec: dict):
    dist = spec["dist"]
    if dist == "lognormal":
        value = spec["median"] * math.exp(rng.gauss(0.0, spec["sigma"]))
        value = min(max(value, spec.get("min", value)), spec.get("max", value))
        return round(value, spec.get("digits", 2))
    if dist == "uniform":
        return round(rng.uniform(spec["min"], spec["max"]), spec.get("digits", 2))
    if dist == "bernoulli":
        return rng.random() < spec["p"]
    if dist == "categorical":
        r, acc = rng.random(), 0.0
        items = list(spec["values"].items())
        for value, p in items:
            acc += p
            if r < acc:
                return value
        return items[-1][0]
    raise ValueError(f"unknown distribution {dist!r}")


def generate_cases(cases_spec: dict, *, seed: int, count: int | None = None) -> list[Case]:
    """``count`` cases arriving as a Poisson stream over ``cases_spec['days']`` days."""
    rng = random.Random(f"cases:{seed}")
    n = int(count if count is not None else cases_spec["count"])
    window = float(cases_spec.get("days", 5)) * 1440.0
    rate = n / window
    attr_specs = sorted(cases_spec["attributes"].items())
    defects = cases_spec.get("defects", [])
    adversarial = cases_spec.get("adversarial", [])
    prefix = cases_spec.get("id_prefix", "C")
    t = 0.0
    out = []
    for i in range(n):
        t += rng.expovariate(rate)
        attrs = {name: _draw(rng, spec) for name, spec in attr_specs}
        case = Case(index=i, case_id=f"{prefix}-{10001 + i}", arrival=t, attrs=attrs)
        for defect in defects:
            if rng.random() < defect["rate"]:
                case.errors[defect["kind"]] = False
                for attr, value in defect.get("set", {}).items():
                    attrs[attr] = value
        for adv in adversarial:
            if rng.random() < adv["rate"]:
                case.adversarial = adv["kind"]
                case.errors[adv["kind"]] = False
                for attr, value in adv.get("set", {}).items():
                    attrs[attr] = value
                break
        attrs["flagged"] = False
        out.append(case)
    return out
