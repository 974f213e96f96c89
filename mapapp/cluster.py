"""Distributed ingest on Dask: extraction as pure tasks on a cluster's workers, the client writes the store.

``mapapp ingest --engine dask [--scheduler tcp://HOST:8786] PATH...`` runs
:func:`mapapp.ingest.ingest` with a :class:`DaskEngine`. The client (the machine that runs
the command) finds the files, skips the unchanged ones by their fingerprints, reads each new
file's bytes and sends them, a batch of articles at a time, to the workers, which need no
shared file system: :func:`extract_batch` is a pure function from bytes to extractions. Each
worker loads the gazetteer once, when it joins (:class:`GazetteerPlugin`), never per task.
Results come back to the client, which saves them through the store's own
``save_extraction`` (one transaction per article, as in every ingest), in the order of the
files, so a run gives the same store as the single-process ingest, event id for event id.
Without ``--scheduler`` a :class:`distributed.LocalCluster` of worker processes on this
machine does the work.

A worker that dies mid-run (killed, out of memory) loses only work in flight: the scheduler
gives its batches to other workers. A batch whose workers keep dying (the scheduler's
``allowed-failures``, 3 by default) is split into its articles, and an article whose workers
keep dying is run once more on its own (a dying worker takes every task queued on it, so an article
that was only beside a crashing one gets through) and is then reported by name as a failure; nothing of
it is stored.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from mapapp.errors import ClusterError

__all__ = ["DEFAULT_BATCH", "DaskEngine", "GazetteerPlugin", "extract_batch"]

DEFAULT_BATCH = 16
"""Articles per task: enough to make the scheduler's per-task cost small (about a millisecond
against a batch's tenth of a second), few enough that a lost worker loses little work."""
INSTALL_HINT = "install the Dask extra: pip install 'mapapp[dask]'"

Outcome = tuple[str, Any, str | None]


def extract_batch(extractor: Any, items: Sequence[tuple[str, bytes]]) -> list[Outcome]:
    """Extract a batch of articles on a worker: ``(path, file bytes)`` in, ``(path, extraction or
    None, failure reason or None)`` out, in order. Pure; one bad article never stops the others.

    The real pipeline's extractor takes the bytes (``extract_bytes``); another extractor (a test's)
    is called with the path and reads the file itself.
    """
    from mapapp.ingest import _extract_one

    run_bytes = getattr(extractor, "extract_bytes", None)
    out: list[Outcome] = []
    for path, content in items:
        if run_bytes is not None:
            out.append((path, *_extract_one(run_bytes, path, content)))
        else:
            out.append((path, *_extract_one(extractor, path)))
    return out


def _plugin_base() -> type:
    try:
        from distributed.diagnostics.plugin import WorkerPlugin
    except ImportError:  # the base class only matters when the engine runs, which says what to install
        return object
    return WorkerPlugin


class GazetteerPlugin(_plugin_base()):  # type: ignore[misc]
    """Loads the gazetteer, its name tables and the rule tables into a worker when it joins the
    cluster: once per worker process, kept for every task the worker runs (the loaders memoise)."""

    name = "mapapp-gazetteer"
    idempotent = True

    def setup(self, worker: Any) -> None:
        """Load them now, not in the first task."""
        from mapapp.ingest import _gazetteer
        from mapapp.pipeline.cues import load_cues
        from mapapp.pipeline.mentions import finder_for

        load_cues()
        finder_for(_gazetteer())


class DaskEngine:
    """Runs an ingest's extraction on a Dask cluster (a context manager: it connects on entry).

    ``scheduler`` is the address of a running scheduler (``tcp://HOST:8786``); without one, a
    local cluster of ``workers`` processes (default: one per core) is started and stopped with
    the engine. ``batch_size`` articles go into each task. Connecting to an unreachable
    scheduler, or a missing Dask install, raises :class:`~mapapp.errors.ClusterError`.
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        timeout: float = 20.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.scheduler = scheduler
        self.workers = workers
        self.batch_size = batch_size
        self.timeout = timeout
        self.client: Any = None
        self._cluster: Any = None

    # -- connecting -----------------------------------------------------------------------

    def __enter__(self) -> DaskEngine:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ClusterError(f"--engine dask needs dask and distributed ({exc}): {INSTALL_HINT}") from None
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout=self.timeout)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
                self.client = Client(self._cluster, timeout=self.timeout)
            self.client.register_plugin(GazetteerPlugin())
        except (OSError, TimeoutError) as exc:
            self.close()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise ClusterError(
                f"cannot reach {where} ({exc}): start one with `dask scheduler` and workers with "
                "`dask worker tcp://HOST:8786`, or leave out --scheduler for a cluster on this machine"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def where(self) -> str:
        """The scheduler's address and the workers it has, for the command's summary."""
        if self.client is None:
            return "not connected"
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        threads = sum(w.get("nthreads", 1) for w in workers.values())
        address = info.get("address", self.scheduler or "local")
        return f"{address}, {len(workers)} worker(s), {threads} thread(s)"

    # -- running --------------------------------------------------------------------------

    def __call__(self, files: Sequence[str], extractor: Any) -> Iterator[Outcome]:
        """Extract ``files`` on the cluster; yield each outcome in the files' order."""
        if self.client is None:
            raise ClusterError("the Dask engine is not connected: use it as a context manager (with ...)")
        from distributed import as_completed

        run = uuid.uuid4().hex[:8]
        batches = [list(files[i : i + self.batch_size]) for i in range(0, len(files), self.batch_size)]
        done: list[dict[str, Outcome]] = [{} for _ in batches]
        units: dict[Any, tuple[int, list[str]]] = {}  # future -> (batch, its paths)
        threads = sum(self.client.nthreads().values()) or 1
        in_flight_limit = max(2, 2 * threads)  # bytes of at most this many batches wait in memory
        pending = as_completed()
        submitted = 0
        emitted = 0
        serial = 0
        # single articles whose worker died once: a worker that dies takes every task queued on it, so
        # an innocent article beside a crashing one dies too; each gets a second run, one at a time
        second_chances: list[tuple[int, list[str]]] = []
        second_running: list[Any] = []
        self._retried: set[str] = set()

        def submit(index: int, paths: list[str]) -> Any:
            nonlocal serial
            items = []
            for path in paths:
                try:
                    items.append((path, Path(path).read_bytes()))
                except OSError:  # gone or unreadable now: the reader says why, here, in the same words
                    done[index][path] = _local_failure(extractor, path)
            if not items:
                return None
            narrow = getattr(extractor, "for_files", None)  # only the manifest rows this batch needs
            batch_extractor = narrow(p for p, _ in items) if narrow is not None else extractor
            serial += 1
            future = self.client.submit(
                extract_batch, batch_extractor, items, key=f"mapapp-extract-{run}-{serial}", pure=False
            )
            units[future] = (index, [p for p, _ in items])
            pending.add(future)
            return future

        def top_up() -> None:
            nonlocal submitted
            if second_chances and not any(f in units for f in second_running):
                second_running[:] = [submit(*second_chances.pop(0))]
            while submitted < len(batches) and len(units) < in_flight_limit:
                submit(submitted, batches[submitted])
                submitted += 1

        top_up()
        try:
            while emitted < len(batches):
                while emitted < len(batches) and len(done[emitted]) == len(batches[emitted]):
                    for path in batches[emitted]:
                        yield done[emitted].pop(path)
                    emitted += 1
                    top_up()
                if emitted >= len(batches):
                    break
                if not units:  # cannot happen: every unfinished batch has a task out
                    raise ClusterError("the Dask engine lost track of its tasks; please report this")
                future = next(pending)
                index, paths = units.pop(future)
                self._collect(future, index, paths, done, submit, second_chances)
                top_up()
        finally:
            for future in list(units):
                future.cancel()

    def _collect(
        self,
        future: Any,
        index: int,
        paths: list[str],
        done: list[dict[str, Outcome]],
        submit: Any,
        second_chances: list[tuple[int, list[str]]],
    ) -> None:
        """Take a finished task's outcomes, or split a batch whose workers died, give a lone article
        whose workers died a second run on its own, or report why it failed."""
        from distributed.scheduler import KilledWorker

        try:
            for path, extraction, reason in future.result():
                done[index][path] = (path, extraction, reason)
        except KilledWorker:
            if len(paths) > 1:  # one of them may crash its worker: try each on its own
                for path in paths:
                    submit(index, [path])
                return
            if paths[0] not in self._retried:
                self._retried.add(paths[0])
                second_chances.append((index, paths))
                return
            allowed = self.client.run_on_scheduler(_allowed_failures)
            reason = (
                f"the worker extracting it died {2 * (allowed + 1)} times (killed, out of memory, or the "
                "article crashes the extractor): not stored; ingest it again, or alone, to retry"
            )
            done[index][paths[0]] = (paths[0], None, reason)
        except Exception as exc:  # the cluster failed this task (lost scheduler, a worker's own error)
            reason = f"the Dask cluster could not extract it ({type(exc).__name__}: {exc}): not stored"
            for path in paths:
                done[index][path] = (path, None, reason)


def _allowed_failures(dask_scheduler: Any = None) -> int:
    """The scheduler's ``allowed-failures`` (run on the scheduler: its setting is the one that counts)."""
    return int(dask_scheduler.allowed_failures) if dask_scheduler is not None else 3


def _local_failure(extractor: Any, path: str) -> Outcome:
    from mapapp.ingest import _extract_one

    extraction, reason = _extract_one(extractor, path)
    return (path, extraction, reason)

