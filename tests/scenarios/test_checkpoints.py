"""Each checkpoint kind can pass and can fail, with evidence that names what broke it."""

import pytest

from scenarios.engine import finalize, grade


def _cp(report, cp_id):
    return next(c for c in report["checkpoints"] if c["id"] == cp_id)


@pytest.fixture
def report_of(ap_pack):
    def run(design, seed=1):
        return grade(ap_pack, seed, design).to_dict()

    return run


def test_exemplar_passes_every_machine_checkpoint(report_of, ap_exemplar):
    report = report_of(ap_exemplar)
    assert all(c["status"] in ("pass", "pending", "partial") for c in report["checkpoints"])
    assert report["critical_failures"] == []
    assert report["decision"] == "awaiting_human"
    assert {p["id"] for p in report["pending_human"]} == {"rationale-controls", "rationale-change"}


def test_ungated_payment_path_is_the_evidence(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["coverage"] = {"mode": "sample", "rate": 0.5}
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail" and cp["critical"]
    assert cp["evidence"]["path"][-1] == "pay"
    assert "approve" in cp["evidence"]["path"]
    assert "amount" in cp["evidence"]["cases"]


def test_rule_coverage_below_the_threshold_leaves_a_gap(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    threshold = steps["approve"]["coverage"]["when"][0]["value"]
    steps["approve"]["coverage"]["when"][0]["value"] = threshold * 2
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail"
    assert f"< {threshold * 2:g}" in cp["evidence"]["cases"]["amount"]


def test_routing_large_invoices_around_the_approval_is_caught(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["dedupe"]["routes"].insert(
        0, {"when": [{"attr": "amount", "op": ">=", "value": 100000}], "to": "pay"}
    )
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail"
    assert cp["evidence"]["path"][-2:] == ["dedupe", "pay"]


def test_separation_and_privilege(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["update-bank"]["performer"] = {"type": "role", "ref": "ap-manager"}
    report = report_of(ap_exemplar)
    assert _cp(report, "segregation")["evidence"]["performers"] == ["role:ap-manager"]
    assert _cp(report, "vendor-master-write")["evidence"]["steps"] == ["update-bank"]


def test_data_class_boundary(report_of, ap_exemplar):
    ap_exemplar["steps"][0]["data_classes"].append("bank-details")
    cp = _cp(report_of(ap_exemplar), "bank-data-boundary")
    assert cp["status"] == "fail" and cp["evidence"]["steps"] == ["extract"]


def test_outcome_failure_carries_a_counterexample_trace(report_of, ap_exemplar):
    # Without the call-back route, fraudulent bank changes reach payment.
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["dedupe"]["routes"][1]["to"] = "update-bank"
    steps["exceptions"]["routes"][0]["to"] = "update-bank"
    cp = _cp(report_of(ap_exemplar), "fraud-caught")
    assert cp["status"] == "fail"
    trace = cp["evidence"]["counterexample"]
    assert trace["adversarial"] == "bank_detail_fraud"
    assert trace["attributes"]["bank_change"] is True
    assert trace["path"][-1] == "pay" and "bank_detail_fraud" in trace["escaped"]


def test_partial_credit_band(report_of, ap_exemplar, ap_pack):
    from scenarios.engine.checkpoints import _credit

    assert _credit(0.02, "<=", 0.03, [{"value": 0.045, "credit": 0.5}]) == 1.0
    assert _credit(0.04, "<=", 0.03, [{"value": 0.045, "credit": 0.5}]) == 0.5
    assert _credit(0.05, "<=", 0.03, [{"value": 0.045, "credit": 0.5}]) == 0.0


def test_missing_metrics_get_proportional_credit(report_of, ap_exemplar):
    ap_exemplar["metrics"] = ap_exemplar["metrics"][:2]
    cp = _cp(report_of(ap_exemplar), "monitoring")
    assert cp["status"] == "partial" and cp["points"] == pytest.approx(2 * 2 / 5)
    assert len(cp["evidence"]["missing"]) == 3


def test_finalize_decides_after_human_scores(report_of, ap_exemplar):
    report = report_of(ap_exemplar)
    passed = finalize(
        report, {"rationale-controls": {"points": 2}, "rationale-change": {"points": 1}}
    )
    assert passed["decision"] == "pass" and passed["pending_human"] == []
    assert report["decision"] == "awaiting_human", "finalize must not mutate its input"
    weak = finalize(
        report, {"rationale-controls": {"points": 0}, "rationale-change": {"points": 0}}
    )
    assert weak["total"] < passed["total"]
    assert _cp(weak, "rationale-controls")["status"] == "fail"
    assert _cp(weak, "rationale-controls")["feedback"]
    with pytest.raises(ValueError):
        finalize(report, {"rationale-controls": {"points": 99}})
    with pytest.raises(ValueError):
        finalize(report, {"payment-approval": {"points": 1}})
    for junk in ({"points": "lots"}, {"points": None}, {"points": float("nan")}, {}):
        with pytest.raises(ValueError):
            finalize(report, {"rationale-controls": junk})


def test_a_critical_failure_fails_whatever_the_total(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["coverage"] = {"mode": "sample", "rate": 0.9}
    report = finalize(
        report_of(ap_exemplar),
        {"rationale-controls": {"points": 2}, "rationale-change": {"points": 1}},
    )
    assert report["total"] >= report["cut_score"]
    assert report["decision"] == "fail"
    assert report["critical_failures"] == ["payment-approval"]


def test_a_rejected_invoice_that_can_still_be_paid_is_caught(report_of, ap_exemplar):
    # The approval checks every large invoice, but a rejection leads straight to payment.
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["on_reject"] = "pay"
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail"
    assert cp["evidence"]["path"][-2:] == ["approve", "pay"]


def test_an_approval_that_times_out_into_payment_is_caught(report_of, ap_exemplar):
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["escalation"] = {"to": "pay", "owner": "ap-manager", "timeout_minutes": 480}
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail"
    assert cp["evidence"]["path"][-2:] == ["approve", "pay"]


def test_an_escalation_to_a_second_approver_is_still_gated(report_of, ap_exemplar):
    ap_exemplar["steps"].append(
        {
            "id": "approve-controller",
            "kind": "approval",
            "action": "payment",
            "performer": {"type": "role", "ref": "finance-controller"},
            "owner": "finance-controller",
            "coverage": {"mode": "all"},
            "on_reject": "exceptions",
            "next": "pay",
        }
    )
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["escalation"] = {
        "to": "approve-controller",
        "owner": "ap-manager",
        "timeout_minutes": 480,
    }
    assert _cp(report_of(ap_exemplar), "payment-approval")["status"] == "pass"


def test_a_design_too_complex_to_verify_fails_the_graph_checkpoint(
    report_of, ap_exemplar, monkeypatch
):
    from scenarios.engine import paths

    assert _cp(report_of(ap_exemplar), "payment-approval")["status"] == "pass"
    monkeypatch.setattr(paths, "MAX_STATES", 3)
    cp = _cp(report_of(ap_exemplar), "payment-approval")
    assert cp["status"] == "fail" and "Simplify" in cp["evidence"]["explanation"]


def test_agent_step_without_a_confidence_route_escalation_or_metric(report_of, ap_exemplar):
    extract = ap_exemplar["steps"][0]
    assert _cp(report_of(ap_exemplar), "agent-guardrails")["status"] == "pass"
    extract["routes"][0]["when"][0]["value"] = 0.5  # below the pack's 0.8 floor
    del extract["escalation"]
    extract["metrics"] = []
    cp = _cp(report_of(ap_exemplar), "agent-guardrails")
    assert cp["status"] == "fail" and cp["critical"]
    (problem,) = cp["evidence"]["steps"]
    assert problem["step"] == "extract"
    assert len(problem["missing"]) == 3


def test_ownership_by_a_role_without_accountability(report_of, ap_exemplar):
    ap_exemplar["owner_after_go_live"] = "it-operations"
    ap_exemplar["steps"][0]["owner"] = "ap-clerk"
    cp = _cp(report_of(ap_exemplar), "ownership")
    assert cp["status"] == "fail"
    assert "owner_after_go_live is 'it-operations'" in cp["evidence"]["problems"]
    assert "agent step 'extract' is owned by 'ap-clerk'" in cp["evidence"]["problems"]


def test_big_bang_rollout_without_rollback(report_of, ap_exemplar):
    ap_exemplar["rollout"] = {"phases": [{"name": "go live", "mode": "full"}]}
    cp = _cp(report_of(ap_exemplar), "rollout")
    assert cp["status"] == "fail"
    assert {"no shadow phase", "no pilot phase", "no rollback plan"} <= set(
        cp["evidence"]["problems"]
    )


def test_improvement_over_baseline_is_measured_against_todays_process(report_of, ap_exemplar):
    good = _cp(report_of(ap_exemplar), "cost-reduction")
    # Every invoice keyed by hand again, on top of the agent: the saving disappears.
    ap_exemplar["steps"][0]["routes"][0]["when"][0]["value"] = 1.01
    worse = _cp(report_of(ap_exemplar), "cost-reduction")
    assert worse["evidence"]["baseline"] == good["evidence"]["baseline"]
    assert worse["evidence"]["value"] > good["evidence"]["value"]
    assert worse["evidence"]["improvement"] < good["evidence"]["improvement"]
    assert worse["points"] <= good["points"]  # credit follows the improvement by bands
    assert worse["evidence"]["counterexample"]["case_id"].startswith("INV-")


def test_slow_design_fails_the_cycle_time_checkpoint_with_the_slowest_case(ap_pack, ap_exemplar):
    from scenarios.engine import draw_variant

    # A check by the one finance controller (4 hours a day) on every invoice becomes the queue.
    ap_exemplar["steps"].append(
        {
            "id": "controller-check",
            "kind": "review",
            "task_type": "coding",
            "performer": {"type": "role", "ref": "finance-controller"},
            "owner": "finance-controller",
            "coverage": {"mode": "all"},
            "on_reject": "exceptions",
            "next": "approve",
        }
    )
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["dedupe"]["next"] = "controller-check"
    report = grade(ap_pack, 1, ap_exemplar).to_dict()
    cp = _cp(report, "cycle-time")
    assert cp["status"] in ("partial", "fail")
    assert cp["evidence"]["value"] > 72
    trace = cp["evidence"]["counterexample"]
    assert "controller-check" in trace["path"]
    assert trace["cycle_time_hours"] >= cp["evidence"]["value"]
    assert report["metrics"]["utilisation"]["finance-controller"] > 0.9
    assert draw_variant(ap_pack, 1) == report["variant"]


@pytest.mark.parametrize("seed", range(1, 11))
def test_a_cost_or_cycle_time_counterexample_is_never_a_caught_attack(ap_pack, ap_exemplar, seed):
    from scenarios import engine

    # Every invoice keyed by hand again, on top of the agent: the saving disappears.
    ap_exemplar["steps"][0]["routes"][0]["when"][0]["value"] = 1.01
    report = engine.grade(ap_pack, seed, ap_exemplar).to_dict()
    shown = [
        c["evidence"]["counterexample"]
        for c in report["checkpoints"]
        if c["kind"] in ("improvement_over_baseline", "metric_threshold")
        and c["evidence"].get("metric", "").startswith(("cost", "cycle_time"))
        and "counterexample" in c["evidence"]
    ]
    assert shown, "the costlier design should fall short of the cost checkpoint"
    assert all(trace.get("adversarial") is None for trace in shown)
