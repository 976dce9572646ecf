"""The app's URLs plus the baseline: the floor a save is compared with (docs/benchmarks.md)."""

from django.urls import path

from examprep.urls import urlpatterns as app_urlpatterns
from tests.bench import views

urlpatterns = [*app_urlpatterns, path("bench/insert/", views.insert, name="bench_insert")]
