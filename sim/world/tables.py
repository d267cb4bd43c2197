"""Ledger tables (台账) as offices keep them: reading and checking one table.

Reading: a CSV is decoded as UTF-8, UTF-8 with a byte-order mark (what Excel's
"CSV UTF-8" writes) or GB18030 (a superset of GBK, what Excel in a Chinese
office writes by default), detected in that order or forced by
``county.encoding``; CRLF line endings are fine.  Columns without a header and
rows with every cell blank (Excel's trailing ``,,,,`` rows) are dropped, but a
row keeps its place in the file, so messages name the row and line the user sees.

Checking: `Checker` collects every problem of one table as a `Problem` naming
file, row and column; numbers are checked against their `Bound` and may take a
default when the column is missing or a cell is blank.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.errors import DataError, Problem
from sim.world.bounds import Bound

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gb18030")
_DETECT = ("utf-8", "gb18030")  # a BOM means utf-8-sig; tried in this order
MAX_PROBLEMS_PER_FILE = 25
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def decode(path: Path, data: bytes, encoding: str = "auto") -> str:
    """The text of a file; one `DataError` naming the file and the encodings tried."""
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    if data.startswith(b"PK\x03\x04"):
        raise DataError([Problem(path.name, None, "is an Excel workbook (.xlsx), not a CSV: "
                                 "save it as CSV (File > Save As > CSV UTF-8 or CSV)")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([Problem(path.name, None, "is UTF-16 (Excel's 'Unicode text'): save it "
                                 "as CSV UTF-8 or CSV")])
    if encoding == "auto":
        tried = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else _DETECT
    else:
        tried = (encoding,)
    error: UnicodeDecodeError | None = None
    for enc in tried:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    line = data.count(b"\n", 0, error.start) + 1
    how = "detected" if encoding == "auto" else "county.encoding"
    raise DataError([Problem(path.name, None, f"cannot be decoded as {' or '.join(tried)} ({how}; "
                             f"line {line}, byte {error.start}): save it as UTF-8 (Excel: CSV UTF-8), or set "
                             "county.encoding to auto, utf-8, utf-8-sig or gb18030")])


class Table:
    """One table as text cells (``frame``) and the 0-based data row each line was (``rows``)."""

    def __init__(self, path: Path, frame: pd.DataFrame, rows: np.ndarray):
        self.path, self.frame, self.rows = path, frame, rows

    def __len__(self) -> int:
        return len(self.frame)


def read_table(path: Path, encoding: str = "auto") -> Table:
    """Read a CSV or Parquet table; blank rows and header-less empty columns are dropped."""
    try:
        if path.suffix == ".parquet":
            df = pd.read_parquet(path)
        else:
            text = decode(path, path.read_bytes(), encoding)
            if not text.strip():
                raise DataError([Problem(path.name, None, "is empty: expected a header row")])
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                             skip_blank_lines=False, skipinitialspace=True)
    except DataError:
        raise
    except pd.errors.ParserError as exc:
        m = _FIELDS.search(str(exc))
        what = (f"line {m[2]} has {m[3]} cells but the header has {m[1]} (a comma inside a "
                "cell needs quotes)" if m else f"cannot be read as a table: {exc}")
        raise DataError([Problem(path.name, None, what)]) from None
    except Exception as exc:  # noqa: BLE001 - an unreadable file is bad data, not a crash
        raise DataError([Problem(path.name, None, f"cannot be read as a table: {exc}")]) from None
    raw = [str(c) for c in df.columns]
    df.columns = [c.strip().lower() for c in raw]
    mangled = {c for c in raw if re.fullmatch(r"(.+)\.\d+", c) and c.rsplit(".", 1)[0] in raw}
    dups = sorted(set(df.columns[df.columns.duplicated()]) | mangled)
    if dups:  # pandas renames a repeated header "beds" to "beds.1"
        raise DataError([Problem(path.name, dups, "repeated column header(s): keep one of each")])
    cells = {c: strings(df[c]) for c in df.columns}
    unnamed = [c for c in df.columns if c == "" or c.startswith("unnamed:")]
    df = df.drop(columns=[c for c in unnamed if not np.any(cells[c] != "")])
    keep = np.zeros(len(df), dtype=bool)
    for c in df.columns:
        keep |= cells[c] != ""
    rows = np.flatnonzero(keep)
    return Table(path, df.iloc[rows].reset_index(drop=True), rows)


def strings(series: pd.Series) -> np.ndarray:
    """Cells as stripped strings, missing cells (NaN, None) as ``""``."""
    text = series.astype("string").fillna("").str.strip()
    return text.to_numpy(dtype=object)


def numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, blank) of a column; Excel's full-width digits and 1,234 are read as numbers."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        num = series.to_numpy(dtype=float, na_value=np.nan)
        return num, np.isnan(num)
    text = pd.Series(strings(series), dtype="string").str.normalize("NFKC")
    text = text.where(~text.str.match(_THOUSANDS), text.str.replace(",", "", regex=False))
    num = pd.to_numeric(text.astype(object), errors="coerce").to_numpy(dtype=float)
    return num, (text == "").to_numpy(dtype=bool)


class Checker:
    """Collects the problems of one table, naming file, row and column."""

    def __init__(self, table: Table):
        self.table, self.path, self.df = table, table.path, table.frame
        self.problems: list[Problem] = []

    def where(self, i: int, column: str) -> str:
        row = int(self.table.rows[i])
        line = f" (line {row + 2})" if self.path.suffix == ".csv" else ""
        return f"{self.path.name} row {row + 1}{line}, column {column}"

    def add(self, i: int, column: str, value: object, allowed: str) -> None:
        self.problems.append(Problem(self.where(i, column), value, allowed))

    def note(self, value: object, allowed: str) -> None:
        """A problem of the whole table."""
        self.problems.append(Problem(self.path.name, value, allowed))

    def require(self, columns: tuple[str, ...]) -> bool:
        missing = [c for c in columns if c not in self.df.columns]
        if missing:
            self.note(sorted(self.df.columns), "missing required column(s): " + ", ".join(missing))
        return not missing

    def text(self, column: str, unique: bool = False, default: np.ndarray | None = None) -> np.ndarray:
        """A text column; blank cells take ``default`` (row by row) or are problems."""
        if column not in self.df.columns:
            return default.copy() if default is not None else np.full(len(self.df), "", object)
        values = strings(self.df[column])
        blank = values == ""
        if default is not None:
            values = np.where(blank, default, values).astype(object)
        else:
            for i in np.flatnonzero(blank):
                self.add(int(i), column, "", "must not be empty")
        if unique:
            dup = pd.Series(values).duplicated(keep="first").to_numpy() & ~blank
            for i in np.flatnonzero(dup):
                self.add(int(i), column, values[i], "duplicate id: ids must be unique")
        return values

    def number(self, column: str, bound: Bound, integer: bool = False,
               default: float | np.ndarray | None = None, why_default: str = "") -> np.ndarray:
        """A numeric column; NaN where the cell is a problem, so later checks skip that row.

        ``default`` (a number, or one per row with NaN for "no default") fills blank cells and a
        missing column; rows without a default need a number (``why_default`` says why).
        """
        n = len(self.df)
        fill = np.full(n, np.nan) if default is None else np.broadcast_to(
            np.asarray(default, dtype=float), (n,)).copy()
        if column not in self.df.columns:
            need = np.flatnonzero(np.isnan(fill))
            if len(need):
                rows = ", ".join(str(int(self.table.rows[i]) + 1) for i in need[:10])
                self.note(None, f"missing column {column}: a number is required{why_default} "
                          f"(rows {rows}{', ...' if len(need) > 10 else ''})")
            return fill
        raw = self.df[column]
        num, blank = numbers(raw)
        num = np.where(blank, fill, num)
        bad = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(~np.isfinite(num)):
            self.add(int(i), column, raw.iloc[i], f"missing: a number is required{why_default}"
                     if blank[i] else "not a number")
            bad[i] = True
        ok = ~bad
        if integer:
            for i in np.flatnonzero(ok & (num != np.round(num))):
                self.add(int(i), column, raw.iloc[i], "must be a whole number")
                bad[i] = True
        for i in np.flatnonzero(~bad & ((num < bound.low) | (num > bound.high))):
            self.add(int(i), column, raw.iloc[i], bound.allowed())
            bad[i] = True
        return np.where(bad, np.nan, num)

    def choice(self, column: str, options: tuple[str, ...]) -> np.ndarray:
        """A column of names from ``options`` (case-insensitive); -1 where a cell is a problem."""
        values = pd.Series(strings(self.df[column]), dtype="string").str.normalize("NFKC").str.lower()
        lookup = {o: k for k, o in enumerate(options)}
        codes = values.map(lookup).fillna(-1).to_numpy(dtype=np.int64)
        for i in np.flatnonzero(codes < 0):
            self.add(int(i), column, self.df[column].iloc[i], "must be one of " + ", ".join(options))
        return codes

    def capped(self) -> list[Problem]:
        """The problems, at most MAX_PROBLEMS_PER_FILE, with a count of the rest."""
        shown = self.problems[:MAX_PROBLEMS_PER_FILE]
        rest = len(self.problems) - len(shown)
        if rest > 0:
            shown.append(Problem(self.path.name, None, f"... and {rest} more problems"))
        return shown
