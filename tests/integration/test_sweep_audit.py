"""Audited sweep units: the grid, the stored measures, resume, config errors and the schema
step that added the audit columns."""

import numpy as np
import pytest

from fairflip.exceptions import ConfigError
from fairflip.experiments import ResultStore, config_from_dict, expand_jobs, run_sweep
from fairflip.experiments._store import SCHEMA_VERSION

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 800}}], "seeds": 2,
        "methods": ["rb-prob", "random"], "alphas": [0.5], "budget_points": 3,
        "audits": ["none", "cleanlab", "loss"], "audit_actions": ["drop", "relabel"],
        "audit_q": 0.1}


@pytest.fixture(scope="module")
def audited_frame(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "r.duckdb"
    summary = run_sweep(config_from_dict(GRID), path, backend="sequential", progress=False)
    with ResultStore(path) as store:
        return path, summary, store.frame()


def test_the_grid_has_one_audited_unit_per_scorer_audit_and_response(audited_frame):
    _, summary, df = audited_frame
    # Per seed: base, 2 collective units, 2 scorers x 2 audits x 2 responses audited units.
    assert summary["units_run"] == 2 * (1 + 2 + 8)
    audited = df[df.family == "audited"]
    assert set(audited.audit) == {"cleanlab", "loss"}
    assert set(audited.audit_action) == {"drop", "relabel"}
    assert audited.groupby(["seed", "method", "audit", "audit_action"]).size().eq(3).all()
    # Unaudited rows stay as they were: family collective, no audit columns.
    coll = df[df.family == "collective"]
    assert len(coll) == 2 * 2 * 3 and coll.audit.isna().all()


def test_detection_columns_are_consistent(audited_frame):
    _, _, df = audited_frame
    audited = df[df.family == "audited"]
    flips = audited[audited.n_flips > 0]
    np.testing.assert_allclose(flips.flag_recall, flips.flagged_flips / flips.n_flips)
    assert (audited.flagged_flips <= audited.n_flagged).all()
    assert audited[audited.n_flips == 0].flagged_flips.eq(0).all()
    loss = audited[audited.audit == "loss"]
    assert (loss.n_flagged == loss.n_flagged.iloc[0]).all()  # always the share q of the pool
    # The audit does not depend on the response: both responses see the same flags.
    keys = ["seed", "method", "audit", "budget"]
    flags = audited.pivot_table(index=keys, columns="audit_action", values="n_flagged")
    np.testing.assert_array_equal(flags["drop"], flags["relabel"])
    for col in ("flag_rate_acting", "flag_rate_other"):
        assert audited[col].between(0, 1).all()


def test_audited_units_resume_without_duplicates(audited_frame):
    path, _, df = audited_frame
    again = run_sweep(config_from_dict(GRID), path, backend="sequential", progress=False)
    assert again["units_run"] == 0
    with ResultStore(path) as store:
        assert len(store.frame()) == len(df)


def test_configs_without_audits_keep_their_units_and_hash():
    plain = {k: v for k, v in GRID.items() if not k.startswith("audit")}
    with_defaults = {**plain, "audits": ["none"], "audit_actions": ["drop"], "audit_q": 0.1}
    a, b = config_from_dict(plain), config_from_dict(with_defaults)
    assert a.config_hash == b.config_hash
    assert "audits" not in a.as_dict()
    ids = {u.unit_id for job in expand_jobs(a) for u in job.units}
    audited = {u.unit_id for job in expand_jobs(config_from_dict(GRID)) for u in job.units
               if u.family != "audited"}
    assert ids == audited


@pytest.mark.parametrize("raw, word", [
    ({"audits": ["confident"]}, "'audit'"),
    ({"audit_actions": ["ignore"]}, "'audit_action'"),
    ({"audit_q": 0}, "'audit_q'"),
    ({"audit_q": 1.5}, "'audit_q'"),
    ({"audit_q": True}, "'audit_q'"),
    ({"avoid_audit": ["yes"]}, "avoid_audit"),
    ({"audits": []}, "audits"),
])
def test_bad_audit_configs_are_one_line_errors(raw, word):
    with pytest.raises(ConfigError, match=word) as info:
        config_from_dict({"datasets": ["compas"], **raw})
    assert "\n" not in str(info.value)


def test_a_schema_2_file_gains_the_audit_columns(rewound_results):
    path = rewound_results(2)
    with ResultStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 3
        frame = store.frame()
    assert frame.eqod.tolist() == [0.25]
    for name in ("audit", "audit_action", "avoid_audit", "n_flagged", "flag_recall"):
        assert frame[name].isna().all()


def test_stealth_units_in_a_sweep(tmp_path):
    grid = {**GRID, "seeds": 1, "methods": ["random"], "audits": ["cleanlab"],
            "audit_actions": ["drop"], "avoid_audit": [False, True]}
    run_sweep(config_from_dict(grid), tmp_path / "s.duckdb", backend="sequential", progress=False)
    with ResultStore(tmp_path / "s.duckdb") as store:
        df = store.frame("family = 'audited'")
    assert sorted(df.avoid_audit.unique().tolist()) == [False, True]
    plain = df[~df.avoid_audit.astype(bool)].set_index("budget")
    stealth = df[df.avoid_audit.astype(bool)].set_index("budget")
    np.testing.assert_array_equal(stealth.n_flips, plain.n_flips)


def test_audited_units_run_in_worker_processes(tmp_path):
    # cleanlab's own process pool broke inside loky workers (NameError in cleanlab 2.9)
    # until the audit asked it for one job.
    grid = {**GRID, "seeds": 2, "methods": ["random"], "audits": ["cleanlab"],
            "audit_actions": ["drop"], "budget_points": 2}
    summary = run_sweep(config_from_dict(grid), tmp_path / "p.duckdb", n_jobs=2,
                        backend="loky", progress=False)
    assert summary["units_run"] == 2 * 3
