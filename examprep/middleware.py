from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the one exception the project needs: Django's admin sets a
    few inline style attributes, so under /admin/ (and only there) inline styles are allowed.
    Scripts stay same-origin everywhere; the policy itself is CONTENT_SECURITY_POLICY."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/") and parts.replace is None:
            parts.replace = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts
