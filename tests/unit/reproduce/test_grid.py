"""The grid `fairflip reproduce` runs: today's default, the pinned round-3 grid, TOML files
with one-line errors, and what a grid switches on and off."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairflip.cli import main
from fairflip.exceptions import ConfigError, DownloadRequiredError
from fairflip.reproduce import DEFAULT_GRID, Grid, load_grid, reproduce_configs
from fairflip.reproduce import _reproduce as R

CONFIGS = Path(__file__).resolve().parents[3] / "benchmarks" / "configs"
# The phases of the full run that took 15 min 43 s (docs/reproduction.md, "Where the time
# goes", the run at commit 80154e4): the grid that grid-round3.toml pins.
ROUND3_PHASES = [
    "load data sets", "sweep collective-size-and-flips", "sweep collective-size-and-flips-small",
    "sweep synthetic-oracle", "sweep knowledge", "sweep knowledge-small", "sweep pareto",
    "sweep pareto-small", "sweep pareto-large", "toy example", "figures", "claims",
    "label-audit study", "multi-group studies", "advice study", "report"]


@pytest.fixture
def no_downloads(monkeypatch):
    """HSLS and ACS-Income absent, whatever this machine has downloaded."""
    real = R.load_dataset

    def load(name, **kw):
        if name in ("hsls", "acs-income"):
            raise DownloadRequiredError(f"{name} is not downloaded")
        return real(name, **kw)

    monkeypatch.setattr(R, "load_dataset", load)


def test_the_shipped_current_grid_is_the_default():
    assert load_grid(CONFIGS / "grid-current.toml") == DEFAULT_GRID == Grid()


def test_round3_grid_runs_the_phases_of_the_round3_run(no_downloads):
    grid = load_grid(CONFIGS / "grid-round3.toml")
    configs = reproduce_configs(True, grid=grid)
    phases = ["load data sets", *(f"sweep {c.name}" for c in configs),
              *R.study_phases(grid, paper=True)]
    assert phases == ROUND3_PHASES
    assert [p for p, _ in R.phase_plan(configs, R.study_phases(grid, True), True, 2)] == phases
    firm = {c.name: c.firm_methods for c in configs if c.name.startswith("pareto")}
    old = ("expgrad", "threshold", "calibrated_eo_weighted", "massaging", "reweighing",
           "correlation_remover")  # calibrated EO under its old default cost, one trace
    assert firm == {"pareto": old, "pareto-small": old, "pareto-large": old[1:]}
    assert {d.name for c in configs for d in c.datasets} == {"adult", "compas", "german",
                                                             "synthetic"}


def test_default_grid_adds_this_rounds_sweeps_and_studies(no_downloads):
    names = [c.name for c in reproduce_configs(True)]
    assert "influence-reference" in names and "influence-reference-small" in names
    assert R.study_phases(DEFAULT_GRID, paper=True) == [
        "toy example", "Figure-1 study", "figures", "claims", "label-audit study",
        "multi-group studies", "advice study", "advice with few known rows", "report"]
    # a user's table leaves out the studies of the paper's data sets
    assert R.study_phases(DEFAULT_GRID, paper=False) == [
        "figures", "claims", "advice study", "advice with few known rows", "report"]


def test_a_grid_switches_sweeps_data_sets_and_firm_methods():
    grid = Grid(datasets=("german",), sweeps=("collective-size-and-flips", "pareto"),
                firm_methods=("threshold",), studies=())
    configs = reproduce_configs(True, grid=grid)
    assert [c.name for c in configs] == ["collective-size-and-flips-small", "pareto-small"]
    assert configs[1].firm_methods == ("threshold",)
    assert R.study_phases(grid, paper=True) == ["figures", "claims", "report"]


def test_downloaded_data_sets_join_only_when_present(no_downloads):
    assert [d.name for d in R.paper_datasets(True, ("adult", "hsls"))] == ["adult"]
    with pytest.raises(ConfigError, match="None of the grid's data sets"):
        reproduce_configs(True, grid=Grid(datasets=("hsls", "acs-income")))


@pytest.mark.parametrize("text, words", [
    ('speed = "fast"\n', "unknown key 'speed'"),
    ('datasets = ["adult", "mnist"]\n', "'datasets' entry 'mnist' is not one of"),
    ('firm_methods = ["expgrad", "calibrated-eo"]\n', "'firm_methods' entry 'calibrated-eo'"),
    ('studies = ["toy", "figure-1"]\n', "'studies' entry 'figure-1'"),
    ('sweeps = ["knowledge"]\n', "must include 'collective-size-and-flips'"),
    ('datasets = "adult"\n', "'datasets' must be a list of names"),
    ('datasets = [1]\n', "'datasets' entry 1 is not one of"),
    ('datasets = []\n', "at least one data set"),
    ('studies = ["toy", "toy"]\n', "lists a name twice"),
    ('name = 3\n', "'name' must be a non-empty text"),
    ('datasets = ["adult"\n', "is not valid TOML"),
])
def test_bad_grid_files_are_one_line_errors_and_write_nothing(tmp_path, capsys, text, words):
    grid = tmp_path / "grid.toml"
    grid.write_text(text)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_grid(grid)
    out = tmp_path / "out"
    assert main(["reproduce", "--quick", "--grid", str(grid), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and words in err[0]
    assert not out.exists()


def test_a_missing_grid_file_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["reproduce", "--grid", str(tmp_path / "nope.toml"), "--out", str(out)]) == 2
    assert "grid file" in capsys.readouterr().err and not out.exists()


def test_a_partial_grid_file_keeps_the_defaults(tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text('name = "no-firm"\nfirm_methods = []\n')
    assert load_grid(grid) == Grid(name="no-firm", firm_methods=())


def test_help_documents_the_grid_option(capsys):
    assert main(["reproduce", "--help"]) == 0
    assert "--grid" in capsys.readouterr().out
