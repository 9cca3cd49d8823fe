"""The layers' rules that import-linter cannot state (its contracts in pyproject.toml hold
the rest): below the blueprints nothing reads the request, the session or a template."""

from __future__ import annotations

import ast
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
