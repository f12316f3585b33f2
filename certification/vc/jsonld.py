"""JSON-LD canonicalisation with bundled contexts only, refusing documents that would lose data.

A term the contexts do not define is silently dropped by JSON-LD expansion, so it would not be
covered by a signature: an unsigned field is a forged field waiting to happen. ``canonize``
raises ``UndefinedTermError`` instead.
"""

import json
from functools import cache
from pathlib import Path

from frozendict import frozendict
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_BUNDLED = {VC_V2: "credentials-v2.jsonld", OB_V3: "ob-context-3.0.3.json"}
_extra: dict[str, dict] = {}


class UndefinedTermError(ValueError):
    def __init__(self, terms: list[str]):
        self.terms = terms
        super().__init__(
            f"terms not defined by the contexts (they would not be signed): {', '.join(terms)}"
        )


class ContextNotAvailable(ValueError):
    pass


class InvalidDocument(ValueError):
    """Not processable JSON-LD (malformed values, bad contexts)."""


def _unwrap(exc: BaseException) -> Exception:
    """pyld wraps loader errors; surface ours, else an InvalidDocument."""
    seen = exc
    while seen is not None:
        if isinstance(seen, ContextNotAvailable):
            return seen
        seen = seen.__cause__ or getattr(seen, "cause", None)
    return InvalidDocument(str(exc).split("\n")[0])


def register_context(url: str, document: dict) -> None:
    """Add a context to the loader (tests use it for the W3C examples context)."""
    _extra[url] = document
    _TYPE_SCOPED_MEMO.clear()


def unregister_context(url: str) -> None:
    _extra.pop(url, None)
    _TYPE_SCOPED_MEMO.clear()


@cache
def _bundled(url: str) -> dict:
    return json.loads((CONTEXTS_DIR / _BUNDLED[url]).read_text())


def document_loader(url: str, options=None) -> dict:
    if url in _BUNDLED:
        # "static" lets pyld keep the processed context in its shared cache: without it every
        # call re-processes the OB context, which is most of the cost of signing.
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": _bundled(url),
            "tag": "static",
        }
    if url in _extra:
        document = _extra[url]
    else:
        raise ContextNotAvailable(
            f"context {url} is not bundled; documents may only use bundled contexts"
        )
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _relative_iris(expanded) -> list[str]:
    """Types and ids that stayed relative (no context defines them): RDF conversion would drop
    them without a word, like an undefined property."""
    bad = []
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@type", "@id") and not isinstance(value, dict):
                    for iri in value if isinstance(value, list) else [value]:
                        if isinstance(iri, str) and ":" not in iri:
                            bad.append(f"{key.removeprefix('@')} {iri}")
                elif isinstance(value, (list, dict)):
                    stack.append(value)
    return bad


# Type-scoped contexts processed against an active context, shared by every canonicalisation in
# the process: (id(active context), id(scoped context), flags) -> (active, scoped, result).
_TYPE_SCOPED_MEMO: dict[tuple, tuple] = {}
_TYPE_SCOPED_MEMO_SIZE = 512


class _Processor(jsonld.JsonLdProcessor):
    """Reports dropped properties, hands RDF conversion the expansion it already made (pyld's
    normalize would expand the document a second time), and remembers type-scoped contexts.

    pyld caches a processed context per active context, but a type-scoped context (OB 3.0
    gives one to Achievement, AchievementSubject, Result, ...) is processed against a fresh
    clone each time, so its cache never hits and every node of every credential re-creates the
    same term definitions: most of the cost of signing. The memo below returns the earlier
    result for the same *frozen* active context and the same scoped-context object. It holds
    both, so their ids cannot be reused while an entry lives; frozen contexts are never changed
    after processing (pyld's own cache shares them the same way). Same input, same result:
    ``tests/certification/test_vc_vector.py`` checks the N-Quads against pyld's own.
    """

    def __init__(self):
        self.dropped: list[str] = []
        super().__init__(on_property_dropped=lambda prop: self.dropped.append(str(prop)))
        self._source: object = None
        self._expanded: list | None = None

    def expand(self, input_, options):
        if input_ is self._source and self._expanded is not None:
            expanded, self._expanded = self._expanded, None  # used once
            return expanded
        return super().expand(input_, options)

    def reuse(self, source: object, expanded: list) -> None:
        self._source, self._expanded = source, expanded

    def _process_context(
        self,
        active_ctx,
        local_ctx,
        options,
        override_protected=False,
        propagate=True,
        validate_scoped=True,
        cycles=None,
    ):
        memoisable = (
            not propagate  # type-scoped
            and not override_protected
            and not cycles
            and isinstance(active_ctx, frozendict)
            and isinstance(local_ctx, dict)
        )
        if not memoisable:
            return super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
        key = (id(active_ctx), id(local_ctx), validate_scoped, options.get("base"))
        found = _TYPE_SCOPED_MEMO.get(key)
        if found is not None and found[0] is active_ctx and found[1] is local_ctx:
            return found[2]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )
        if len(_TYPE_SCOPED_MEMO) >= _TYPE_SCOPED_MEMO_SIZE:
            _TYPE_SCOPED_MEMO.clear()
        _TYPE_SCOPED_MEMO[key] = (active_ctx, local_ctx, result)
        return result


def canonize(document: dict) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0) of ``document`` as N-Quads. Raises
    ``UndefinedTermError`` when any property, type or id would be dropped."""
    processor = _Processor()
    # base=None keeps undefined relative terms relative (pyld would otherwise resolve them
    # against a made-up base IRI and sign them under a name nobody defined), so they are seen.
    options = {"documentLoader": document_loader, "base": None}
    try:
        expanded = processor.expand(document, {**options, "keepFreeFloatingNodes": False})
    except jsonld.JsonLdError as exc:
        raise _unwrap(exc) from exc
    if processor.dropped or (bad := _relative_iris(expanded)):
        raise UndefinedTermError(sorted(set(processor.dropped)) or sorted(set(bad)))
    processor.reuse(document, expanded)
    return processor.normalize(
        document, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
    )
