import uuid

import reversion
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from runcms.publishing import PUBLISHABLE_PERMISSIONS, Publishable, PublishableQuerySet, schedule_constraint
from runcms.slugs import SlugHistory, track_slug_history


class TaxonomyQuerySet(models.QuerySet):
    def public(self):
        """Terms some published item uses. A term only drafts use stays private (rule 1)."""
        condition = Q(pk__in=[])
        for label, lookup in self.model.public_uses:
            condition |= Q(pk__in=apps.get_model(label).objects.published().values(lookup))
        return self.filter(condition)


class Taxonomy(models.Model):
    # (publishable model, lookup from it to the term): where a term shows up in public.
    public_uses = ()

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@reversion.register()
class Category(Taxonomy):
    public_uses = (("drills.Drill", "category"),)

    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first in menus.")

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "categories"
        ordering = ["position", "name"]


@reversion.register()
class Muscle(Taxonomy):
    public_uses = (("drills.Drill", "primary_muscles"), ("drills.Drill", "secondary_muscles"))


@reversion.register()
class Equipment(Taxonomy):
    public_uses = (("drills.Drill", "equipment"),)

    class Meta(Taxonomy.Meta):
        verbose_name_plural = "equipment"


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    ANIMATION = "animation", "Animation"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"


# Paths from CueMedia to the publishable items that use it. Apps that attach media
# (articles) add theirs with `register_media_use()`, so `public()` and the admin's
# "used by" list know every use without this app knowing those apps.
MEDIA_USES = []


def register_media_use(path, publishable_model):
    """`path` goes from CueMedia to `publishable_model`, e.g. "drill_links__drill"."""
    MEDIA_USES.append((path, publishable_model))


# The condition `public()` filters by, built once for the uses registered: building its subqueries
# cost more than compiling them (about 4.5 ms a call). It holds no time: `published()` reads the
# clock when the query runs (`ClockNow`), and filtering by it copies its subqueries.
_public_condition = {"uses": None, "condition": None}


def _public_media_condition():
    uses = tuple(MEDIA_USES)
    if _public_condition["uses"] != uses:
        condition = Q(pk__in=[])
        for path, model in uses:
            # One id subquery per use rather than a join: no row twice for media used twice, and a
            # plan PostgreSQL finds cheap (joining every use at once made it JIT-compile for ~1 s).
            used = CueMedia.objects.filter(**{f"{path}__in": model.objects.published().values("pk")})
            condition |= Q(pk__in=used.values("pk"))
        _public_condition.update(uses=uses, condition=condition)
    return _public_condition["condition"]


class CueMediaQuerySet(models.QuerySet):
    def public(self):
        """Media attached to at least one published item; nothing else is ever served."""
        return self.filter(_public_media_condition())

    def with_renditions(self):
        # The order is chosen by CueMedia.sized_renditions(), whoever prefetched them and how.
        return self.prefetch_related("renditions")

    def with_thumbnails(self):
        """Only the square thumbnails, for the admin's lists and pickers: `sized_renditions(thumb=True)`
        reads them. Kept apart (`to_attr`), so `renditions` still holds every size."""
        return self.prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.filter(name="thumb"), to_attr="thumbnails")
        )


@deconstructible
class UnguessableName:
    """A random file name: a draft's media cannot be found by guessing from its id or title."""

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.prefix}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.prefix == self.prefix


media_upload_to = UnguessableName("media")
poster_upload_to = UnguessableName("posters")
rendition_upload_to = UnguessableName("renditions")


@reversion.register()
class CueMedia(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=MediaKind.choices, editable=False, db_index=True)
    file = models.FileField(
        upload_to=media_upload_to,
        max_length=255,
        help_text="JPEG, PNG, WebP or GIF images and animations; MP4 or WebM video; "
        "MP3, M4A, Ogg or WAV audio.",
    )
    poster = models.FileField(
        upload_to=poster_upload_to,
        max_length=255,
        blank=True,
        help_text="Required for video: the still image shown before it plays.",
    )
    title = models.CharField(max_length=200, blank=True, help_text="For finding it in the library.")
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Required for images and animations: describe what a reader who cannot "
        "see it needs to know, e.g. “Runner lying face down pulling one heel to the hip”.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made it, e.g. “Photo: Jane Doe”.")
    licence = models.CharField(max_length=100, blank=True, help_text="e.g. “CC BY 4.0” or “All rights reserved”.")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    duration_seconds = models.FloatField(null=True, blank=True, editable=False)
    frame_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    mime_type = models.CharField(max_length=50, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Click the image to set the point that crops must keep (0 = left, 1 = right).",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 = top, 1 = bottom.",
    )
    placeholder = models.TextField(blank=True, editable=False)
    # True from the upload of a new picture until a job has built its renditions: until then the
    # API and the pages leave it out, so nobody is shown an image that is not there yet.
    renditions_pending = models.BooleanField(default=False, editable=False)
    dominant_color = models.CharField(max_length=7, blank=True, editable=False)
    # When something published first showed it, or will by a schedule already set; like a
    # publishable's first_published_at it never moves once passed. Kept by the sync
    # (drills.changes), which tells apps to drop only media they may have seen.
    first_public_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = CueMediaQuerySet.as_manager()

    # A draft change (runcms.drafts) holds the text and the focal point: the files, what was read
    # from them and the renditions' state always stay those of the live row.
    draft_kept_from_live = (
        "kind", "file", "poster", "width", "height", "duration_seconds", "frame_count", "mime_type", "size_bytes",
        "sha256", "placeholder", "renditions_pending", "dominant_color", "first_public_at",
    )

    class Meta:
        verbose_name = "cue media"
        verbose_name_plural = "cue media"
        ordering = ["-created_at"]
        # Publishing media: changing an item the public already sees (see runcms.roles).
        default_permissions = PUBLISHABLE_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="cuemedia_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.title or self.alt_text or self.caption or f"{self.get_kind_display()} {str(self.id)[:8]}"

    def clean(self):
        super().clean()
        if self.kind in (MediaKind.IMAGE, MediaKind.ANIMATION) and not self.alt_text.strip():
            raise ValidationError({"alt_text": "Images need alt text: describe what the picture shows."})

    @property
    def focal_point(self):
        return {"x": self.focal_x, "y": self.focal_y}

    def sized_renditions(self, *, thumb=False, formats=None):
        """The renditions to pick from, narrowest first: the one order the API, pages and admin use.

        `thumb` False leaves out the square thumbnails, True keeps only them, None keeps all.
        Reads the prefetched renditions when the queryset has them (`with_renditions()`, or
        `with_thumbnails()` for the thumbnails).
        """
        prefetched = getattr(self, "thumbnails", None) if thumb else None
        chosen = [
            rendition
            for rendition in (self.renditions.all() if prefetched is None else prefetched)
            if (thumb is None or (rendition.name == "thumb") == thumb)
            and (formats is None or rendition.format in formats)
        ]
        return sorted(chosen, key=lambda rendition: (rendition.width, rendition.format, rendition.name))


class Rendition(models.Model):
    """A resized, re-encoded, metadata-free copy of a media item's image (or a video's poster)."""

    media = models.ForeignKey(CueMedia, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=30)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to=rendition_upload_to, max_length=255)
    bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["media", "name", "format"], name="unique_rendition"),
        ]

    def __str__(self):
        return f"{self.name}.{self.format}"


class Difficulty(models.TextChoices):
    # Shown on the drill's page in the page's language; the admin works in the default one.
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Prescription(models.Model):
    """How much of a drill to do. On a program item, an empty field means "as the drill says"."""

    sets = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(1000)],
        help_text="Repetitions per set (per side if per-side).",
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(3600)], help_text="For holds: seconds per rep."
    )
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(86400)], help_text="For timed work: seconds per set."
    )
    distance_metres = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(100_000)])
    rest_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(3600)], help_text="Rest between sets."
    )
    prescription_note = models.CharField(
        "note", max_length=200, blank=True, help_text="e.g. “Change feet after 10”."
    )

    PRESCRIPTION_FIELDS = (
        "sets", "reps", "hold_seconds", "duration_seconds", "distance_metres", "rest_seconds", "prescription_note",
    )

    class Meta:
        abstract = True


class DrillQuerySet(PublishableQuerySet):
    def for_api(self):
        # One query for drills + category, one per related list; none per drill.
        return self.select_related("category").prefetch_related(
            "equipment",
            "primary_muscles",
            "secondary_muscles",
            Prefetch("steps", queryset=Step.objects.select_related("media").prefetch_related("media__renditions")),
            Prefetch("cues", queryset=Cue.objects.select_related("audio").prefetch_related("audio__renditions")),
            Prefetch(
                "media_links",
                queryset=DrillMedia.objects.select_related("media").prefetch_related("media__renditions"),
            ),
            Prefetch("progressions", queryset=Drill.objects.published().for_links()),
            Prefetch("regressions", queryset=Drill.objects.published().for_links()),
        )

    def for_api_list(self):
        # The API's list cards: no steps, cues or related drills; the first gallery item is the thumbnail.
        return self.select_related("category").prefetch_related(
            "equipment",
            "primary_muscles",
            "secondary_muscles",
            Prefetch(
                "media_links",
                queryset=DrillMedia.objects.select_related("media").prefetch_related("media__renditions"),
            ),
        )

    def for_cards(self):
        # A drill card (title, summary, prescription, thumbnail from the gallery): no query per drill.
        return self.select_related("category").prefetch_related(
            Prefetch(
                "media_links",
                queryset=DrillMedia.objects.select_related("media").prefetch_related("media__renditions"),
            )
        )

    def for_links(self):
        # What a link to a drill shows (title, address, dates), for lists of related drills.
        return self.only("id", "slug", "title", "updated_at", "first_published_at")


@reversion.register(follow=["steps", "cues", "media_links"])
@track_slug_history
class Drill(SlugHistory, Publishable, Prescription):
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the web address, e.g. /drills/heel-pull-on-the-box/. "
        "You can change it; the old address keeps working.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=500, help_text="One or two sentences shown in lists and previews.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="drills")
    difficulty = models.CharField(max_length=12, choices=Difficulty.choices, default=Difficulty.BEGINNER, db_index=True)
    start_position = models.TextField(blank=True, help_text="How to set up before the first rep.")
    per_side = models.BooleanField(default=False, help_text="Tick when the reps are done on each side.")
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="drills")
    primary_muscles = models.ManyToManyField(Muscle, blank=True, related_name="primary_for")
    secondary_muscles = models.ManyToManyField(Muscle, blank=True, related_name="secondary_for")
    safety_notes = models.TextField(blank=True)
    follow_up = models.TextField(
        "follow-up reminder", blank=True, help_text="What to do after the drill, e.g. a few box bounces or a short run."
    )
    progressions = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="progression_of",
        help_text="Harder drills to move on to.",
    )
    regressions = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="regression_of",
        help_text="Easier drills to fall back to.",
    )
    media = models.ManyToManyField(CueMedia, through="DrillMedia", blank=True, related_name="drills")

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        default_permissions = PUBLISHABLE_PERMISSIONS
        indexes = [
            models.Index(fields=["status", "publish_at", "unpublish_at"], name="drill_visibility"),
            models.Index(fields=["category", "difficulty"], name="drill_category_difficulty"),
            models.Index(fields=["title", "id"], name="drill_list_order"),  # the API list's page, in order
        ]
        constraints = [schedule_constraint("drill")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("drill-detail", kwargs={"slug": self.slug})


@reversion.register()
class Step(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0, db_index=True, validators=[MaxValueValidator(9999)])
    text = models.TextField()
    media = models.ForeignKey(CueMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="steps")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class CueKind(models.TextChoices):
    CUE = "cue", "Coaching cue"
    SAFETY = "safety", "Safety point"
    MISTAKE = "mistake", "Common mistake"


@reversion.register()
class Cue(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveSmallIntegerField(default=0, db_index=True, validators=[MaxValueValidator(9999)])
    kind = models.CharField(max_length=10, choices=CueKind.choices, default=CueKind.CUE)
    text = models.CharField(max_length=200, help_text="Short and spoken-friendly: “Keep your hips and back level”.")
    audio = models.ForeignKey(
        CueMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="cues",
        limit_choices_to={"kind": MediaKind.AUDIO},
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


# What a drill's gallery shows and the admin offers for a step; spoken audio belongs to cues.
VISUAL_KINDS = (MediaKind.IMAGE, MediaKind.ANIMATION, MediaKind.VIDEO)


@reversion.register()
class DrillMedia(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey(CueMedia, on_delete=models.PROTECT, related_name="drill_links")
    position = models.PositiveSmallIntegerField(default=0, db_index=True, validators=[MaxValueValidator(9999)])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "gallery item"

    def __str__(self):
        # A version restored from the history may point at media deleted since.
        try:
            return str(self.media)
        except CueMedia.DoesNotExist:
            return "deleted media"

    def clean(self):
        super().clean()
        if self.media_id and CueMedia.objects.filter(pk=self.media_id, kind=MediaKind.AUDIO).exists():
            raise ValidationError(
                {"media": "This is audio, and the gallery shows photos, animations and videos. "
                          "Add a spoken cue as the audio of its cue instead, and choose a picture or video here."}
            )


class ProgramQuerySet(PublishableQuerySet):
    def for_api(self):
        return self.select_related("cover").prefetch_related(
            "cover__renditions",
            Prefetch(
                "items",
                queryset=ProgramItem.objects.filter(drill__in=Drill.objects.published()).select_related("drill"),
            ),
        )

    def for_api_list(self):
        return self.select_related("cover").prefetch_related("cover__renditions")

    def for_cards(self):
        return self.for_api_list()

    def for_page(self):
        # The program page: its cover, and each published drill as a card with its own prescription.
        return self.for_cards().prefetch_related(
            Prefetch(
                "items",
                queryset=ProgramItem.objects.filter(drill__in=Drill.objects.published()).prefetch_related(
                    Prefetch("drill", queryset=Drill.objects.for_cards())
                ),
            )
        )


@reversion.register(follow=["items"])
@track_slug_history
class Program(SlugHistory, Publishable):
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the web address, e.g. /programs/pull-strength/. "
        "You can change it; the old address keeps working.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=500)
    description = models.TextField(blank=True)
    cover = models.ForeignKey(
        CueMedia, null=True, blank=True, on_delete=models.SET_NULL, related_name="program_covers",
        limit_choices_to={"kind__in": [MediaKind.IMAGE, MediaKind.ANIMATION]},
    )
    featured = models.BooleanField(default=False, help_text="Show on the home page.")

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        default_permissions = PUBLISHABLE_PERMISSIONS
        indexes = [
            models.Index(fields=["status", "publish_at", "unpublish_at"], name="program_visibility"),
            models.Index(fields=["title", "id"], name="program_list_order"),  # the API list's page, in order
        ]
        constraints = [schedule_constraint("program")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("program-detail", kwargs={"slug": self.slug})


@reversion.register()
class ProgramItem(Prescription):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="program_items")
    position = models.PositiveSmallIntegerField(default=0, db_index=True, validators=[MaxValueValidator(9999)])
    per_side = models.BooleanField(null=True, blank=True, help_text="Empty: as the drill says.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        # A version restored from the history may point at a drill deleted since.
        try:
            drill = self.drill
        except Drill.DoesNotExist:
            drill = "deleted drill"
        return f"{self.position}. {drill}"

    def effective_prescription(self):
        """The drill's prescription with this item's overrides applied."""
        values = {
            name: getattr(self.drill, name) if getattr(self, name) in (None, "") else getattr(self, name)
            for name in self.PRESCRIPTION_FIELDS
        }
        values["per_side"] = self.drill.per_side if self.per_side is None else self.per_side
        return values


register_media_use("drill_links__drill", Drill)
register_media_use("steps__drill", Drill)
register_media_use("cues__drill", Drill)
register_media_use("program_covers", Program)
