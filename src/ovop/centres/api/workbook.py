"""The centres workbook in the API: template, export and all-or-nothing import (API.md).

``CentreWorkbookActions`` is mixed into ``CentreViewSet``, whose ``get_queryset`` gives the
centres the caller may see; the actions are thin wrappers over ``workbooks.exports`` and
``workbooks.imports``.
"""

import json

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from ovop.centres.workbooks.exports import XLSX_TYPE, export_centres, template_workbook
from ovop.centres.workbooks.imports import import_centres
from ovop.common.api import ViewSetMixinBase
from ovop.common.parsers import BoundedFormParser, BoundedMultiPartParser
from ovop.common.schema import FORBIDDEN
from ovop.common.workbooks.reader import Issue

TRUE_VALUES = {"1", "true", "yes", "on"}


class _DownloadRenderer(BaseRenderer):
    """Lets ``?format=csv|xlsx`` through DRF's content negotiation, which otherwise reads
    ``format`` as a renderer name and answers 404. The file itself is returned as a plain
    Django response and never rendered; only error bodies (401/403) come through here."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return b"" if data is None else json.dumps(data).encode()


class CsvDownloadRenderer(_DownloadRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxDownloadRenderer(_DownloadRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


DOWNLOAD_RENDERERS = [JSONRenderer, XlsxDownloadRenderer, CsvDownloadRenderer]

_ERRORS = inline_serializer(
    "CentreImportErrors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "CentreImportError",
                {
                    "sheet": serializers.CharField(),
                    "row": serializers.IntegerField(allow_null=True),
                    "column": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)
_SUMMARY = inline_serializer(
    "CentreImportSummary",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "dry_run": serializers.BooleanField(),
    },
)


class CentreWorkbookActions(ViewSetMixinBase):
    """Template, export and import of the centres workbook for ``CentreViewSet``."""

    def _require_import(self) -> None:
        if not self.request.user.has_perm("centres.import_centres"):
            raise exceptions.PermissionDenied(_("Only operators and administrators import sentra."))

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, 403: FORBIDDEN})
    @action(detail=False, methods=["get"], url_path="template")
    def template(self, request):
        """The empty workbook to fill in, with dropdowns and the caller's region codes."""
        self._require_import()
        return template_workbook(user=request.user)

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["xlsx", "csv"])],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path="export", renderer_classes=DOWNLOAD_RENDERERS)
    def export(self, request):
        """The centres the caller may see, with the columns the import reads."""
        file_format = "xlsx" if request.query_params.get("format") == "xlsx" else "csv"
        queryset = self.filter_queryset(self.get_queryset())
        return export_centres(user=request.user, queryset=queryset, file_format=file_format)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean"},
                },
                "required": ["file"],
            }
        },
        responses={200: _SUMMARY, 400: _ERRORS},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[BoundedMultiPartParser, BoundedFormParser],
    )
    def import_(self, request):
        """Import a workbook: 200 with counts, or 400 with every error and nothing written."""
        self._require_import()
        upload = request.FILES.get("file")
        if upload is None:
            message = _("Send the workbook as the multipart field “file”.")
            return _errors_response([Issue("", None, "file", message)])
        dry_run = str(request.data.get("dry_run", "")).strip().lower() in TRUE_VALUES
        result = import_centres(actor=request.user, file=upload, dry_run=dry_run)
        if not result.ok:
            return _errors_response(result.errors)
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "dry_run": result.dry_run,
            }
        )


def _errors_response(issues: list[Issue]) -> Response:
    return Response(
        {"errors": [issue.as_dict() for issue in issues]}, status=status.HTTP_400_BAD_REQUEST
    )
