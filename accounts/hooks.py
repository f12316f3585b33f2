"""Named hooks through which higher layers add to what an account sees of itself.

``accounts`` is the lowest app: it must not import ``certification``, yet ``GET /me/`` should
list the holder's credentials. The credential app registers a provider here in its
``AppConfig.ready()``; without one (an installation without credentials) the list is empty.
"""

from collections.abc import Callable

HolderCredentials = Callable[[object], list[dict]]

_holder_credentials: list[HolderCredentials] = []


def register_holder_credentials(provider: HolderCredentials) -> None:
    """``provider(user)`` → the user's credentials as ``{id, url, certification, status, ...}``."""
    if provider not in _holder_credentials:
        _holder_credentials.append(provider)


def holder_credentials(user) -> list[dict]:
    return [link for provider in _holder_credentials for link in provider(user)]
