from django.contrib import admin

from config.admin import ReadOnlyAdmin

from .models import (
    Attempt,
    Certification,
    CertificationDecision,
    Escalation,
    Exam,
    ExamScenario,
    GradeReport,
    GradingJob,
    HumanScore,
    Regrade,
    RegradeBatch,
)


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "level", "cut_score", "validity_days")
    prepopulated_fields = {"slug": ("name",)}


class ExamScenarioInline(admin.TabularInline):
    model = ExamScenario
    extra = 0


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "certification",
        "time_limit_minutes",
        "max_attempts",
        "is_active",
    )
    inlines = [ExamScenarioInline]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("id", "exam", "candidate", "status", "started_at", "deadline", "submitted_at")
    list_filter = ("status", "exam")


@admin.register(GradingJob)
class GradingJobAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "attempt",
        "status",
        "runs",
        "regrade",
        "requested_at",
        "started_at",
        "finished_at",
    )
    list_filter = ("status",)


@admin.register(GradeReport)
class GradeReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "attempt", "scenario_version", "decision", "total", "created_at")


@admin.register(HumanScore)
class HumanScoreAdmin(ReadOnlyAdmin):
    list_display = ("id", "checkpoint_id", "status", "grader", "points", "due_at")
    list_filter = ("status",)


@admin.register(CertificationDecision)
class CertificationDecisionAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "certification", "outcome", "total", "decided_at", "reversed_at")
    list_filter = ("outcome",)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "target_type", "target_id", "created_at", "resolved_at", "resolved_by")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    list_display = ("id", "attempt", "status", "requested_by", "requested_at", "finished_at")
    list_filter = ("status",)


@admin.register(RegradeBatch)
class RegradeBatchAdmin(ReadOnlyAdmin):
    """Batch regrades are requested and applied through the API; here they are read."""

    list_display = ("id", "scenario", "target_version", "status", "requested_by", "requested_at")
    list_filter = ("status",)
