import re

from django.conf import settings
from django.urls import re_path

from drills.media import views

urlpatterns = []
if settings.MEDIA_URL.startswith("/"):
    # Local storage: the app serves media itself, so it can refuse the files of drafts.
    # An absolute MEDIA_URL (a bucket or CDN) serves them without the app.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)\Z", views.serve_media, name="media-file")
    )
