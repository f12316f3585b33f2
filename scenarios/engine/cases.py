"""The case stream: attributes drawn from the pack's distributions, pre-existing defects and
hidden adversarial cases. Deterministic for a seed."""

import bisect
import json
import math
import random
from collections import OrderedDict
from dataclasses import dataclass

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 16


@dataclass(frozen=True, slots=True)
class CaseStream:
    """One drawn stream, as parallel lists (index i is case i). Shared between the runs of one
    grading (design and baseline) and never mutated: the simulator copies what it changes."""

    ids: list  # "INV-10001", ...
    arrivals: list  # minutes from the start of the run, increasing
    attrs: list  # dict per case
    errors: list  # tuple of pre-existing problem kinds per case (defects, adversarial)
    adversarial: list  # the adversarial kind, or None

    def __len__(self) -> int:
        return len(self.ids)


def _sampler(rng: random.Random, spec: dict):
    """A function drawing one value of an attribute (compiled once per stream: this runs for
    every attribute of every case)."""
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


def _draw(cases_spec: dict, *, seed: int, count: int | None) -> CaseStream:
    rng = random.Random(f"cases:{seed}")
    rand, expovariate = rng.random, rng.expovariate
    n = int(count if count is not None else cases_spec["count"])
    window = float(cases_spec.get("days", 5)) * 1440.0
    rate = n / window if n else 1.0
    samplers = [
        (name, _sampler(rng, spec)) for name, spec in sorted(cases_spec["attributes"].items())
    ]
    defects = [(d["kind"], d["rate"], d.get("set", {})) for d in cases_spec.get("defects", [])]
    adversarial = [
        (a["kind"], a["rate"], a.get("set", {})) for a in cases_spec.get("adversarial", [])
    ]
    prefix = cases_spec.get("id_prefix", "C")
    ids, arrivals, attrs_of, errors_of, adversarial_of = [], [], [], [], []
    t = 0.0
    for i in range(n):
        t += expovariate(rate)
        attrs = {name: draw() for name, draw in samplers}
        errors = ()
        for kind, p, changes in defects:
            if rand() < p:
                if kind not in errors:
                    errors += (kind,)
                attrs.update(changes)
        adv = None
        for kind, p, changes in adversarial:
            if rand() < p:
                adv = kind
                if kind not in errors:
                    errors += (kind,)
                attrs.update(changes)
                break
        attrs["flagged"] = False
        ids.append(f"{prefix}-{10001 + i}")
        arrivals.append(t)
        attrs_of.append(attrs)
        errors_of.append(errors)
        adversarial_of.append(adv)
    return CaseStream(ids, arrivals, attrs_of, errors_of, adversarial_of)
