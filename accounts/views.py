from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.throttle import client_address, throttle_hit

SIGNUPS_PAUSED = "Too many sign-ups from your network in the last hour. Please try again later."


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and throttle_hit(
        scope="signup",
        key=client_address(request),
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
