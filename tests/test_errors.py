"""Every error a user can see is in sco_graph/errors.py, with a stable code."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from sco_graph import errors

PACKAGE = Path(errors.__file__).parent


def _error_classes() -> list[type[errors.ScoGraphError]]:
    return [
        cls for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.ScoGraphError) and cls.__module__ == errors.__name__
    ]


def test_each_error_has_its_own_code_and_an_exit_code() -> None:
    classes = _error_classes()
    codes = [cls.code for cls in classes]
    assert len(classes) >= 15
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("E") and code[1:].isdigit() for code in codes)
    assert all("code" in vars(cls) for cls in classes)
    assert all(isinstance(cls.exit_code, int) and cls.exit_code > 0 for cls in classes)


def test_no_module_but_errors_defines_an_error_the_user_can_see() -> None:
    defined_elsewhere = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id.endswith("Error") for base in node.bases
            ):
                defined_elsewhere.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert defined_elsewhere == []
