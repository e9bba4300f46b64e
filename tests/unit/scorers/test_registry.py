"""A scorer written outside the package, registered by name: at run time
(``register_scorer``) and through an entry point (a ``*.dist-info`` on ``sys.path``), run
through ``evaluate``, ``fairflip plan``, ``fairflip methods`` and a parallel sweep."""

import sys
import textwrap
import uuid

import numpy as np
import pandas as pd
import pytest

import fairflip
from fairflip.cli import main
from fairflip.exceptions import ConfigError
from fairflip.experiments import DatasetSpec, ResultStore, SweepConfig, run_sweep
from fairflip.experiments._versions import algorithm_tag
from fairflip.scorers import (
    available_scorers,
    make_scorer,
    register_scorer,
    scorer_seed,
    unregister_scorer,
)
from fairflip.simulation import evaluate

MODULE = textwrap.dedent('''
    import numpy as np
    from fairflip.scorers import BaseScorer


    class CentroidScorer(BaseScorer):
        """Minus the squared distance to the known positive rows' centroid."""

        deterministic = True
        algorithm_version = 2

        def __init__(self, k=10):
            self.k = k

        def _fit(self, X, y):
            self.centre_ = X[y == 1].mean(axis=0)

        def _score(self, X, index):
            return -((X - self.centre_) ** 2).sum(axis=1)


    class NoisyScorer(BaseScorer):
        needs_knowledge = False

        def __init__(self, random_state=None):
            self.random_state = random_state

        def _fit(self, X, y):
            self.rng_ = np.random.default_rng(self.random_state)

        def _score(self, X, index):
            return self.rng_.random(X.shape[0])
''')


@pytest.fixture
def user_scorers(tmp_path, monkeypatch, scorer_package):
    """A module outside fairflip, an installed-looking distribution declaring one of its
    classes as the entry point ``centroid-ep``, and the other registered in this session."""
    module = f"user_scorers_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(MODULE)
    scorer_package(tmp_path, monkeypatch, "user-scorer-pkg-0.3",
                   {"centroid-ep": f"{module}:CentroidScorer"})
    mod = __import__(module)
    register_scorer("centroid-session", mod.CentroidScorer)
    register_scorer("noisy-session", mod.NoisyScorer)
    yield mod
    unregister_scorer("centroid-session")
    unregister_scorer("noisy-session")
    sys.modules.pop(module, None)


def _problem():
    return fairflip.data.make_synthetic(n_rows=600, n_features=4, random_state=2)


def test_both_registrations_run_through_evaluate(user_scorers):
    problem = _problem()
    ep = evaluate(problem, method="centroid-ep", budget=6, random_state=1)
    session = evaluate(problem, method="centroid-session", budget=6, random_state=1)
    instance = evaluate(problem, method=user_scorers.CentroidScorer(), budget=6, random_state=1)
    assert (ep.method, session.method) == ("centroid-ep", "centroid-session")
    # One class under two names: the same deterministic ranking, so the same firm.
    assert ep.after == session.after == instance.after
    assert ep.n_flips == 6


def test_seeds_are_keyed_on_the_registered_name(user_scorers):
    register_scorer("noisy-other", user_scorers.NoisyScorer)
    try:
        a = make_scorer("noisy-session", random_state=scorer_seed("noisy-session", 0, 0.3))
        b = make_scorer("noisy-other", random_state=scorer_seed("noisy-other", 0, 0.3))
        again = make_scorer("noisy-session", random_state=scorer_seed("noisy-session", 0, 0.3))
        assert a.random_state == again.random_state != b.random_state
    finally:
        unregister_scorer("noisy-other")


def test_protocol_passes_only_the_arguments_init_takes(user_scorers):
    assert make_scorer("centroid-ep", k=4).get_params() == {"k": 4}
    assert make_scorer("noisy-session", k=4, random_state=7).get_params() == {"random_state": 7}


def test_only_basescorer_subclasses_are_accepted_before_instantiation():
    class Exploding:
        def __init__(self):  # never called: the class is checked with issubclass first
            raise RuntimeError("instantiated")

    with pytest.raises(ConfigError, match="subclass of fairflip.scorers.BaseScorer"):
        register_scorer("exploding", Exploding)
    with pytest.raises(ConfigError, match="built-in"):
        register_scorer("rb-prob", fairflip.scorers.RBProbScorer)


def test_entry_point_of_a_non_scorer_is_refused(tmp_path, monkeypatch, scorer_package):
    scorer_package(tmp_path, monkeypatch, "bad-pkg-1.0", {"bad-ep": "collections:OrderedDict"})
    with pytest.raises(ConfigError, match="subclass of fairflip.scorers.BaseScorer"):
        make_scorer("bad-ep")


def test_unit_ids_carry_name_algorithm_and_package_version(user_scorers):
    assert algorithm_tag("collective", "centroid-ep") == "centroid-ep=2@user-scorer-pkg-0.3"
    # A session class outside any installed distribution: its import path.
    assert algorithm_tag("collective", "centroid-session") == (
        f"centroid-session=2@{user_scorers.__name__}:CentroidScorer")
    assert algorithm_tag("collective", "rb-prob") == ""  # built-ins at version 1 unchanged


def test_methods_command_lists_sources(user_scorers, capsys):
    assert main(["methods", "--format", "json"]) == 0
    listed = {d["name"]: d for d in __import__("json").loads(capsys.readouterr().out)}
    assert listed["rb-prob"]["source"] == "built-in"
    assert listed["influence"]["source"] == "built-in"
    assert listed["centroid-ep"]["source"] == "entry point"
    assert (listed["centroid-ep"]["package"], listed["centroid-ep"]["package_version"]) == (
        "user-scorer-pkg", "0.3")
    assert listed["centroid-session"]["source"] == "session"
    assert {i.name for i in available_scorers()} >= {"centroid-ep", "centroid-session"}


def test_plan_command_with_an_entry_point_scorer(user_scorers, tmp_path, capsys):
    rng = np.random.default_rng(0)
    members = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"])
    members["y"] = (rng.random(30) < 0.3).astype(int)
    majority = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    majority["y"] = (majority.a > 0).astype(int)
    members.to_csv(tmp_path / "m.csv", index=False)
    majority.to_csv(tmp_path / "maj.csv", index=False)
    out = tmp_path / "plan.csv"
    assert main(["plan", "--members", str(tmp_path / "m.csv"), "--majority",
                 str(tmp_path / "maj.csv"), "--label", "y", "--method", "centroid-ep",
                 "--budget", "3", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert int(table.flip.sum()) == 3
    # Independent reference: the flips are the candidates nearest the positive centroid.
    centre = majority[majority.y == 1][["a", "b", "c"]].mean().to_numpy()
    neg = members[members.y == 0]
    d = ((neg[["a", "b", "c"]].to_numpy() - centre) ** 2).sum(axis=1)
    assert set(table[table.flip].member_id) == set(neg.index[np.argsort(d)[:3]])
    # The influence reference is refused in one line, with no output file.
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    assert main(["plan", "--members", str(tmp_path / "m.csv"), "--majority",
                 str(tmp_path / "maj.csv"), "--label", "y", "--method", "influence",
                 "--out", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The influence reference") and err.count("\n") == 1
    assert not bad.exists()


def _config(methods, seeds=(0, 1)):
    return SweepConfig(datasets=(DatasetSpec("synthetic", None, (("n_rows", 600),)),),
                       seeds=seeds, methods=methods, budget_points=3, advise_alphas=())


def test_parallel_sweep_runs_both_registrations(user_scorers, tmp_path):
    methods = ("centroid-session", "centroid-ep", "noisy-session", "random")
    run_sweep(_config(methods), tmp_path / "par.duckdb", n_jobs=2, backend="loky",
              progress=False)
    run_sweep(_config(methods), tmp_path / "seq.duckdb", n_jobs=1, progress=False)
    frames = []
    for name in ("par", "seq"):
        with ResultStore(tmp_path / f"{name}.duckdb") as store:
            frames.append(store.frame("family = 'collective'")
                          .sort_values(["method", "seed", "budget"]).reset_index(drop=True))
    par, seq = frames
    assert set(par.method) == set(methods)
    assert len(par) == len(seq) and par.seed.nunique() == 2
    cols = ["method", "seed", "budget", "n_flips", "eqod", "error", "unit_id", "algorithm"]
    pd.testing.assert_frame_equal(par[cols], seq[cols])  # same seeds, same numbers
    tags = dict(zip(par.method, par.algorithm, strict=False))
    assert tags["centroid-ep"] == "centroid-ep=2@user-scorer-pkg-0.3"
    assert tags["random"] in ("", None)


def test_a_class_in_main_is_refused_for_parallel_runs(user_scorers, tmp_path):
    class MainScorer(user_scorers.CentroidScorer):
        pass

    MainScorer.__module__ = "__main__"
    register_scorer("main-scorer", MainScorer)
    try:
        db = tmp_path / "x.duckdb"
        with pytest.raises(ConfigError, match="defined in __main__"):
            run_sweep(_config(("main-scorer",)), db, n_jobs=2, progress=False)
        assert not db.exists()
        # One process is fine.
        run_sweep(_config(("main-scorer",), seeds=(0,)), db, n_jobs=1, progress=False)
    finally:
        unregister_scorer("main-scorer")


def test_sweep_config_names(user_scorers):
    assert _config(("centroid-ep",)).methods == ("centroid-ep",)
    with pytest.raises(ConfigError, match="'methods' entry 'nope' is not one of .*centroid-ep"):
        _config(("nope",))
    with pytest.raises(ConfigError, match="logistic-regression firm only"):
        SweepConfig(datasets=(DatasetSpec("compas", "race"),), methods=("influence",),
                    models=("logreg", "hgb"))


def test_sweep_toml_accepts_registered_names(user_scorers, tmp_path, capsys):
    from fairflip.experiments import load_config

    toml = tmp_path / "grid.toml"
    toml.write_text('datasets = [{name = "synthetic", options = {n_rows = 300}}]\n'
                    'methods = ["centroid-ep", "centroid-session", "influence"]\n')
    assert load_config(toml).methods == ("centroid-ep", "centroid-session", "influence")
    toml.write_text('datasets = [{name = "synthetic"}]\nmethods = ["nope"]\n')
    assert main(["sweep", str(toml), "--db", str(tmp_path / "r.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'methods' entry 'nope'" in err[0] and "centroid-ep" in err[0]
    assert not (tmp_path / "r.duckdb").exists()
