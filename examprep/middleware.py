from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send the project's Content-Security-Policy on every response that lacks one.

    Django's admin sets a few inline style attributes, so only under /admin/ are inline
    styles allowed; scripts stay same-origin everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_policy = settings.CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        policy = (
            self.admin_policy
            if request.path.startswith("/admin/")
            else settings.CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
