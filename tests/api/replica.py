"""A mobile app's offline copy, kept the way the API contract tells apps to keep it."""

COLLECTIONS = ("drills", "programs", "articles", "media")


def get_sync(client, token=None):
    response = client.get("/api/v1/sync/", {"token": token} if token else {})
    assert response.status_code == 200, response.content
    return response.json()


def full_sync(client):
    """(replica, token): everything published now, following `has_more`."""
    replica = {name: {} for name in COLLECTIONS}
    page = get_sync(client)
    apply(replica, page)
    while page["has_more"]:
        page = get_sync(client, page["token"])
        apply(replica, page)
    return replica, page["token"]


def delta_sync(client, replica, token):
    """Apply what changed since `token` to `replica`; returns the next token and the pages seen."""
    pages = [get_sync(client, token)]
    apply(replica, pages[-1])
    while pages[-1]["has_more"]:
        pages.append(get_sync(client, pages[-1]["token"]))
        apply(replica, pages[-1])
    return pages[-1]["token"], pages


def apply(replica, page):
    for name in COLLECTIONS:
        for obj in page["upserted"][name]:
            replica[name][obj["id"]] = obj
        for pk in page["deleted"][name]:
            replica[name].pop(pk, None)
