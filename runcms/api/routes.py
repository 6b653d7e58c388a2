"""The collections of API v1: each app registers its viewsets in `AppConfig.ready()`, and
`runcms/urls.py` routes them under `/api/v1/`, so the URL configuration imports no app.

They are routed, and listed by the API index, in the order registered: the apps' order in
`INSTALLED_APPS`, then the order of their calls.
"""

_routes: list = []


def register(prefix, viewset, name):
    """Route `viewset` at `/api/v1/<prefix>/`, its URL names `api:<name>-list` and `api:<name>-detail`."""
    route = (prefix, viewset, name)
    if route not in _routes:
        _routes.append(route)


def registered_routes():
    """(URL prefix, viewset, route name) of every registered collection, in order."""
    return list(_routes)
