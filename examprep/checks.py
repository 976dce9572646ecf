"""System checks for configuration mistakes that Django's own checks do not catch."""

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ".localhost", "testserver"}


@register()
def debug_only_on_local_hosts(app_configs, **kwargs):
    """DEBUG pages show settings and source: never let a public host name reach them."""
    if not settings.DEBUG:
        return []
    public = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if not public:
        return []
    return [
        Error(
            f"DJANGO_DEBUG is on while ALLOWED_HOSTS includes {', '.join(public)}.",
            hint="Debug is for this machine only: unset DJANGO_DEBUG in production, or keep "
            "ALLOWED_HOSTS to 127.0.0.1,localhost.",
            id="examprep.E001",
        )
    ]
