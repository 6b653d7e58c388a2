"""The text of drills, programs, cue media and taxonomy, in every content language (django-modeltranslation).

Each field below gets a column per language on its own row (`title_en`, `title_de`…), so an
object reads in any language with no extra query. Slugs are shared by all languages.
"""

from modeltranslation.translator import TranslationOptions, register

from drills.models import Category, Cue, CueMedia, Drill, Equipment, Muscle, Program, ProgramItem, Step
from runcms.languages import keep_in_revisions


class TaxonomyTranslation(TranslationOptions):
    fields = ("name", "description")


register(Category)(TaxonomyTranslation)
register(Muscle)(TaxonomyTranslation)
register(Equipment)(TaxonomyTranslation)


@register(CueMedia)
class CueMediaTranslation(TranslationOptions):
    fields = ("title", "alt_text", "caption")


@register(Drill)
class DrillTranslation(TranslationOptions):
    fields = ("title", "summary", "start_position", "safety_notes", "follow_up", "prescription_note")


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("text",)


@register(Cue)
class CueTranslation(TranslationOptions):
    fields = ("text",)


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(ProgramItem)
class ProgramItemTranslation(TranslationOptions):
    fields = ("prescription_note",)


keep_in_revisions(Drill, Step, Cue, Program, ProgramItem, CueMedia, Category, Muscle, Equipment)
