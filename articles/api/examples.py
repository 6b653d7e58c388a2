"""Example articles and topics for the OpenAPI schema, shaped as the API answers."""

from drills.api.examples import DRILL_LINK
from drills.media.api.examples import MEDIA
from runcms.api.examples import BASE, PUBLISHED, TEXT_LANGUAGE, UPDATED, example

TOPIC = {
    "id": "9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d", "slug": "technique", "name": "Technique",
    "description": "How to run: posture, the fall and the pull.", "url": f"{BASE}/topics/technique/",
    **TEXT_LANGUAGE, "updated_at": UPDATED, "published_at": None,
}

AUTHOR = {
    "id": "2c3d4e5f-6a7b-5c8d-9e0f-1a2b3c4d5e6f", "slug": "runcms-coaches", "name": "runcms coaches",
    "bio": "Coaches who write the drills.", "photo": None,
    "url": f"{BASE}/api/v1/articles/?author=runcms-coaches", "updated_at": UPDATED, "published_at": None,
}

ARTICLE_SUMMARY = {
    "id": "6e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c2b", "slug": "the-pull", "url": f"{BASE}/articles/the-pull/",
    "title": "The pull: bring the support foot back under the hip",
    "summary": "Why the pull matters, and five drills to train it.", "author": AUTHOR, "topics": [TOPIC],
    "hero": MEDIA, "featured": True, "reading_minutes": 4, **TEXT_LANGUAGE,
    "updated_at": UPDATED, "published_at": PUBLISHED,
}

ARTICLE = {
    **{key: value for key, value in ARTICLE_SUMMARY.items() if key not in ("updated_at", "published_at")},
    "body": f"Pull the support foot back under the hip.\n\n[[drill:{DRILL_LINK['slug']}]]\n\n[[media:{MEDIA['id']}]]\n",
    "body_html": f'<p>Pull the support foot back under the hip.</p>\n<div data-embed="drill" '
    f'data-ref="{DRILL_LINK["slug"]}"></div>\n<div data-embed="media" data-ref="{MEDIA["id"]}"></div>\n',
    "sources": [{"title": "How to Run", "author": "Nicholas Romanov", "url": ""}],
    "related_drills": [DRILL_LINK], "media": [MEDIA],
    "updated_at": UPDATED, "published_at": PUBLISHED,
}

TOPIC_EXAMPLES = [example("Technique", TOPIC)]
ARTICLE_SUMMARY_EXAMPLES = [example("The pull", ARTICLE_SUMMARY)]
ARTICLE_EXAMPLES = [example("The pull", ARTICLE)]
