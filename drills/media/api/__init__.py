"""API v1 of cue media: serializers, examples, list filter and viewset (`drills.api` routes the viewset)."""
