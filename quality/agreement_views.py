"""The agreement statistics page (programme staff): the latest stored report, and a button that
asks a worker to compute a fresh one (never computed on page load)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.dispatch import send_after_commit

from . import agreement
from .workbench_views import senior_required


def _scenario(request) -> str:
    return (request.GET.get("scenario") or request.POST.get("scenario") or "").strip()[:80]


@require_GET
@senior_required
def agreement_page(request):
    slug = _scenario(request)
    report = agreement.report_latest(slug)
    names = agreement.grader_names(report) if report else {}
    graders = [
        {**row, "name": names.get(row["grader_id"], f"grader {row['grader_id']}")}
        for row in (report.figures.get("graders", []) if report else [])
    ]
    context = {
        "report": report,
        "scenario": slug,
        "criteria": report.figures.get("criteria", []) if report else [],
        "graders": graders,
    }
    return render(request, "quality/agreement/page.html", context)


@require_POST
@senior_required
def agreement_refresh(request):
    slug = _scenario(request)
    send_after_commit("quality.tasks.compute_agreement", slug)
    messages.info(request, "A worker is computing the statistics; reload in a moment.")
    url = redirect("quality-agreement").url
    return redirect(f"{url}?scenario={slug}" if slug else url)
