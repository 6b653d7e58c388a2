"""API v1 pieces that know no content type: pagination, HTTP caching, errors, throttling, base viewsets.

The apps' `api` modules build their serializers and viewsets on these; `runcms/urls.py`
routes them under `/api/v1/`.
"""
