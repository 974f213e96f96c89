"""The pipeline's identity: one short hash of everything that decides what it extracts.

Stored events carry the identity of the pipeline that made them, so an upgrade or an edit of
a rule table shows up as "events from an older pipeline" instead of going unnoticed. The hash
covers:

- **code**: every module of ``mapapp/pipeline/``, ``mapapp/model.py`` (event ids, kinds) and
  the ``gazetteer`` package (names, scoring);
- **rules**: every other file under ``mapapp/pipeline/`` (``cues/*.toml``, ``data/*.tsv``, and
  any table added later);
- **gazetteer**: the compiled gazetteer's build fingerprint (curated CSVs, the GeoNames
  packages' versions, the build code; see :func:`gazetteer.build.fingerprint`);
- **packages**: the versions of the libraries whose behaviour reaches the output
  (:data:`PACKAGES`: HTML text and date extraction, date parsing, decoding), and mapapp's own.

Comments and docstrings count too: hashing bytes cannot tell them from rules, and a false
"older pipeline" costs one ``--reextract`` that replaces nothing, where a missed one leaves
stale events on the map.

    >>> from mapapp.pipeline.identity import identity, pipeline_id
    >>> pipeline_id() == identity().id and len(pipeline_id())
    16
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["PACKAGES", "PipelineIdentity", "identity", "pipeline_id"]

# Distributions whose code decides what an article yields (beyond the GeoNames packages, which
# the gazetteer's fingerprint covers).
PACKAGES = (
    "trafilatura",
    "htmldate",
    "jusText",
    "lxml",
    "lxml_html_clean",
    "charset-normalizer",
)

_PIPELINE = Path(__file__).resolve().parent
_MAPAPP = _PIPELINE.parent


@dataclass(frozen=True, slots=True)
class PipelineIdentity:
    """The parts of the pipeline's identity, each a hex digest (``packages``: name=version list)."""

    code: str
    rules: str
    gazetteer: str
    packages: str

    @property
    def id(self) -> str:
        """The identity stored with every article's events: 16 hex digits over all parts."""
        joined = "|".join((self.code, self.rules, self.gazetteer, self.packages))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]


def _digest(root: Path, files: Iterable[Path]) -> str:
    """Hash of files by their path under ``root`` and their bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@cache
def identity() -> PipelineIdentity:
    """The identity of the pipeline this process runs (computed once: about 40 files are hashed)."""
    import gazetteer
    from gazetteer.build import fingerprint
    from mapapp import __version__

    pipeline_files = _files(_PIPELINE)
    code = [p for p in pipeline_files if p.suffix == ".py"] + [_MAPAPP / "model.py"]
    gazetteer_dir = Path(gazetteer.__file__).resolve().parent
    code_digest = hashlib.sha256(
        (_digest(_MAPAPP, code) + _digest(gazetteer_dir, gazetteer_dir.glob("*.py"))).encode()
    ).hexdigest()
    rules = [p for p in pipeline_files if p.suffix not in (".py", ".pyc")]
    packages = ";".join(f"{name}={_version(name)}" for name in PACKAGES)
    return PipelineIdentity(
        code=code_digest,
        rules=_digest(_MAPAPP, rules),
        gazetteer=fingerprint(),
        packages=f"mapapp={__version__};{packages}",
    )


def pipeline_id() -> str:
    """The identity of the pipeline this process runs, as stored with events (16 hex digits)."""
    return identity().id
