"""Who is asking: the client address that login throttling counts failures against."""

from django.conf import settings


def client_ip(request):
    """The client's address. Behind `PROXY_COUNT` trusted proxies it is the entry the outermost
    of them appended to X-Forwarded-For (entries further left can be forged by the client)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    return forwarded[-settings.PROXY_COUNT]
