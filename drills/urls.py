import re

from django.conf import settings
from django.urls import path, re_path

from drills import views
from drills.media.views import serve_media

urlpatterns = [
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/<slug:slug>/", views.drill_detail, name="drill-detail"),
    path("programs/<slug:slug>/", views.program_detail, name="program-detail"),
]
if settings.MEDIA_URL.startswith("/"):
    # Local storage: the app serves media itself, so it can refuse the files of drafts.
    # An absolute MEDIA_URL (a bucket or CDN) serves them without the app.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)\Z", serve_media, name="media-file")
    )
