from django.urls import path

from articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("drills/<slug:slug>/", views.drill_detail, name="drill-detail"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
]
