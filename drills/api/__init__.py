"""API v1 of drills, programs and taxonomy: serializers, filters and viewsets.

Cue media's API is in `drills.media.api`; `drills/apps.py` registers its viewset with the rest of the app's.
"""
