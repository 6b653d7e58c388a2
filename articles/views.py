"""The public site: home, article, drill, program and topic pages, and robots.txt.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from functools import wraps
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.http import require_safe

from articles.embeds import expand_body, in_embed_order
from articles.models import Article, Topic
from articles.structured_data import article_data, drill_data
from articles.templatetags.pages import picture_context
from drills.models import Category, CueKind, Drill, Program
from runcms.links import public_url
from runcms.preview import remember_preview_for_media, visible_queryset
from runcms.search import search
from runcms.slugs import SlugMoved, get_by_slug

SITE_NAME = "runcms"
SITE_DESCRIPTION = "Running technique articles and the drills that teach it, with the cues a coach would give you."
# Browsers and shared caches keep pages but revalidate them before every use, so after a
# save "View on site" shows the new page at once; an unchanged page costs a 304 (ETag).
PAGE_CACHING = {"public": True, "no_cache": True}
ARTICLES_PER_PAGE = 12
DRILLS_PER_PAGE = 24
HOME_ITEMS = 6
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
        try:
            response = view(request, *args, **kwargs)
        except SlugMoved as moved:
            response = _redirect_to_current_slug(request, moved.obj)
        if "preview" in request.GET:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
            remember_preview_for_media(request, response)
        else:
            patch_cache_control(response, **PAGE_CACHING)
        return response

    return wrapper


def _redirect_to_current_slug(request, obj):
    url = obj.get_absolute_url()
    if request.GET:
        url += "?" + request.GET.urlencode()  # keeps ?preview= working across a rename
    return HttpResponsePermanentRedirect(url)


def page_meta(request, *, title, description, path, image=None, kind="website"):
    """What <head> says about a page: title, description, canonical link, sharing cards."""
    shared = picture_context(image)
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


def _search_text(request):
    # Searched as the API searches (runcms.search): the same words find the same items.
    return request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]


def _paginate(request, queryset, per_page, path, **params):
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
def home(request):
    context = {
        # Featured articles first, then the newest.
        "articles": Article.objects.published().for_cards().order_by("-featured", "-first_published_at")[:HOME_ITEMS],
        "programs": Program.objects.published().filter(featured=True).for_cards()[:HOME_ITEMS],
        "drills": Drill.objects.published().for_cards().order_by("-first_published_at", "title")[:HOME_ITEMS],
        "meta": page_meta(request, title=SITE_NAME, description=SITE_DESCRIPTION, path=reverse("home")),
    }
    return render(request, "articles/home.html", context)


@public_page
def article_list(request):
    q = _search_text(request)
    articles = search(Article.objects.published().for_cards(), q)
    paging = _paginate(request, articles, ARTICLES_PER_PAGE, reverse("article-list"), q=q)
    context = {
        **paging,
        "articles": paging["page_obj"].object_list,
        "q": q,
        "meta": page_meta(
            request,
            title="Articles",
            description="Articles on running technique, newest first.",
            path=paging["canonical_path"],
        ),
    }
    return render(request, "articles/article_list.html", context)


@public_page
def article_detail(request, slug):
    article = get_by_slug(visible_queryset(Article.objects.for_page(), request), slug)
    topics = list(article.topics.all())
    sources = list(article.sources.all())
    meta = page_meta(
        request,
        title=article.title,
        description=article.summary,
        path=article.get_absolute_url(),
        image=article.hero,
        kind="article",
    )
    context = {
        "article": article,
        "body": expand_body(article.body_html),
        "topics": topics,
        "sources": sources,
        "related_drills": in_embed_order(article.related_drills.all(), article.body_html),
        "preview": not article.is_live,
        "meta": meta,
        "structured_data": article_data(
            article,
            url=meta["canonical"],
            image_url=meta["image"] and meta["image"]["url"],
            sources=sources,
            topics=topics,
        ),
    }
    return render(request, "articles/article_detail.html", context)


@public_page
def drill_list(request):
    q = _search_text(request)
    category = None
    drills = Drill.objects.published().for_cards().order_by("title", "id")
    if request.GET.get("category"):
        category = get_object_or_404(Category.objects.public(), slug=request.GET["category"][:100])
        drills = drills.filter(category=category)
    drills = search(drills, q)
    paging = _paginate(
        request, drills, DRILLS_PER_PAGE, reverse("drill-list"), category=category and category.slug, q=q
    )
    context = {
        **paging,
        "drills": paging["page_obj"].object_list,
        "q": q,
        "category": category,
        "categories": Category.objects.public(),
        "meta": page_meta(
            request,
            title=f"{category.name} drills" if category else "Drills",
            description="Running drills with steps, coaching cues and how much to do.",
            path=paging["canonical_path"],
        ),
    }
    return render(request, "articles/drill_list.html", context)


@public_page
def drill_detail(request, slug):
    drill = get_by_slug(visible_queryset(Drill.objects.for_api(), request), slug)
    steps = list(drill.steps.all())
    equipment = list(drill.equipment.all())
    gallery = list(drill.media_links.all())
    first_picture = next((link.media for link in gallery if picture_context(link.media)["src"]), None)
    meta = page_meta(
        request,
        title=drill.title,
        description=drill.summary,
        path=drill.get_absolute_url(),
        image=first_picture,
    )
    cues = list(drill.cues.all())
    context = {
        "drill": drill,
        "steps": steps,
        "cue_groups": [
            {"kind": kind, "label": label, "cues": [cue for cue in cues if cue.kind == kind]}
            for kind, label in ((CueKind.CUE, "Coaching cues"), (CueKind.MISTAKE, "Common mistakes"))
            if any(cue.kind == kind for cue in cues)
        ],
        "safety_cues": [cue for cue in cues if cue.kind == CueKind.SAFETY],
        "equipment": equipment,
        "primary_muscles": list(drill.primary_muscles.all()),
        "secondary_muscles": list(drill.secondary_muscles.all()),
        "gallery": gallery,
        "progressions": drill.progressions.all(),
        "regressions": drill.regressions.all(),
        "articles": Article.objects.published().filter(related_drills=drill).only("id", "slug", "title")[:5],
        "preview": not drill.is_live,
        "meta": meta,
        "structured_data": drill_data(
            drill,
            url=meta["canonical"],
            image_url=meta["image"] and meta["image"]["url"],
            steps=steps,
            equipment=equipment,
        ),
    }
    return render(request, "articles/drill_detail.html", context)


@public_page
def program_detail(request, slug):
    program = get_by_slug(visible_queryset(Program.objects.all(), request).for_page(), slug)
    context = {
        "program": program,
        "items": program.items.all(),
        "preview": not program.is_live,
        "meta": page_meta(
            request,
            title=program.title,
            description=program.summary,
            path=program.get_absolute_url(),
            image=program.cover,
        ),
    }
    return render(request, "articles/program_detail.html", context)


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    articles = Article.objects.published().filter(topics=topic).for_cards()
    paging = _paginate(request, articles, ARTICLES_PER_PAGE, topic.get_absolute_url())
    context = {
        **paging,
        "topic": topic,
        "articles": paging["page_obj"].object_list,
        "meta": page_meta(
            request,
            title=topic.name,
            description=topic.description or f"Articles about {topic.name}.",
            path=paging["canonical_path"],
        ),
    }
    return render(request, "articles/topic_detail.html", context)


@public_page
def robots_txt(request):
    context = {"sitemap_url": public_url(reverse("sitemap"), request)}
    return render(request, "articles/robots.txt", context, content_type="text/plain; charset=utf-8")
