"""The article admin's add form and Markdown preview, as an editor reaches them."""

from runcms.publishing import Status
from tests.admin_forms import admin_form_data
from tests.factories import make_author

ADD_URL = "/admin/articles/article/add/"
PREVIEW_URL = "/admin/articles/article/markdown-preview/"


def new_article_form(client, editor, **fields):
    """The add form as `editor` is shown it, filled with a publishable article; `fields` override."""
    client.force_login(editor)
    data = admin_form_data(client.get(ADD_URL))
    return {
        **data,
        "title": "The pull",
        "slug": "the-pull",
        "summary": "Bring the foot back under the hip.",
        "author": str(make_author().pk),
        "body": "Pull the foot back.",
        "status": Status.PUBLISHED,
        **fields,
    }
