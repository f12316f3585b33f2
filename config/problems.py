"""Every error ``code`` the API answers with, explained once.

An error body names its code (``{"code": "not_found", ...}``); the credential API's problem
details also carry ``type``: ``<PUBLIC_BASE_URL>/problems/<code>``, which is the page rendered
from this registry. A code raised anywhere in the apps must be listed here
(``tests/config/test_problems.py`` scans the source for them), so a client that meets a new code
can always read what it means and what to do.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render


@dataclass(frozen=True)
class Problem:
    code: str
    status: int
    title: str
    explanation: str


_PROBLEMS = [
    # --- HTTP and request shape (every endpoint) ---------------------------------------------
    Problem(
        "not_found",
        404,
        "Not found",
        "Nothing at this URL, or nothing you may see: someone else's attempt answers 404 so "
        "that its existence is not confirmed. Check the path against the API docs at "
        "/api/v1/docs/; most endpoints end with a slash, the credential verification "
        "endpoints do not. When the same URL with (or without) a trailing slash exists, "
        "the error's detail says so.",
    ),
    Problem(
        "method_not_allowed",
        405,
        "Method not allowed",
        "The endpoint exists but does not accept this HTTP method; the Allow header lists "
        "the methods it does accept.",
    ),
    Problem(
        "not_authenticated",
        401,
        "Not authenticated",
        "Log in first: POST /api/v1/auth/token/ with your email and password returns a "
        "token; send it as 'Authorization: Token <token>'.",
    ),
    Problem(
        "authentication_failed",
        401,
        "Authentication failed",
        "The token or session was not accepted: it is wrong, was revoked by a log-out or a "
        "password change, or belongs to a deactivated account. Log in again.",
    ),
    Problem(
        "token_expired", 401, "Token expired", "API tokens expire. Log in again for a new one."
    ),
    Problem(
        "invalid_credentials",
        401,
        "Wrong email or password",
        "The email or password is wrong. Repeated failures lock the account for a while "
        "(see account_locked).",
    ),
    Problem(
        "account_locked",
        429,
        "Account locked",
        "Too many failed log-ins for this account: it is locked for retry_after_seconds (also "
        "the Retry-After header), and each further failure after that doubles the wait. Try "
        "again after it, or ask programme staff to lift it (docs/accounts.md).",
    ),
    Problem(
        "permission_denied",
        403,
        "Permission denied",
        "Your role may not do this (the API walkthrough's 'Who sees what' table lists "
        "what each role may do).",
    ),
    Problem(
        "throttled",
        429,
        "Too many requests",
        "You sent more requests than the limit allows (log-ins: 10 a minute; public "
        "verification: 60 a minute; see THROTTLE_* in .env.example). Wait "
        "retry_after_seconds (also the Retry-After header) and try again.",
    ),
    Problem(
        "parse_error",
        400,
        "Malformed request body",
        "The body is not valid JSON (or not valid for its Content-Type).",
    ),
    Problem(
        "invalid_json",
        400,
        "Not JSON",
        "The body (or the uploaded file) is not JSON in UTF-8, or it holds NaN or Infinity, "
        "or a number too large for a float. Send standard JSON (RFC 8259); the detail says "
        "where the parser stopped.",
    ),
    Problem(
        "json_too_deep",
        400,
        "JSON nested too deeply",
        "Arrays and objects in the body nest deeper than this platform accepts "
        "(JSON_MAX_DEPTH, 32 by default; a design needs about a dozen levels). It was refused "
        "before being parsed.",
    ),
    Problem(
        "json_invalid_text",
        400,
        "Text the platform does not store",
        "A key or string holds a NUL character (\\u0000) or a lone UTF-16 surrogate (such as "
        "\\ud800 without its pair), which cannot be stored or written as UTF-8. The detail "
        "gives its JSON path; remove the character or pair the surrogate.",
    ),
    Problem(
        "invalid_content_length",
        400,
        "Invalid Content-Length",
        "The Content-Length header is not a number of bytes.",
    ),
    Problem(
        "unsupported_media_type",
        415,
        "Unsupported media type",
        "Send JSON with 'Content-Type: application/json' (the credential upload also "
        "accepts a multipart file named 'credential').",
    ),
    Problem(
        "not_acceptable",
        406,
        "Not acceptable",
        "The Accept header asks for a format this endpoint does not produce; ask for "
        "application/json.",
    ),
    Problem(
        "invalid",
        400,
        "Invalid fields",
        "Some fields are missing or malformed; 'errors' maps each field to what is wrong.",
    ),
    Problem(
        "invalid_request",
        400,
        "Request refused",
        "A business rule refused the request; the detail says which.",
    ),
    Problem(
        "request_too_large",
        413,
        "Request too large",
        "The body is larger than this endpoint accepts, judged from its Content-Length "
        "before it is read: REQUEST_MAX_BODY_BYTES (2 MB) in general, 72 KB on the "
        "verification paths (a credential is at most 64 KB).",
    ),
    Problem(
        "conflict",
        409,
        "Conflict",
        "The request conflicts with the current state of the resource; read it again.",
    ),
    Problem(
        "bad_request",
        400,
        "Bad request",
        "The request could not be understood (for example a Host header this server "
        "does not answer for).",
    ),
    Problem(
        "server_error",
        500,
        "Server error",
        "Something went wrong on our side; it is logged. Try again later, and tell the "
        "programme team if it persists.",
    ),
    # --- exams and attempts -------------------------------------------------------------------
    Problem(
        "prerequisite_missing",
        400,
        "Prerequisite missing",
        "This exam requires another certification first.",
    ),
    Problem(
        "attempts_exhausted",
        403,
        "No attempts left",
        "You have used every attempt this exam allows within its window.",
    ),
    Problem(
        "cooldown",
        403,
        "Cooling-off period",
        "After a failed attempt the exam makes you wait before the next one; the detail "
        "says until when.",
    ),
    Problem("exam_closed", 400, "Exam closed", "The exam is not open for new attempts."),
    Problem(
        "exam_empty",
        400,
        "Exam has no scenarios",
        "The exam has no published scenario yet; programme staff must add one.",
    ),
    Problem(
        "scenario_unpublished",
        409,
        "Scenario not published",
        "A scenario the exam uses is not published (or was withdrawn).",
    ),
    Problem(
        "unknown_part",
        404,
        "Not a part of this attempt",
        "The scenario_version_id in the URL or in 'designs' is not one of this attempt's "
        "parts; read parts[].scenario_version_id from the attempt.",
    ),
    Problem(
        "invalid_design",
        400,
        "Invalid design",
        "The design does not validate against the scenario; 'errors' lists every problem "
        "with its JSON path. The attempt stays open: fix it and submit again.",
    ),
    Problem(
        "design_too_large",
        413,
        "Design too large",
        "The design is larger than the engine accepts; the detail gives the limit.",
    ),
    Problem(
        "invalid_version",
        400,
        "Invalid version",
        "?version= takes a published version number (a whole number).",
    ),
    Problem(
        "deadline_passed",
        409,
        "Deadline passed",
        "The attempt's time is up; saves and submits are refused. The sweeper submits the "
        "last saved drafts automatically.",
    ),
    Problem(
        "attempt_submitted",
        409,
        "Already submitted",
        "This attempt was already submitted (a double click, two tabs): only one submit ever wins.",
    ),
    Problem(
        "attempt_not_submitted",
        409,
        "Not submitted",
        "The attempt has not been submitted, so there is nothing to grade or regrade.",
    ),
    # --- grading --------------------------------------------------------------------------------
    Problem(
        "invalid_points",
        400,
        "Invalid points",
        "Points must be one of the criterion's rubric levels (see criterion.levels).",
    ),
    Problem(
        "not_claimed",
        409,
        "Item not claimed",
        "Claim the item before scoring it; your lease may have expired and the item gone "
        "back to the queue.",
    ),
    Problem("item_taken", 409, "Item taken", "Another grader holds this item."),
    Problem(
        "lease_expired",
        409,
        "Lease expired",
        "Your hold on this item ran out before you scored it: claim the next item again.",
    ),
    Problem(
        "already_marked",
        409,
        "Already marked by you",
        "You gave this double-marked item its first mark; its second mark must come from "
        "another grader, blind to yours.",
    ),
    Problem(
        "not_disputed",
        409,
        "Not awaiting adjudication",
        "Only an item whose two marks are more than one level apart is adjudicated, once.",
    ),
    Problem(
        "conflict_of_interest",
        403,
        "Conflict of interest",
        "Graders never score work from their own partner firm (or their own).",
    ),
    # --- programme staff ------------------------------------------------------------------------
    Problem(
        "resolution_required", 400, "Resolution required", "Say how the escalation was resolved."
    ),
    Problem("already_resolved", 409, "Already resolved", "This escalation is already resolved."),
    Problem(
        "job_not_failed",
        409,
        "Job has not failed",
        "Only a failed grading job can be retried (find them among the open escalations "
        "of kind job_failed).",
    ),
    Problem(
        "reason_required",
        400,
        "Reason required",
        "Reversals, regrades and credential actions need a reason for the audit trail.",
    ),
    Problem("already_reversed", 409, "Already reversed", "This decision was already reversed."),
    Problem(
        "regrade_pending",
        409,
        "Regrade in progress",
        "The attempt already has a regrade in progress; wait for it to finish.",
    ),
    Problem(
        "batch_running",
        409,
        "Batch already running",
        "One batch regrade runs per scenario at a time; finish or wait for the current one.",
    ),
    Problem(
        "batch_not_previewed",
        409,
        "Batch not previewed",
        "A batch can only be applied once every attempt in it has been previewed.",
    ),
    Problem(
        "invalid_filter",
        400,
        "Invalid filter",
        "A query parameter has a value the endpoint does not know; the detail lists the "
        "accepted values.",
    ),
    # --- credentials ----------------------------------------------------------------------------
    Problem(
        "invalid_credential_id",
        400,
        "Not a credential ID",
        "A credential ID is a UUID: the last part of the credential's URL.",
    ),
    Problem(
        "not_a_credential",
        400,
        "Not a credential",
        "The upload is not a credential document: send the credential JSON itself as the "
        'body (not wrapped in {"credential": ...}), or upload the file as a multipart '
        "part named 'credential' (curl -F credential=@credential.json).",
    ),
    Problem(
        "invalid_transition",
        409,
        "Invalid state change",
        "The credential is not in a state that allows this action (for example revoking "
        "a credential already revoked).",
    ),
    # --- partner firms, playbooks, bulk verification and webhooks -----------------------------
    Problem(
        "firm_not_found",
        404,
        "No such firm",
        "No partner firm with that name that you may see: a manager sees the firms they "
        "manage, a playbook library is for the firm's current members. Another firm answers "
        "404 so that its existence is not confirmed.",
    ),
    Problem(
        "attempt_not_found",
        404,
        "No such attempt",
        "No attempt with that ID that is yours (or the ID is not a UUID).",
    ),
    Problem(
        "design_not_found",
        404,
        "No design for that scenario",
        "The attempt did not submit a design for that scenario: name the scenario by its slug, "
        "as in the attempt's report.",
    ),
    Problem(
        "consent_required",
        400,
        "Consent required",
        "A design is shared with a firm only with its author's explicit consent: tick the box "
        'on the results page, or send "consent": true.',
    ),
    Problem(
        "not_passed",
        409,
        "Not a passing design",
        "Only a design whose attempt passed (and whose decision was not reversed) can be "
        "shared as a playbook.",
    ),
    Problem(
        "already_shared",
        409,
        "Already shared",
        "This design is already a playbook of that firm. Withdraw it first to share it again.",
    ),
    Problem(
        "playbook_not_found",
        404,
        "No such playbook",
        "No playbook with that ID in this library, or it was withdrawn (its content is "
        "erased), or its decision was reversed. Only the author may withdraw a playbook.",
    ),
    Problem(
        "invalid_items",
        400,
        "Invalid list of credentials",
        'Bulk verification takes {"credentials": [...]}: a non-empty list of credential IDs, '
        "credential URLs or credential documents.",
    ),
    Problem(
        "too_many_items",
        413,
        "Too many credentials",
        "Bulk verification takes at most BULK_VERIFY_MAX_ITEMS credentials a request (10,000 "
        "by default): split the list.",
    ),
    Problem(
        "invalid_csv",
        400,
        "Not a CSV file",
        "The upload must be UTF-8 CSV text with one credential ID or URL in the first column "
        "of each row.",
    ),
    Problem("no_file", 400, "No file", "Choose the CSV file of credential IDs or URLs to upload."),
    Problem(
        "webhook_not_found",
        404,
        "No such webhook",
        "No webhook subscription with that ID that you may see: a manager sees those of the "
        "firms they manage.",
    ),
    Problem(
        "delivery_not_found",
        404,
        "No such delivery",
        "No delivery with that ID in this webhook's log.",
    ),
    Problem(
        "invalid_webhook_url",
        400,
        "Webhook URL refused",
        "A webhook URL must be https:// and reach a public address (not localhost or a "
        "private network).",
    ),
    Problem(
        "invalid_webhook_events",
        400,
        "Unknown webhook events",
        "events: one or more of issued, renewed, revoked, suspended, unsuspended, expiring_soon, "
        "expired.",
    ),
    Problem(
        "organisation_required",
        400,
        "Firm required",
        "A partner manager's webhook names the firm (organisation) whose consultants' "
        "credentials it hears about; only programme admins may subscribe to every credential.",
    ),
    Problem(
        "webhook_disabled",
        409,
        "Webhook disabled",
        "The endpoint was disabled after repeated failures (or deleted): fix it, enable it "
        "(POST .../enable), then redeliver what it missed from the delivery log.",
    ),
    # --- Partner firms: invitations and memberships (docs/partners.md) ---------------------
    Problem(
        "invalid_email",
        400,
        "Email address required",
        "Give the email address of the consultant to invite.",
    ),
    Problem(
        "already_member",
        409,
        "Already a member",
        "That address already belongs to a current consultant of the firm: nothing to invite.",
    ),
    Problem(
        "invitation_not_found",
        404,
        "Invitation link not valid",
        "No invitation matches this link: check it was copied whole, or ask the firm's manager "
        "for a new one.",
    ),
    Problem(
        "invitation_used",
        409,
        "Invitation already answered",
        "An invitation link works once: it was accepted, declined or cancelled (a newer "
        "invitation to the same address cancels the older). Ask the firm for a new one.",
    ),
    Problem(
        "invitation_expired",
        409,
        "Invitation expired",
        "The link's time ran out (14 days by default): ask the firm's manager to invite you again.",
    ),
    Problem(
        "invitation_other_address",
        403,
        "Invitation for another address",
        "Only the invited address may accept: sign out and sign in with the address the "
        "invitation was sent to.",
    ),
    Problem(
        "account_exists",
        409,
        "Account exists",
        "An account already uses the invited address: sign in with it to accept.",
    ),
    Problem("name_required", 400, "Name required", "Give your name to create the account."),
    Problem(
        "weak_password",
        400,
        "Password too weak",
        "The password was refused by the password rules (length, not too common, not all "
        "digits, not like your name or address); the detail says which.",
    ),
    Problem(
        "membership_not_found",
        404,
        "No such membership",
        "No membership with that ID in this firm (or of yours): memberships of other firms are "
        "not shown.",
    ),
    Problem(
        "membership_ended",
        409,
        "Membership already ended",
        "The membership has already ended; its history stays. Invite the person again to "
        "start a new one.",
    ),
    Problem(
        "not_appealable",
        409,
        "Nothing to appeal",
        "Appeals are for a standing decision that did not certify you, within the appeal window (QUALITY_APPEAL_WINDOW_DAYS, 30 days by default) of the decision.",
    ),
    Problem(
        "already_appealed",
        409,
        "Already appealed",
        "This decision was appealed already; follow the appeal on your results page.",
    ),
    Problem("reason_too_long", 400, "Reason too long", "Keep the reason under 5,000 characters."),
    Problem(
        "reviewer_conflict",
        403,
        "Reviewer not independent",
        "An appeal's reviewer must not have graded or decided the attempt and must share no partner firm with the candidate (docs/quality/appeals.md).",
    ),
    Problem(
        "not_your_appeal",
        403,
        "Assigned to someone else",
        "Only the appeal's assigned reviewer decides it; programme staff can reassign it.",
    ),
    Problem("appeal_decided", 409, "Appeal decided", "This appeal has its outcome already."),
    Problem(
        "decision_changed",
        409,
        "Decision replaced",
        "The appealed decision was replaced since the appeal was filed (a regrade or a reversal); read the new decision first.",
    ),
    Problem(
        "invalid_outcome",
        400,
        "Unknown outcome",
        "An appeal's outcome is upheld, regraded or overturned.",
    ),
    Problem(
        "appeal_not_found",
        404,
        "No such appeal",
        "The appeal does not exist or is not yours to see.",
    ),
    Problem(
        "reviewer_not_found", 404, "No such reviewer", "Name an existing user as the reviewer."
    ),
    Problem(
        "no_attempt",
        409,
        "Not on an attempt",
        "Only a decision recorded on an attempt can be overturned on appeal.",
    ),
    Problem(
        "calibration_required",
        403,
        "Calibrate first",
        "Live items reach a grader once their latest calibration scores are within tolerance: score calibration items first (docs/quality/calibration.md).",
    ),
    Problem(
        "calibration_due",
        403,
        "Calibration check due",
        "Score one more calibration item before your next live item.",
    ),
    Problem(
        "not_scored", 409, "Not scored", "Only a scored human item can become a calibration item."
    ),
    Problem(
        "duplicate",
        409,
        "Already done",
        "This was recorded already (a calibration item, or your score of it).",
    ),
    Problem(
        "calibration_item_not_found",
        404,
        "No such calibration item",
        "The calibration item does not exist or is retired.",
    ),
    Problem("item_not_found", 404, "No such item", "The human-scored item does not exist."),
    Problem(
        "no_report",
        404,
        "No agreement statistics yet",
        "Agreement statistics have not been computed; POST to the same address to compute them.",
    ),
    Problem(
        "not_computed",
        404,
        "Not computed yet",
        "These statistics have not been computed; POST to the same address to compute them.",
    ),
    Problem(
        "scenario_not_found",
        404,
        "No such scenario version",
        "No published version of that scenario (or with that version number).",
    ),
    Problem("pair_not_found", 404, "No such pair", "The flagged pair of designs does not exist."),
    Problem("invalid_verdict", 400, "Unknown verdict", "A flagged pair is confirmed or dismissed."),
    Problem(
        "already_reviewed", 409, "Already reviewed", "This pair of designs was reviewed already."
    ),
    # --- Standard setting (modified Angoff; docs/quality/standard-setting.md) ----------------
    Problem(
        "staff_only", 403, "Programme staff only", "Only programme staff run standard setting."
    ),
    Problem(
        "study_not_found",
        404,
        "No such study",
        "The standard-setting study does not exist, or you are not on its panel.",
    ),
    Problem(
        "study_not_open",
        409,
        "Study not open",
        "The study is closed, adopted or discarded: its panel and ratings no longer change.",
    ),
    Problem(
        "not_a_panelist_role",
        400,
        "Not a panelist",
        "Panelists are graders or programme staff; candidates and partner managers are not.",
    ),
    Problem(
        "invalid_ratings",
        400,
        "Ratings to fix",
        "Rate every non-critical checkpoint, and only those, with a number from 0 to 100; "
        "errors lists each checkpoint to fix.",
    ),
    Problem(
        "round_two_started", 409, "Round 2 already", "The study is in its second round already."
    ),
    Problem("no_ratings", 409, "Nobody has rated", "Wait for at least one panelist's ratings."),
    Problem(
        "study_not_discardable",
        409,
        "Cannot discard",
        "An adopted (or already discarded) study stays as it is.",
    ),
    Problem(
        "study_not_closed",
        409,
        "Study not closed",
        "Close the study (which freezes its ratings) before adopting it.",
    ),
    Problem(
        "too_few_raters",
        409,
        "Too few raters",
        "The final round has fewer raters than QUALITY_ANGOFF_MIN_RATERS (3): a cut score from "
        "so few opinions is not adopted. Discard it and run a study with a larger panel.",
    ),
    Problem(
        "cut_score_refused",
        409,
        "Cut score refused",
        "The scenario version with this cut score fails its rubric self-test (an exemplar "
        "would fail or a flawed design pass); errors lists the items. Nothing was published.",
    ),
    Problem(
        "version_superseded",
        409,
        "Version superseded",
        "The study's scenario version is no longer the latest: adopting it would undo the "
        "later version's changes. Run the study again on the latest version.",
    ),
    Problem(
        "invalid_cut_score", 400, "Invalid cut score", "A cut score is above 0 and at most 100."
    ),
    Problem("user_not_found", 404, "No such person", "Nobody has that email address."),
    Problem(
        "not_on_panel",
        403,
        "Not on the panel",
        "Only the study's panelists rate it; programme staff invite themselves to rate too.",
    ),
    Problem(
        "practice_scenario",
        400,
        "Practice scenario",
        "A practice scenario decides nothing, so it has no cut score to set: choose a "
        "certification scenario.",
    ),
]

PROBLEMS: dict[str, Problem] = {p.code: p for p in _PROBLEMS}


def problem_index(request):
    return render(request, "problems.html", {"problems": _PROBLEMS})


def problem_page(request, code: str):
    problem = PROBLEMS.get(code)
    if problem is None:
        raise Http404
    return render(request, "problem.html", {"problem": problem})
