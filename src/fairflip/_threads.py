"""Independent pieces of one computation in threads, each with a single-threaded BLAS.

Splitting the work ourselves beats BLAS threads for the products here: they are small, and
BLAS threads that wait for each other waste a busy machine's cores, while numpy's
element-wise work between products (which BLAS threads never share) runs in parallel too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["blas_threads", "map_threads"]


def blas_threads() -> int:
    """Threads BLAS may use here (1 inside a loky worker, the cores outside)."""
    counts = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    return max(counts, default=1)


def map_threads(fn, items) -> list:
    """``[fn(x) for x in items]``, in up to :func:`blas_threads` threads.

    The pieces must not depend on how many threads run them: callers split their work into
    a fixed number of pieces, so the numbers are the same on any machine.
    """
    items = list(items)
    threads = min(len(items), blas_threads())
    with threadpool_limits(1, user_api="blas"):
        if threads <= 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(fn, items))
