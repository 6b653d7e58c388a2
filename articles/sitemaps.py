"""sitemap.xml: every published article, drill and program, the topics with published articles."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Topic
from drills.models import Drill, Program


class PublicSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        base = urlsplit(settings.RUNCMS_PUBLIC_BASE_URL)
        return base.scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.RUNCMS_PUBLIC_BASE_URL).netloc or super().get_domain(site)


class PublishedSitemap(PublicSitemap):
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(PublishedSitemap):
    model = Article


class DrillSitemap(PublishedSitemap):
    model = Drill


class ProgramSitemap(PublishedSitemap):
    model = Program


class TopicSitemap(PublicSitemap):
    def items(self):
        return Topic.objects.public().order_by("slug")


class PagesSitemap(PublicSitemap):
    def items(self):
        return ["home", "article-list", "drill-list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "drills": DrillSitemap,
    "programs": ProgramSitemap,
    "topics": TopicSitemap,
}
