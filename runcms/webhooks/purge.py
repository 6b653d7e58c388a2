"""CDN purges through webhooks: the public addresses each event makes stale, and the endpoint
RUNCMS_CDN_PURGE_URL asks for.

Every delivery lists in `urls` the object's page and API detail (in the default language),
under its slug now and, after a rename, the slug the endpoints were last told, since the old
address now redirects. With RUNCMS_CDN_PURGE_URL set, an endpoint of that name gets every event
like any other (signed, retried, logged); a small receiver or a CDN rule purges the `urls`.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from runcms.api.routes import registered_routes
from runcms.links import public_url
from runcms.webhooks.models import Endpoint, every_event

CDN_PURGE_NAME = "CDN purge (RUNCMS_CDN_PURGE_URL)"


def stale_urls(name, model, pk, slugs):
    """Absolute addresses (on RUNCMS_PUBLIC_BASE_URL) of object `pk`'s page and API detail under each slug."""
    route = next(((viewset, basename) for prefix, viewset, basename in registered_routes() if prefix == name), None)
    paths = []
    with translation.override(settings.LANGUAGE_CODE):
        for slug in dict.fromkeys(slugs or [None]):
            unsaved = model(pk=pk, **({"slug": slug} if slug else {}))
            if slug and hasattr(unsaved, "get_absolute_url"):
                paths.append(unsaved.get_absolute_url())
            if route and (value := getattr(unsaved, route[0].lookup_field)):
                paths.append(reverse(f"api:{route[1]}-detail", kwargs={route[0].lookup_field: value}))
    return [public_url(path) for path in dict.fromkeys(paths)]


def keep_cdn_purge_endpoint():
    """Make or update the endpoint of RUNCMS_CDN_PURGE_URL (an editor may still make it inactive)."""
    url = settings.RUNCMS_CDN_PURGE_URL
    if not url:
        return
    wanted = {"url": url, "events": every_event(), "collections": []}
    if settings.RUNCMS_CDN_PURGE_SECRET:
        wanted["secret"] = settings.RUNCMS_CDN_PURGE_SECRET
    endpoint = Endpoint.objects.filter(name=CDN_PURGE_NAME).first()
    if endpoint is None:
        Endpoint.objects.create(name=CDN_PURGE_NAME, **wanted)
    elif any(getattr(endpoint, field) != value for field, value in wanted.items()):
        Endpoint.objects.filter(pk=endpoint.pk).update(**wanted)
