"""mapapp installed from its metadata alone, as a user would, into clean virtual environments.

No Makefile: a new venv, its own pip (the one ``python -m venv`` brings, not upgraded: users have
older pips, and pip 23.2 is the one that drops jusText's ``lxml[html_clean]`` against lxml 6), and
pip's configured index. One venv takes ``pip install -e`` of a copy of the project and reads an HTML
page; the other takes the built wheel and runs ``mapapp geocode``, ``mapapp extract`` on a .txt and
an .html page, ``mapapp ingest``, and the app's first page in Chromium with every outside request
blocked. Everything runs outside the checkout, so nothing is imported from it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    MARKERS,
    Offline,
    _free_port,
    _wait_healthy,
    wait_ready,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(2400)]

ROOT = Path(__file__).resolve().parents[1]
TXT = ROOT / "seeds" / "004_57a5f8c875698f1e.txt"
HTML = ROOT / "tests" / "corpus" / "c10_sindonews.html"
ARTIFACTS = ROOT / "tests" / "artifacts" / "install"


def project_files() -> list[str]:
    """The project as a fresh clone holds it, with the work tree's edits: tracked and new files,
    not what git ignores (.venv, caches, vendored copies, build/)."""
    done = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    names = [n for n in done.stdout.decode().split("\0") if n]
    return sorted(n for n in names if (ROOT / n).is_file())


def copy_project(dest: Path) -> Path:
    for name in project_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def clean_env(home: Path) -> dict[str, str]:
    """The machine's environment without this test run's Python, venv, stores and caches; pip's
    configuration (its index) stays. A fresh home: the user's cache folder starts empty."""
    dropped = ("PYTHON", "VIRTUAL_ENV", "GAZETTEER_", "MAPAPP_", "XDG_", "STREAMLIT_", "PYTEST")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    home.mkdir(parents=True, exist_ok=True)
    return {**env, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


def run(
    command: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 900, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if ok:
        assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-4000:]}"
    return done


def make_venv(path: Path, env: dict[str, str]) -> Path:
    run([sys.executable, "-m", "venv", str(path)], cwd=path.parent, env=env, timeout=300)
    return path / "bin"


def site_packages(bin_dir: Path, env: dict[str, str]) -> Path:
    done = run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
               cwd=bin_dir, env=env)
    return Path(done.stdout.strip())


# -- a clean venv from the metadata alone, editable, reads HTML ---------------------------------


def test_a_clean_editable_install_reads_an_html_page(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    source = copy_project(tmp_path / "project")
    prepared = ROOT / "data" / "cache" / "gazetteer.pickle"
    if prepared.is_file():  # rebuilt (a minute) if it does not fit what this venv installs
        (source / "data" / "cache").mkdir(parents=True)
        shutil.copy2(prepared, source / "data" / "cache" / prepared.name)
    venv = make_venv(tmp_path / "venv", env)
    run([str(venv / "pip"), "install", "-q", "-e", str(source)], cwd=tmp_path, env=env)
    where = run([str(venv / "python"), "-c", "import mapapp, lxml.html.clean; print(mapapp.__file__)"],
                cwd=tmp_path, env=env)
    assert where.stdout.strip() == str(source / "mapapp" / "__init__.py")

    done = run([str(venv / "mapapp"), "extract", str(HTML)], cwd=tmp_path, env=env)
    assert "Traceback" not in done.stderr
    events = json.loads(done.stdout)
    assert {e["place"] for e in events} >= {"Yeraskh"}, done.stderr
    assert all(e["source"] == HTML.name for e in events)


# -- the wheel, in a clean venv --------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """A clean venv holding the built wheel, and where to run its commands."""

    bin: Path  # the venv's bin/
    wheel: Path
    env: dict[str, str]
    work: Path  # a folder outside the checkout

    def run(self, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
        return run([str(self.bin / args[0]), *args[1:]], cwd=self.work, env=self.env, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    env = clean_env(base / "home")
    source = copy_project(base / "project")
    venv = make_venv(base / "venv", env)
    run([str(venv / "pip"), "wheel", "-q", "--no-deps", "-w", str(base / "dist"), str(source)],
        cwd=base, env=env)
    (wheel,) = (base / "dist").glob("mapapp-*.whl")
    run([str(venv / "pip"), "install", "-q", str(wheel)], cwd=base, env=env)
    shutil.rmtree(source)  # nothing can come from a source tree now
    work = base / "work"
    work.mkdir()
    yield Installed(venv, wheel, env, work)


def test_the_wheel_holds_every_file_the_packages_read(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        held = set(archive.namelist())
    data = [n for n in project_files() if n.startswith(("mapapp/", "gazetteer/")) and not n.endswith(".py")]
    assert "gazetteer/data/places.csv" in data and "mapapp/pipeline/cues/events.toml" in data
    assert sorted(set(data) - held) == []
    vendored = {"mapapp/app/static/vendor/leaflet/leaflet.js", "mapapp/app/static/vendor/leaflet/leaflet.css"}
    assert vendored <= held
    assert not [n for n in held if n.startswith(("tests/", "data/", "seeds/")) or "__pycache__" in n]


def test_the_installed_package_is_the_wheels(installed: Installed) -> None:
    site = site_packages(installed.bin, installed.env)
    done = installed.run("python", "-c", "import mapapp, gazetteer as g; print(mapapp.__file__, g.__file__)")
    files = done.stdout.split()
    assert len(files) == 2 and all(Path(p).is_relative_to(site) for p in files)


def test_geocode_builds_the_gazetteer_once_in_the_users_cache_folder(installed: Installed) -> None:
    first = installed.run("mapapp", "geocode", "Khankendi", "--json")
    cache = Path(installed.env["XDG_CACHE_HOME"]) / "mapapp" / "gazetteer" / "gazetteer.pickle"
    assert first.stderr.strip() == (
        f"gazetteer: building the place index into {cache} (once after an install, upgrade or data change; "
        "about a minute)"
    )
    assert cache.is_file()
    assert json.loads(first.stdout)["name"] == "Khankendi"
    second = installed.run("mapapp", "geocode", "Martuni", "--context", "Hadrut", "--json")
    assert second.stderr == ""
    assert json.loads(second.stdout)["name"] == "Khojavend"


@pytest.mark.parametrize(("page", "place"), [(TXT, "Tonashen"), (HTML, "Yeraskh")], ids=["txt", "html"])
def test_extract_reads_a_page(installed: Installed, page: Path, place: str) -> None:
    done = installed.run("mapapp", "extract", str(page))
    assert "Traceback" not in done.stderr
    assert place in {e["place"] for e in json.loads(done.stdout)}


def test_the_apps_first_page_draws_the_map_offline(installed: Installed) -> None:
    venv, env, work = installed.bin, installed.env, installed.work
    url = f"sqlite:///{work}/events.sqlite"
    done = installed.run("mapapp", "ingest", str(ROOT / "seeds"), "--store", url)
    assert "5 new" in done.stdout and "older pipeline" not in done.stdout
    # `streamlit run .../main.py` as the README's second way, after the vendored files were lost:
    # the app puts them back when it starts
    app = site_packages(venv, env) / "mapapp" / "app"
    shutil.rmtree(app / "static" / "vendor")
    port = _free_port()
    log = work / "streamlit.log"
    command = [
        str(venv / "streamlit"), "run", str(app / "main.py"), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.enableStaticServing", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", "--", "--store", url,
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log, timeout=180)
        assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: `make chromium` installs it"
        offline = Offline()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("**/*", offline)
                page = context.new_page()
                page.goto(base, timeout=120_000)
                wait_ready(page)
                frame = page.frame_locator(MAP_FRAME)
                frame.locator(MARKERS).first.wait_for(timeout=90_000)
                assert frame.locator(".leaflet-container").count() == 1
                assert page.locator("[data-testid='stException']").count() == 0
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "wheel-first-page.png"), full_page=True)
            finally:
                browser.close()
        assert not [u for u in offline.blocked if "leaflet" in u], offline.blocked  # drawn from our copy
        assert (app / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
