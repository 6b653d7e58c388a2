from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = "Drills, programs and media"

    def ready(self):
        # The offline sync learns the drill-side collections and what each row change affects.
        from drills.api import changes

        changes.register()

        # sitemap.xml learns the drill-side pages and sections.
        from drills import sitemaps

        sitemaps.register()
