from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from runcms.health import healthz


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        # Resolved per request: the static manifest exists only after collectstatic.
        from django.templatetags.static import static

        return static("runcms/favicon.ico")


admin.site.site_header = "runcms"
admin.site.site_title = "runcms admin"
admin.site.index_title = "Coaching content"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
