"""The public site: home, article, drill, program and topic pages.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.embeds import expand_body, in_embed_order
from articles.models import Article, Topic
from articles.structured_data import article_data, drill_data
from drills.models import Category, CueKind, Drill, Program
from drills.templatetags.pages import picture_context
from runcms.pages import SITE_NAME, page_meta, paginate, public_page, search_text
from runcms.preview import visible_queryset
from runcms.search import search
from runcms.slugs import get_by_slug

SITE_DESCRIPTION = "Running technique articles and the drills that teach it, with the cues a coach would give you."
ARTICLES_PER_PAGE = 12
DRILLS_PER_PAGE = 24
HOME_ITEMS = 6


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
    q = search_text(request)
    articles = search(Article.objects.published().for_cards(), q)
    paging = paginate(request, articles, ARTICLES_PER_PAGE, reverse("article-list"), q=q)
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
        image=picture_context(article.hero),
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
    q = search_text(request)
    category = None
    drills = Drill.objects.published().for_cards().order_by("title", "id")
    if request.GET.get("category"):
        category = get_object_or_404(Category.objects.public(), slug=request.GET["category"][:100])
        drills = drills.filter(category=category)
    drills = search(drills, q)
    paging = paginate(request, drills, DRILLS_PER_PAGE, reverse("drill-list"), category=category and category.slug, q=q)
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
        image=picture_context(first_picture),
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
            image=picture_context(program.cover),
        ),
    }
    return render(request, "articles/program_detail.html", context)


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    articles = Article.objects.published().filter(topics=topic).for_cards()
    paging = paginate(request, articles, ARTICLES_PER_PAGE, topic.get_absolute_url())
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
