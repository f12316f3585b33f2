"""Small helpers for the sentences the platform shows people ("an agent", "1 point")."""


def with_article(word: str) -> str:
    """'an agent', 'a role', 'a system'."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def count(number: float, singular: str, plural: str | None = None) -> str:
    """'1 point', '0.5 points', '2 points', '3 days'; whole floats print without '.0'."""
    noun = singular if number == 1 else (plural or f"{singular}s")
    return f"{number:g} {noun}"
