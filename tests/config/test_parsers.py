"""The one JSON parsing layer (config/parsers.py): what it accepts, what it refuses and why."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import parsers
from config.middleware import body_limit
from config.renderers import JSONRenderer

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    # text that may hold quotes, backslashes and brackets, which the depth scan must skip
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=5).filter(
                lambda k: "\x00" not in k
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=30,
)


def true_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(true_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(true_depth, value), default=0)
    return 0


@given(json_values, st.booleans())
def test_the_depth_scan_measures_what_the_parser_would_build(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert parsers.nesting_depth(text.encode()) == true_depth(value)


@given(json_values)
def test_every_acceptable_value_round_trips(value):
    assert parsers.loads(json.dumps(value, ensure_ascii=False).encode()) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 5000 + "]" * 5000, "json_too_deep"),
        ('{"a": ' * 100_000, "json_too_deep"),  # unbalanced, never closed
        ("[" * 200_000, "json_too_deep"),
        ('"\\ud800"', "json_invalid_text"),
        ('["ok", {"k": "x\\udc00y"}]', "json_invalid_text"),
        ('{"\\ud83d": 1}', "json_invalid_text"),
        ('{"a": "\\u0000"}', "json_invalid_text"),
        ('{"a\\u0000": 1}', "json_invalid_text"),
        ("NaN", "invalid_json"),
        ("[Infinity]", "invalid_json"),
        ("1e400", "invalid_json"),
        ('{"a": 1', "invalid_json"),
        ("", "invalid_json"),
    ],
)
def test_hostile_text_is_refused_with_a_stable_code(text, code):
    with pytest.raises(parsers.JSONRejected) as refused:
        parsers.loads(text.encode())
    assert refused.value.code == code


def test_the_refusal_names_where_the_bad_text_is_in_ascii():
    with pytest.raises(parsers.JSONRejected) as refused:
        parsers.loads(b'{"design": {"nodes": [{"na\\ud800me": 1}]}}')
    assert str(refused.value).startswith("$.design.nodes[0].na\\ud800me ")
    str(refused.value).encode("ascii")  # safe to put in any response


@pytest.mark.parametrize(
    "text",
    [
        '"\\ud83d\\ude00"',  # a surrogate pair is one character (😀), not a lone surrogate
        '"\\\\u0000"',  # an escaped backslash then the letters u0000
        '"\\\\ud800"',
        '{"brackets": "[[[[{{{{", "quote": "\\"]]]"}',
        "[" * 32 + "]" * 32,
    ],
)
def test_lookalikes_are_accepted(text):
    assert parsers.loads(text.encode()) == json.loads(text)


def test_the_depth_limit_comes_from_settings(settings):
    settings.JSON_MAX_DEPTH = 3
    assert parsers.loads(b"[[[]]]") == [[[]]]
    with pytest.raises(parsers.JSONRejected):
        parsers.loads(b"[[[[]]]]")


def test_a_body_not_in_utf8_is_refused_and_another_declared_charset_is_honoured():
    with pytest.raises(parsers.JSONRejected):
        parsers.loads(b'"\xe9"')
    assert parsers.loads(b'"\xe9"', encoding="latin-1") == "é"


def test_body_limits_take_the_longest_matching_prefix(settings):
    settings.REQUEST_MAX_BODY_BYTES = 1000
    settings.REQUEST_BODY_LIMITS = {"/verify/": 10, "/verify/big/": 500}
    assert body_limit("/api/v1/attempts/") == 1000
    assert body_limit("/verify/") == 10
    assert body_limit("/verify/big/x") == 500


@pytest.mark.django_db
@pytest.mark.parametrize("declared", ["-1", "12abc", "\uff11\uff12"])
def test_a_content_length_that_is_not_a_number_is_a_400(client, declared):
    response = client.post(
        "/api/v1/auth/token/", b"{}", content_type="application/json", CONTENT_LENGTH=declared
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_content_length"


def test_the_renderer_escapes_a_stored_lone_surrogate_instead_of_failing():
    rendered = JSONRenderer().render({"name": "Zoë \ud800", "nul": "a\x00b"})
    assert json.loads(rendered) == {"name": "Zoë \ud800", "nul": "a\x00b"}
    assert "Zoë".encode() in JSONRenderer().render({"name": "Zoë"})  # UTF-8 when it can be
