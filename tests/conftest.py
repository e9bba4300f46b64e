"""Fixtures shared across the suite: one synthetic problem with known counterfactuals, a
user's scorer package, and the session's one quick reproduction of the paper's protocol."""

import os

import pytest

from fairflip.data import make_synthetic, split_problem


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """In a pytest-xdist worker: the tests reading the quick reproduction go first.

    xdist sends each module to one worker (``--dist loadscope``, in collection order with
    ``--no-loadscope-reorder``, see pyproject.toml): the longest work starts while the other
    worker takes the rest of the suite. Its readers come before their module's other tests,
    as xdist queues more modules on a worker only when its last two tests are left.
    """
    if not hasattr(config, "workerinput"):
        return
    reads = {item: "quick_reproduction" in getattr(item, "fixturenames", ()) for item in items}
    readers = {item.path for item in items if reads[item]}
    items.sort(key=lambda item: (not reads[item], item.path not in readers))


@pytest.fixture(scope="session")
def quick_reproduction(tmp_path_factory):
    """`fairflip reproduce --quick` on the bundled data sets, once per test run (a few minutes
    on 2 cores): its output folder.

    Downloaded data sets (HSLS, ACS) would join it from ``$FAIRFLIP_DATA`` or
    ``~/.cache/fairflip``; an empty data folder keeps it the same run on every machine.
    pytest-xdist workers share the run's base folder: the first worker to ask runs it there,
    under a lock, and the others read it (readers in one module never wait: one worker).
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _quick_reproduction(tmp_path_factory.mktemp("reproduce"), tmp_path_factory)
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / "quick-reproduction", shared / "quick-reproduction.done"
    with open(shared / "quick-reproduction.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            _quick_reproduction(out, tmp_path_factory)
            done.touch()
    return out


def _quick_reproduction(out, tmp_path_factory):
    from fairflip.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAIRFLIP_DATA", str(tmp_path_factory.mktemp("no-downloads")))
        assert main(["reproduce", "--quick", "--out", str(out), "--jobs", "2"]) == 0
    return out


@pytest.fixture(scope="session")
def synthetic_split():
    """A 600-row draw of the synthetic causal model, split 70/30 with the group column."""
    problem = make_synthetic(n_rows=600, n_features=4, minority_share=0.3, label_bias=1.5,
                             isolation=1.0, random_state=0)
    return split_problem(problem, test_size=0.3, random_state=0)


@pytest.fixture
def rewound_results(tmp_path):
    """``rewind(version)``: a new results file taken back by hand to schema ``version``
    (every column a later step added dropped, ``meta`` saying ``version``), holding one
    collective row with eqod 0.25 and the extra ``values`` given; returns its path."""
    import duckdb

    from fairflip.experiments import ResultStore
    from fairflip.experiments._store import ADDED_COLUMNS

    def rewind(version: int, **values):
        path = tmp_path / f"v{version}.duckdb"
        ResultStore(path).close()
        con = duckdb.connect(str(path))
        for added, name, _ in ADDED_COLUMNS:
            if added > version:
                con.execute(f"ALTER TABLE results DROP COLUMN {name}")
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
        row = {"cell_id": "u:0", "unit_id": "u", "family": "collective", "eqod": 0.25, **values}
        con.execute(f"INSERT INTO results ({', '.join(row)}) VALUES "
                    f"({', '.join('?' * len(row))})", list(row.values()))
        con.close()
        return path

    return rewind


@pytest.fixture(scope="session")
def sklearn_refit():
    """``refit(split, ranked, n_flips)``: test predictions of a plain scikit-learn logistic
    regression (tight tolerance) trained with the first ``n_flips`` ranked labels set to 1,
    the independent reference for the sweeps' batched firm."""
    from sklearn.linear_model import LogisticRegression

    def refit(split, ranked, n_flips):
        y = split.y_train.copy()
        y[ranked[:n_flips]] = 1
        ref = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000)
        return ref.fit(split.X_train, y).predict(split.X_test)

    return refit


@pytest.fixture(scope="session")
def scorer_package():
    """``install(folder, monkeypatch, "name-version", {entry point: "module:Class"})``: the
    ``*.dist-info`` pip leaves for a user's package declaring ``fairflip.scorers`` entry
    points, put in ``folder`` and on ``sys.path`` (restored by ``monkeypatch``)."""

    def install(folder, monkeypatch, dist, entry_points):
        name, version = dist.rsplit("-", 1)
        info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(
            "[fairflip.scorers]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()))
        monkeypatch.syspath_prepend(str(folder))

    return install
