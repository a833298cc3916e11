"""The API schema documents the errors an operation can really answer (issue 23).

drf-spectacular documents only the success of each operation. The errors follow from how a
view is declared, so they are added here once rather than on every view (API.md, "Errors"):

- 401 wherever a credential is read: a missing one where sign-in is needed, a wrong token
  anywhere (even on public operations that still authenticate, such as the token itself);
- 403 on every change by a signed-in caller (roles, rules, CSRF for a session); reads that
  check a role declare ``403: FORBIDDEN`` themselves;
- 404 for an object in the path that is not visible, and for a page past the last one
  (an id the route refuses gets Django's HTML page, documented as ``text/html``);
- 400 for a body or a filter that does not validate (field → messages, or ``detail``);
- 409 on every change: a workflow action not allowed in the current state, a delete other
  records refuse, or a unique row someone else saved at the same moment;
- 415 for a body in a media type the operation does not parse;
- 429 where a throttle counts the calls (the token endpoint), with ``Retry-After``.

Codes a view declares itself are kept as they are.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS, AllowAny

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Messages by field name (a list, or an object for a nested field), "
    'or `{"detail": ...}` for the request as a whole.',
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {}}, {"type": "string"}, {"type": "object"}]
    },
}

# For a read that checks a role: ``@extend_schema(responses={200: ..., 403: FORBIDDEN})``.
FORBIDDEN = OpenApiResponse(ERROR_SCHEMA, description="Visible, but your role may not do this.")

# Query parameters that never answer 400: a bad page is a 404, a bad page size the default,
# a bad format a 404 (DRF's format override).
_LENIENT_PARAMETERS = {"page", "page_size", "format"}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, (schema_name, schema, description) in self._error_responses(operation).items():
            if code in responses:
                continue
            component = ResolvedComponent(
                name=schema_name,
                type=ResolvedComponent.SCHEMA,
                object=f"ovop.{schema_name}",
                schema=schema,
            )
            self.registry.register_on_missing(component)
            response = self._get_response_for_code(component.ref, code)
            response["description"] = description
            if code == "404" and self._has_path_parameters(operation):
                # An id the route's pattern refuses (``0.5``) never reaches the API: Django's
                # own page answers.
                response["content"]["text/html"] = {"schema": {"type": "string"}}
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before trying again.",
                    }
                }
            responses[code] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    @staticmethod
    def _has_path_parameters(operation: dict[str, Any]) -> bool:
        return any(parameter["in"] == "path" for parameter in operation.get("parameters", []))

    def _error_responses(self, operation: dict[str, Any]) -> dict[str, tuple]:
        view = self.view
        parameters = operation.get("parameters", [])
        in_path = self._has_path_parameters(operation)
        filters = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
        has_body = "requestBody" in operation
        changes = self.method not in SAFE_METHODS
        authenticates = bool(view.authentication_classes)
        public = all(
            isinstance(cls, type) and issubclass(cls, AllowAny) for cls in view.permission_classes
        )
        error = ("Error", ERROR_SCHEMA)
        errors: dict[str, tuple] = {}
        if has_body or filters - _LENIENT_PARAMETERS:
            errors["400"] = ("ValidationError", VALIDATION_ERROR_SCHEMA, "Invalid input.")
        if authenticates:
            errors["401"] = (*error, "No valid credentials.")
        if changes and not public:
            errors["403"] = (*error, "Visible, but your role may not do this.")
        if in_path or {"page", "format"} & filters:
            errors["404"] = (*error, "Not found, or not visible to you.")
        if changes and not public:
            errors["409"] = (*error, "Not allowed in the current state.")
        if has_body:
            errors["415"] = (*error, "Unsupported media type of the request body.")
        if view.throttle_classes:
            errors["429"] = (*error, "Too many requests.")
        return errors
