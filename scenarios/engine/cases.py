"""The case stream: attributes drawn from the pack's distributions, pre-existing defects and
hidden adversarial cases. Deterministic for a seed.

Every number is keyed by (seed, purpose, case): each attribute, each defect kind, arrivals and
attacks have their own stream, drawn once per case in case order, so case i is the same whatever
the volume and adding an attribute to a pack changes no other attribute. The hidden adversarial
cases vary per seed beyond their rate: the mix of kinds, the numbers they set, when in the window
they come and the case ids (see defaults.py, HIDDEN_*), so one attempt's report does not predict
the next attempt's cases.
"""

import bisect
import json
import math
import random
from collections import OrderedDict
from dataclasses import dataclass

from . import defaults
from .draws import hashed

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 16


@dataclass(frozen=True, slots=True)
class CaseStream:
    """One drawn stream, as parallel lists (index i is case i). Shared between the runs of one
    grading (design and baseline) and never mutated: the simulator copies what it changes."""

    ids: list  # "INV-402917", ... (the first number is drawn per seed)
    arrivals: list  # minutes from the start of the run, increasing
    attrs: list  # dict per case
    errors: list  # tuple of pre-existing problem kinds per case (defects, adversarial)
    adversarial: list  # the adversarial kind, or None

    def __len__(self) -> int:
        return len(self.ids)


def _rng(seed: int, purpose: str) -> random.Random:
    return random.Random(f"cases:{seed}:{purpose}")


def _sampler(rng: random.Random, spec: dict):
    """A function drawing one value of an attribute from its own stream (compiled once per
    stream: this runs for every attribute of every case)."""
    dist = spec["dist"]
    if dist == "lognormal":
        median, sigma, digits = spec["median"], spec["sigma"], spec.get("digits", 2)
        lo, hi = spec.get("min", float("-inf")), spec.get("max", float("inf"))
        gauss, exp = rng.gauss, math.exp
        return lambda: round(min(max(median * exp(gauss(0.0, sigma)), lo), hi), digits)
    if dist == "uniform":
        a, b, digits = spec["min"], spec["max"], spec.get("digits", 2)
        return lambda: round(rng.uniform(a, b), digits)
    if dist == "bernoulli":
        p, rand = spec["p"], rng.random
        return lambda: rand() < p
    if dist == "categorical":
        values, cumulative, acc = [], [], 0.0
        for value, p in spec["values"].items():
            acc += p
            values.append(value)
            cumulative.append(acc)
        rand, last, find = rng.random, len(values) - 1, bisect.bisect_right
        # The first value whose cumulative edge is above r (the last if rounding leaves a gap).
        return lambda: values[min(find(cumulative, rand()), last)]
    raise ValueError(f"unknown distribution {dist!r}")


def case_stream(cases_spec: dict, *, seed: int, count: int | None = None) -> CaseStream:
    """``count`` cases arriving as a Poisson stream over ``cases_spec['days']`` days.

    The stream depends only on (spec, seed, count), and the design and the baseline of one
    grading run the same stream, so drawn streams are cached (a small LRU)."""
    key = (json.dumps(cases_spec, sort_keys=True), seed, count)
    stream = _CACHE.get(key)
    if stream is None:
        stream = _draw(cases_spec, seed=seed, count=count)
        _CACHE[key] = stream
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return stream


@dataclass(frozen=True, slots=True)
class HiddenPlan:
    """How one seed's hidden adversarial cases differ from another's (staff-only detail)."""

    kinds: list  # (kind, probability of an attack of this kind per case, set)
    wave_depth: float  # 0: attacks evenly spread over the window
    wave_peak: float  # where in the window (0..1) attacks are most frequent
    first_id: int


def hidden_plan(cases_spec: dict, seed: int) -> HiddenPlan:
    rng = random.Random(f"hidden:{seed}")
    specs = cases_spec.get("adversarial", [])
    jitter = defaults.HIDDEN_KIND_WEIGHT_JITTER
    weights = [float(a["rate"]) * (1 + jitter * (2 * rng.random() - 1)) for a in specs]
    total_rate = sum(float(a["rate"]) for a in specs)
    scale = total_rate / sum(weights) if sum(weights) else 0.0
    kinds = [(a["kind"], w * scale, a.get("set", {})) for a, w in zip(specs, weights, strict=True)]
    depth = defaults.HIDDEN_WAVE_DEPTH * rng.random()
    peak = rng.random()
    first_id = defaults.CASE_ID_FIRST + rng.randrange(defaults.CASE_ID_SPREAD)
    return HiddenPlan(kinds, depth, peak, first_id)


def _jittered(changes: dict, attributes: dict, u: float) -> dict:
    """An attack's ``set`` with each number scaled by a per-case factor (clamped and rounded as
    the attribute's distribution would be)."""
    factor = 1 + defaults.HIDDEN_NUMBER_JITTER * (2 * u - 1)
    out = {}
    for name, value in changes.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            spec = attributes.get(name, {})
            scaled = value * factor
            scaled = min(max(scaled, spec.get("min", scaled)), spec.get("max", scaled))
            digits = spec.get("digits", 0 if isinstance(value, int) else 2)
            value = round(scaled, digits) if digits else round(scaled)
        out[name] = value
    return out


def _draw(cases_spec: dict, *, seed: int, count: int | None) -> CaseStream:
    n = int(count if count is not None else cases_spec["count"])
    window = float(cases_spec.get("days", defaults.CASE_WINDOW_DAYS)) * 1440.0
    rate = n / window if n else 1.0
    attributes = cases_spec["attributes"]
    samplers = [
        (name, _sampler(_rng(seed, f"attr:{name}"), spec))
        for name, spec in sorted(attributes.items())
    ]
    defects = [
        (d["kind"], d["rate"], d.get("set", {}), _rng(seed, f"defect:{d['kind']}").random)
        for d in cases_spec.get("defects", [])
    ]
    plan = hidden_plan(cases_spec, seed)
    depth, peak, cos, two_pi = plan.wave_depth, plan.wave_peak, math.cos, 2 * math.pi
    attack_p = sum(p for _, p, _ in plan.kinds)
    kind_edges, acc = [], 0.0
    for _, p, _ in plan.kinds:
        acc += p
        kind_edges.append(acc / attack_p if attack_p else 1.0)
    attack_u = _rng(seed, "adversarial").random
    attack_bound = attack_p * (1 + depth)  # the wave's crest: no attack above it
    gap = _rng(seed, "arrival").expovariate
    prefix = cases_spec.get("id_prefix", defaults.CASE_ID_PREFIX)
    last_kind = len(plan.kinds) - 1
    ids, arrivals, attrs_of, errors_of, adversarial_of = [], [], [], [], []
    t = 0.0
    for i in range(n):
        t += gap(1.0) / rate
        attrs = {name: draw() for name, draw in samplers}
        errors = ()
        for kind, p, changes, rand in defects:
            if rand() < p:
                if kind not in errors:
                    errors += (kind,)
                attrs.update(changes)
        # Every stream is drawn once per case whether it is used or not: case i stays case i.
        u = attack_u()
        adv = None
        if u < attack_bound and u < attack_p * (1 + depth * cos(two_pi * (t / window - peak))):
            uk, ua = hashed(seed, "adversarial-kind", i, 0), hashed(seed, "adversarial-set", i, 0)
            kind, _, changes = plan.kinds[min(bisect.bisect_right(kind_edges, uk), last_kind)]
            adv = kind
            if kind not in errors:
                errors += (kind,)
            attrs.update(_jittered(changes, attributes, ua))
        attrs["flagged"] = False
        ids.append(f"{prefix}-{plan.first_id + i}")
        arrivals.append(t)
        attrs_of.append(attrs)
        errors_of.append(errors)
        adversarial_of.append(adv)
    return CaseStream(ids, arrivals, attrs_of, errors_of, adversarial_of)
