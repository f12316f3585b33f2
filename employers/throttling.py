"""Rate limit of employers' bulk verification: items per API key (the API) or per employer
(the signed-in page), scope ``employer_verify_bulk`` (e.g. ``200000/hour``), counted as the
anonymous bulk limit counts them (``certification.throttling.BulkVerifyThrottle``)."""

import time

from certification.throttling import BulkVerifyThrottle


class EmployerBulkThrottle(BulkVerifyThrottle):
    scope = "employer_verify_bulk"
    prefix = "employer-verify-bulk"

    def __init__(self, ident: str):
        super().__init__()
        self.ident = ident

    def get_cache_key(self, request, view):
        window = int(time.time() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"throttle:{self.prefix}:{self.ident}:{window}"


def for_key(key) -> EmployerBulkThrottle:
    return EmployerBulkThrottle(f"key-{key.pk}")


def for_page(employer) -> EmployerBulkThrottle:
    return EmployerBulkThrottle(f"employer-{employer.pk}-page")
