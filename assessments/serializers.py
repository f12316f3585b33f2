from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scenarios.engine import candidate_view

from .models import (
    Attempt,
    Certification,
    CertificationDecision,
    Escalation,
    Exam,
    GradingJob,
    HumanScore,
    Regrade,
    RegradeBatch,
    RegradeBatchItem,
)
from .selectors import attempt_summary, credential_of_decision
from .services.jobs import design_for_job


class CertificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ("slug", "name", "level", "description", "blueprint", "cut_score", "validity_days")


class ExamOutputSerializer(serializers.ModelSerializer):
    certification = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Exam
        fields = (
            "slug",
            "title",
            "certification",
            "time_limit_minutes",
            "max_attempts",
            "window_days",
            "cooldown_hours_after_fail",
            "on_deadline",
        )


class AttemptPartOutputSerializer(serializers.Serializer):
    scenario_version_id = serializers.IntegerField(
        help_text="The published scenario version's id: the one to use in drafts/<id>/ and "
        "in submit's designs. Not its version number (see version)."
    )
    scenario = serializers.CharField()
    version = serializers.IntegerField(help_text="The scenario's version number.")
    title = serializers.CharField()
    brief = serializers.CharField()
    variant = serializers.DictField()
    draft = serializers.DictField(allow_null=True)


class AttemptListOutputSerializer(serializers.Serializer):
    """An attempt in a list. The detail adds its parts; both read
    ``selectors.attempt_summary``, so their states always agree."""

    id = serializers.UUIDField()
    exam = serializers.CharField(source="exam.slug", help_text="The exam's slug.")
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    grading_status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    auto_submitted = serializers.BooleanField()

    def to_representation(self, instance):
        if isinstance(instance, Attempt):
            instance = attempt_summary(instance)
        return super().to_representation(instance)


class AttemptOutputSerializer(AttemptListOutputSerializer):
    parts = AttemptPartOutputSerializer(many=True)


class DraftInputSerializer(serializers.Serializer):
    design = serializers.JSONField()


class DraftOutputSerializer(serializers.Serializer):
    saved_at = serializers.DateTimeField()


class SubmitInputSerializer(serializers.Serializer):
    designs = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="{scenario_version_id: design}; omitted = the latest saved drafts.",
    )


class JobOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="For staff: POST admin/grading-jobs/<id>/retry/.")
    scenario = serializers.CharField(source="scenario_version.scenario.slug")
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    engine_version = serializers.CharField()


class CredentialLinkOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField(help_text="The credential's public page (and its JSON).")
    status = serializers.CharField()


class DecisionOutputSerializer(serializers.ModelSerializer):
    certification = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    credential = serializers.SerializerMethodField(
        help_text="The credential this decision issued (null until issued, and for a fail)."
    )

    class Meta:
        model = CertificationDecision
        fields = (
            "id",
            "certification",
            "outcome",
            "critical_passed",
            "total",
            "cut_score",
            "domain_scores",
            "decided_at",
            "rationale",
            "reversed_at",
            "reversal_reason",
            "credential",
        )

    @extend_schema_field(CredentialLinkOutputSerializer(allow_null=True))
    def get_credential(self, decision) -> dict | None:
        return credential_of_decision(decision)


class AttemptResultOutputSerializer(serializers.Serializer):
    """Grading results. Reports are shown as a candidate may see them (no hidden-case labels,
    parameters or counts: scenarios.engine.candidate_view) unless the context says
    ``staff=True``, so a page that forgets to say who is reading shows less, not more."""

    grading_status = serializers.CharField()
    jobs = JobOutputSerializer(many=True)
    reports = serializers.SerializerMethodField()
    decision = DecisionOutputSerializer(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_reports(self, result) -> list:
        if self.context.get("staff"):
            return result["reports"]
        return [candidate_view(report) for report in result["reports"]]


class HumanItemOutputSerializer(serializers.ModelSerializer):
    """What a grader sees: the criterion, its levels and the design, never who wrote it."""

    scenario = serializers.CharField(source="report.scenario_version.scenario.slug")
    criterion = serializers.SerializerMethodField()
    design = serializers.SerializerMethodField()

    class Meta:
        model = HumanScore
        fields = (
            "id",
            "scenario",
            "checkpoint_id",
            "max_points",
            "status",
            "lease_expires_at",
            "due_at",
            "criterion",
            "design",
        )

    def get_criterion(self, obj) -> dict:
        cp = next(
            c for c in obj.report.engine_report["checkpoints"] if c["id"] == obj.checkpoint_id
        )
        return {
            "title": cp["title"],
            "domain": cp["domain"],
            "levels": cp["evidence"].get("levels", []),
            "reads": cp["evidence"].get("reads", []),
        }

    def get_design(self, obj) -> dict:
        return design_for_job(obj.report.job)


class ScoreInputSerializer(serializers.Serializer):
    points = serializers.FloatField(min_value=0)
    comment = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class EscalationOutputSerializer(serializers.ModelSerializer):
    resolved_by = serializers.EmailField(source="resolved_by.email", default=None, read_only=True)

    class Meta:
        model = Escalation
        fields = (
            "id",
            "kind",
            "target_type",
            "target_id",
            "detail",
            "created_at",
            "resolved_at",
            "resolved_by",
            "resolution",
        )


class EscalationResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000)


class GradingJobStaffOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradingJob
        fields = (
            "id",
            "attempt",
            "scenario_version",
            "regrade",
            "status",
            "runs",
            "requested_at",
            "enqueued_at",
            "started_at",
            "finished_at",
            "engine_version",
            "error",
        )


class RegradePreviewInputSerializer(serializers.Serializer):
    to_latest = serializers.BooleanField(
        default=True,
        help_text="Grade against the latest published version of each scenario (false: replay "
        "against the attempt's own versions).",
    )


class RegradeInputSerializer(RegradePreviewInputSerializer):
    reason = serializers.CharField(max_length=2000)


class DecisionSummaryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    outcome = serializers.CharField()
    critical_passed = serializers.BooleanField()
    total = serializers.FloatField()


class CheckpointChangeOutputSerializer(serializers.Serializer):
    scenario = serializers.CharField()
    checkpoint = serializers.CharField()
    from_status = serializers.CharField(source="from", allow_null=True)
    to_status = serializers.CharField(source="to")


class RegradePreviewOutputSerializer(serializers.Serializer):
    attempt = serializers.UUIDField()
    scenario_version_ids = serializers.ListField(child=serializers.IntegerField())
    engine_version = serializers.CharField()
    current = DecisionSummaryOutputSerializer(allow_null=True)
    proposed = serializers.DictField()
    would_change = serializers.BooleanField()
    outcome_flips = serializers.BooleanField()
    checkpoints_changed = CheckpointChangeOutputSerializer(many=True)


class RegradeOutputSerializer(serializers.ModelSerializer):
    requested_by = serializers.EmailField(source="requested_by.email", read_only=True)

    class Meta:
        model = Regrade
        fields = (
            "id",
            "attempt",
            "requested_by",
            "reason",
            "scenario_version_ids",
            "status",
            "result",
            "previous_decision",
            "new_decision",
            "requested_at",
            "finished_at",
        )


class RegradeBatchInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="What was fixed in the rubric, and why (goes to every regrade)."
    )


class RegradeBatchOutputSerializer(serializers.ModelSerializer):
    scenario = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    target_version = serializers.IntegerField(source="target_version.version", read_only=True)
    requested_by = serializers.EmailField(source="requested_by.email", read_only=True)
    applied_by = serializers.EmailField(source="applied_by.email", read_only=True, default=None)
    attempts = serializers.SerializerMethodField()
    previewed = serializers.SerializerMethodField()

    class Meta:
        model = RegradeBatch
        fields = (
            "id",
            "scenario",
            "target_version",
            "status",
            "reason",
            "attempts",
            "previewed",
            "summary",
            "requested_by",
            "requested_at",
            "previewed_at",
            "applied_by",
            "applied_at",
        )

    def get_attempts(self, batch) -> int:
        return len(batch.attempt_ids)

    def get_previewed(self, batch) -> int:
        return batch.items.count()


class RegradeBatchItemOutputSerializer(serializers.ModelSerializer):
    current = serializers.JSONField(source="preview.current", read_only=True, default=None)
    proposed = serializers.JSONField(source="preview.proposed", read_only=True, default=None)
    checkpoints_changed = serializers.JSONField(
        source="preview.checkpoints_changed", read_only=True, default=list
    )
    error = serializers.CharField(source="preview.error", read_only=True, default=None)

    class Meta:
        model = RegradeBatchItem
        fields = (
            "attempt",
            "effect",
            "current",
            "proposed",
            "checkpoints_changed",
            "error",
            "regrade",
            "skipped",
        )
