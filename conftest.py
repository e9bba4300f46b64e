"""Collection rules for the whole checkout (tests/ and the doctests under src/)."""

import importlib.util

# hnswlib is optional ([approx]): without it the approximate search's doctest cannot run;
# its tests skip one by one (tests/unit/scorers/test_approx.py).
collect_ignore_glob = [] if importlib.util.find_spec("hnswlib") else ["src/fairflip/scorers/_approx.py"]
