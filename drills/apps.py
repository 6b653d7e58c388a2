from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = "Drills, programs and media"

    def ready(self):
        self.register_changes()
        self.register_backup()
        self.register_search()

    def register_changes(self):
        """The change journal learns the drill-side collections and what each row change affects."""
        from drills import changes
        from drills.api.serializers import DrillSerializer, MediaSerializer, ProgramSerializer
        from drills.models import (
            Category,
            Cue,
            CueMedia,
            Drill,
            DrillMedia,
            Equipment,
            Muscle,
            Program,
            ProgramItem,
            Rendition,
            Step,
        )
        from runcms import changelog

        changelog.register("drills", Drill, DrillSerializer)
        changelog.register("programs", Program, ProgramSerializer)
        changelog.register(
            "media",
            CueMedia,
            MediaSerializer,
            visible=changes.public_media,
            exposed=changes.exposed_media,
            changed=changes.record_first_public,
        )
        changelog.track(Drill, changes.drill_changes)
        changelog.track(Step, lambda pks: changes.links(Step, pks, "drill_id", "media_id"))
        changelog.track(Cue, lambda pks: changes.links(Cue, pks, "drill_id", "audio_id"))
        changelog.track(DrillMedia, lambda pks: changes.links(DrillMedia, pks, "drill_id", "media_id"))
        changelog.track(Program, lambda pks: {"programs": pks, "media": changes.media_used_by(Program, pks)})
        changelog.track(
            ProgramItem, lambda pks: {"programs": changes.ids(ProgramItem.objects.filter(pk__in=pks), "program_id")}
        )
        changelog.track(CueMedia, changes.media_changes)
        changelog.track(
            Rendition, lambda pks: changes.media_changes(changes.ids(Rendition.objects.filter(pk__in=pks), "media_id"))
        )
        changelog.track(Category, lambda pks: {"drills": changes.ids(Drill.objects.filter(category__in=pks))})
        changelog.track(Equipment, lambda pks: {"drills": changes.ids(Drill.objects.filter(equipment__in=pks))})
        changelog.track(Muscle, changes.muscle_changes)

    def register_backup(self):
        from drills import backup as media_backup
        from drills.models import (
            Category,
            Cue,
            CueMedia,
            Drill,
            DrillMedia,
            Equipment,
            Muscle,
            Program,
            ProgramItem,
            Rendition,
            Step,
        )
        from runcms import backup

        backup.register(Category)
        backup.register(Muscle)
        backup.register(Equipment)
        backup.register(
            CueMedia,
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
        backup.register(Drill)
        backup.register(Step)
        backup.register(Cue)
        backup.register(DrillMedia)
        backup.register(Program)
        backup.register(ProgramItem)
        backup.exclude(Rendition, "derived: made again from the originals on import")

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
