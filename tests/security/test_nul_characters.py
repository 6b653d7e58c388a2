import pytest

from tests.factories import make_drill

pytestmark = pytest.mark.django_db

URLS = [
    "/admin/drills/drill/?q=%00",
    "/admin/autocomplete/?app_label=drills&model_name=drill&field_name=category&term=%00",
    "/api/v1/drills/?search=heel%00",
    "/drills/?q=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_character_in_the_query_is_a_clear_400_not_a_500(admin_client, url):
    make_drill()

    response = admin_client.get(url)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_api_nul_error_is_json_with_a_detail(client):
    response = client.get("/api/v1/drills/?search=%00")

    assert response.json() == {"detail": "The query string contains a NUL character (%00). Remove it and try again."}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/drills/drill/%00/history/",
        "/admin/drills/drill/%00/history/1/",
        "/admin/drills/program/%00/change/",
        "/admin/articles/article/%00/history/",
        "/api/v1/drills/heel%00pull/",
        "/drills/heel%00pull/",
    ],
)
def test_a_nul_character_in_the_address_is_a_clear_400_not_a_500(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 400
    assert "The address contains a NUL character" in response.content.decode()
