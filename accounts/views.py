from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import TimeZoneForm
from accounts.throttle import client_address, throttle_hit
from accounts.timezones import time_zone_save

SIGNUPS_PAUSED = "Too many sign-ups from your network in the last hour. Please try again later."


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and throttle_hit(
        scope="signup",
        key=client_address(request) or "unknown",
        limit=settings.SIGNUP_LIMIT_PER_HOUR,
        window_seconds=3600,
    ):
        form.add_error(None, SIGNUPS_PAUSED)
        return render(request, "registration/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def time_zone(request):
    """Choose a time zone; the page's script also posts the browser's zone once (detected)."""
    form = TimeZoneForm(
        request.POST or None, initial={"time_zone": request.session.get("time_zone")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            time_zone_save(user=request.user, name=form.cleaned_data["time_zone"], request=request)
        except ValidationError as exc:
            form.add_error("time_zone", exc)
        else:
            if form.cleaned_data["detected"]:
                return HttpResponse(status=204)
            messages.success(request, f"Times are now shown in {form.cleaned_data['time_zone']}.")
            return redirect("time_zone")
    status = 422 if form.errors else 200
    return render(request, "registration/time_zone.html", {"form": form}, status=status)
