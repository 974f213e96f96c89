"""Ingest: read article files, extract their events (in parallel for big folders) and store them.

Extraction is pure and runs in worker processes (each loads the gazetteer once); the
parent is the store's only writer and saves each article in one transaction, so an
interrupted ingest leaves every article either whole or absent. One bad article never
stops the others: it is reported as ``(path, reason)`` and the run goes on.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mapapp.errors import ArticleError, MapappError, StoreError
from mapapp.pipeline import DEFAULT_MAX_CHARS
from mapapp.pipeline.read import DEFAULT_MAX_BYTES, FORMATS
from mapapp.store.base import ArticleChange, EventStore, ExtractionLike

__all__ = [
    "ARTICLE_SUFFIXES",
    "MANIFEST_NAME",
    "PARALLEL_THRESHOLD",
    "DocumentExtractor",
    "FileExtractor",
    "IngestReport",
    "discover_manifests",
    "find_articles",
    "fingerprint",
    "ingest",
    "ingest_texts",
    "load_manifests",
    "outdated_line",
    "pipeline_of",
]

ARTICLE_SUFFIXES: frozenset[str] = frozenset(FORMATS)  # .txt .html .htm (and .text .xhtml)
MANIFEST_NAME = "manifest.csv"
PARALLEL_THRESHOLD = 48  # below this many files a process pool costs more than it saves

Extractor = Callable[[str], ExtractionLike]
Progress = Callable[[int, int, str], None]
Outcome = tuple[str, ExtractionLike | None, str | None]  # path, its extraction or None, the failure reason
Engine = Callable[[Sequence[str], Extractor], Iterable[Outcome]]  # runs extraction, yields in file order
ManifestArg = Mapping[str, Any] | str | Path | None


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an ingest did: article counts by outcome, event counts, and each failure's reason."""

    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    events_added: int = 0
    events_updated: int = 0
    events_removed: int = 0
    failures: tuple[tuple[str, str], ...] = ()
    eventless: tuple[str, ...] = ()  # new or changed articles that yield no event: worth a look
    # articles of this run whose stored events an older pipeline made, and how many the whole store holds
    outdated: tuple[str, ...] = ()
    outdated_in_store: int = 0

    def __post_init__(self) -> None:
        if self.read != self.new + self.changed + self.unchanged + self.failed:
            raise ValueError(
                f"inconsistent report: read {self.read} != new {self.new} + changed {self.changed} "
                f"+ unchanged {self.unchanged} + failed {self.failed}"
            )

    @property
    def ok(self) -> bool:
        """True when every article went in."""
        return self.failed == 0

    def summary(self, refresh: str = "mapapp ingest PATH... --reextract") -> str:
        """Human lines: articles by outcome, events, the articles that gave no event, and those whose
        events an older pipeline made (with ``refresh``, the command that renews them)."""
        lines = [
            f"articles: {self.read} read, {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.failed} failed",
            f"events: {self.events_added} added, {self.events_updated} updated, "
            f"{self.events_removed} removed",
        ]
        if self.eventless:
            lines.append(f"no event found in {len(self.eventless)}: {', '.join(self.eventless)}")
        if self.outdated or self.outdated_in_store:
            lines.append(outdated_line(len(self.outdated), self.outdated_in_store, refresh))
        return "\n".join(lines)


def outdated_line(in_run: int, in_store: int, refresh: str) -> str:
    """One line: how many articles hold events an older pipeline made, and the command that renews them.

    >>> outdated_line(2, 5, "mapapp ingest seeds --reextract")
    'older pipeline: 2 of these articles (5 in the store) have events made before the rules, gazetteer \
or code changed; refresh them with `mapapp ingest seeds --reextract`'
    >>> outdated_line(0, 3, "mapapp ingest seeds --reextract")
    'older pipeline: 3 other stored articles have events made before the rules, gazetteer or code \
changed; refresh them with `mapapp ingest --reextract` over their files'
    """
    if not in_run:
        return (
            f"older pipeline: {in_store} other stored articles have events made before the rules, gazetteer "
            "or code changed; refresh them with `mapapp ingest --reextract` over their files"
        )
    return (
        f"older pipeline: {in_run} of these articles ({in_store} in the store) have events made before the "
        f"rules, gazetteer or code changed; refresh them with `{refresh}`"
    )


class _Tally:
    """Mutable counters behind an :class:`IngestReport`."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(("new", "changed", "unchanged", "failed"), 0)
        self.events = [0, 0, 0]
        self.failures: list[tuple[str, str]] = []
        self.eventless: list[str] = []

    def add(self, change: ArticleChange) -> None:
        self.counts[change.status] += 1
        if change.status in ("new", "changed") and not change.events_added + change.events_updated:
            self.eventless.append(change.source)
        self.events[0] += change.events_added
        self.events[1] += change.events_updated
        self.events[2] += change.events_removed

    def fail(self, path: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.failures.append((path, _one_line(reason)))

    def report(self, outdated: Iterable[str] = (), outdated_in_store: int = 0) -> IngestReport:
        c = self.counts
        return IngestReport(
            read=sum(c.values()), new=c["new"], changed=c["changed"], unchanged=c["unchanged"],
            failed=c["failed"], events_added=self.events[0], events_updated=self.events[1],
            events_removed=self.events[2], failures=tuple(self.failures), eventless=tuple(self.eventless),
            outdated=tuple(sorted(outdated)), outdated_in_store=outdated_in_store,
        )


# -- finding files and manifests ---------------------------------------------------------


def find_articles(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus article files (by suffix) under folders, recursively, in sorted order.

    A named file is kept whatever its suffix (the reader refuses it with a reason); hidden
    files and folders (``.git``) are skipped; a path named twice is listed once. A missing
    path, and a link to nothing under a folder, are kept too, so they are reported as
    failures instead of vanishing silently.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            children = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (p.is_file() or _broken_link(p) is not None)
            )
        else:
            children = [path]
        for child in children:
            key = child.resolve()
            if key not in seen:
                seen.add(key)
                found.append(child)
    return found


def discover_manifests(paths: Iterable[str | Path]) -> list[Path]:
    """``manifest.csv`` files at the top of the folders named (used when no manifest is given)."""
    candidates = (Path(p) / MANIFEST_NAME for p in paths if Path(p).is_dir())
    return [c for c in candidates if c.is_file()]


def load_manifests(paths: Sequence[str | Path]) -> dict[str, Any]:
    """Rows of several manifests merged by file name (a later manifest wins for the same file)."""
    from mapapp.manifest import load_manifest

    merged: dict[str, Any] = {}
    for path in paths:
        merged.update(load_manifest(path))
    return merged


def _manifest_rows(manifest: ManifestArg) -> Mapping[str, Any] | None:
    if manifest is None or isinstance(manifest, Mapping):
        return manifest
    return load_manifests([manifest])


# -- extractors (picklable: they cross into worker processes) ---------------------------


@functools.cache
def _gazetteer() -> Any:
    """The default gazetteer, loaded once per process (so once per worker)."""
    from gazetteer import load_gazetteer

    return load_gazetteer()


class FileExtractor:
    """The real pipeline on one file: ``mapapp.pipeline.extract_file`` with the default gazetteer."""

    def __init__(
        self,
        *,
        published: date | None = None,
        manifest: Mapping[str, Any] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.published = published
        self.manifest = dict(manifest) if manifest else None
        self.max_bytes = max_bytes
        self.max_chars = max_chars

    def warm(self) -> None:
        """Load the gazetteer now (a worker's initializer), not on the first article."""
        _gazetteer()

    def prepare(self) -> None:
        """Build the gazetteer's cache if it is missing, once, before worker processes each would."""
        from gazetteer.build import ensure_cache

        ensure_cache()

    def __call__(self, path: str) -> ExtractionLike:
        from mapapp.pipeline import extract_file

        return extract_file(
            path, _gazetteer(), published=self.published, manifest=self.manifest, max_bytes=self.max_bytes,
            max_chars=self.max_chars,
        )

    def extract_bytes(self, path: str, content: bytes) -> ExtractionLike:
        """What calling it with ``path`` gives, from the file's bytes read elsewhere (a cluster
        worker on another machine gets them from the ingest client)."""
        from mapapp.pipeline import extract_document
        from mapapp.pipeline.read import read_fetched

        doc = read_fetched(path, content, max_bytes=self.max_bytes)
        row = self.manifest.get(doc.source) if self.manifest else None
        return extract_document(
            doc, _gazetteer(), published=self.published, manifest_row=row, max_chars=self.max_chars
        )

    def for_files(self, paths: Iterable[str]) -> FileExtractor:
        """A copy that carries only these files' manifest rows (what a batch sent to a worker needs)."""
        clone = copy.copy(self)
        if self.manifest:
            names = {Path(p).name for p in paths}
            clone.manifest = {name: row for name, row in self.manifest.items() if name in names}
        return clone


class DocumentExtractor:
    """The real pipeline on an upload held in memory: same reading checks, then extraction."""

    def __init__(
        self,
        *,
        published: date | None = None,
        manifest: Mapping[str, Any] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.published = published
        self.manifest = dict(manifest) if manifest else {}
        self.max_bytes = max_bytes
        self.max_chars = max_chars

    def __call__(self, name: str, content: bytes) -> ExtractionLike:
        from mapapp.pipeline import extract_document
        from mapapp.pipeline.read import read_bytes

        fmt = FORMATS.get(Path(name).suffix.lower())
        if fmt is None:
            accepted = ", ".join(sorted(FORMATS))
            raise ArticleError(name, f"unsupported file type {Path(name).suffix or '(no suffix)'!r}: "
                                     f"expected one of {accepted}")
        doc = read_bytes(content, source=name, format=fmt, max_bytes=self.max_bytes)
        return extract_document(
            doc, _gazetteer(), published=self.published, manifest_row=self.manifest.get(name),
            max_chars=self.max_chars,
        )


_WORKER_EXTRACTOR: Extractor | None = None


def _init_worker(extractor: Extractor, parent_pid: int) -> None:
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no worker tracebacks
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()
    warm = getattr(extractor, "warm", None)
    if callable(warm):
        try:
            warm()
        except Exception:  # reported per article by _extract_one instead
            pass


def _exit_when_orphaned(parent_pid: int, interval: float = 0.5) -> None:
    """A worker whose ingest was killed (SIGKILL skips all clean-up) exits instead of lingering."""
    while True:
        time.sleep(interval)
        if os.getppid() != parent_pid:
            os._exit(1)


def _worker_extract(path: str) -> tuple[ExtractionLike | None, str | None]:
    assert _WORKER_EXTRACTOR is not None, "worker not initialised"
    return _extract_one(_WORKER_EXTRACTOR, path)


def _extract_one(
    extractor: Callable[..., ExtractionLike], *args: Any
) -> tuple[ExtractionLike | None, str | None]:
    """Run an extractor; turn every failure into a one-line reason (never a traceback)."""
    try:
        return extractor(*args), None
    except ArticleError as exc:
        return None, exc.reason
    except MapappError as exc:
        return None, str(exc)
    except (OSError, UnicodeError, ValueError) as exc:
        return None, f"cannot be read: {exc}"
    except Exception as exc:  # a pipeline bug must not stop the other articles
        return None, f"extraction failed ({type(exc).__name__}: {exc}); please report this article"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# -- ingest ------------------------------------------------------------------------------


def _workers(workers: int | None, n_files: int) -> int:
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        return min(workers, max(1, n_files))
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, n_files))


def _extractions(
    files: Sequence[str], extractor: Extractor, workers: int
) -> Iterator[tuple[str, ExtractionLike | None, str | None]]:
    if workers <= 1:
        for path in files:
            yield (path, *_extract_one(extractor, path))
        return
    # spawn, not fork: the parent may hold a SQLite connection and (in the app) threads
    context = multiprocessing.get_context("spawn")
    chunksize = max(1, min(16, len(files) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(extractor, os.getpid())) as pool:
        try:
            for path, (extraction, reason) in zip(
                files, pool.map(_worker_extract, files, chunksize=chunksize), strict=True
            ):
                yield path, extraction, reason
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def ingest(
    paths: Iterable[str | Path],
    store: EventStore,
    *,
    manifest: ManifestArg = None,
    published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    workers: int | None = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    reextract: bool = False,
    engine: Engine | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively) into ``store``; return what happened.

    ``manifest`` is a mapping of file name to :class:`mapapp.manifest.ManifestRow` or
    the path of a manifest CSV. ``workers=None`` uses every core for big folders (at
    least :data:`PARALLEL_THRESHOLD` files) and one process otherwise. ``extractor``
    replaces the real pipeline (a callable ``path -> Extraction``; it must be picklable
    when ``workers > 1``). ``progress(done, total, path)`` is called once with ``done=0``
    before the first article, then after each.
    Two files with the same name in one run are one source: the second is refused. So is
    a file whose name is stored from another file (or an upload) with other text: articles
    are keyed by file name, and one never replaces another's evidence silently (forget the
    stored one first); the same file with changed text replaces its own events.
    Files whose input fingerprint is stored are skipped unread; ``reextract=True``
    extracts every file again and replaces the events of articles whose text is the
    same but whose events now come out differently (after a pipeline upgrade).
    ``max_bytes`` and ``max_chars`` refuse files, and article texts, above those sizes.
    A link to nothing is a failure ("broken link to TARGET").
    ``engine`` runs the extraction elsewhere (:class:`mapapp.cluster.DaskEngine`: a Dask
    cluster): called with the files to extract and the extractor, it yields ``(path,
    extraction or None, reason)`` in the files' order; the store is still written here.
    """
    files = [str(p) for p in find_articles(paths)]
    rows = _manifest_rows(manifest)
    if extractor is None:
        extractor = FileExtractor(published=published, manifest=rows, max_bytes=max_bytes,
                                  max_chars=max_chars)
    tally = _Tally()
    first_path_of: dict[str, str] = {}
    known = store.fingerprints()
    pipeline = pipeline_of(extractor)
    n = len(files)
    done = 0
    if progress is not None:
        progress(0, n, "")
    todo: list[str] = []
    prints: dict[str, str] = {}
    for path in files:  # before any worker reads them: refuse oversized files, skip unchanged ones
        reason = _broken_link(path) or _too_big(path, max_bytes)
        if reason is None:
            name = Path(path).name
            prints[path] = _file_fingerprint(path, extractor, published, rows.get(name) if rows else None)
            if reextract or not prints[path] or known.get(name) != prints[path]:
                todo.append(path)
                continue
            if _claim(name, path, first_path_of, tally):
                tally.add(ArticleChange(name, "unchanged"))
        else:
            tally.fail(path, reason)
        done += 1
        if progress is not None:
            progress(done, n, path)
    if engine is None:
        n_workers = _workers(workers, len(todo))
        prepare = getattr(extractor, "prepare", None)
        if n_workers > 1 and callable(prepare):
            try:
                prepare()
            except Exception:  # each worker meets the problem again and reports it per article
                pass
        outcomes = _extractions(todo, extractor, n_workers)
    else:
        outcomes = engine(todo, extractor)
    for path, extraction, reason in outcomes:
        done += 1
        if extraction is None:
            tally.fail(path, reason or "could not be read")
        else:
            _save(store, path, extraction, tally, first_path_of, prints.get(path, ""), reextract,
                  origin=str(Path(path).resolve()), pipeline=pipeline)
        if progress is not None:
            progress(done, n, path)
    return _report(tally, store, first_path_of, pipeline)


def _report(tally: _Tally, store: EventStore, sources: Iterable[str], pipeline: str) -> IngestReport:
    """The run's report, with the articles (of the run, and of the store) that an older pipeline made."""
    pipelines = store.pipelines()
    return tally.report(
        outdated=(s for s in sources if pipelines.get(s, pipeline) != pipeline),
        outdated_in_store=sum(1 for p in pipelines.values() if p != pipeline),
    )


def pipeline_of(extractor: object) -> str:
    """The identity stored with the events ``extractor`` makes: the pipeline's own
    (:func:`mapapp.pipeline.identity.pipeline_id`), or a custom extractor's qualified name."""
    if isinstance(extractor, FileExtractor | DocumentExtractor):
        from mapapp.pipeline.identity import pipeline_id

        return pipeline_id()
    named = extractor if hasattr(extractor, "__qualname__") else type(extractor)
    return f"{named.__module__}.{named.__qualname__}"


FINGERPRINT_SCHEME = "mapapp-ingest-2"


def fingerprint(content: bytes, *, extractor: object, published: date | None, manifest_row: object) -> str:
    """Hash of an input: its bytes and the options its extraction is given.

    The same bytes, publication date option, manifest row and kind of extractor (the pipeline,
    or a custom one by name) are the same input; ingest skips such files without reading them
    twice. Which version of the pipeline made the stored events is kept apart (the store's
    :meth:`~mapapp.store.EventStore.pipelines`), so an upgrade is reported, not silently
    skipped, and a plain re-ingest stays cheap.
    """
    if isinstance(extractor, FileExtractor | DocumentExtractor):
        who = "mapapp.pipeline"
    else:  # a function by its own name, an object by its class's
        named = extractor if hasattr(extractor, "__qualname__") else type(extractor)
        who = f"{named.__module__}.{named.__qualname__}"
    options = f"{FINGERPRINT_SCHEME}|{who}|{published}|{manifest_row!r}|".encode()
    return hashlib.sha256(options + content).hexdigest()


def _file_fingerprint(path: str, extractor: object, published: date | None, manifest_row: object) -> str:
    try:
        content = Path(path).read_bytes()
    except OSError:
        return ""  # the reader names what is wrong with it
    return fingerprint(content, extractor=extractor, published=published, manifest_row=manifest_row)


def _claim(source: str, path: str, first_path_of: dict[str, str], tally: _Tally) -> bool:
    """Register ``source`` for ``path``; a second file with the same name in one run is refused."""
    other = first_path_of.setdefault(source, path)
    if other != path:
        tally.fail(path, f"same file name as {other}, ingested earlier in this run: articles are keyed "
                         "by file name, so rename one of them")
        return False
    return True


def _broken_link(path: str | Path) -> str | None:
    """``"broken link to TARGET"`` for a symbolic link whose target does not exist, else None."""
    if not os.path.islink(path) or os.path.exists(path):
        return None
    try:
        target = os.readlink(path)
    except OSError:  # gone in between: the reader names what is wrong with it
        return None
    return f"broken link to {target}"


def _too_big(path: str, max_bytes: int) -> str | None:
    try:
        size = os.stat(path).st_size
    except OSError:
        return None  # the reader names what is wrong with it
    if size <= max_bytes:
        return None
    return (
        f"file is {_mib(size)}, over the {_mib(max_bytes)} limit (--max-bytes {max_bytes}): "
        "split it or raise the limit"
    )


def _mib(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB" if size >= 1024**2 else f"{size:,} bytes"


def _save(
    store: EventStore,
    path: str,
    extraction: ExtractionLike,
    tally: _Tally,
    first_path_of: dict[str, str],
    fingerprint: str = "",
    refresh: bool = False,
    *,
    origin: str,
    pipeline: str,
) -> None:
    """Save one extraction; ``origin`` is the file's resolved path, ``""`` for an upload."""
    if not _claim(extraction.article.source, path, first_path_of, tally):
        return
    try:
        tally.add(store.save_extraction(extraction, fingerprint=fingerprint, refresh=refresh, path=origin,
                                        pipeline=pipeline))
    except StoreError as exc:
        tally.fail(path, str(exc))


def ingest_texts(
    items: Iterable[tuple[str, bytes]],
    store: EventStore,
    *,
    published: date | None = None,
    manifest: ManifestArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    extractor: Callable[[str, bytes], ExtractionLike] | None = None,
) -> IngestReport:
    """Ingest uploads, ``(file name, content)`` pairs, through the same reading and extraction.

    Only the last part of a name counts (``../x.txt`` is ``x.txt``). ``extractor`` replaces
    the real pipeline (a callable ``(name, content) -> Extraction``). Uploads have no path:
    an upload with other text replaces an earlier upload of that name, but never an article
    ingested from a file (that one is refused, as in :func:`ingest`).
    """
    if extractor is None:
        extractor = DocumentExtractor(published=published, manifest=_manifest_rows(manifest),
                                      max_bytes=max_bytes, max_chars=max_chars)
    rows = _manifest_rows(manifest)
    tally = _Tally()
    first_path_of: dict[str, str] = {}
    known = store.fingerprints()
    pipeline = pipeline_of(extractor)
    stored_by = store.pipelines()
    for name, content in items:
        base = Path(str(name).replace("\\", "/")).name
        if not base:
            tally.fail(str(name), "an upload needs a file name")
            continue
        content = bytes(content)
        print_ = fingerprint(content, extractor=extractor, published=published,
                             manifest_row=rows.get(base) if rows else None)
        older = base in stored_by and stored_by[base] != pipeline
        if known.get(base) == print_ and not older:
            tally.add(ArticleChange(base, "unchanged"))
            continue
        extraction, reason = _extract_one(extractor, base, content)
        if extraction is None:
            tally.fail(base, reason or "could not be read")
        else:  # an upload again of an article an older pipeline made renews its events
            _save(store, f"upload:{base}", extraction, tally, first_path_of, print_, older, origin="",
                  pipeline=pipeline)
    return _report(tally, store, first_path_of, pipeline)
