"""Near-duplicate rationale text and the MinHash/LSH index keys of both signals (pure Python
with datasketch, no Django). docs/quality/similarity.md explains the choices.

Text is normalised before it is compared: lower case, every run of characters other than
letters and digits becomes one space (so punctuation and line breaks do not count), and a few
very common words are dropped (so "the agent" and "an agent" agree). What is compared is the set
of word pairs (2-shingles) that remain: a reworded sentence keeps most of its pairs, two texts
written independently about the same design share few.
"""

import hashlib
import re

from datasketch import MinHash

PERMUTATIONS = 128
SEED = 1  # fixed: every process must derive the same signatures
SCHEME = "affine32"  # pinned, so a datasketch upgrade cannot change stored signatures unseen
# (bands, rows per band) of each signal's LSH: a pair becomes a candidate when one band agrees,
# with probability 1 - (1 - J^rows)^bands for Jaccard J of the hashed sets (calibration table in
# docs/quality/similarity.md).
STRUCTURE_BANDS = (21, 6)
TEXT_BANDS = (32, 4)
TEXT_BAND_OFFSET = 100  # FingerprintBand.band: 0-20 structure, 100-131 rationale
MIN_TEXT_SHINGLES = 12  # shorter rationales never flag on text: too little to tell copying

WORD = re.compile(r"[^\W_]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "at",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "they",
        "their",
    ]
)


def rationale_text(design: dict) -> str:
    rationale = design.get("rationale") if isinstance(design, dict) else None
    if isinstance(rationale, dict):
        return "\n".join(str(v) for _, v in sorted(rationale.items()))
    return str(rationale or "")


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]


def shingles(text: str, size: int = 2) -> set[str]:
    found = words(text)
    return {" ".join(found[i : i + size]) for i in range(max(0, len(found) - size + 1))}


def text_similarity(a: str | set, b: str | set) -> float:
    """Jaccard index of the normalised texts' word pairs (either given as its ``shingles``);
    0 when either is too short to say."""
    sa = a if isinstance(a, set) else shingles(a)
    sb = b if isinstance(b, set) else shingles(b)
    if len(sa) < MIN_TEXT_SHINGLES or len(sb) < MIN_TEXT_SHINGLES:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def signature(tokens) -> list[int]:
    """The MinHash signature (PERMUTATIONS values) of a set of string tokens."""
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
    minhash.update_batch([t.encode() for t in set(tokens)])
    return [int(v) for v in minhash.hashvalues]


def index_keys(structure_tokens: list[str], rationale: str) -> list[tuple[int, str]]:
    """Every LSH (band, key) of a design: its structure's, and its rationale's when that is
    long enough to flag (an empty rationale must not meet every other empty one)."""
    keys = bands(signature(structure_tokens), STRUCTURE_BANDS)
    words_pairs = shingles(rationale)
    if len(words_pairs) >= MIN_TEXT_SHINGLES:
        keys += bands(signature(words_pairs), TEXT_BANDS, TEXT_BAND_OFFSET)
    return keys


def bands(values: list[int], layout: tuple[int, int], offset: int = 0) -> list[tuple[int, str]]:
    """(band number, band key) for each LSH band of a signature: designs that share one are
    compared."""
    count, rows = layout
    return [
        (offset + i, _key(values[i * rows : (i + 1) * rows]))
        for i in range(min(count, len(values) // rows))
    ]


def _key(values: list[int]) -> str:
    return hashlib.blake2b(",".join(map(str, values)).encode(), digest_size=8).hexdigest()
