from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed
from articles.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/<slug:slug>/", views.drill_detail, name="drill-detail"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("feed/", views.public_page(LatestArticlesFeed()), name="feed"),
    path("sitemap.xml", views.public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]
