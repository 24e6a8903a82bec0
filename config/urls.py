from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import AccessConcernAcknowledgeApi, AccessConcernsApi, MeApi
from accounts.views import home
from config.health import healthz

api_v1 = [
    path("me/", MeApi.as_view(), name="api-me"),
    path("access-concerns/", AccessConcernsApi.as_view(), name="api-access-concerns"),
    path(
        "access-concerns/<int:concern_id>/acknowledge/",
        AccessConcernAcknowledgeApi.as_view(),
        name="api-access-concern-acknowledge",
    ),
    path("", include("casework.urls_api")),
    path("", include("recording.urls_api")),
    path("", include("risk.urls_api")),
    path("", include("orders.urls_api")),
    path("", include("protocol.urls_api")),
]

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("casework.urls")),
    path("recording/", include("recording.urls")),
    path("risk/", include("risk.urls")),
    path("orders/", include("orders.urls")),
    path("protocol/", include("protocol.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler500 = "config.errors.server_error"
