"""What a failed request is called: the slug it is counted under (``blogarchive/errors/<slug>``)."""

from __future__ import annotations

from scrapy import exceptions as sx
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed


def classify_failure(failure: Failure) -> str:
    """A short slug for a failed request, used as a stats key."""
    slug = getattr(failure.value, "slug", None)  # crawler.middlewares.Skipped says why itself
    if slug:
        return slug
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    kinds = (
        ("dns_error", (tx.DNSLookupError, sx.CannotResolveHostError)),
        ("timeout", (tx.TimeoutError, tx.TCPTimedOutError, sx.DownloadTimeoutError)),
        ("connection_refused", (tx.ConnectionRefusedError, sx.DownloadConnectionRefusedError)),
        # DOWNLOAD_MAXSIZE: Scrapy cancels the download (on the announced or the received size).
        ("too_large", (sx.DownloadCancelledError,)),
        ("connection_lost", (tx.ConnectionLost, tx.ConnectionDone, ResponseFailed, sx.ResponseDataLossError,
                             sx.DownloadFailedError)),
    )  # fmt: skip
    for name, types in kinds:
        if failure.check(*types):
            return name
    if failure.check(sx.IgnoreRequest):
        message = str(failure.value).lower()
        if "robots.txt" in message:
            return "robots_forbidden"
        return "too_many_redirects" if "redirection" in message else "ignored"
    return type(failure.value).__name__.lower()
