"""Named random streams: one generator per (seed, replication, stream name).

Each stream is derived from ``SeedSequence(seed, spawn_key=(replication,
key(name)))`` where ``key`` is a stable hash of the stream's name, so adding a
stream never shifts another and scenarios that share a seed share common random
numbers in every process they have in common (treat-sim's idea, made robust to
the order in which streams are created).
"""

from __future__ import annotations

import hashlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (same on every machine and Python)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest(), "little")


class Streams:
    """The random streams of one replication, created on first use by name."""

    def __init__(self, seed: int, replication: int):
        self.seed, self.replication = int(seed), int(replication)
        self._cache: dict[str, np.random.Generator] = {}

    def seed_sequence(self, name: str) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.seed, spawn_key=(self.replication, stream_key(name)))

    def __call__(self, name: str) -> np.random.Generator:
        if name not in self._cache:
            self._cache[name] = np.random.Generator(np.random.PCG64(self.seed_sequence(name)))
        return self._cache[name]
