from django.contrib import admin

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
    Step,
)
from runcms.editing import PublishableAdmin


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "updated_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


admin.site.register(Muscle, TaxonomyAdmin)
admin.site.register(Equipment, TaxonomyAdmin)


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)


class OrderedInline(admin.TabularInline):
    """Inline rows ordered by `position`; rows can be dragged to reorder them."""

    extra = 0
    classes = ("runcms-sortable",)

    class Media:
        js = ("runcms/admin/sortable-inlines.js",)
        css = {"all": ("runcms/admin/admin.css",)}


class StepInline(OrderedInline):
    model = Step
    fields = ("position", "text", "media")
    autocomplete_fields = ("media",)
    extra = 1


class CueInline(OrderedInline):
    model = Cue
    fields = ("position", "kind", "text", "audio")
    autocomplete_fields = ("audio",)
    extra = 1


class DrillMediaInline(OrderedInline):
    model = DrillMedia
    fields = ("position", "media")
    autocomplete_fields = ("media",)
    verbose_name_plural = "gallery (photos, animations, videos)"


@admin.register(Drill)
class DrillAdmin(PublishableAdmin):
    list_display = ("title", "category", "difficulty", *PublishableAdmin.list_display[1:])
    list_filter = ("status", "category", "difficulty", "equipment", "primary_muscles")
    list_select_related = ("category", "updated_by")
    search_fields = ("title", "slug", "summary", "steps__text", "cues__text")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "category", "equipment", "primary_muscles", "secondary_muscles", "progressions", "regressions",
    )
    inlines = (StepInline, CueInline, DrillMediaInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "category", "difficulty", "start_position")}),
        (
            "Prescription",
            {
                "fields": (
                    ("sets", "reps", "per_side"),
                    ("hold_seconds", "duration_seconds", "distance_metres", "rest_seconds"),
                    "prescription_note",
                ),
                "description": "How much to do. Leave a box empty when it does not apply.",
            },
        ),
        ("Body", {"fields": ("equipment", "primary_muscles", "secondary_muscles", "safety_notes", "follow_up")}),
        ("Related drills", {"fields": ("progressions", "regressions")}),
        PublishableAdmin.workflow_fieldset,
    )


class ProgramItemInline(OrderedInline):
    model = ProgramItem
    fields = ("position", "drill", "sets", "reps", "per_side", "hold_seconds", "rest_seconds", "prescription_note")
    autocomplete_fields = ("drill",)
    extra = 1


@admin.register(Program)
class ProgramAdmin(PublishableAdmin):
    list_display = ("title", "featured", *PublishableAdmin.list_display[1:])
    list_filter = ("status", "featured", "items__drill__category")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("cover",)
    inlines = (ProgramItemInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "cover", "featured")}),
        PublishableAdmin.workflow_fieldset,
    )


@admin.register(CueMedia)
class CueMediaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "width", "height", "updated_at")
    list_filter = ("kind",)
    search_fields = ("title", "alt_text", "caption")
