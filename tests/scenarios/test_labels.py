"""Issue 9.3: a step is judged by what it does, not by what it says about itself.

Transformations of every pack's exemplars and flawed designs drop or change the labels that
checkpoints hinge on (``systems``, ``data_classes``, an approval's ``action``). Validation refuses
the result with a JSON path, and even graded without validation the labels missing or changed
never count in the design's favour: every structural checkpoint the design failed still fails."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.engine import draw_variant, validate_design
from scenarios.engine.checkpoints import REGISTRY, Context
from scenarios.engine.compiled import _compile
from scenarios.engine.selftest import design_of

from .adversarial import STRUCTURAL, exemplar, exemplar_names, pack_of, resolved
from .conftest import PACK_SLUGS

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


_DECLARATIONS = ("/systems", "/data_classes", "/action")


def _flawed_names() -> list[tuple[str, str]]:
    """Flawed designs whose flaw is in what a step does (its performer, its place in the
    graph), not a label it volunteers: removing a volunteered label ("this agent receives raw
    tickets") is a real change of design, not an evasion."""
    return [
        (slug, e["name"])
        for slug in PACK_SLUGS
        for e in pack_of(slug).data["flawed"]
        if not any(op["path"].endswith(_DECLARATIONS) for op in e.get("patch", []))
    ]


def _named(slug: str, name: str) -> dict:
    return copy.deepcopy(design_of(resolved(slug), name))


def _structural_failures(slug: str, design: dict, seed: int = 1) -> set:
    """Structural checkpoints the design fails, evaluated WITHOUT validating it first (as if
    a label problem had slipped past validation)."""
    pack = pack_of(slug)
    data = pack.resolve(draw_variant(pack, seed))
    steps = _compile(design, data)
    start = [s.id for s in steps].index(design["start"])
    ctx = Context(design, steps, start, None, None)
    ctx.domain = _domains(data)
    failed = set()
    for cp in data["rubric"]["checkpoints"]:
        if cp["kind"] in STRUCTURAL and cp["kind"] != "rollout_staged":
            credit, _ = REGISTRY[cp["kind"]](ctx, dict(cp.get("params", {})))
            if credit < 1.0:
                failed.add(cp["id"])
    return failed


def _domains(data: dict) -> dict:
    try:
        from scenarios.engine.domains import attribute_domains
    except ImportError:  # engines before 9.2 searched from no domain at all
        return {}
    return attribute_domains(data)


def _strip(step: dict, what: str, other_action: str | None) -> None:
    if what == "systems":
        step.pop("systems", None)
    elif what == "data_classes":
        step.pop("data_classes", None)
    elif what == "read_only":
        for system in step.get("systems", []):
            system["access"] = "read"
    elif what == "action" and step["kind"] == "approval":
        if other_action is None:
            step.pop("action", None)
        else:
            step["action"] = other_action


LABEL_CHANGES = ["systems", "data_classes", "read_only", "action"]


@SETTINGS
@given(data=st.data(), what=st.sampled_from(LABEL_CHANGES))
def test_dropping_or_changing_a_label_never_helps_a_flawed_design(data, what):
    slug, name = data.draw(st.sampled_from(_flawed_names()), label="flawed design")
    design = _named(slug, name)
    before = _structural_failures(slug, design)
    actions = [*sorted(pack_of(slug).action_kinds), None]
    other = data.draw(st.sampled_from(actions), label="relabel approvals as")
    which = data.draw(st.sets(st.integers(0, len(design["steps"]) - 1), min_size=1), label="steps")
    for i in which:
        _strip(design["steps"][i], what, other)
    assert _structural_failures(slug, design) >= before


@pytest.mark.parametrize(("slug", "name"), _flawed_names())
def test_a_flawed_design_stripped_of_every_label_still_fails(slug, name):
    """The extreme transformation: no systems, no data classes, approvals unlabelled."""
    design = _named(slug, name)
    before = _structural_failures(slug, design)
    for step in design["steps"]:
        for what in LABEL_CHANGES:
            _strip(step, what, None)
    assert _structural_failures(slug, design) >= before


def _implying_steps(slug: str, design: dict) -> list[tuple[int, str]]:
    """(step index, field) where the permission model implies a label the step declares."""
    perms = pack_of(slug).data.get("permissions", {})
    found = []
    for i, step in enumerate(design["steps"]):
        section, key = (
            ("actions", step.get("action"))
            if step["kind"] == "action"
            else ("task_types", step.get("task_type"))
        )
        spec = perms.get(section, {}).get(key) or {}
        if spec.get("writes") and step["kind"] != "review":
            found.append((i, "systems"))
        if spec.get("data_classes"):
            found.append((i, "data_classes"))
    return found


@pytest.mark.parametrize(("slug", "name"), exemplar_names())
def test_a_label_the_permission_model_implies_is_required(slug, name):
    base = exemplar(slug, name)
    cases = _implying_steps(slug, base)
    assert cases, "every exemplar has a step whose action or work implies a label"
    for i, field in cases:
        design = copy.deepcopy(base)
        design["steps"][i].pop(field)
        errors = validate_design(design, pack_of(slug))
        code = "undeclared_write" if field == "systems" else "undeclared_data_class"
        assert (f"$.steps[{i}].{field}", code) in {(e.path, e.code) for e in errors}


def _approvals(design: dict) -> list[int]:
    return [i for i, s in enumerate(design["steps"]) if s["kind"] == "approval"]


@pytest.mark.parametrize(("slug", "name"), exemplar_names())
def test_an_approval_without_action_is_refused(slug, name):
    base = exemplar(slug, name)
    for i in _approvals(base):
        design = copy.deepcopy(base)
        del design["steps"][i]["action"]
        errors = validate_design(design, pack_of(slug))
        assert (f"$.steps[{i}]", "missing_action") in {(e.path, e.code) for e in errors}


@pytest.mark.parametrize(("slug", "name"), exemplar_names())
def test_an_approval_labelled_with_another_action_is_refused(slug, name):
    base = exemplar(slug, name)
    for i in _approvals(base):
        for action in sorted(pack_of(slug).action_kinds - {base["steps"][i]["action"]}):
            design = copy.deepcopy(base)
            design["steps"][i]["action"] = action
            errors = validate_design(design, pack_of(slug))
            assert (f"$.steps[{i}].action", "action_mismatch") in {(e.path, e.code) for e in errors}


def test_an_approval_guards_what_it_precedes_for_segregation_of_duties():
    """The manager edits the vendor master and approves payments, with the approval labelled
    as a bank-detail approval: segregation still fails, by graph position."""
    design = _named("ap-invoice-processing", "manager-edits-vendor-master")
    approve = next(s for s in design["steps"] if s["id"] == "approve")
    approve["action"] = "vendor_bank_update"
    assert "segregation" in _structural_failures("ap-invoice-processing", design)
    codes = {e.code for e in validate_design(design, pack_of("ap-invoice-processing"))}
    assert "action_mismatch" in codes


def test_an_agent_changing_bank_details_writes_the_vendor_master_whatever_it_declares():
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    update = next(s for s in design["steps"] if s["id"] == "update-bank")
    update["performer"] = {"type": "agent", "ref": "ap-assistant"}
    del update["systems"], update["data_classes"]
    failed = _structural_failures("ap-invoice-processing", design)
    assert {"vendor-master-write", "bank-data-boundary"} <= failed


def test_an_agent_with_standing_credentials_writes_what_it_can():
    """The AP assistant can write the vendor master: any step it performs counts as a write,
    even one that declares read access only."""
    design = exemplar("ap-invoice-processing", "agent-extraction-with-callback")
    exceptions = next(s for s in design["steps"] if s["id"] == "exceptions")
    exceptions["performer"] = {"type": "agent", "ref": "ap-assistant"}
    exceptions["systems"] = [{"ref": "erp", "access": "read"}]
    assert "vendor-master-write" in _structural_failures("ap-invoice-processing", design)


def _carried_boundaries() -> list[tuple[str, str, str]]:
    """(pack, exemplar, checkpoint): the support pack's tickets carry personal data until they
    are redacted, and no agent may handle it."""
    slug = "support-triage-ai"
    return [(s, name, "pii-boundary") for s, name in exemplar_names() if s == slug]


@pytest.mark.parametrize(("slug", "name", "cp_id"), _carried_boundaries())
def test_an_agent_placed_before_the_redaction_handles_what_cases_carry(slug, name, cp_id):
    """Move the start to an agent step: it now reads tickets as they arrive, whatever its
    data_classes say; and so does every agent step a case can reach before a redaction."""
    design = exemplar(slug, name)
    assert cp_id not in _structural_failures(slug, design)
    agents = [s["id"] for s in design["steps"] if s["performer"]["type"] == "agent"]
    for agent in agents:
        moved = copy.deepcopy(design)
        moved["start"] = agent
        assert cp_id in _structural_failures(slug, moved), agent
