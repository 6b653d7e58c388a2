"""The public site's article pages: home, article list and detail, topic pages.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.embeds import expand_body, in_embed_order
from articles.models import Article, Topic
from articles.structured_data import article_data
from drills.models import Drill, Program
from drills.templatetags.pages import picture_context
from runcms.pages import SITE_NAME, page_meta, paginate, public_page, search_text
from runcms.preview import visible_queryset
from runcms.search import search
from runcms.slugs import get_by_slug

SITE_DESCRIPTION = "Running technique articles and the drills that teach it, with the cues a coach would give you."
ARTICLES_PER_PAGE = 12
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
