"""Previewing a draft change of a live item: its page and API detail as they will be once it is published.

A request whose `?preview=` holds a draft preview token (runcms.preview) runs with the draft
applied to the rows inside a transaction that is rolled back once the response is rendered
(runcms.drafts.applied), so it reads what the draft would show and changes nothing. The token is
then swapped for the item's own preview token, so the views treat it as any preview: never kept
by a cache, never indexed, and open even while the item waits for its scheduled moment.
"""

from runcms.drafts import DraftChange, applied, fields_of
from runcms.preview import make_preview_token, read_draft_preview_token


class DraftPreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        draft_id = read_draft_preview_token(request.GET.get("preview")) if request.method == "GET" else None
        draft = DraftChange.objects.filter(pk=draft_id).first() if draft_id is not None else None
        if draft is None or not _addresses(request, draft):
            # No draft (published or discarded since), or another address: as without the token.
            return self.get_response(request)
        with applied(draft) as obj:
            query = request.GET.copy()
            query["preview"] = make_preview_token(obj)
            request.GET = query
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


def _addresses(request, draft):
    # The item's own page and API detail only (by its live or its drafted slug, or its id for what
    # has no slug: media): not a list, the sync or the feed, which would mix the draft into what
    # other items look like.
    live = draft.live()
    slugs = {getattr(live, "slug", None), fields_of(draft.versions[0]).get("slug"), str(draft.object_id)} - {None, ""}
    return request.path.rstrip("/").rsplit("/", 1)[-1] in slugs
