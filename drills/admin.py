from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property

from drills.media.picker import share_chosen_media
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
from runcms.admin import (
    ConcurrencyForm,
    HistoryAdmin,
    PublishableAdmin,
    SafeAutocompleteMixin,
    WorkflowFilter,
)
from runcms.admin.translations import TranslationsAdminMixin, TranslationsInlineMixin

POSITION_MAX = 9999


class TaxonomyAdmin(TranslationsAdminMixin, HistoryAdmin):
    list_display = ("name", "slug", "updated_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


admin.site.register(Muscle, TaxonomyAdmin)
admin.site.register(Equipment, TaxonomyAdmin)


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)


class OrderedInlineFormSet(BaseInlineFormSet):
    """New rows whose position is left at 0 go after the others, in the order of the form.

    Without it a drill added to a program's empty row keeps position 0 and comes first
    on the public page. The reordering script numbers rows itself; this is the same rule
    for a browser without JavaScript, or a row the script did not see.
    """

    def clean(self):
        super().clean()
        kept = [
            form for form in self.forms
            if (not form.instance._state.adding or form.has_changed()) and not self._should_delete_form(form)
        ]
        highest = max((getattr(form, "cleaned_data", {}).get("position") or 0 for form in kept), default=0)
        for form in kept:
            if form.instance._state.adding and not getattr(form, "cleaned_data", {}).get("position"):
                # The field allows at most 9999; rows tied at 9999 still sort by creation.
                highest = min(highest + 1, POSITION_MAX)
                form.cleaned_data["position"] = form.instance.position = highest

    @cached_property
    def forms(self):
        forms = super().forms
        share_chosen_media(forms)  # the rows' media pickers find their thumbnails in one query
        return forms


class OrderedInline(SafeAutocompleteMixin, admin.TabularInline):
    """Inline rows ordered by `position`; rows can be dragged, or moved with the arrow keys."""

    formset = OrderedInlineFormSet
    extra = 0
    classes = ("runcms-sortable",)

    class Media:
        js = ("runcms/admin/sortable-inlines.js",)
        css = {"all": ("runcms/admin/admin.css",)}


class StepInline(TranslationsInlineMixin, OrderedInline):
    model = Step
    fields = ("position", "text", "media")
    autocomplete_fields = ("media",)
    extra = 1


class CueInline(TranslationsInlineMixin, OrderedInline):
    model = Cue
    fields = ("position", "kind", "text", "audio")
    autocomplete_fields = ("audio",)
    extra = 1


class DrillMediaInline(OrderedInline):
    model = DrillMedia
    fields = ("position", "media")
    autocomplete_fields = ("media",)
    verbose_name_plural = "gallery (photos, animations, videos)"


class DrillForm(ConcurrencyForm):
    def _other_drills(self, name, word):
        chosen = self.cleaned_data[name]
        if not self.instance._state.adding and any(drill.pk == self.instance.pk for drill in chosen):
            raise ValidationError(
                f"“{self.instance}” cannot be its own {word}. Choose other drills.", code="self_reference"
            )
        return chosen

    def clean_progressions(self):
        return self._other_drills("progressions", "progression")

    def clean_regressions(self):
        return self._other_drills("regressions", "regression")


def _leave_out_deleted_media(request, drill_id):
    """An old version may use media deleted from the library since: leave it out of the restored drill."""
    left_out = {
        "gallery item": DrillMedia.objects.filter(_deleted("media_id"), drill_id=drill_id).delete()[0],
        "step picture": Step.objects.filter(_deleted("media_id"), drill_id=drill_id).update(media=None),
        "cue audio": Cue.objects.filter(_deleted("audio_id"), drill_id=drill_id).update(audio=None),
    }
    if any(left_out.values()):
        counts = ", ".join(f"{count} {name}{'s' if count > 1 else ''}" for name, count in left_out.items() if count)
        messages.warning(
            request,
            f"This version used media that has been deleted from the library since ({counts}). "
            "It is left out here; restoring this version brings back everything else.",
        )


def _deleted(column):
    # Set, yet naming no media: only a version just written back can hold such a reference.
    return Q(**{f"{column}__isnull": False}) & ~Exists(CueMedia.objects.filter(pk=OuterRef(column)))


@admin.register(Drill)
class DrillAdmin(TranslationsAdminMixin, PublishableAdmin):
    form = DrillForm
    list_display = ("title", "category", "difficulty", *PublishableAdmin.list_display[1:])
    list_filter = (WorkflowFilter, "category", "difficulty", "equipment", "primary_muscles")
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Reached from History (revert) or Recover deleted (recover) just after django-reversion
        # wrote the version's rows back, inside the transaction this view commits or rolls back.
        if object_id and extra_context and (extra_context.get("revert") or extra_context.get("recover")):
            _leave_out_deleted_media(request, unquote(object_id))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def live_users(self, drill):
        programs = Program.objects.published().filter(items__drill=drill).distinct()
        # Articles know the drills they embed; a drill reaches them only through the reverse relation.
        articles = drill.articles.published() if hasattr(drill, "articles") else []
        return [f"program “{program}”" for program in programs] + [f"article “{article}”" for article in articles]


class AsTheDrillSaysSelect(forms.NullBooleanSelect):
    """An override left empty follows the drill: say so, rather than Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "As the drill says"), ("true", "Yes"), ("false", "No")]


class ProgramItemForm(forms.ModelForm):
    class Meta:
        widgets = {"per_side": AsTheDrillSaysSelect}
        # Short column headings, so a program row fits the page; the help icons say the rest.
        labels = {
            "hold_seconds": "hold (s)", "duration_seconds": "time (s)", "distance_metres": "metres",
            "rest_seconds": "rest (s)",
        }


class ProgramItemInline(TranslationsInlineMixin, OrderedInline):
    model = ProgramItem
    form = ProgramItemForm
    fields = (
        "position", "drill", "sets", "reps", "per_side", "hold_seconds", "duration_seconds", "distance_metres",
        "rest_seconds", "prescription_note",
    )
    autocomplete_fields = ("drill",)
    extra = 1


@admin.register(Program)
class ProgramAdmin(TranslationsAdminMixin, PublishableAdmin):
    list_display = ("title", "featured", *PublishableAdmin.list_display[1:])
    list_filter = (WorkflowFilter, "featured", "items__drill__category")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("cover",)
    inlines = (ProgramItemInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "cover", "featured")}),
        PublishableAdmin.workflow_fieldset,
    )
