"""The Atom feed of published articles, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from runcms.links import public_url

FEED_ITEMS = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = _("runcms: running technique articles")
    subtitle = _("New articles on running technique and the drills that teach it.")

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Syndication sets Last-Modified from the newest entry; an article that
        # expires changes the feed without a newer entry, so only the ETag is honest.
        del response["Last-Modified"]
        return response

    # Without RUNCMS_PUBLIC_BASE_URL the paths stay relative and syndication adds the request's host.
    def link(self):
        return public_url(reverse("home"))

    def feed_url(self):
        return public_url(reverse("feed"))

    def items(self):
        return (
            Article.objects.published()
            .select_related("author")
            .prefetch_related("topics")
            .order_by("-first_published_at", "-created_at")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return public_url(item.get_absolute_url())

    def item_guid(self, item):
        # The id, not the URL: a renamed article is not a new entry for feed readers.
        return f"urn:uuid:{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

