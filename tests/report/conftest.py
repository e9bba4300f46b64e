"""A tiny results database (one data set, two seeds) and a headless Chromium for the report."""

import os
import shutil
from pathlib import Path

import pytest

from fairflip.experiments import DatasetSpec, SweepConfig, run_sweep

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a sandbox-less container and a browser that never phones home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]

TINY = SweepConfig(datasets=(DatasetSpec("synthetic", None, (("n_rows", 800),)),), seeds=(0, 1),
                   methods=("rb-prob", "random"), alphas=(0.3, 0.5), knowledge=("all", "10"),
                   budget_points=4, firm_methods=("massaging",), name="tiny")


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """A sweep over one generated data set: collective sizes, knowledge and massaging."""
    db = tmp_path_factory.mktemp("tiny") / "results.duckdb"
    run_sweep(TINY, db, n_jobs=1, backend="sequential", progress=False)
    return db


@pytest.fixture
def tiny_copy(tiny_db, tmp_path) -> Path:
    """The tiny database copied into this test's folder (to put side files next to it)."""
    return Path(shutil.copy(tiny_db, tmp_path / "results.duckdb"))


def _chromium_or_skip():
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the Debian 'chromium' package")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, launched by path: Playwright downloads nothing."""
    from playwright.sync_api import sync_playwright

    path = _chromium_or_skip()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(path), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
