"""The candidate's time zone: stored in Preferences, remembered in the session, activated per
request so every {{ value|date }} and {{ value|time }} is shown in it."""

import zoneinfo

from django.utils import timezone

from accounts.models import Preferences, validate_time_zone

SESSION_KEY = "time_zone"
UNKNOWN = ""  # looked up, none stored: the browser is asked to report its zone


def time_zone_save(*, user, name: str, request=None) -> None:
    """Store the candidate's time zone (raises ValidationError for an unknown name)."""
    validate_time_zone(name)
    Preferences.objects.update_or_create(user=user, defaults={"time_zone": name})
    if request is not None:
        request.session[SESSION_KEY] = name


def _stored_zone(user) -> str:
    stored = Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return stored or UNKNOWN


def remember_time_zone(sender, request, user, **kwargs):
    """user_logged_in receiver: the session learns the candidate's zone at login."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _stored_zone(user)


def zone_for(request) -> str | None:
    """The stored zone name, UNKNOWN when none is stored, None for an anonymous visitor.

    Read at login (remember_time_zone); a session older than this feature reads it once.
    """
    if not request.user.is_authenticated:
        return None
    if SESSION_KEY not in request.session:
        request.session[SESSION_KEY] = _stored_zone(request.user)
    return request.session[SESSION_KEY]


class TimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = zone_for(request)
        request.time_zone_unknown = name == UNKNOWN
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
