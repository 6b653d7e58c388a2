from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed
from runcms.pages import public_page

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("feed/", public_page(LatestArticlesFeed()), name="feed"),
]
