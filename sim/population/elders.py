"""Elders as a struct of NumPy arrays (one row per elder, never a Python object each).

Attributes (DESIGN §3): age in months, sex, village, ADL state, dementia (失智),
living arrangement (独居 solitary / 空巢 empty-nest / 留守 left-behind / with
family), economic status (特困 special hardship / 低保 minimum living /
ordinary), one-key-call device, home adaptation (适老化改造), time-bank
membership, and the bookkeeping of entry and death.  Arrays grow by doubling so
that monthly inflow appends in amortised O(1).
"""

from __future__ import annotations

import numpy as np

LIVING = ("solitary", "empty_nest", "left_behind", "with_family")
ECONOMIC = ("special_hardship", "minimum_living", "ordinary")

SCHEMA: dict[str, np.dtype] = {
    "age_months": np.dtype(np.int32),
    "male": np.dtype(np.bool_),
    "village": np.dtype(np.int32),
    "adl": np.dtype(np.int8),
    "dementia": np.dtype(np.bool_),
    "living": np.dtype(np.int8),
    "economic": np.dtype(np.int8),
    "device": np.dtype(np.bool_),
    "adapted": np.dtype(np.bool_),
    "timebank": np.dtype(np.bool_),
    "alive": np.dtype(np.bool_),
    "entered_month": np.dtype(np.int32),  # -1 for elders present at the start
    "died_month": np.dtype(np.int32),     # -1 while alive
}


class Elders:
    """Growable struct of arrays; ``elders.adl`` is the live view ``[:n]`` of a column."""

    __slots__ = ("_data", "n")

    def __init__(self, columns: dict[str, np.ndarray] | None = None, capacity: int = 0):
        columns = columns or {}
        self.n = len(next(iter(columns.values()))) if columns else 0
        cap = max(capacity, self.n, 16)
        self._data = {}
        for name, dtype in SCHEMA.items():
            arr = np.zeros(cap, dtype=dtype)
            if name in columns:
                arr[: self.n] = columns[name]
            elif name in ("entered_month", "died_month"):
                arr[: self.n] = -1
            self._data[name] = arr

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self._data[name][: self.n]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return self.n

    def append(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """Append rows; return their indices."""
        k = len(next(iter(columns.values())))
        need = self.n + k
        if need > len(self._data["alive"]):
            cap = max(need, 2 * len(self._data["alive"]))
            for name, arr in self._data.items():
                grown = np.zeros(cap, dtype=arr.dtype)
                grown[: self.n] = arr[: self.n]
                self._data[name] = grown
        for name, arr in self._data.items():
            if name in columns:
                arr[self.n: need] = columns[name]
            else:
                arr[self.n: need] = -1 if name in ("entered_month", "died_month") else 0
        idx = np.arange(self.n, need)
        self.n = need
        return idx

    def columns(self) -> dict[str, np.ndarray]:
        """Copies of all columns (for records and tests)."""
        return {name: arr[: self.n].copy() for name, arr in self._data.items()}


def draw_categorical(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    """Category codes 0..len(shares) for ``n`` draws; the last category takes the rest."""
    cuts = np.cumsum(shares)
    return np.searchsorted(cuts, rng.random(n), side="right").astype(np.int8)
