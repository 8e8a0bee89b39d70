"""Reading JSON Lines reference files with errors that name the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sco_graph.errors import DataError


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank, non-comment line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("//"):
                continue
            try:
                record = json.loads(stripped)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}:{number}", f"not valid JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}:{number}", "expected a JSON object on each line")
            yield number, record
