"""govsite.workers: pools are forked only from a process with one thread, else spawned."""

from __future__ import annotations

import os
import threading

from govsite import workers


def square(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def test_a_pool_is_forked_only_when_this_process_has_one_thread():
    started, release = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (started.set(), release.wait(10)))
    other.start()
    started.wait(10)
    try:
        assert not workers.can_fork()
        with workers.process_pool(1) as pool:
            assert pool._mp_context.get_start_method() == "spawn"
            assert pool.submit(square, 7).result()[0] == 49
    finally:
        release.set()
        other.join()
    alone = threading.active_count() == 1  # the other thread has ended (pytest may have its own)
    assert workers.can_fork() == alone
    with workers.process_pool(2) as pool:
        assert pool._mp_context.get_start_method() == ("fork" if alone else "spawn")
        results = list(pool.map(square, range(20)))
    assert [r[0] for r in results] == [n * n for n in range(20)]
    assert all(pid != os.getpid() for _, pid in results)
