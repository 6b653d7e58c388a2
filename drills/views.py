"""The public drill pages: the drill list (by category, searchable), a drill, a program.

A page shows only what `published()` lets through (rule 1), plus the one draft a valid
`?preview=` token opens; an old slug answers 301 to the current one (rule 5).
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from drills.models import Category, CueKind, Drill, Program
from drills.structured_data import drill_data
from drills.templatetags.pages import picture_context
from runcms.pages import page_meta, paginate, public_page, search_text
from runcms.preview import visible_queryset
from runcms.search import search
from runcms.slugs import get_by_slug

DRILLS_PER_PAGE = 24


@public_page
def drill_list(request):
    q = search_text(request)
    category = None
    drills = Drill.objects.published().for_cards().order_by("title", "id")
    if request.GET.get("category"):
        category = get_object_or_404(Category.objects.public(), slug=request.GET["category"][:100])
        drills = drills.filter(category=category)
    drills = search(drills, q)
    paging = paginate(request, drills, DRILLS_PER_PAGE, reverse("drill-list"), category=category and category.slug, q=q)
    context = {
        **paging,
        "drills": paging["page_obj"].object_list,
        "q": q,
        "category": category,
        "categories": Category.objects.public(),
        "meta": page_meta(
            request,
            title=f"{category.name} drills" if category else "Drills",
            description="Running drills with steps, coaching cues and how much to do.",
            path=paging["canonical_path"],
        ),
    }
    return render(request, "drills/drill_list.html", context)


@public_page
def drill_detail(request, slug):
    drill = get_by_slug(visible_queryset(Drill.objects.for_api(), request), slug)
    steps = list(drill.steps.all())
    equipment = list(drill.equipment.all())
    gallery = list(drill.media_links.all())
    first_picture = next((link.media for link in gallery if picture_context(link.media)["src"]), None)
    meta = page_meta(
        request,
        title=drill.title,
        description=drill.summary,
        path=drill.get_absolute_url(),
        image=picture_context(first_picture),
    )
    cues = list(drill.cues.all())
    context = {
        "drill": drill,
        "steps": steps,
        "cue_groups": [
            {"kind": kind, "label": label, "cues": [cue for cue in cues if cue.kind == kind]}
            for kind, label in ((CueKind.CUE, "Coaching cues"), (CueKind.MISTAKE, "Common mistakes"))
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
        "preview": not drill.is_live,
        "meta": meta,
        "structured_data": drill_data(
            drill,
            url=meta["canonical"],
            image_url=meta["image"] and meta["image"]["url"],
            steps=steps,
            equipment=equipment,
        ),
    }
    return render(request, "drills/drill_detail.html", context)


@public_page
def program_detail(request, slug):
    program = get_by_slug(visible_queryset(Program.objects.all(), request).for_page(), slug)
    context = {
        "program": program,
        "items": program.items.all(),
        "preview": not program.is_live,
        "meta": page_meta(
            request,
            title=program.title,
            description=program.summary,
            path=program.get_absolute_url(),
            image=picture_context(program.cover),
        ),
    }
    return render(request, "drills/program_detail.html", context)
