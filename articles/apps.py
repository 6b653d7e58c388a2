from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        # The offline sync learns the article collection and what each row change affects.
        from articles.api import changes

        changes.register()

        # sitemap.xml learns the article pages and sections.
        from articles import sitemaps

        sitemaps.register()
