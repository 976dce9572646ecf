from django.contrib import admin
from django.urls import include, path

from examprep import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("attempts.urls")),
]

# Errors raised outside a view (a session saved by its middleware, say) reach handler500; a
# database fault there still answers 503.
handler500 = "examprep.views.server_error"
