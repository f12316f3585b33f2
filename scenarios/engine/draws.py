"""Keyed random numbers: every draw is a function of (seed, case, purpose, subject, occurrence).

Nothing in the engine shares one random stream between cases or purposes, so a step that does
nothing (a review sampling 0%, a check that cannot detect anything) draws nothing, and a step
added to a design changes no other case's luck and no other purpose's luck in the same case.

A *purpose* is what the number decides ("error", "detect", "abstain", "confidence", "sample",
and in the case stream "arrival", an attribute, a defect, "adversarial"); the *subject* narrows it
(the task type for an error, the error kind and the checking step's kind and work for a
detection). The n-th draw of one (purpose, subject) for one case is its *occurrence* n.

Draws of one (purpose, subject) are uniform numbers pre-drawn per case in case order from
``random.Random("draw:<seed>:<purpose>:<subject>").randbytes`` as 32-bit little-endian integers
scaled to [0, 1) (``DRAW_SLOTS`` per case, so the numbers of case i do not depend on how many
cases the run has), and later occurrences are hashed with BLAKE2b. Tables are cached between runs of one seed (a design and today's process share them:
common random numbers, so a comparison measures the designs, not their luck).
"""

import hashlib
import random
import sys
from array import array
from collections import OrderedDict

from .defaults import DRAW_SLOTS

_TABLES: OrderedDict = OrderedDict()
_TABLES_SIZE = 512
_SCALE = 1.0 / 2**64
_SCALE32 = 1.0 / 2**32


def _table(seed: int, key: str, n: int) -> array:
    """32-bit draws for n cases (random bytes are the cheapest thing to make in bulk)."""
    cache_key = (seed, key, n)
    table = _TABLES.get(cache_key)
    if table is None:
        table = array("I")
        assert table.itemsize == 4
        table.frombytes(random.Random(f"draw:{seed}:{key}").randbytes(4 * n * DRAW_SLOTS))
        if sys.byteorder != "little":
            table.byteswap()
        _TABLES[cache_key] = table
        if len(_TABLES) > _TABLES_SIZE:
            _TABLES.popitem(last=False)
    else:
        _TABLES.move_to_end(cache_key)
    return table


def hashed(seed: int, key: str, case: int, occurrence: int) -> float:
    """The uniform number for one (seed, purpose:subject, case, occurrence), computed alone."""
    digest = hashlib.blake2b(f"{seed}:{key}:{case}:{occurrence}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") * _SCALE


class Stream:
    """The draws of one (purpose, subject) in one run; ``draw(case)`` gives the case's next."""

    __slots__ = ("key", "n", "occurrences", "seed", "table")

    def __init__(self, seed: int, key: str, n: int):
        self.seed, self.key, self.n = seed, key, n
        self.table = None  # filled on the first draw: most subjects are never drawn
        self.occurrences = [0] * n

    def draw(self, case: int) -> float:
        k = self.occurrences[case]
        self.occurrences[case] = k + 1
        if k < DRAW_SLOTS:
            table = self.table
            if table is None:
                table = self.table = _table(self.seed, self.key, self.n)
            return table[case * DRAW_SLOTS + k] * _SCALE32
        return hashed(self.seed, self.key, case, k)


class Draws:
    """The streams of one run, made on first use."""

    __slots__ = ("n", "seed", "streams")

    def __init__(self, seed: int, n: int):
        self.seed, self.n = seed, n
        self.streams: dict = {}

    def stream(self, purpose: str, subject: str = "") -> Stream:
        key = f"{purpose}:{subject}"
        stream = self.streams.get(key)
        if stream is None:
            stream = self.streams[key] = Stream(self.seed, key, self.n)
        return stream
