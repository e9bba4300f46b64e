"""Independent pieces of one computation in threads, each with a single-threaded BLAS.

Splitting the work ourselves beats BLAS threads for the products here: they are small, and
BLAS threads that wait for each other waste a busy machine's cores, while numpy's
element-wise work between products (which BLAS threads never share) runs in parallel too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import ThreadpoolController

__all__ = ["blas_threads", "map_threads", "single_blas"]

_CONTROLLER: list = []


def _controller() -> ThreadpoolController:
    # threadpoolctl's module functions scan the loaded libraries on every call (about 10 ms;
    # a reproduction makes thousands of calls); one controller, made at first use (when
    # numpy's and scipy's BLAS are loaded), reads and sets their thread counts live.
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


def blas_threads() -> int:
    """Threads BLAS may use here (1 inside a loky worker, the cores outside)."""
    libs = _controller().select(user_api="blas").lib_controllers
    return max((lib.num_threads for lib in libs), default=1)


def single_blas():
    """A context in which BLAS runs one thread (the same bits on every machine and worker)."""
    return _controller().limit(limits=1, user_api="blas")


def map_threads(fn, items, *, threads=None) -> list:
    """``[fn(x) for x in items]``, in up to ``threads`` threads (default
    :func:`blas_threads`; count it before entering :func:`single_blas`, inside which it is 1).

    The pieces must not depend on how many threads run them: callers split their work into
    a fixed number of pieces, so the numbers are the same on any machine.
    """
    items = list(items)
    threads = min(len(items), blas_threads() if threads is None else threads)
    with single_blas():
        if threads <= 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(fn, items))
