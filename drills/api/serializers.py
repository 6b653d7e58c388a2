"""How drills, programs and their taxonomy look in API v1 (see PRODUCT.md, "API v1 contract").

Cue media, which they embed, has its serializers in `drills.media.api.serializers`.
"""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from drills.api import examples
from drills.media.api.serializers import MediaSerializer
from drills.models import Category, Drill, Equipment, Muscle, Program
from runcms.api.fields import AlwaysNullField, PageUrlField, StableIdField, TextLanguageField, TextLanguagesField
from runcms.api.help_texts import ID, PUBLISHED, PUBLISHED_OR_DRAFT, UPDATED
from runcms.links import public_url


class TermSerializer(serializers.ModelSerializer):
    """A taxonomy term. Terms have no page: `url` is the API list of drills filtered by the term."""

    id = StableIdField(help_text=ID)
    url = serializers.SerializerMethodField(
        help_text="Absolute URL of the API list of published drills with this term."
    )
    published_at = AlwaysNullField(help_text="Always null: terms are not published on their own.")
    filter_name = None

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        fields = ["id", "slug", "name", "description", "url", "language", "languages", "updated_at", "published_at"]
        extra_kwargs = {
            "slug": {"help_text": "Short name used in URLs and filters."},
            "name": {"help_text": "Name to show."},
            "description": {"help_text": "Optional longer explanation; may be empty."},
            "updated_at": {"help_text": UPDATED},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, term):
        path = reverse("api:drill-list") + "?" + urlencode({self.filter_name: term.slug})
        return public_url(path, self.context["request"])


@extend_schema_serializer(examples=examples.CATEGORY_EXAMPLES)
class CategorySerializer(TermSerializer):
    filter_name = "category"

    class Meta(TermSerializer.Meta):
        model = Category


@extend_schema_serializer(examples=examples.MUSCLE_EXAMPLES)
class MuscleSerializer(TermSerializer):
    filter_name = "muscle"

    class Meta(TermSerializer.Meta):
        model = Muscle


@extend_schema_serializer(examples=examples.EQUIPMENT_EXAMPLES)
class EquipmentSerializer(TermSerializer):
    filter_name = "equipment"

    class Meta(TermSerializer.Meta):
        model = Equipment


class DrillLinkSerializer(serializers.ModelSerializer):
    """A link to another published drill; the drill itself is at `drills/{slug}/` and in sync."""

    id = serializers.UUIDField(read_only=True, help_text=ID)
    url = PageUrlField(help_text="Absolute URL of the drill's public page.")
    published_at = serializers.DateTimeField(source="first_published_at", help_text=PUBLISHED)

    class Meta:
        model = Drill
        fields = ["id", "slug", "title", "url", "updated_at", "published_at"]
        extra_kwargs = {
            "slug": {"help_text": "The drill's slug, for `drills/{slug}/`."},
            "title": {"help_text": "The drill's title."},
            "updated_at": {"help_text": UPDATED},
        }


class PrescriptionSerializer(serializers.Serializer):
    sets = serializers.IntegerField(allow_null=True, help_text="Number of sets; null when not set.")
    reps = serializers.IntegerField(allow_null=True, help_text="Repetitions per set (per side when `per_side`).")
    per_side = serializers.BooleanField(help_text="True when the reps are done on each side.")
    hold_seconds = serializers.IntegerField(allow_null=True, help_text="For holds: seconds per repetition.")
    duration_seconds = serializers.IntegerField(allow_null=True, help_text="For timed work: seconds per set.")
    distance_metres = serializers.IntegerField(allow_null=True, help_text="Distance in metres per set.")
    rest_seconds = serializers.IntegerField(allow_null=True, help_text="Rest between sets, in seconds.")
    note = serializers.CharField(source="prescription_note", help_text="Free note, e.g. “Change feet after 10”.")


class StepSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Order of the step, ascending.")
    text = serializers.CharField(help_text="What to do.")
    media = MediaSerializer(allow_null=True, help_text="Picture of the step; null when there is none.")


class CueSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Order of the cue, ascending.")
    kind = serializers.ChoiceField(
        choices=["cue", "safety", "mistake"], help_text="`cue` (coaching cue), `safety` point or common `mistake`."
    )
    text = serializers.CharField(help_text="Short, spoken-friendly phrase.")
    audio = MediaSerializer(allow_null=True, help_text="The cue spoken aloud; null when there is none.")


@extend_schema_serializer(examples=examples.DRILL_SUMMARY_EXAMPLES)
class DrillSummarySerializer(serializers.ModelSerializer):
    """A drill as lists show it. The detail endpoint and sync add steps, cues, media and related drills."""

    id = serializers.UUIDField(read_only=True, help_text=ID)
    url = PageUrlField(help_text="Absolute URL of the drill's public page.")
    category = CategorySerializer(help_text="What the drill trains, e.g. Pull.")
    prescription = PrescriptionSerializer(source="*", help_text="How much to do.")
    equipment = EquipmentSerializer(many=True, help_text="What is needed, e.g. a box.")
    primary_muscles = MuscleSerializer(many=True, help_text="Muscles the drill works most.")
    secondary_muscles = MuscleSerializer(many=True, help_text="Muscles it also works.")
    thumbnail = serializers.SerializerMethodField(help_text="The first gallery picture; null when there is none.")
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True, help_text=PUBLISHED_OR_DRAFT)

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        model = Drill
        fields = [
            "id", "slug", "url", "title", "summary", "category", "difficulty", "prescription", "equipment",
            "primary_muscles", "secondary_muscles", "thumbnail", "language", "languages", "updated_at", "published_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Part of the URL; can change (an old slug redirects), unlike `id`."},
            "title": {"help_text": "Name of the drill."},
            "summary": {"help_text": "One or two sentences for lists and previews."},
            "difficulty": {"help_text": "`beginner`, `intermediate` or `advanced`."},
            "updated_at": {"help_text": UPDATED},
        }

    @extend_schema_field(MediaSerializer(allow_null=True))
    def get_thumbnail(self, drill):
        # The first picture that can be shown: one still waiting for its renditions is not.
        first = next((link for link in drill.media_links.all() if not link.media.renditions_pending), None)
        return MediaSerializer(first.media, context=self.context).data if first else None


@extend_schema_serializer(examples=examples.DRILL_EXAMPLES)
class DrillSerializer(DrillSummarySerializer):
    """A drill in full: the detail endpoint and sync."""

    steps = StepSerializer(many=True, help_text="What to do, in order.")
    cues = CueSerializer(many=True, help_text="Coaching cues, safety points and common mistakes, in order.")
    media = serializers.SerializerMethodField(help_text="The drill's gallery, in order.")
    progressions = serializers.SerializerMethodField(help_text="Harder published drills to move on to.")
    regressions = serializers.SerializerMethodField(help_text="Easier published drills to fall back to.")

    class Meta(DrillSummarySerializer.Meta):
        fields = [
            *DrillSummarySerializer.Meta.fields[:-2],
            "start_position", "steps", "cues", "safety_notes", "follow_up", "media", "progressions", "regressions",
            "updated_at", "published_at",
        ]
        extra_kwargs = {
            **DrillSummarySerializer.Meta.extra_kwargs,
            "start_position": {"help_text": "How to set up before the first repetition; may be empty."},
            "safety_notes": {"help_text": "What to watch out for; may be empty."},
            "follow_up": {"help_text": "What to do after the drill, e.g. a few box bounces; may be empty."},
        }

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, drill):
        return MediaSerializer([link.media for link in drill.media_links.all()], many=True, context=self.context).data

    @extend_schema_field(DrillLinkSerializer(many=True))
    def get_progressions(self, drill):
        return drill_links(drill.progressions.all(), self.context)

    @extend_schema_field(DrillLinkSerializer(many=True))
    def get_regressions(self, drill):
        return drill_links(drill.regressions.all(), self.context)


def drill_links(drills, context):
    ordered = sorted(drills, key=lambda drill: (drill.title, str(drill.pk)))
    return DrillLinkSerializer(ordered, many=True, context=context).data


class ProgramItemSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Order in the program, ascending.")
    drill = DrillLinkSerializer(help_text="The drill; only published drills are listed.")
    prescription = serializers.SerializerMethodField(
        help_text="How much to do here: the drill's own prescription with this program's changes."
    )

    @extend_schema_field(PrescriptionSerializer)
    def get_prescription(self, item):
        return PrescriptionSerializer(item.effective_prescription()).data


@extend_schema_serializer(examples=examples.PROGRAM_SUMMARY_EXAMPLES)
class ProgramSummarySerializer(serializers.ModelSerializer):
    """A program as lists show it; the detail endpoint and sync add its description and drills."""

    id = serializers.UUIDField(read_only=True, help_text=ID)
    url = PageUrlField(help_text="Absolute URL of the program's public page.")
    cover = MediaSerializer(allow_null=True, help_text="Cover picture; null when there is none.")
    published_at = serializers.DateTimeField(source="first_published_at", allow_null=True, help_text=PUBLISHED_OR_DRAFT)

    language = TextLanguageField()
    languages = TextLanguagesField()

    class Meta:
        model = Program
        fields = [
            "id", "slug", "url", "title", "summary", "featured", "cover", "language", "languages", "updated_at",
            "published_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Part of the URL; can change (an old slug redirects), unlike `id`."},
            "title": {"help_text": "Name of the program."},
            "summary": {"help_text": "One or two sentences for lists and previews."},
            "featured": {"help_text": "True when editors feature it on the home page."},
            "updated_at": {"help_text": UPDATED},
        }


@extend_schema_serializer(examples=examples.PROGRAM_EXAMPLES)
class ProgramSerializer(ProgramSummarySerializer):
    """A program in full: the detail endpoint and sync."""

    items = ProgramItemSerializer(many=True, help_text="The drills of the program, in order.")

    class Meta(ProgramSummarySerializer.Meta):
        fields = [*ProgramSummarySerializer.Meta.fields[:-2], "description", "items", "updated_at", "published_at"]
        extra_kwargs = {
            **ProgramSummarySerializer.Meta.extra_kwargs,
            "description": {"help_text": "Longer description; may be empty."},
        }
