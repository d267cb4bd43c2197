"""User-facing errors: library code raises them, only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, what was found, what is allowed."""

    where: str
    value: object
    allowed: str

    def __str__(self) -> str:
        return f"{self.where} = {self.value!r}: {self.allowed}"


class UserInputError(Exception):
    """Base of the errors that a user can fix by editing input."""

    def __init__(self, title: str, problems: list[Problem]):
        self.title = title
        self.problems = list(problems)
        lines = [f"{title} ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def __reduce__(self):
        # from a worker process back to the parent: rebuilt from title and problems, not the text
        return _rebuild, (type(self), self.title, self.problems)


def _rebuild(cls: type, title: str, problems: list[Problem]) -> UserInputError:
    err = cls.__new__(cls)
    UserInputError.__init__(err, title, problems)
    return err


class ConfigError(UserInputError):
    """The composed configuration is invalid; names each field, value and what is allowed."""

    def __init__(self, problems: list[Problem]):
        super().__init__("invalid configuration", problems)


class DataError(UserInputError):
    """An input table is invalid; ``where`` names file, row and column."""

    def __init__(self, problems: list[Problem]):
        super().__init__("invalid input data", problems)
