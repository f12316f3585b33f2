"""The project's copies of the standards files are the published ones. ``SHA256SUMS`` records
each published file's digest, taken from the team's ``shared/standards`` when the copies were
made: every copy must match it, in any clone, and when ``shared/standards`` is beside the
checkout the originals there must match it too (so a changed original, or a changed copy, is
found either way, and nothing is skipped for want of the folder)."""

import hashlib

import pytest

from tests.support.standards import FIXTURES, SHARED

MANIFEST = FIXTURES / "SHA256SUMS"
COPIES = sorted(
    path.relative_to(FIXTURES)
    for path in FIXTURES.rglob("*")
    if path.is_file() and path.name not in ("README.md", "SHA256SUMS")
)


def _recorded() -> dict[str, str]:
    lines = MANIFEST.read_text().splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines if line)}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_copies_cover_what_the_tests_read():
    names = {str(path) for path in COPIES}
    assert "ob_v3p0_achievementcredential_schema.json" in names
    assert "vc-di-eddsa-test-vectors/eddsa-rdfc-2022/signedDataInt.json" in names
    assert "contexts/credentials-v2.jsonld" in names
    assert set(_recorded()) == names, "SHA256SUMS must list every copy and nothing else"
    readme = (FIXTURES / "README.md").read_text()
    for top in {path.parts[0] for path in COPIES}:
        assert f"`{top}" in readme, f"{top} has no source/licence note in the README"


@pytest.mark.parametrize("relative", COPIES, ids=str)
def test_each_copy_is_the_published_file(relative):
    recorded = _recorded()[str(relative)]
    assert _digest(FIXTURES / relative) == recorded, "the copy changed"
    if SHARED is not None:
        assert _digest(SHARED / relative) == recorded, "the shared original differs"
