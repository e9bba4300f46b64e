"""run_sweep tells a progress observer each pass's units and each unit as it is stored
(what `fairflip reproduce`'s overall line weighs), and prints nothing of its own then."""

from __future__ import annotations

from fairflip.experiments import ResultStore, config_from_dict, expand_jobs, run_sweep

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 600}}], "seeds": 2,
        "methods": ["rb-prob", "random"], "alphas": [0.3], "budget_points": 4,
        "refine_points": 2, "firm_methods": ["threshold"]}


class Recorder:
    def __init__(self):
        self.passes = []

    def start(self, todo, refining):
        self.passes.append({"refining": refining, "todo": [u.unit_id for _, u in todo],
                            "jobs": {(job.dataset, job.seed) for job, _ in todo}, "done": []})

    def advance(self, units):
        self.passes[-1]["done"] += [u.unit_id for u in units]


def test_the_observer_sees_every_pass_and_every_stored_unit(tmp_path, capsys):
    config = config_from_dict(GRID)
    seen = Recorder()
    run_sweep(config, tmp_path / "r.duckdb", backend="sequential", progress=seen)
    first, *rest = seen.passes
    planned = [u.unit_id for job in expand_jobs(config) for u in job.units]
    assert not first["refining"] and sorted(first["todo"]) == sorted(planned)
    assert sorted(first["done"]) == sorted(planned) and len(first["jobs"]) == 2
    with ResultStore(tmp_path / "r.duckdb") as store:
        stored = store.done_units()
    assert rest and all(p["refining"] for p in rest)  # budgets around each curve's minimum
    assert set(stored) == set(planned) | {u for p in rest for u in p["done"]}
    assert capsys.readouterr().err == ""  # the observer's caller shows progress, not the sweep
    # resumed: a pass with nothing left to do is still announced, and nothing is run
    again = Recorder()
    run_sweep(config, tmp_path / "r.duckdb", backend="sequential", progress=again)
    assert again.passes[0]["todo"] == [] and again.passes[0]["done"] == []
