"""Where a person lands after signing in, for apps the sign-in page may not import.

The sign-in page (``candidates``) decides by role; a top-layer app whose people are not told
apart by role (an employer's members are ordinary accounts) registers a function here in its
``AppConfig.ready``: given the user, it returns a path or None. The first path wins."""

from collections.abc import Callable

Landing = Callable[[object], str | None]
_landings: list[Landing] = []


def register_landing(landing: Landing) -> None:
    if landing not in _landings:
        _landings.append(landing)


def landing_for(user) -> str | None:
    for landing in list(_landings):
        path = landing(user)
        if path:
            return path
    return None
