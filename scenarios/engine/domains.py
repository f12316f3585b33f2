"""The declared domain of every case attribute, for validation and the symbolic path search.

A ``bernoulli`` attribute is a boolean (exactly true or false), a ``categorical`` one an
enumeration of its declared values, ``lognormal`` and ``uniform`` ones numbers within their
declared ``min``/``max``. ``flagged`` (set when a check found a problem) is a boolean and
``confidence`` (the last agent's confidence) a number in [0, 1] that a case has only once an
agent has worked on it. The search starts from these domains, so routing ``true`` and ``false``
(or every value of an enumeration) is exhaustive, and a route no case can take is known to be
unreachable.
"""

from .paths import ABSENT, Num, Values

BOOLEAN, ENUM, NUMBER = "boolean", "enumeration", "number"
_KIND_OF_DIST = {"bernoulli": BOOLEAN, "categorical": ENUM, "lognormal": NUMBER, "uniform": NUMBER}
BUILTIN_KINDS = {"flagged": BOOLEAN, "confidence": NUMBER}


def attribute_kinds(pack_data: dict) -> dict[str, str]:
    """``{attribute: "boolean" | "enumeration" | "number"}`` for a pack (resolved or not)."""
    kinds = {
        name: _KIND_OF_DIST.get(spec.get("dist"), NUMBER)
        for name, spec in pack_data["cases"]["attributes"].items()
    }
    return {**kinds, **BUILTIN_KINDS}


def enum_values(pack_data: dict) -> dict[str, list]:
    """The declared values of each enumeration attribute."""
    return {
        name: list(spec["values"])
        for name, spec in pack_data["cases"]["attributes"].items()
        if spec.get("dist") == "categorical"
    }


def _bound(value, default: float) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


def attribute_domains(resolved: dict) -> dict:
    """The search's starting region: every attribute at its declared domain (numbers already
    drawn for the variant). ``confidence`` starts absent: no agent has reported one yet."""
    domains: dict = {}
    for name, spec in resolved["cases"]["attributes"].items():
        dist = spec.get("dist")
        if dist == "bernoulli":
            domains[name] = Values(frozenset((True, False)))
        elif dist == "categorical":
            domains[name] = Values(frozenset(spec["values"]))
        else:
            lo_default = 0.0 if dist == "lognormal" else float("-inf")
            lo = _bound(spec.get("min"), lo_default)
            hi = _bound(spec.get("max"), float("inf"))
            # A lognormal draw is positive; clamping makes min and max reachable.
            lo_inc = dist != "lognormal" or "min" in spec
            domains[name] = Num(lo, lo_inc, hi, hi != float("inf"))
    for injected in resolved["cases"].get("defects", []) + resolved["cases"].get("adversarial", []):
        for name, value in (injected.get("set") or {}).items():
            if name in domains:
                domains[name] = _widen(domains[name], value)
    domains["flagged"] = Values(frozenset((True, False)))
    domains["confidence"] = ABSENT
    return domains


def _widen(domain, value):
    """The domain grown to hold a value the case generator sets (so the search stays sound even
    for a pack whose injected cases step outside the declared distribution)."""
    if isinstance(domain, Values):
        return Values(domain.allowed | {value}) if isinstance(value, (str, bool)) else domain
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lo, hi = float(value), float(value)
    elif isinstance(value, dict) and "min" in value and "max" in value:
        lo, hi = _bound(value["min"], domain.lo), _bound(value["max"], domain.hi)
    else:
        return domain
    lo_side = (lo, True) if lo < domain.lo else (domain.lo, domain.lo_inc or lo == domain.lo)
    hi_side = (hi, True) if hi > domain.hi else (domain.hi, domain.hi_inc or hi == domain.hi)
    return Num(*lo_side, *hi_side)
