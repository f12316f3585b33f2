"""API token authentication: knox tokens (stored as digests) that expire after
``REST_KNOX["TOKEN_TTL"]``, with an expired token told apart from an unknown one."""

from hmac import compare_digest

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "This API token has expired; log in again for a new one."
    default_code = "token_expired"


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's authentication, answering ``token_expired`` (401) for a token that was valid and
    has run out, and ``authentication_failed`` for anything else. Knox deletes an expired
    token when it meets it; this class remembers which digests it deleted so that the answer
    names the reason without an extra query on the success path."""

    def __init__(self):
        super().__init__()
        self._expired_digests: list[str] = []

    def _cleanup_token(self, auth_token) -> bool:
        digest = auth_token.digest  # the primary key: gone from the instance once deleted
        expired = super()._cleanup_token(auth_token)
        if expired:
            self._expired_digests.append(digest)
        return expired

    def authenticate_credentials(self, token: bytes):
        try:
            return super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed:
            if self._expired_digests and self._was_expired(token):
                raise TokenExpired() from None
            raise

    def _was_expired(self, token: bytes) -> bool:
        try:
            digest = hash_token(token.decode("utf-8"))
        except (TypeError, ValueError):
            return False
        return any(compare_digest(digest, expired) for expired in self._expired_digests)


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme: knox's, for this subclass (registered on import)."""

    target_class = "accounts.authentication.TokenAuthentication"
