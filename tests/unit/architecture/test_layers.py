"""The import-linter contracts of pyproject.toml hold, and each one can fail (negative controls).

CI also runs ``lint-imports`` itself; these tests show that every contract catches the
violation it is for, on a copy of the package with one import added.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[3]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--no-logo"], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "src" / "fairflip", tree / "src" / "fairflip",
                    ignore=shutil.ignore_patterns("__pycache__", "bundled"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def _with_import(pristine: Path, tmp_path: Path, module: str, line: str) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    path = tree / "src" / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    path.write_text(path.read_text() + f"\n{line}\n")
    return tree


def test_the_package_keeps_every_contract(pristine):
    out = _lint(pristine)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 broken" in out.stdout


VIOLATIONS = {
    "an analysis module imports the orchestrator": (
        "fairflip.analysis._rows", "from ..reproduce import reproduce  # noqa",
        "Layers: interfaces"),
    "the collective's side imports the firm's": (
        "fairflip.collective._plan", "from ..firm import train_firm  # noqa",
        "The two sides are independent"),
    "the firm's side imports the collective's": (
        "fairflip.baselines._preprocess", "from ..collective import make_plan  # noqa",
        "The firm's side imports nothing"),
    "the scorers import the advisor": (
        "fairflip.scorers._random", "from ..advisor import advise  # noqa",
        "The collective's side is layered"),
    "two command modules import each other": (
        "fairflip.cli._common", "from . import _core  # noqa",
        "No cycle between the packages"),
    "a package imports another's private module": (
        "fairflip.report._sections", "from ..plotting import _common  # noqa",
        "No package imports another package's private module"),
}


@pytest.mark.parametrize("case", VIOLATIONS)
def test_each_contract_catches_its_violation(pristine, tmp_path, case):
    module, line, contract = VIOLATIONS[case]
    out = _lint(_with_import(pristine, tmp_path, module, line))
    assert out.returncode != 0
    broken = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, out.stdout[-3000:]
