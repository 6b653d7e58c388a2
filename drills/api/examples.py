"""Example objects of drills, programs and taxonomy for the OpenAPI schema, shaped as the API answers."""

from drills.media.api.examples import MEDIA
from runcms.api.examples import BASE, PUBLISHED, TEXT_LANGUAGE, UPDATED, example


def term(kind, filter_name, slug, name, description=""):
    return {
        "id": {"category": "0b9c2b6e-7f3a-5d7e-9c1d-2f4e6a8b0c1d", "muscle": "5c1e9a2b-8d3f-5e4a-a6b7-c8d9e0f1a2b3",
               "equipment": "7e2d4c6b-1a3f-5b5d-8e9f-a0b1c2d3e4f5"}[kind],
        "slug": slug, "name": name, "description": description,
        "url": f"{BASE}/api/v1/drills/?{filter_name}={slug}", **TEXT_LANGUAGE,
        "updated_at": UPDATED, "published_at": None,
    }


CATEGORY = term("category", "category", "pull", "Pull", "Bringing the support foot back under the hip.")
MUSCLE = term("muscle", "muscle", "hamstrings", "Hamstrings")
EQUIPMENT = term("equipment", "equipment", "box", "Box", "A sturdy box or step, knee height or lower.")

PRESCRIPTION = {
    "sets": 1, "reps": 10, "per_side": True, "hold_seconds": None, "duration_seconds": None,
    "distance_metres": None, "rest_seconds": 30, "note": "Change feet after 10",
}

DRILL_LINK = {
    "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "slug": "heel-pull-standing", "title": "Heel pull, standing",
    "url": f"{BASE}/drills/heel-pull-standing/", "updated_at": UPDATED, "published_at": PUBLISHED,
}

DRILL_SUMMARY = {
    "id": "8d7f3c2a-1b4e-4f6a-9c8d-7e6f5a4b3c2d", "slug": "hamstring-curl-on-box",
    "url": f"{BASE}/drills/hamstring-curl-on-box/",
    "title": "Hamstring curl on a box", "summary": "Pull the heel to the hip from a box.",
    "category": CATEGORY, "difficulty": "beginner", "prescription": PRESCRIPTION,
    "equipment": [EQUIPMENT], "primary_muscles": [MUSCLE], "secondary_muscles": [], "thumbnail": MEDIA,
    **TEXT_LANGUAGE, "updated_at": UPDATED, "published_at": PUBLISHED,
}

DRILL = {
    **{key: value for key, value in DRILL_SUMMARY.items() if key not in ("updated_at", "published_at")},
    "start_position": "Stand on one foot on a low box.",
    "steps": [{"position": 1, "text": "Pull the free heel up to the hip.", "media": MEDIA}],
    "cues": [{"position": 1, "kind": "cue", "text": "Keep your hips and back level", "audio": None}],
    "safety_notes": "", "follow_up": "A few box bounces or a short run.", "media": [MEDIA],
    "progressions": [DRILL_LINK], "regressions": [],
    "updated_at": UPDATED, "published_at": PUBLISHED,
}

PROGRAM_SUMMARY = {
    "id": "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e", "slug": "pull-basics", "url": f"{BASE}/programs/pull-basics/",
    "title": "Pull basics", "summary": "Five hamstring drills for a quicker pull.", "featured": True,
    "cover": MEDIA, **TEXT_LANGUAGE, "updated_at": UPDATED, "published_at": PUBLISHED,
}

PROGRAM = {
    **{key: value for key, value in PROGRAM_SUMMARY.items() if key not in ("updated_at", "published_at")},
    "description": "Do them in order, twice a week, after an easy run.",
    "items": [{"position": 1, "drill": DRILL_LINK, "prescription": {**PRESCRIPTION, "sets": 2}}],
    "updated_at": UPDATED, "published_at": PUBLISHED,
}

CATEGORY_EXAMPLES = [example("Pull", CATEGORY)]
MUSCLE_EXAMPLES = [example("Hamstrings", MUSCLE)]
EQUIPMENT_EXAMPLES = [example("Box", EQUIPMENT)]
DRILL_SUMMARY_EXAMPLES = [example("Hamstring curl on a box", DRILL_SUMMARY)]
DRILL_EXAMPLES = [example("Hamstring curl on a box", DRILL)]
PROGRAM_SUMMARY_EXAMPLES = [example("Pull basics", PROGRAM_SUMMARY)]
PROGRAM_EXAMPLES = [example("Pull basics", PROGRAM)]
