"""The public drill pages: the drill list (by category, searchable), a drill, a program.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from drills.models import Category, CueKind, Drill, Program
from drills.structured_data import drill_data
from drills.templatetags.pages import picture_context
from runcms.pages import item_page, list_page, public_page, search_text, shown_item
from runcms.search import search

DRILLS_PER_PAGE = 24


@public_page
def drill_list(request):
    q = search_text(request)
    category = None
    drills = Drill.objects.published().for_cards().order_by("title", "id")
    if request.GET.get("category"):
        category = get_object_or_404(Category.objects.public(), slug=request.GET["category"][:100])
        drills = drills.filter(category=category)
    page = list_page(
        request,
        search(drills, q),
        per_page=DRILLS_PER_PAGE,
        path=reverse("drill-list"),
        title=_("%(category)s drills") % {"category": category.name} if category else _("Drills"),
        description=_("Running drills with steps, coaching cues and how much to do."),
        category=category and category.slug,
        q=q,
    )
    context = {
        **page,
        "drills": page["page_obj"].object_list,
        "q": q,
        "category": category,
        "categories": Category.objects.public(),
    }
    return render(request, "drills/drill_list.html", context)


@public_page
def drill_detail(request, slug):
    drill = shown_item(request, Drill.objects.for_api(), slug)
    steps = list(drill.steps.all())
    equipment = list(drill.equipment.all())
    gallery = list(drill.media_links.all())
    first_picture = next((link.media for link in gallery if picture_context(link.media)["src"]), None)
    page = item_page(request, drill, image=picture_context(first_picture))
    cues = list(drill.cues.all())
    context = {
        **page,
        "drill": drill,
        "steps": steps,
        "cue_groups": [
            {"kind": kind, "label": label, "cues": [cue for cue in cues if cue.kind == kind]}
            for kind, label in ((CueKind.CUE, _("Coaching cues")), (CueKind.MISTAKE, _("Common mistakes")))
            if any(cue.kind == kind for cue in cues)
        ],
        "safety_cues": [cue for cue in cues if cue.kind == CueKind.SAFETY],
        "equipment": equipment,
        "primary_muscles": list(drill.primary_muscles.all()),
        "secondary_muscles": list(drill.secondary_muscles.all()),
        "gallery": gallery,
        "progressions": drill.progressions.all(),
        "regressions": drill.regressions.all(),
        "articles": drill.articles.published().only("id", "slug", "title")[:5],  # the articles that embed it
        "structured_data": drill_data(drill, page["meta"], steps=steps, equipment=equipment),
    }
    return render(request, "drills/drill_detail.html", context)


@public_page
def program_detail(request, slug):
    program = shown_item(request, Program.objects.for_page(), slug)
    context = {
        **item_page(request, program, image=picture_context(program.cover)),
        "program": program,
        "items": program.items.all(),
    }
    return render(request, "drills/program_detail.html", context)
