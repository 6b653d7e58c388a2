from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from rest_framework.routers import SimpleRouter

from runcms.api.docs import DocsView, SchemaView
from runcms.api.errors import not_found
from runcms.api.routes import registered_routes
from runcms.api.sync import SyncView
from runcms.api.views import IndexView
from runcms.health import healthz
from runcms.pages import public_page, robots_txt
from runcms.sitemaps import sitemap_view


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        # Resolved per request: the static manifest exists only after collectstatic.
        from django.templatetags.static import static

        return static("runcms/favicon.ico")


admin.site.site_header = "runcms"
admin.site.site_title = "runcms admin"
admin.site.index_title = "Coaching content"

# API v1 (PRODUCT.md, "API v1 contract"); route names are namespaced "api:", e.g. "api:drill-detail".
# The apps register their collections in `ready()` (runcms.api.routes).
api_router = SimpleRouter()
for prefix, viewset, basename in registered_routes():
    api_router.register(prefix, viewset, basename=basename)
api_v1 = [
    path("", IndexView.as_view(routes=[(prefix, name) for prefix, _, name in api_router.registry]), name="index"),
    *api_router.urls,
    path("sync/", SyncView.as_view(), name="sync"),
    path("schema/", SchemaView.as_view(), name="schema"),
]

handler400 = "runcms.request_limits.bad_request"  # a body too large or with too many fields, said plainly
handler500 = "runcms.api.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # answered by runcms.health.HealthCheckMiddleware
    path("favicon.ico", FaviconView.as_view()),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", public_page(sitemap_view), name="sitemap"),  # the sections the apps register
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/docs/", DocsView.as_view(url_name="api:schema"), name="api-docs"),
    re_path(r"^api/", not_found),
]
# Public pages: the default language at today's addresses, every other under /{lang}/ (e.g. /de/drills/…).
urlpatterns += i18n_patterns(
    path("", include("drills.urls")),  # /media/: files of public media only
    path("", include("articles.urls")),
    prefix_default_language=False,
)
