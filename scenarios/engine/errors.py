"""Error values the engine returns. Validation never raises on bad input: it returns these."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document: where (a JSON path), what to fix, and a stable code."""

    path: str
    message: str
    code: str

    def to_dict(self) -> dict:
        return asdict(self)


DesignError = Problem


class PackError(Exception):
    """A scenario pack is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p.path}: {p.message}" for p in problems[:20])
        super().__init__(f"{len(problems)} problem(s) in the scenario pack:\n{lines}")


def json_path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
