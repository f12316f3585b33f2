import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "examples"


@pytest.mark.django_db
def test_selftest_command_passes_the_named_pack(capsys):
    call_command("scenario_selftest", "support-triage-ai")
    out = capsys.readouterr().out
    assert "support-triage-ai v2: ok" in out
    assert "FAIL" not in out


@pytest.mark.django_db
def test_selftest_command_exits_non_zero_on_a_broken_pack(tmp_path, settings, monkeypatch):
    from scenarios import services

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("slug: broken\nversion: 1\n")
    monkeypatch.setattr(services, "PACKS_DIR", tmp_path)
    with pytest.raises(CommandError):
        call_command("scenario_selftest")


@pytest.mark.django_db
def test_grade_design_prints_a_readable_report_for_a_flawed_design(capsys):
    call_command(
        "grade_design",
        scenario="ap-invoice-processing",
        design=str(EXAMPLES / "ap-flawed-sampled-approvals.json"),
        seed=1,
    )
    out = capsys.readouterr().out
    assert "Decision: FAIL" in out
    assert "payment-approval [critical]" in out
    assert "path: extract" in out


@pytest.mark.django_db
def test_grade_design_json_for_an_exemplar(capsys):
    call_command(
        "grade_design",
        "--json",
        scenario="ap-invoice-processing",
        design=str(EXAMPLES / "ap-exemplar.json"),
        seed=1,
    )
    report = json.loads(capsys.readouterr().out)
    assert report["decision"] == "awaiting_human"
    assert report["critical_failures"] == []


@pytest.mark.django_db
def test_grade_design_lists_problems_of_an_invalid_design(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1", "steps": []}')
    with pytest.raises(CommandError):
        call_command("grade_design", scenario="ap-invoice-processing", design=str(bad))
    assert "$.steps" in capsys.readouterr().out
