"""Record buffers: what happened, as column arrays with a declared schema.

A service appends whole chunks (NumPy arrays or scalars) to a named table;
at the end of a replication each table becomes one NumPy structured array.
KPIs are computed later by the kernels from these arrays, never accumulated
inside SimPy processes (Ciw's data records, vectorised).
"""

from __future__ import annotations

import numpy as np

PACK_ROWS = 1 << 16   # rows logged with `RecordTable.add` are packed into the schema's dtype this often


class RecordTable:
    """Append-only table of one schema."""

    def __init__(self, dtype: np.dtype):
        self.dtype = np.dtype(dtype)
        self._chunks: list[np.ndarray] = []
        self._pending: list[tuple] = []
        self._pending_rows = 0

    def add(self, *columns) -> None:
        """Log rows given as columns in the schema's order (equal-length arrays; scalars broadcast).

        Cheap for many small calls: the pieces are kept as given and packed into one chunk of
        the schema every `PACK_ROWS` rows, so a long log costs the schema's bytes per row (int32,
        int8, ...) rather than eight bytes a column, and rows keep the order they were logged in."""
        n = _rows(columns)
        if n == 0:
            return
        self._pending.append((n, columns))
        self._pending_rows += n
        if self._pending_rows >= PACK_ROWS:
            self._pack()

    def _pack(self) -> None:
        if not self._pending:
            return
        chunk = np.zeros(self._pending_rows, dtype=self.dtype)
        fields = [chunk[name] for name in self.dtype.names]
        at = 0
        for n, columns in self._pending:
            for field, values in zip(fields, columns):
                field[at:at + n] = values
            at += n
        self._pending, self._pending_rows = [], 0
        self._chunks.append(chunk)

    def append(self, **columns) -> None:
        """Append rows given as equal-length arrays (scalars broadcast)."""
        self._pack()
        n = max((np.size(v) for v in columns.values() if np.ndim(v) > 0), default=1)
        chunk = np.zeros(n, dtype=self.dtype)
        unknown = set(columns) - set(self.dtype.names)
        if unknown:
            raise KeyError(f"columns not in the schema: {sorted(unknown)}")
        for name, values in columns.items():
            chunk[name] = values
        self._chunks.append(chunk)

    def extend(self, rows: np.ndarray) -> None:
        """Append a structured array of this table's dtype."""
        self._pack()
        self._chunks.append(np.asarray(rows, dtype=self.dtype))

    def to_array(self) -> np.ndarray:
        """The table as one structured array; the chunks are merged into it and released, so a
        table is never held twice (once in chunks, once whole) beyond this call."""
        self._pack()
        if not self._chunks:
            return np.zeros(0, dtype=self.dtype)
        if len(self._chunks) > 1:
            chunks, self._chunks = self._chunks, []
            whole = np.empty(sum(len(c) for c in chunks), dtype=self.dtype)
            at = 0
            for i in range(len(chunks)):   # each chunk let go once copied: the peak is the table
                chunk, chunks[i] = chunks[i], None     # plus one chunk, not the table twice
                whole[at:at + len(chunk)] = chunk
                at += len(chunk)
                del chunk
            self._chunks = [whole]
        return self._chunks[0]


class Records:
    """The record tables of one replication, by name."""

    def __init__(self) -> None:
        self._tables: dict[str, RecordTable] = {}

    def table(self, name: str, dtype: np.dtype) -> RecordTable:
        """Declare (or fetch) a table; the schema must not change between calls."""
        if name in self._tables:
            if self._tables[name].dtype != np.dtype(dtype):
                raise ValueError(f"record table {name!r} declared twice with different schemas")
        else:
            self._tables[name] = RecordTable(dtype)
        return self._tables[name]

    def arrays(self) -> dict[str, np.ndarray]:
        """Every table as one structured array, merged table by table (each table's chunks are
        released as soon as it is merged, so the peak is the records plus one table's copy)."""
        return {name: table.to_array() for name, table in self._tables.items()}


def _rows(columns) -> int:
    """Rows of a piece given as columns: the largest size of a column that is not a scalar (1 if
    all are)."""
    n = -1
    for c in columns:
        if type(c) is np.ndarray:
            if c.ndim and c.size > n:
                n = c.size
        elif not isinstance(c, (int, float, np.generic)) and np.ndim(c) > 0 and np.size(c) > n:
            n = np.size(c)
    return 1 if n < 0 else n
