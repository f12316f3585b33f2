"""The W3C CCG VC API's verifier question, for any issuer: are the credential's proofs valid
(and is it within its dates, and not revoked or suspended where that can be known).

Unlike the verify page and the verification API, which answer the employer's question (did
Practica issue this, is it valid), this answers ``verified: true`` for a correctly signed
credential from any issuer, and reports an issuer this platform does not trust as a warning.
As a Data Integrity verifier allows, proofs by keys other than the issuer's (a witness, an
endorser) are accepted when every proof verifies and at least one is the issuer's; each one is
reported as a warning.

Result, in the VC API's words: ``checks`` names each check made, ``errors`` and ``warnings`` say
what failed and what could not be established (each as ``"<check>: <detail>"``).
"""

from datetime import datetime

from . import trust
from .vc.verify import FAIL, SKIPPED, UNKNOWN
from .verification import check_document

# Failing these does not make the proofs invalid: it is reported, not refused.
_WARN_ON_FAIL = frozenset({"issuer_trust"})


def verify_for_vc_api(credential: dict, *, now: datetime | None = None) -> dict:
    """``{verified, checks, warnings, errors}`` for ``credential``. Never raises for a bad
    credential: what is wrong with it is in ``errors``."""
    result = check_document(
        credential, now=now, issuer_trust=trust.PLATFORM, every_proof_by_issuer=False
    )
    checks, warnings, errors = [], [], []
    for check in result.checks:
        if check.outcome == SKIPPED:
            continue
        checks.append(check.name)
        line = f"{check.name}: {check.detail}"
        if check.outcome == UNKNOWN or (check.outcome == FAIL and check.name in _WARN_ON_FAIL):
            warnings.append(line)
        elif check.outcome == FAIL:
            errors.append(line)
    return {
        "verified": not errors,
        "checks": list(dict.fromkeys(checks)),
        "warnings": warnings,
        "errors": errors,
    }
