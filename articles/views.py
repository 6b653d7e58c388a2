"""The public site's article pages: home, article list and detail, topic pages.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.embeds import expand_body, in_embed_order
from articles.models import Article, Topic
from articles.structured_data import article_data
from drills.models import Drill, Program
from drills.templatetags.pages import picture_context
from runcms.pages import SITE_NAME, item_page, list_page, page_meta, public_page, search_text, shown_item
from runcms.search import search

SITE_DESCRIPTION = gettext_lazy(
    "Running technique articles and the drills that teach it, with the cues a coach would give you."
)
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
    page = list_page(
        request,
        search(Article.objects.published().for_cards(), q),
        per_page=ARTICLES_PER_PAGE,
        path=reverse("article-list"),
        title=_("Articles"),
        description=_("Articles on running technique, newest first."),
        q=q,
    )
    context = {**page, "articles": page["page_obj"].object_list, "q": q}
    return render(request, "articles/article_list.html", context)


@public_page
def article_detail(request, slug):
    article = shown_item(request, Article.objects.for_page(), slug)
    topics = list(article.topics.all())
    sources = list(article.sources.all())
    page = item_page(request, article, image=picture_context(article.hero), kind="article")
    context = {
        **page,
        "article": article,
        "body": expand_body(article.body_html),
        "topics": topics,
        "sources": sources,
        "related_drills": in_embed_order(article.related_drills.all(), article.body_html),
        "structured_data": article_data(article, page["meta"], sources=sources, topics=topics),
    }
    return render(request, "articles/article_detail.html", context)


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.public(), slug=slug)
    page = list_page(
        request,
        Article.objects.published().filter(topics=topic).for_cards(),
        per_page=ARTICLES_PER_PAGE,
        path=topic.get_absolute_url(),
        title=topic.name,
        description=topic.description or _("Articles about %(topic)s.") % {"topic": topic.name},
    )
    context = {**page, "topic": topic, "articles": page["page_obj"].object_list}
    return render(request, "articles/topic_detail.html", context)
