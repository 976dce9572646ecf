import logging

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the one exception the project needs: Django's admin sets a
    few inline style attributes, so under /admin/ (and only there) inline styles are allowed.
    Scripts stay same-origin everywhere; the policy itself is CONTENT_SECURITY_POLICY."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and parts.replace is None:
            parts.replace = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts


RETRY_AFTER_SECONDS = 10
UNAVAILABLE_TEXT = "Not saved: the service is briefly unavailable. Retrying…"


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After. Rendered without the request: no context processor, no session,
    no user, since any of them would ask the database that is down."""
    if getattr(request, "htmx", False):
        # The exam room shows this text in its save status and retries.
        response = HttpResponse(UNAVAILABLE_TEXT, status=503, content_type="text/plain")
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or out of connections (psycopg's pool gives up after
    DB_POOL_TIMEOUT seconds) answers 503 with Retry-After, not a 500 and a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            logger.error("database unavailable: %s", exception)
            return unavailable_response(request)
        return None


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or in any query or form name or value is refused with a 400.

    No honest client sends one, and PostgreSQL cannot store it in text: left alone it fails
    deep inside a query as a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return HttpResponseBadRequest(
                "The request contains a NUL character, which no form field accepts.",
                content_type="text/plain",
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    data = [request.GET]
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        data.append(request.POST)
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for query in data
        for name, values in query.lists()
    )
