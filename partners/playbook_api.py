"""The playbook API: a firm's library under /api/v1/partners/<slug>/playbooks/ (the firm's
current members and managers; anyone else 404), and the author's share, own list and
withdrawal under /api/v1/partners/playbooks/."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import StandardPagination

from . import playbook_selectors as selectors
from . import playbooks


class PlaybookShareInputSerializer(serializers.Serializer):
    attempt = serializers.UUIDField()
    scenario = serializers.SlugField(help_text="The scenario's slug (one part of the exam).")
    organisation = serializers.SlugField(help_text="A firm where you are a current consultant.")
    consent = serializers.BooleanField(help_text="Must be true: you agree to share the design.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PlaybookMetricOutputSerializer(serializers.Serializer):
    label = serializers.CharField()
    design = serializers.FloatField(allow_null=True)
    today = serializers.FloatField(allow_null=True)


class PlaybookSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    workflow_type = serializers.CharField()
    scenario_title = serializers.CharField()
    author = serializers.CharField(source="author.full_name")
    rationale = serializers.DictField(child=serializers.CharField())
    outcomes = serializers.SerializerMethodField()
    shared_at = serializers.DateTimeField()

    def get_outcomes(self, playbook) -> PlaybookMetricOutputSerializer(many=True):
        return PlaybookMetricOutputSerializer(selectors.comparison(playbook), many=True).data


class PlaybookDetailOutputSerializer(PlaybookSummaryOutputSerializer):
    design = serializers.DictField()
    resources = serializers.DictField()


class MyPlaybookOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    scenario_title = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug")
    shared_at = serializers.DateTimeField()


class PlaybookLibraryView(APIView):
    """The firm's playbooks, newest first: ``?type=<scenario slug>``, ``?q=words`` (each word
    in the title, scenario or rationale). Paginated."""

    @extend_schema(
        operation_id="partners_playbook_library_list",
        responses={200: PlaybookSummaryOutputSerializer(many=True)},
    )
    def get(self, request, slug):
        firm = selectors.library_firm(user=request.user, slug=slug)
        found = selectors.library(
            firm=firm,
            query=request.GET.get("q", "")[:200],
            workflow_type=request.GET.get("type", "")[:50],
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(found, request, view=self)
        return paginator.get_paginated_response(
            PlaybookSummaryOutputSerializer(page, many=True).data
        )


class PlaybookDetailView(APIView):
    @extend_schema(responses={200: PlaybookDetailOutputSerializer})
    def get(self, request, slug, playbook_id):
        firm = selectors.library_firm(user=request.user, slug=slug)
        playbook = selectors.playbook_in_library(firm=firm, playbook_id=playbook_id)
        return Response(PlaybookDetailOutputSerializer(playbook).data)


class PlaybookShareView(APIView):
    """Share a passing design of yours with a firm where you are a consultant (``consent`` must
    be true). 201 with the playbook; 404 for another's attempt or a firm you are not in; 409
    ``not_passed`` or ``already_shared``."""

    @extend_schema(
        request=PlaybookShareInputSerializer,
        responses={201: PlaybookDetailOutputSerializer},
    )
    def post(self, request):
        data = PlaybookShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        playbook = playbooks.playbook_share(
            user=request.user,
            attempt_id=values["attempt"],
            scenario=values["scenario"],
            organisation_slug=values["organisation"],
            consent=values["consent"],
            title=values.get("title", ""),
        )
        return Response(PlaybookDetailOutputSerializer(playbook).data, status=201)

    @extend_schema(
        operation_id="partners_playbooks_mine_list",
        responses={200: MyPlaybookOutputSerializer(many=True)},
    )
    def get(self, request):
        """Your own shared playbooks."""
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.playbooks_of(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(MyPlaybookOutputSerializer(page, many=True).data)


class PlaybookWithdrawView(APIView):
    """Withdraw consent: the playbook's content is erased and it leaves the library (204)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, playbook_id):
        playbooks.playbook_withdraw(user=request.user, playbook_id=playbook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
