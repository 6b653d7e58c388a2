"""Page helpers every app's public pages share.

Conditional GET, `public_page` (safe methods, caching, previews, the old-slug 301),
`page_meta` (what <head> says), an item's page (`shown_item`, `item_page`), a list page
(`list_page`: search words, pagination), and robots.txt.
"""

from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.http import require_safe

from runcms import kept_pages
from runcms.links import public_url
from runcms.preview import remember_preview_for_media, visible_queryset
from runcms.slugs import SlugMoved, get_by_slug

SITE_NAME = "runcms"
# Browsers and shared caches keep pages but revalidate them before every use, so after a
# save "View on site" shows the new page at once; an unchanged page costs a 304 (ETag).
PAGE_CACHING = {"public": True, "no_cache": True}
SEARCH_MAX_CHARS = 100


def conditional_get(view):
    """An ETag from the page's bytes, and 304 for a matching If-None-Match.

    As Django's ConditionalGetMiddleware, for HEAD too: the view renders the whole page
    either way (the server drops a HEAD's body), so its ETag is the GET's. No
    Last-Modified: a page also changes when time alone takes an embedded drill offline.
    """

    def revalidate(request, response):
        if response.status_code != 200 or response.streaming:
            return response
        if "no-store" in response.get("Cache-Control", ""):  # a preview: nothing to revalidate
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True):
            return revalidate(request, response)
        # A template response (the sitemap, the feed) gets its bytes later.
        response.add_post_render_callback(lambda rendered: revalidate(request, rendered))
        return response

    return wrapper


def public_page(view):
    """GET/HEAD only, revalidated before every use, conditional GET; 301 for an old slug.

    A preview is the editor's alone: never stored by a shared cache, never indexed.
    """

    @require_safe
    @conditional_get
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "preview" not in request.GET:
            kept = kept_pages.find(request)
            if kept is not None:
                return kept
        try:
            response = view(request, *args, **kwargs)
        except SlugMoved as moved:
            response = redirect_to_current_slug(request, moved.obj)
        if "preview" in request.GET:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
            remember_preview_for_media(request, response)
        else:
            patch_cache_control(response, **PAGE_CACHING)
            kept_pages.keep(request, response)
        return response

    return wrapper


def redirect_to_current_slug(request, obj):
    """301 to the object's current address: an old slug (rule 5), keeping the query."""
    url = obj.get_absolute_url()
    if request.GET:
        url += "?" + request.GET.urlencode()  # keeps ?preview= working across a rename
    return HttpResponsePermanentRedirect(url)


def page_meta(request, *, title, description, path, image=None, kind="website"):
    """What <head> says about a page: title, description, canonical link, sharing cards.

    `image` is a picture's context (`src`, `width`, `height`, `alt`; see the `picture` tag), or None.
    """
    shared = image or {"src": ""}
    return {
        "title": title,
        "document_title": f"{title} · {SITE_NAME}" if title != SITE_NAME else SITE_NAME,
        "site_name": SITE_NAME,
        "description": description,
        "canonical": public_url(path, request),
        "type": kind,
        "image": (
            {
                "url": public_url(shared["src"], request),
                "width": shared["width"],
                "height": shared["height"],
                "alt": shared["alt"],
            }
            if shared["src"]
            else None
        ),
        # A preview is the editor's; search results are not pages of their own.
        "noindex": "preview" in request.GET or bool(request.GET.get("q", "").strip()),
    }


def shown_item(request, queryset, slug):
    """The item of `queryset` an item's page shows at `slug`: a published one, or the draft a valid
    `?preview=` token opens (rule 1); an old slug raises `SlugMoved`, which `public_page` answers with a 301."""
    return get_by_slug(visible_queryset(queryset, request), slug)


def item_page(request, item, *, image=None, kind="website"):
    """What the page of one item (a drill, a program, an article) says of it in <head>, and whether it is a preview.

    `image` is the picture's context the page shares (see `page_meta`).
    """
    meta = page_meta(
        request, title=item.title, description=item.summary, path=item.get_absolute_url(), image=image, kind=kind
    )
    return {"preview": not item.is_live, "meta": meta}


def list_page(request, items, *, per_page, path, title, description, **params):
    """A list page's context: the requested page of `items` and its paging links (`paginate`, with
    `params` such as a category or search words), and what <head> says of it."""
    paging = paginate(request, items, per_page, path, **params)
    meta = page_meta(request, title=title, description=description, path=paging["canonical_path"])
    return {**paging, "meta": meta}


def search_text(request):
    """The search words of a list page's ?q=, as long as a search may be."""
    # Searched as the API searches (runcms.search): the same words find the same items.
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]


def paginate(request, queryset, per_page, path, **params):
    """The requested page (404 for a page that does not exist) and what the templates need."""
    try:
        page = Paginator(queryset, per_page).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(f"There is no such page: {error}") from error
    kept = {name: value for name, value in params.items() if value}
    # The canonical address keeps what picks the content (a category), not a search.
    chosen = {name: value for name, value in kept.items() if name != "q"}
    canonical = urlencode({**chosen, "page": page.number} if page.number > 1 else chosen)
    return {
        "page_obj": page,
        "page_query": f"{urlencode(kept)}&" if kept else "",
        "canonical_path": f"{path}?{canonical}" if canonical else path,
    }


@public_page
def robots_txt(request):
    """robots.txt: keeps crawlers out of the admin and previews, points them at the sitemap."""
    context = {"sitemap_url": public_url(reverse("sitemap"), request)}
    return render(request, "runcms/robots.txt", context, content_type="text/plain; charset=utf-8")
