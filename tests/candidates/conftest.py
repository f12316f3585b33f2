from tests.assessments.conftest import (  # noqa: F401  (fixtures shared with the exam API tests)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
