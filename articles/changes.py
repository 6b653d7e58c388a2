"""What a change to an article-side row affects in the change journal (see `runcms.changelog`)."""

from articles.models import Article
from drills.changes import ids
from drills.media.uses import media_used_by


def author_changes(pks):
    # An author's photo is public with their articles: a new photo changes the media as well.
    articles = list(ids(Article.objects.filter(author__in=pks)))
    return {"articles": articles, "media": media_used_by(Article, articles)}
