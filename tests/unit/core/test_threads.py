"""The thread helper: order kept, BLAS at one thread inside, the count restored after."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

from fairflip._threads import blas_threads, map_threads, single_blas


def _blas_counts():
    return sorted(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_map_threads_keeps_order_and_runs_blas_single_threaded():
    with threadpool_limits(2, user_api="blas"):
        before = _blas_counts()
        assert blas_threads() == max(before)
        seen = map_threads(lambda x: (x, blas_threads()), range(7))
        assert [x for x, _ in seen] == list(range(7))
        assert {n for _, n in seen} == {1}
        assert _blas_counts() == before  # restored


def test_single_blas_and_live_counts():
    with threadpool_limits(2, user_api="blas"):
        with single_blas():
            assert blas_threads() == 1
            assert set(_blas_counts()) == {1}
        # the helper reads the counts live, not from when it first looked
        with threadpool_limits(1, user_api="blas"):
            assert blas_threads() == 1
        assert blas_threads() == max(_blas_counts())
