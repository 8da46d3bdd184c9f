"""One thing wrong with the input, located as precisely as we can."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """A problem in a record or seed file.

    `path` is relative to the project root, `line` is 1-based (0 when the problem
    belongs to the whole file or has no single line).
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class ProblemsFound(Exception):
    """Raised by the core when input problems make further work impossible."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the fact records")
