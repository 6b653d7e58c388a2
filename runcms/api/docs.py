"""The OpenAPI schema at /api/v1/schema/ and browsable docs at /api/docs/.

The site's Content-Security-Policy allows scripts and styles from our own origin only, so
Swagger UI comes from drf-spectacular-sidecar's static files, its start-up script is a
separate file (the "split" view) instead of an inline <script>, and the page's one small
inline <style> is allowed by its hash, on this page only.
"""

import base64
import hashlib
import re

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from runcms.api.errors import exception_handler
from runcms.api.throttling import AnonymousRateThrottle

_conditional = decorator_from_middleware(ConditionalGetMiddleware)
READ_ONLY = ["get", "head"]  # every other method gets a 405


@method_decorator([_conditional, cache_control(public=True, no_cache=True)], name="dispatch")
class SchemaView(SpectacularAPIView):
    """The schema changes only with a deploy: an ETag from its bytes, revalidated before each use."""

    throttle_classes = [AnonymousRateThrottle]
    http_method_names = READ_ONLY

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            # An error is the API's {"detail": "..."} in JSON, not a YAML document, whatever was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = response.accepted_renderer.media_type
        return response


@method_decorator(_conditional, name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """The docs page, and its start-up script at `?script`.

    GET and HEAD only: DRF would answer OPTIONS with its metadata, rendered by this
    view's HTML renderer, which has no template for it.
    """

    # Spectacular's page with <html lang>, which screen readers and the Nu checker need.
    template_name = "runcms/api_docs.html"
    throttle_classes = [AnonymousRateThrottle]
    http_method_names = READ_ONLY

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if "script" in request.GET:
                # The script holds this visitor's CSRF token: no shared cache may keep it.
                patch_cache_control(response, private=True, no_store=True)
            else:
                patch_cache_control(response, public=True, no_cache=True)
        if getattr(response, "template_name", None):
            # After rendering, and before the ETag's callback, which may turn it into a 304.
            response.add_post_render_callback(_allow_inline_styles)
        return response


def _allow_inline_styles(response):
    styles = re.findall(rb"<style>(.*?)</style>", response.content, re.DOTALL)
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'" for style in styles]
    if hashes:
        response._csp_update = {"style-src": hashes}  # read by django-csp's middleware
