"""One shape for a top-layer app's pages scoped to "things of mine": signed in (else the
sign-in page), allowed by a rule of the app (else its "not for your role" page, 403), and a
``slug`` in the URL resolved among the caller's own objects (anything else is 404, with no
hint that it exists)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .errors import NotFound

SIGNIN = "candidate-signin"


def scoped_page(
    *, allowed: Callable, resolve: Callable, as_name: str, refusal_template: str
) -> Callable:
    """A view decorator: ``allowed(user)`` admits the caller; ``resolve(user=, slug=)`` turns
    the URL's ``slug`` into the view's ``as_name`` argument or raises NotFound."""

    def decorator(view):
        @login_required(login_url=SIGNIN)
        @wraps(view)
        def wrapped(request, *args, slug=None, **kwargs):
            if not allowed(request.user):
                return render(request, refusal_template, status=403)
            if slug is not None:
                try:
                    kwargs[as_name] = resolve(user=request.user, slug=slug)
                except NotFound as error:
                    raise Http404(error.message) from error
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
