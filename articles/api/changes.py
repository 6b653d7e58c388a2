"""Articles in the offline sync: their collection, and what each row change affects (see `runcms.sync`)."""

from articles.api.serializers import ArticleSerializer
from articles.models import Article, Author, Source, Topic
from drills.api.changes import ids, media_used_by
from drills.models import Drill
from runcms import sync


def register():
    sync.register("articles", Article, ArticleSerializer)
    sync.track(Article, lambda pks: {"articles": pks, "media": media_used_by(Article, pks)})
    sync.track(Source, lambda pks: {"articles": ids(Source.objects.filter(pk__in=pks), "article_id")})
    sync.track(Author, author_changes)
    sync.track(Topic, lambda pks: {"articles": ids(Article.objects.filter(topics__in=pks))})
    # Articles list the drills they embed, with their titles, while the drills are published.
    sync.track(Drill, lambda pks: {"articles": ids(Article.objects.filter(related_drills__in=pks))})


def author_changes(pks):
    # An author's photo is public with their articles: a new photo changes the media as well.
    articles = list(ids(Article.objects.filter(author__in=pks)))
    return {"articles": articles, "media": media_used_by(Article, articles)}
