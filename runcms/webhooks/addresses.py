"""Which webhook URLs may be called: http or https, and, unless RUNCMS_WEBHOOK_ALLOW_PRIVATE is on,
only hosts on the public internet, so that an endpoint cannot reach the site's own network (SSRF).

The host is checked when an endpoint is saved and again before every delivery, since what a
name resolves to can change in between.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def validate_endpoint_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError("Use an http:// or https:// address.", code="scheme")
    if not parts.hostname:
        raise ValidationError("The address has no host name.", code="host")
    if parts.username or parts.password:
        raise ValidationError("Leave the user name and password out of the address: deliveries are signed.")
    check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def check_host(host, port):
    """Raise a ValidationError when `host` does not resolve, or resolves to a private address not allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError(f"The host “{host}” cannot be found.", code="unresolved") from error
    if settings.RUNCMS_WEBHOOK_ALLOW_PRIVATE:
        return
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global:
            raise ValidationError(
                f"“{host}” is a private address ({address}); webhooks go to hosts on the internet. "
                "An operator can allow private addresses with RUNCMS_WEBHOOK_ALLOW_PRIVATE.",
                code="private",
            )
