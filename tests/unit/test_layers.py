"""The layers' rules that import-linter cannot state (its contracts in pyproject.toml hold
the rest): below the blueprints nothing reads the request, the session or a template."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
# What only a view may use: the request and its session, templates, redirects, flashes.
WEB_ONLY = {"request", "session", "g", "render_template", "redirect", "url_for", "abort", "flash"}
BELOW_THE_VIEWS = ["claims", "ocr", "words", "services", "questions"]


def web_names_imported(path: Path) -> list[str]:
    """`line: name` for each web-only name the module takes from flask, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            found += [f"{node.lineno}: {a.name}" for a in node.names if a.name in WEB_ONLY]
        elif isinstance(node, ast.Attribute) and node.attr in WEB_ONLY:
            if isinstance(node.value, ast.Name) and node.value.id == "flask":
                found.append(f"{node.lineno}: flask.{node.attr}")
    return found


@pytest.mark.parametrize("layer", BELOW_THE_VIEWS)
def test_no_layer_below_the_views_reads_the_request(layer: str) -> None:
    offenders = {
        str(path.relative_to(KIOSK)): names
        for path in sorted((KIOSK / layer).rglob("*.py"))
        if (names := web_names_imported(path))
    }
    assert offenders == {}


def test_the_check_sees_a_request_read_in_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from flask import request, current_app\n    return flask.g\n")
    assert web_names_imported(module) == ["2: request", "3: flask.g"]


VIEW_MOST_LINES = 20  # a view parses, calls a service, renders or redirects
ROUTE_DECORATORS = {"get", "post", "route"}


def view_lengths() -> dict[str, int]:
    """`module:view` -> lines of its body after the docstring, for every blueprint view."""
    lengths = {}
    for path in sorted(KIOSK.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr in ROUTE_DECORATORS
                for d in node.decorator_list
            ):
                body = node.body
                has_docstring = isinstance(body[0], ast.Expr) and isinstance(
                    body[0].value, ast.Constant
                )
                start = body[1].lineno if has_docstring and len(body) > 1 else body[0].lineno
                assert node.end_lineno is not None
                lengths[f"{path.relative_to(KIOSK)}:{node.name}"] = node.end_lineno - start + 1
    return lengths


def test_every_view_is_thin() -> None:
    lengths = view_lengths()
    assert len(lengths) > 50  # the check found the views
    assert {view: n for view, n in lengths.items() if n > VIEW_MOST_LINES} == {}


def test_every_type_ignore_says_why() -> None:
    """`# type: ignore[code]` is followed on its line by the reason, `  # ...`."""
    bare = [
        f"{path.relative_to(KIOSK)}:{number}"
        for path in sorted(KIOSK.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "# type: ignore" in line and not re.search(r"# type: ignore\[[-\w, ]+\]  # \S", line)
    ]
    assert bare == []
