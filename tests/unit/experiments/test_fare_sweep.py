"""A sweep with FARE stores both of its knobs and its certificate (NULL for other rows)."""

from fairflip.baselines import DEFAULT_KNOBS
from fairflip.experiments import ResultStore, config_from_dict, run_sweep


def test_fare_rows_carry_knob2_and_the_certificate(tmp_path):
    config = config_from_dict({
        "datasets": [{"name": "synthetic", "options": {"n_rows": 1500}}], "seeds": 1,
        "methods": ["random"], "alphas": [0.5], "budget_points": 2, "firm_methods": ["fare"]})
    path = tmp_path / "fare.duckdb"
    run_sweep(config, path, backend="sequential", progress=False)
    with ResultStore(path) as store:
        rows = store.frame()
    fare = rows[rows.family == "fare"]
    pairs = sorted(zip(fare.knob, fare.knob2, strict=True))
    assert pairs == sorted((float(w), float(k)) for w, k in DEFAULT_KNOBS["fare"])
    assert fare.certificate.between(0, 1).all() and fare.firm_val_eqod.notna().all()
    other = rows[rows.family != "fare"]
    assert len(other) and other.knob2.isna().all() and other.certificate.isna().all()
