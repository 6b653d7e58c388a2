"""A small app on the client openapi-python-client generates from the schema (see test_generated_client.py).

The test type-checks it with `mypy --strict` and runs it against a live server:
`python app.py BASE_URL` reads every list and every item in it, the errors, and a full
sync, and prints what it parsed as JSON; `python app.py BASE_URL TOKEN` asks for the delta.
"""

import json
import sys
from typing import Any, TypeVar

from runcms_client import Client
from runcms_client.api.v1 import (
    sync,
    v1_articles_list,
    v1_articles_retrieve,
    v1_categories_list,
    v1_drills_list,
    v1_drills_retrieve,
    v1_equipment_list,
    v1_media_list,
    v1_media_retrieve,
    v1_muscles_list,
    v1_programs_list,
    v1_programs_retrieve,
    v1_topics_list,
)
from runcms_client.models import (
    Article,
    Drill,
    Error,
    Media,
    PaginatedArticleSummaryList,
    PaginatedCategoryList,
    PaginatedDrillSummaryList,
    PaginatedEquipmentList,
    PaginatedMediaList,
    PaginatedMuscleList,
    PaginatedProgramSummaryList,
    PaginatedTopicList,
    Program,
    SyncResponse,
)

T = TypeVar("T")


def expect(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind):
        raise SystemExit(f"expected a {kind.__name__}, got {value!r}")
    extra = getattr(value, "additional_properties", {})
    if extra:  # a field the schema does not list
        raise SystemExit(f"{kind.__name__} has fields the schema does not list: {sorted(extra)}")
    return value


def media_summary(media: Media | None) -> dict[str, Any] | None:
    if media is None:
        return None
    return {"id": str(media.id), "kind": media.kind.value, "renditions": len(media.renditions)}


def read_everything(client: Client) -> dict[str, Any]:
    drills = expect(v1_drills_list.sync(client=client, page_size=100), PaginatedDrillSummaryList)
    programs = expect(v1_programs_list.sync(client=client, page_size=100), PaginatedProgramSummaryList)
    articles = expect(v1_articles_list.sync(client=client, page_size=100), PaginatedArticleSummaryList)
    media = expect(v1_media_list.sync(client=client, page_size=100), PaginatedMediaList)
    terms = {
        "muscles": len(expect(v1_muscles_list.sync(client=client), PaginatedMuscleList).results),
        "equipment": len(expect(v1_equipment_list.sync(client=client), PaginatedEquipmentList).results),
        "categories": len(expect(v1_categories_list.sync(client=client), PaginatedCategoryList).results),
        "topics": len(expect(v1_topics_list.sync(client=client), PaginatedTopicList).results),
    }
    drill_details = [expect(v1_drills_retrieve.sync(d.slug, client=client), Drill) for d in drills.results]
    program_details = [expect(v1_programs_retrieve.sync(p.slug, client=client), Program) for p in programs.results]
    article_details = [expect(v1_articles_retrieve.sync(a.slug, client=client), Article) for a in articles.results]
    media_details = [expect(v1_media_retrieve.sync(m.id, client=client), Media) for m in media.results]
    missing = expect(v1_drills_retrieve.sync("no-such-drill", client=client), Error)
    bad_page = expect(v1_drills_list.sync(client=client, page=999), Error)

    pages = [expect(sync.sync(client=client), SyncResponse)]
    while pages[-1].has_more:
        pages.append(expect(sync.sync(client=client, token=pages[-1].token), SyncResponse))
    return {
        "lists": {
            "drills": [d.slug for d in drills.results],
            "programs": [p.slug for p in programs.results],
            "articles": [a.slug for a in articles.results],
            "media": len(media.results),
            **terms,
        },
        "drills": {
            d.slug: {
                "steps": [media_summary(step.media) for step in d.steps],
                "cues": [media_summary(cue.audio) for cue in d.cues],
                "thumbnail": media_summary(d.thumbnail),
                "updated_at": d.updated_at.isoformat(),
            }
            for d in drill_details
        },
        "programs": {p.slug: [item.drill.slug for item in p.items] for p in program_details},
        "articles": {
            a.slug: {
                "photo": media_summary(a.author.photo),
                "hero": media_summary(a.hero),
                "sources": [source.url for source in a.sources],
                "related_drills": [d.slug for d in a.related_drills],
            }
            for a in article_details
        },
        "media": [media_summary(m) for m in media_details],
        "errors": [missing.detail, bad_page.detail],
        "sync": {
            "token": pages[-1].token,
            "drills": sorted(str(d.id) for page in pages for d in page.upserted.drills),
            "articles": sorted(str(a.id) for page in pages for a in page.upserted.articles),
        },
    }


def read_delta(client: Client, token: str) -> dict[str, Any]:
    pages = [expect(sync.sync(client=client, token=token), SyncResponse)]
    while pages[-1].has_more:
        pages.append(expect(sync.sync(client=client, token=pages[-1].token), SyncResponse))
    return {
        "upserted": {"drills": [d.title for page in pages for d in page.upserted.drills]},
        "deleted": {"drills": [str(pk) for page in pages for pk in page.deleted.drills]},
    }


def main() -> None:
    base_url, *token = sys.argv[1:]
    with Client(base_url=base_url, raise_on_unexpected_status=True) as client:
        result = read_delta(client, token[0]) if token else read_everything(client)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
