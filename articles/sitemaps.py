"""sitemap.xml: every published article, drill and program, the topics with published articles."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Topic
from drills.models import Drill, Program
from runcms.links import public_base


class PublicSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(public_base()).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(public_base()).netloc or super().get_domain(site)


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
