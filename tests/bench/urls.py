"""The app's URLs plus the comparison points a save is measured against (docs/benchmarks.md)."""

from django.urls import path

from examprep.urls import urlpatterns as app_urlpatterns
from tests.bench import views

urlpatterns = [
    *app_urlpatterns,
    path("bench/insert/", views.insert, name="bench_insert"),
    path("bench/floor/<int:pk>/<int:position>/", views.save_floor, name="bench_floor"),
]
