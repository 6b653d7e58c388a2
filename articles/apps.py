from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        self.register_changes()
        self.register_backup()
        self.register_search()
        self.register_sitemaps()
        self.register_api()

    def register_changes(self):
        """The change journal learns the article collection and what each row change affects."""
        from articles import changes
        from articles.api.serializers import ArticleSerializer, ArticleSummarySerializer
        from articles.models import Article, Author, Source, Topic
        from drills.media import uses
        from drills.models import Drill
        from runcms import changelog

        changelog.register("articles", Article, ArticleSerializer, summary=ArticleSummarySerializer)
        changelog.track(Article, lambda pks: {"articles": pks, "media": uses.media_used_by(Article, pks)})
        changelog.track(
            Source, lambda pks: {"articles": changes.ids(Source.objects.filter(pk__in=pks), "article_id")}
        )
        changelog.track(Author, changes.author_changes)
        changelog.track(Topic, lambda pks: {"articles": changes.ids(Article.objects.filter(topics__in=pks))})
        # Articles list the drills they embed, with their titles, while the drills are published.
        changelog.track(Drill, lambda pks: {"articles": changes.ids(Article.objects.filter(related_drills__in=pks))})

    def register_backup(self):
        from articles.models import Article, Author, Source, Topic
        from runcms import backup

        backup.register(Topic)
        backup.register(Author)
        backup.register(Article)
        backup.register(Source)

    def register_search(self):
        from articles.models import Article
        from runcms import search

        search.register(Article, [("title", "A"), ("summary", "B"), ("body", "C")])

    def register_sitemaps(self):
        """sitemap.xml learns the article pages and sections."""
        from articles import sitemaps

        sitemaps.register()

    def register_api(self):
        """API v1 routes the article collections."""
        from articles.api.views import ArticleViewSet, TopicViewSet
        from runcms.api import routes

        routes.register("articles", ArticleViewSet, "article")
        routes.register("topics", TopicViewSet, "topic")
