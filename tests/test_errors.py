"""Every error a user can see is in sco_graph/errors.py, with a stable code."""

from __future__ import annotations

import ast
import inspect
import pickle
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


def test_every_error_pickles_as_itself() -> None:
    """A Dask worker's error reaches the driver as the same class and message."""
    for cls in _error_classes():
        names = [
            parameter.name for parameter in inspect.signature(cls.__init__).parameters.values()
            if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        ][1:] or ["message"]  # not self; Exception's own __init__ takes a message
        error = cls(*(f"{cls.__name__} {name}" for name in names))
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), str(copy)) == (cls, str(error))
