"""Shards on Dask workers: a local cluster (``--workers N``) or a running one (``--scheduler ADDRESS``)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from pipeline.errors import ProcessingError

from pipeline.runner.summary import RunSummary
from pipeline.runner.work import Item, Settings, process_shard, warm

if TYPE_CHECKING:
    from pipeline.runner import RunOptions


class _Batch:
    """Items of one shard scattered to the cluster as one object."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items


def _run_batch(settings: Settings, index: int, key: str, batch: _Batch) -> bytes:
    return process_shard(settings, index, key, batch.items)


def _process_dask(todo: Iterator[tuple[int, str, list[Item]]], settings: Settings, opts: RunOptions,
                  commit: Callable[[int, bytes], None], show: Callable[[str], None], summary: RunSummary) -> None:
    """Shards on Dask workers, at most a few per worker in flight; results committed as they finish."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    started = time.perf_counter()
    if opts.scheduler:
        client = Client(opts.scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        loads = client.run(warm, settings)  # the pipeline, loaded once per worker, in parallel
        summary.timings["load"] = time.perf_counter() - started
        summary.workers = n_workers
        show(f"workers: {n_workers} ({', '.join(f'{t:.1f}' for t in loads.values())} s to load the pipeline)")
        window = 2 * n_workers
        running = as_completed()
        pending: dict[Any, int] = {}

        def finish(future: Any) -> None:
            index = pending.pop(future)
            try:
                data = future.result()
            except Exception as exc:
                raise ProcessingError("E202", path=f"shard {index}", detail=repr(exc)[:500]) from None
            commit(index, data)

        for index, key, batch in todo:
            (data,) = client.scatter([_Batch(batch)], hash=False)
            future = client.submit(_run_batch, settings, index, key, data, pure=False, key=f"biomine-shard-{index}-{key[:12]}")
            pending[future] = index
            running.add(future)
            while len(pending) >= window:
                finish(next(running))
        for future in running:
            finish(future)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
