from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Grading quality (issue 12): agreement statistics for double marking (helper G1) and
    calibration, appeals, item statistics, standard setting and similarity (helper G2).

    Reads assessments (models and selectors) and never writes to it: any write it needs goes
    through an assessments service. Nothing in assessments, scenarios or certification imports
    quality."""

    name = "quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Calibration gates live items in assessments' claim path through the named hook.
        from assessments.hooks import register_claim_gate

        from .calibration import claim_gate

        register_claim_gate(claim_gate)

        # Similarity: fingerprint each design once its attempt is decided (after grading).
        from assessments.hooks import register_decision_listener

        from . import (
            agreement_tasks,  # noqa: F401  (registers the agreement task, G1)
            angoff_tasks,  # noqa: F401  (registers the standard-setting adoption task)
            item_stats_tasks,  # noqa: F401  (registers the item statistics task)
            similarity_tasks,  # noqa: F401  (registers the similarity task)
        )
        from .similarity_services import on_decision

        register_decision_listener(on_decision)

        # Item statistics: count each decided or regraded attempt's reports into the sums.
        from assessments.hooks import register_regrade_listener

        from . import item_stats_services

        register_decision_listener(item_stats_services.on_decision)
        register_regrade_listener(item_stats_services.on_regrade)
