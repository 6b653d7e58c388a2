from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = "Drills, programs and media"

    def ready(self):
        self.register_changes()
        self.register_backup()
        self.register_search()
        self.register_sitemaps()
        self.register_api()

    def register_changes(self):
        """The change journal learns the drill-side collections and what each row change affects."""
        from drills import changes, models
        from drills.api.serializers import (
            DrillSerializer,
            DrillSummarySerializer,
            ProgramSerializer,
            ProgramSummarySerializer,
        )
        from drills.media import uses
        from drills.media.api.serializers import MediaSerializer
        from runcms import changelog

        changelog.register("drills", models.Drill, DrillSerializer, summary=DrillSummarySerializer)
        changelog.register("programs", models.Program, ProgramSerializer, summary=ProgramSummarySerializer)
        changelog.register(
            "media",
            models.CueMedia,
            MediaSerializer,
            visible=changes.public_media,
            exposed=uses.exposed_media,
            changed=uses.record_first_public,
        )
        changelog.track(models.Drill, changes.drill_changes)
        changelog.track(models.Step, lambda pks: changes.links(models.Step, pks, "drill_id", "media_id"))
        changelog.track(models.Cue, lambda pks: changes.links(models.Cue, pks, "drill_id", "audio_id"))
        changelog.track(models.DrillMedia, lambda pks: changes.links(models.DrillMedia, pks, "drill_id", "media_id"))
        changelog.track(
            models.Program, lambda pks: {"programs": pks, "media": uses.media_used_by(models.Program, pks)}
        )
        changelog.track(
            models.ProgramItem,
            lambda pks: {"programs": changes.ids(models.ProgramItem.objects.filter(pk__in=pks), "program_id")},
        )
        changelog.track(models.CueMedia, changes.media_changes)
        changelog.track(
            models.Rendition,
            lambda pks: changes.media_changes(changes.ids(models.Rendition.objects.filter(pk__in=pks), "media_id")),
        )
        changelog.track(
            models.Category, lambda pks: {"drills": changes.ids(models.Drill.objects.filter(category__in=pks))}
        )
        changelog.track(
            models.Equipment, lambda pks: {"drills": changes.ids(models.Drill.objects.filter(equipment__in=pks))}
        )
        changelog.track(models.Muscle, changes.muscle_changes)

    def register_backup(self):
        from drills import models
        from drills.media import backup as media_backup
        from runcms import backup

        backup.register(models.Category)
        backup.register(models.Muscle)
        backup.register(models.Equipment)
        backup.register(
            models.CueMedia,
            files=backup.StoredFiles(
                names=media_backup.file_names,
                allowed=media_backup.allowed_name,
                check=media_backup.check_media_files,
                derived=media_backup.archived_renditions,
                check_derived=media_backup.check_archived_renditions,
                remake=media_backup.remake_renditions,
                put_back=media_backup.put_back_renditions,
            ),
        )
        backup.register(models.Drill)
        backup.register(models.Step)
        backup.register(models.Cue)
        backup.register(models.DrillMedia)
        backup.register(models.Program)
        backup.register(models.ProgramItem)
        backup.exclude(models.Rendition, "derived: made again from the originals on import")

    def register_search(self):
        from drills.models import Drill
        from runcms import search

        # "A" weighs most. Taxonomy names too, so that "hamstring" finds the drills that work the hamstrings.
        search.register(
            Drill,
            [
                ("title", "A"),
                ("summary", "B"),
                ("category__name", "B"),
                ("primary_muscles__name", "B"),
                ("secondary_muscles__name", "C"),
                ("equipment__name", "B"),
                ("steps__text", "C"),
                ("cues__text", "C"),
            ],
        )

    def register_sitemaps(self):
        """sitemap.xml learns the drill-side pages and sections."""
        from drills import sitemaps

        sitemaps.register()

    def register_api(self):
        """API v1 routes the drill-side collections, in this order in its index."""
        from drills.api import views
        from drills.media.api.views import MediaViewSet
        from runcms.api import routes

        routes.register("drills", views.DrillViewSet, "drill")
        routes.register("programs", views.ProgramViewSet, "program")
        routes.register("media", MediaViewSet, "media")
        routes.register("muscles", views.MuscleViewSet, "muscle")
        routes.register("equipment", views.EquipmentViewSet, "equipment")
        routes.register("categories", views.CategoryViewSet, "category")
