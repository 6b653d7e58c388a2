import pytest

pytestmark = pytest.mark.django_db


def test_the_api_index_links_every_collection_and_the_sync(client):
    response = client.get("/api/v1/")

    links = response.json()
    assert response.status_code == 200
    assert set(links) >= {
        "drills", "programs", "articles", "media", "muscles", "equipment", "categories", "topics",
        "sync", "schema", "docs",
    }
    assert all(client.get(url).status_code == 200 for url in links.values())


def test_the_api_index_is_cacheable_like_every_get(client):
    etag = client.get("/api/v1/")["ETag"]

    assert client.get("/api/v1/", HTTP_IF_NONE_MATCH=etag).status_code == 304
