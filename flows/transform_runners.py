"""Where a run's transform batches go: the local process pool, the flow's Prefect task runner, or a Dask cluster.

Every runner takes a batch of documents (bytes read or fetched in the flow process) and returns a handle at once;
the flow loads earlier batches into DuckDB, in order and in its own process, while the handles are worked on.
Dask is imported only when a run asks for it (`dask_workers` or `dask_address`), so local runs pay nothing for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from prefect import get_run_logger
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

from tasks.parallel import MIN_PARALLEL_BYTES, MIN_PARALLEL_DOCS, submit_documents, transform_documents
from tasks.transform import transform_batch
from tasks.transforms.datetimes import DEFAULT_TIMEZONE
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_BYTES

logger = logging.getLogger("newsetl")

# How long a run waits for its Dask workers to come up (a fresh local cluster takes a few seconds on a busy machine).
DASK_START_SECONDS = 120
# How long it tries to reach a cluster's scheduler (distributed's own default): a wrong address fails in that time.
DASK_CONNECT_SECONDS = 30


class PendingBatch(Protocol):
    """A batch being transformed somewhere; result() waits for its articles and rejects (as the futures of
    concurrent.futures, Prefect and Dask do: TimeoutError when `timeout` seconds pass first)."""

    def result(self, timeout: float | None = None) -> tuple[list[Article], list[Reject]]:
        """The batch's articles and rejects, in input order."""
        ...


class TransformRunner(Protocol):
    """Takes a run's batches; `ahead` is how many batches it transforms while the flow loads the oldest."""

    ahead: int

    def submit(self, docs: list[RawDocument]) -> PendingBatch:
        """Start transforming a batch."""
        ...


@dataclass(frozen=True)
class TransformOptions:
    """What every transform of a run is given besides its documents."""

    workers: int = (
        1  # processes of the local pool (not used on Dask: a Dask worker runs one batch in-process)
    )
    timezone: str = DEFAULT_TIMEZONE
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
    ner_model: str | None = None


@dataclass(frozen=True)
class DaskTarget:
    """Where transforms go on Dask: a new local cluster of `workers` processes, or the cluster at `address`."""

    workers: int | None = None
    address: str | None = None


class PoolTransforms:
    """Local mode: batches go to the process pool of tasks/parallel.py; one batch is transformed ahead."""

    ahead = 1

    def __init__(self, options: TransformOptions) -> None:
        self.options = options
        self._docs = self._bytes = 0  # submitted so far in this run

    def submit(self, docs: list[RawDocument]) -> PendingBatch:
        """Start a batch's transform on the pool (in-process while the run is still too small for one)."""
        o = self.options
        self._docs += len(docs)
        self._bytes += sum(len(d.payload) for d in docs)
        # A run of many small batches (batch_size 20, or parts cut by bytes) is big as a whole: it gets the pool
        # once what it submitted would make one batch big enough, not only when a single batch does.
        big_run = self._docs >= MIN_PARALLEL_DOCS or self._bytes >= MIN_PARALLEL_BYTES
        return submit_documents(docs, o.workers, o.timezone, o.max_text_bytes, o.ner_model, big_run=big_run)


class TaskRunnerTransforms:
    """Prefect mode: each batch is a `transform_batch` task run submitted through a Prefect task runner."""

    def __init__(self, runner: Any, options: TransformOptions, ahead: int = 1, on_dask: bool = False) -> None:
        self.runner, self.options, self.ahead, self.on_dask = runner, options, ahead, on_dask

    def submit(self, docs: list[RawDocument]) -> PendingBatch:
        """Submit a batch's transform task run; its future's result() is the batch's articles and rejects."""
        o = self.options
        # quote(): Prefect would otherwise walk every document of the batch looking for upstream futures. Not on
        # Dask: quote is a tuple subclass that reaches the worker as a plain tuple (measured), and the Dask runner
        # walks the parameters whatever they are wrapped in.
        parameters = {"docs": docs if self.on_dask else quote(docs), "workers": o.workers, "timezone": o.timezone,
                      "max_text_bytes": o.max_text_bytes, "ner_model": o.ner_model}  # fmt: skip
        future: PendingBatch = self.runner.submit(transform_batch, parameters=parameters)
        return future


class DaskClientTransforms:
    """Local mode on Dask: each batch is one Dask task (no Prefect API), run in-process on its worker."""

    def __init__(self, client: Any, options: TransformOptions, ahead: int) -> None:
        self.client, self.options, self.ahead = client, options, ahead

    def submit(self, docs: list[RawDocument]) -> PendingBatch:
        """Send a batch (its bytes) to the cluster; the Dask future's result() is its articles and rejects."""
        o = self.options
        # workers=1: no process pool inside a Dask worker; the cluster is the parallelism.
        future: PendingBatch = self.client.submit(
            transform_documents, docs, 1, o.timezone, o.max_text_bytes, o.ner_model, pure=False
        )
        return future


def local_cluster_options(n_workers: int) -> dict[str, Any]:
    """A LocalCluster of n single-threaded worker processes, dashboard on a free port (never a fixed one)."""
    return {"n_workers": n_workers, "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}


def _worker_slots(client: Any, expected: int | None) -> int:
    """Batches the cluster transforms at once: its worker threads (waits for a new local cluster's workers)."""
    if expected:
        client.wait_for_workers(expected, timeout=DASK_START_SECONDS)
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers))


@contextmanager
def _api_url_for_workers() -> Iterator[None]:
    """Name the flow's Prefect API in its settings, which Dask workers receive with each task run."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        yield
        return
    # Without PREFECT_API_URL the flow talks to a temporary server it started; a worker that is not told its
    # address would start a temporary server of its own and record its task runs there.
    with get_client(sync_client=True) as client:
        api_url = str(client.api_url)
    with temporary_settings({PREFECT_API_URL: api_url}):
        yield


@contextmanager
def open_transforms(options: TransformOptions, dask: DaskTarget | None = None) -> Iterator[TransformRunner]:
    """The run's transform runner: Dask when asked for (a new local cluster, or the one at an address), else local."""
    in_prefect = FlowRunContext.get() is not None
    if dask is None:
        context = FlowRunContext.get()
        yield TaskRunnerTransforms(context.task_runner, options) if context else PoolTransforms(options)
        return
    dask_workers, dask_address = dask.workers, dask.address
    # No process pool inside a Dask worker: each worker transforms its batch in its own process.
    options = TransformOptions(1, options.timezone, options.max_text_bytes, options.ner_model)
    with ExitStack() as stack:
        if in_prefect:
            from prefect_dask import DaskTaskRunner

            stack.enter_context(_api_url_for_workers())
            runner = DaskTaskRunner(
                address=dask_address,
                cluster_kwargs=None if dask_address else local_cluster_options(dask_workers or 1),
            )
            stack.enter_context(runner)
            # Connect (or start the local cluster) now, rather than at the first batch.
            client = runner.client
        else:
            from distributed import Client, LocalCluster

            target = dask_address or stack.enter_context(
                LocalCluster(**local_cluster_options(dask_workers or 1))
            )
            client = stack.enter_context(Client(target, timeout=DASK_CONNECT_SECONDS))
        slots = _worker_slots(client, None if dask_address else dask_workers)
        where = dask_address or f"a local cluster of {dask_workers} workers"
        log = get_run_logger() if in_prefect else logger
        log.info("transforming on Dask (%s): %d batches at a time", where, slots)
        if in_prefect:
            yield TaskRunnerTransforms(runner, options, ahead=slots, on_dask=True)
        else:
            yield DaskClientTransforms(client, options, ahead=slots)
