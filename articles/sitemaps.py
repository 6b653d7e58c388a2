"""The article side of sitemap.xml: home and article list, published articles, topics with articles."""

from articles.models import Article, Topic
from runcms.sitemaps import PublicSitemap, published_sitemap, register_page, register_sitemap


class TopicSitemap(PublicSitemap):
    def items(self):
        return Topic.objects.public().order_by("slug")


def register():
    register_page("home")
    register_page("article-list")
    register_sitemap("articles", published_sitemap(Article))
    register_sitemap("topics", TopicSitemap)
