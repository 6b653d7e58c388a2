"""API v1 of articles and topics: serializers, filters and viewsets (registered in `articles/apps.py`)."""
