"""Docs that drift from the code are bugs: commands, examples and the public API are checked here."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

import prongsai
from prongsai.cli import main

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMATS = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"prongsai {command}" in README or command == "demo"


@pytest.mark.parametrize(
    "link", sorted(set(re.findall(r"\]\((\.\./)?(examples/[^)]+|docs/[^)]+)\)", README + FORMATS)))
)
def test_every_linked_file_exists(link: tuple[str, str]) -> None:
    path, _, anchor = link[1].partition("#")
    assert (ROOT / path).exists()
    if anchor:  # a section of a Markdown file: one of its headings, as GitHub makes anchors of them
        headings = re.findall(r"^#+ (.+)$", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE)
        assert anchor in {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}, anchor


@pytest.mark.parametrize("path", sorted(set(re.findall(r"examples/[\w.-]+\.\w+", README + FORMATS))))
def test_every_example_named_exists(path: str) -> None:
    assert (ROOT / path).exists()


def test_the_two_commands_exist_and_ci_runs_the_test_one() -> None:
    block = README.split("## The two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./scripts/run", "./scripts/test"]
    for command in commands:
        assert os.access(ROOT / command, os.X_OK)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_public_api_names_exist() -> None:
    for name in prongsai.__all__:
        assert hasattr(prongsai, name), name


def test_the_core_imports_no_django() -> None:
    core = ROOT / "src" / "prongsai"
    for path in core.rglob("*.py"):
        if path.is_relative_to(core / "web") or path == core / "cli.py":
            continue  # the web layer, and the CLI's web commands (which import it lazily)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        } | {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "django" not in imported, path
