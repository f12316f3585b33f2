import json

from scenarios.engine import draw_variant, grade, simulate


def _resolved(pack, seed=1):
    return pack.resolve(draw_variant(pack, seed))


def test_simulate_takes_the_pack_and_a_variant(ap_pack, ap_exemplar):
    variant = draw_variant(ap_pack, 1)
    from_pack = simulate(ap_pack, variant, ap_exemplar, seed=1, count=200)
    from_data = simulate(ap_pack.data, variant, ap_exemplar, seed=1, count=200)
    assert from_pack.metrics == from_data.metrics
    assert from_pack.metrics["cases"] == 200


def test_same_seed_same_report_byte_for_byte(ap_pack, ap_exemplar):
    first = json.dumps(grade(ap_pack, 5, ap_exemplar).to_dict(), sort_keys=True)
    second = json.dumps(grade(ap_pack, 5, ap_exemplar).to_dict(), sort_keys=True)
    assert first == second


def test_different_seeds_give_different_runs(ap_pack, ap_exemplar):
    a = simulate(ap_pack, draw_variant(ap_pack, 1), ap_exemplar, seed=1).metrics
    b = simulate(ap_pack, draw_variant(ap_pack, 1), ap_exemplar, seed=2).metrics
    assert a != b


def test_every_case_finishes_and_keeps_its_path(ap_pack, ap_exemplar):
    result = simulate(ap_pack, draw_variant(ap_pack, 1), ap_exemplar, seed=1, count=300)
    assert len(result.cases) == 300
    assert {r.outcome for r in result.cases} <= {"completed", "completed_with_error", "rejected"}
    trace = result.case_trace(result.cases[0])
    assert trace["path"][0] == "extract" and trace["path"][-1] in ("pay", "investigate")


def test_fewer_staff_means_longer_queues(ap_pack, ap_exemplar):
    pack = _resolved(ap_pack)
    normal = simulate(pack, {}, ap_exemplar, seed=1, count=800).metrics
    for role in pack["roles"]:
        if role["id"] == "ap-clerk":
            role["headcount"] = 1
    starved = simulate(pack, {}, ap_exemplar, seed=1, count=800).metrics
    assert starved["cycle_time_p90_hours"] > 5 * normal["cycle_time_p90_hours"]
    assert starved["utilisation"]["ap-clerk"] > normal["utilisation"]["ap-clerk"]


def test_a_rework_loop_that_never_passes_is_cut_off(ap_pack, ap_exemplar):
    # The approval always rejects (everything is reviewed, detection is certain, and the
    # rework step never fixes anything): each case must stop at the visit cap, not spin.
    pack = _resolved(ap_pack)
    pack["detection"]["coding"] = {"approval": 1.0}
    pack["roles"][0]["errors"] = {"coding": 1.0}
    steps = {s["id"]: s for s in ap_exemplar["steps"]}
    steps["approve"]["coverage"] = {"mode": "all"}
    steps["approve"]["on_reject"] = "code"
    result = simulate(pack, {}, ap_exemplar, seed=1, count=50)
    reaching_approval = [r for r in result.cases if 9 in r.path]  # step 9 is "approve"
    assert reaching_approval
    assert {(r.outcome, r.reason) for r in reaching_approval} == {("unfinished", "looping")}
    assert all(len(r.path) <= 41 for r in result.cases)


def test_agent_abstention_without_escalation_drops_cases(ap_pack, ap_exemplar):
    del ap_exemplar["steps"][0]["escalation"]
    result = simulate(ap_pack, draw_variant(ap_pack, 1), ap_exemplar, seed=1, count=1000)
    dropped = [r for r in result.cases if (r.outcome, r.reason) == ("unfinished", "dropped")]
    assert dropped and result.metrics["failed_case_rate"] == round(len(dropped) / 1000, 4)


def test_robustness_curve_shows_which_design_holds_as_the_agent_gets_worse(ap_pack):
    from scenarios.engine import robustness
    from scenarios.engine.selftest import design_of

    data = ap_pack.resolve(draw_variant(ap_pack, 1))
    guarded = robustness(ap_pack, 1, design_of(data, "agent-extraction-with-callback"))
    unguarded = robustness(ap_pack, 1, design_of(data, "unguarded-agent"))
    assert [p["agent_error_factor"] for p in guarded] == [1.0, 1.5, 2.0, 3.0]
    assert guarded == robustness(ap_pack, 1, design_of(data, "agent-extraction-with-callback"))
    # Without a confidence route, the extra agent errors escape to payment.
    assert unguarded[-1]["error_escape_rate"] > unguarded[0]["error_escape_rate"]
    assert unguarded[-1]["error_escape_rate"] > guarded[-1]["error_escape_rate"]
    # With one, more work goes to people instead.
    assert guarded[-1]["cost_per_case"] > guarded[0]["cost_per_case"]
