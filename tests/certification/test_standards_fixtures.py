"""The project's copies of the standards files are the published ones: compared byte for byte
with the team's ``shared/standards`` when that folder is present (only this comparison needs
it; every other test reads the copies)."""

import pytest

from tests.support.standards import FIXTURES, SHARED

COPIES = sorted(
    path.relative_to(FIXTURES)
    for path in FIXTURES.rglob("*")
    if path.is_file() and path.name != "README.md"
)


def test_the_copies_cover_what_the_tests_read():
    names = {str(path) for path in COPIES}
    assert "ob_v3p0_achievementcredential_schema.json" in names
    assert "vc-di-eddsa-test-vectors/eddsa-rdfc-2022/signedDataInt.json" in names
    assert "contexts/credentials-v2.jsonld" in names
    readme = (FIXTURES / "README.md").read_text()
    for top in {path.parts[0] for path in COPIES}:
        assert f"`{top}" in readme, f"{top} has no source/licence note in the README"


@pytest.mark.skipif(SHARED is None, reason="no shared/standards folder beside this checkout")
@pytest.mark.parametrize("relative", COPIES, ids=str)
def test_each_copy_equals_the_shared_original(relative):
    assert (FIXTURES / relative).read_bytes() == (SHARED / relative).read_bytes()
