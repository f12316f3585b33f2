"""``Authorization: Api-Key <key>``: an employer's API key authenticates the request.

The request's user stays anonymous (a key acts for the employer, not for a person); the key
row is ``request.auth``. A revoked key is refused with ``api_key_revoked`` and an unknown or
malformed one with ``authentication_failed`` (both 401, with a ``WWW-Authenticate: Api-Key``
challenge)."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services
from .models import ApiKey

KEYWORD = "Api-Key"


class ApiKeyRevoked(exceptions.AuthenticationFailed):
    default_detail = "This API key was revoked; ask your employer account for a new one."
    default_code = "api_key_revoked"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                f"Send the key as 'Authorization: {KEYWORD} prk_...'.", code="authentication_failed"
            )
        try:
            plaintext = header[1].decode("ascii")
        except UnicodeDecodeError:
            plaintext = ""
        key = selectors.api_key_for(plaintext)
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown API key.", code="authentication_failed")
        if not key.is_active:
            raise ApiKeyRevoked()
        services.api_key_touch(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return KEYWORD


def api_key_of(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "employers.authentication.ApiKeyAuthentication"
    name = "employerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"'{KEYWORD} prk_...': an employer's API key.",
        }
