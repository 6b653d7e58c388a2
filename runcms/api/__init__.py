"""API v1 pieces that know no content type: base viewsets, fields, help texts, pagination, caching, errors, throttling.

The apps' `api` modules build their serializers and viewsets on these and register them
(`routes.register`) in `AppConfig.ready()`; `runcms/urls.py` routes them under `/api/v1/`.
"""
