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
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.views.decorators.cache import cache_control
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from runcms.api.throttling import AnonymousRateThrottle

# The schema changes only with a deploy: its ETag is a hash of its bytes.
_conditional = decorator_from_middleware(ConditionalGetMiddleware)


@method_decorator([_conditional, cache_control(public=True, no_cache=True)], name="dispatch")
class SchemaView(SpectacularAPIView):
    throttle_classes = [AnonymousRateThrottle]


class DocsView(SpectacularSwaggerSplitView):
    throttle_classes = [AnonymousRateThrottle]

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if getattr(response, "template_name", None) and request.method == "GET":
            response.render()
            styles = re.findall(rb"<style>(.*?)</style>", response.content, re.DOTALL)
            hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'" for style in styles]
            if hashes:
                response._csp_update = {"style-src": hashes}  # read by django-csp's middleware
        return response
