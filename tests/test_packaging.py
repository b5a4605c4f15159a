"""The desktop application: icons, desktop entry, metainfo, and the frozen build itself.

The tests marked `packaging` build the one-folder application with PyInstaller
(about a minute) and then start it as a user would: run alone with
`pytest -m packaging`, leave out with `pytest -m "not packaging"`.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

import planner
from planner.persistence.schema import HEAD_REVISION, KNOWN_REVISIONS
from tests.conftest import REPO, run_cli
from tests.test_migrations import _file_at_first_revision

PACKAGING = REPO / "packaging"
DESKTOP_ID = planner.DESKTOP_ID
DESKTOP_FILE = PACKAGING / f"{DESKTOP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{DESKTOP_ID}.metainfo.xml"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
APP_DIR_NAME = "change-readiness-planner"

# Seconds after which a frozen run that has not ended counts as hung (it takes a few).
HANG = 120
# What Qt's offscreen platform says on every start; harmless, and not the planner's.
HARMLESS_STDERR = ("This plugin does not support propagateSizeHints()",)


def desktop_entry(path: Path = DESKTOP_FILE) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def render_icons(out_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "make_icons.py"),
            str(REPO / "resources" / "icons" / "planner.svg"),
            str(out_dir),
            DESKTOP_ID,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_icon_is_rendered_at_every_size(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    result = render_icons(tmp_path)
    assert result.returncode == 0, result.stderr
    for size in ICON_SIZES:
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        # Rounded corners stay see-through; the middle of the badge is solid.
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
    svg = tmp_path / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
    assert svg.read_bytes() == (REPO / "resources" / "icons" / "planner.svg").read_bytes()


def test_icon_renderer_refuses_a_broken_svg(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg this is not", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "make_icons.py"),
            str(broken),
            str(tmp_path / "out"),
            DESKTOP_ID,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode != 0
    assert "broken.svg is not a valid SVG image" in result.stderr
    assert not (tmp_path / "out").exists()


def test_desktop_entry_metainfo_and_icon_name_the_same_application() -> None:
    entry = desktop_entry()
    component = ET.parse(METAINFO_FILE).getroot()
    assert entry["Type"] == "Application"
    assert entry["Name"] == planner.APP_NAME == component.findtext("name")
    assert entry["Exec"] == "planner" == component.findtext("provides/binary")
    assert entry["Icon"] == DESKTOP_ID == component.findtext("id")
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.get("type") == "desktop-application"
    assert component.find("releases/release").get("version") == planner.__version__


def test_the_window_names_its_desktop_entry_for_the_shell() -> None:
    """Wayland shells find the menu entry and icon of a window through this name."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from planner.ui.app import make_application; "
                "print(make_application().desktopFileName())"
            ),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert f"{result.stdout.strip()}.desktop" == DESKTOP_FILE.name
    assert DESKTOP_FILE.is_file()


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate (Debian: desktop-file-utils) is not installed",
)
def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli (Debian: appstream) is not installed"
)
def test_metainfo_passes_appstream_validation() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout


def unexpected_stderr(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and line not in HARMLESS_STDERR]


SAMPLE_INITIATIVES = ["Helix CRM rollout", "Sales territory redesign", "Spendly expense rollout"]
"""The first start's sample: the portfolio demo of `planner demo`, by name."""


def revision_and_initiatives(path: Path) -> tuple[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        names = [row[0] for row in conn.execute("SELECT name FROM initiative ORDER BY name")]
    finally:
        conn.close()
    return revision, names


def test_first_start_from_source_creates_the_database_shows_the_window_and_exits(
    tmp_path: Path,
) -> None:
    """The smoke test's first start without freezing, so that default test runs have it too."""
    data_dir = tmp_path / "new-user" / "data"
    screenshot = tmp_path / "window.png"

    result = run_cli(
        env={"PLANNER_DATA_DIR": str(data_dir), "PLANNER_SMOKE_TEST": str(screenshot)}, timeout=HANG
    )

    assert result.returncode == 0, result.stderr
    assert unexpected_stderr(result.stderr) == []
    assert revision_and_initiatives(data_dir / "planner.db") == (
        HEAD_REVISION,
        SAMPLE_INITIATIVES,
    )
    assert screenshot.read_bytes().startswith(b"\x89PNG")


# --- the frozen application -------------------------------------------------------------------


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The application folder, built once for this module with the current interpreter."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is missing: install the test extra (pip install -e '.[test]')")
    scratch = tmp_path_factory.mktemp("build")
    env = {
        **os.environ,
        "BUILD_PYTHON": sys.executable,
        "DIST_DIR": str(scratch / "dist"),
        "WORK_DIR": str(scratch / "work"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        ["sh", str(PACKAGING / "build.sh")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    yield scratch / "dist" / APP_DIR_NAME
    shutil.rmtree(scratch, ignore_errors=True)


def run_frozen(
    app: Path, *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the frozen program as a user would: no Python settings of ours, its own data folder."""
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV"))
    }
    full_env = {
        **clean_env,
        "PLANNER_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        **(env or {}),
    }
    try:
        return subprocess.run(
            [str(app / "planner"), *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=data_dir.parent,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired as exc:
        # Offscreen, an error dialog waits for a click that never comes.
        pytest.fail(
            f"planner {' '.join(args)} still running after {HANG} s "
            f"(a dialog waiting for a click?); stderr: {exc.stderr!r}"
        )


@pytest.mark.packaging
def test_frozen_app_folder_holds_the_desktop_files_and_stays_lean(frozen_app: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    assert os.access(frozen_app / "planner", os.X_OK)
    assert os.access(frozen_app / "install.sh", os.X_OK)
    bundle = frozen_app / "_internal"
    # Package data inside `planner/`, where `planner.paths` looks with importlib.resources.
    assert (bundle / "planner" / "migrations" / "env.py").is_file()
    assert (bundle / "planner" / "migrations" / "versions" / "0001_initial.py").is_file()
    assert (bundle / "planner" / "resources" / "icons" / "planner.svg").is_file()
    assert (
        desktop_entry(frozen_app / "share" / "applications" / DESKTOP_FILE.name)["Icon"]
        == DESKTOP_ID
    )
    assert (frozen_app / "share" / "metainfo" / METAINFO_FILE.name).is_file()
    for size in ICON_SIZES:
        assert (
            frozen_app
            / "share"
            / "icons"
            / "hicolor"
            / f"{size}x{size}"
            / "apps"
            / f"{DESKTOP_ID}.png"
        ).is_file()

    files = [str(path.relative_to(bundle)) for path in bundle.rglob("*")]
    for unwanted in (
        "WebEngine",
        "Qt6Qml",
        "Qt6Quick",
        "Qt63D",
        "Multimedia",
        "Qt6Pdf",
        "tcl",
        "tk8",
        "translations",
    ):
        assert not [name for name in files if unwanted in name], unwanted
    archive = CArchiveReader(str(frozen_app / "planner")).open_embedded_archive("PYZ.pyz")
    top_level = {name.split(".")[0] for name in archive.toc}
    assert {"planner", "alembic", "sqlalchemy", "matplotlib", "openpyxl", "lxml"} <= top_level
    # Only migration scripts loaded from files use these, so imports alone would miss them.
    assert {
        "alembic.op",
        "alembic.context",
        "alembic.command",
        "alembic.ddl.sqlite",
        "planner.persistence.tables",
    } <= set(archive.toc)
    assert not top_level & {
        "pytest",
        "_pytest",
        "pytestqt",
        "hypothesis",
        "pytest_alembic",
        "tkinter",
        "PyInstaller",
        "setuptools",
    }
    assert not [name for name in archive.toc if name.startswith("planner.bench")]


@pytest.mark.packaging
def test_frozen_app_creates_and_migrates_its_database_shows_the_window_and_exits(
    frozen_app: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh-user-data"
    screenshot = tmp_path / "window.png"

    result = run_frozen(frozen_app, data_dir=data_dir, env={"PLANNER_SMOKE_TEST": str(screenshot)})

    assert result.returncode == 0, result.stderr
    assert unexpected_stderr(result.stderr) == []
    revision, initiatives = revision_and_initiatives(data_dir / "planner.db")
    assert revision == HEAD_REVISION
    assert initiatives == SAMPLE_INITIATIVES
    from PySide6.QtGui import QImage

    shot = QImage(str(screenshot))
    assert shot.width() >= 640 and shot.height() >= 400


@pytest.mark.packaging
@pytest.mark.skipif(
    len(KNOWN_REVISIONS) < 2,
    reason="one schema revision so far: no older file for Alembic to migrate",
)
def test_frozen_app_migrates_a_file_from_the_first_release(
    frozen_app: Path, tmp_path: Path
) -> None:
    """New files are created at the head revision; only an old file makes Alembic run."""
    old = tmp_path / "old.db"
    _file_at_first_revision(old)
    data_dir = tmp_path / "data"

    result = run_frozen(frozen_app, "demo", "--db", str(old), data_dir=data_dir)

    assert result.returncode == 0, result.stderr
    revision, initiatives = revision_and_initiatives(old)
    assert revision == HEAD_REVISION
    assert "Old plan" in initiatives
    assert list((data_dir / "backups").rglob("*.db"))


def frozen_demo_plan(app: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A database holding the sample plan, made by the frozen program, and its data folder."""
    data_dir = tmp_path / "data"
    plan = tmp_path / "plan.db"
    created = run_frozen(app, "demo", "--db", str(plan), data_dir=data_dir)
    assert created.returncode == 0, created.stderr
    return plan, data_dir


@pytest.mark.packaging
def test_frozen_app_checks_a_plan(frozen_app: Path, tmp_path: Path) -> None:
    plan, data_dir = frozen_demo_plan(frozen_app, tmp_path)

    text = run_frozen(frozen_app, "check", "--db", str(plan), data_dir=data_dir)
    report = run_frozen(
        frozen_app, "check", "--db", str(plan), "--format", "json", data_dir=data_dir
    )

    assert text.returncode == 0, text.stderr
    assert "Readiness of ‘Helix CRM rollout’" in text.stdout
    assert report.returncode == 0, report.stderr
    assert [dimension["key"] for dimension in json.loads(report.stdout)["dimensions"]] == [
        "stakeholder_involvement",
        "objectives",
        "change_management",
        "communication",
        "technology_fit",
        "phased_rollout",
    ]


def row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }
    finally:
        conn.close()


@pytest.mark.packaging
def test_frozen_app_exports_a_plan_and_imports_it_whole(frozen_app: Path, tmp_path: Path) -> None:
    plan, data_dir = frozen_demo_plan(frozen_app, tmp_path)
    workbook = tmp_path / "plan.xlsx"
    copy = tmp_path / "copy.db"

    exported = run_frozen(
        frozen_app,
        "export",
        "--db",
        str(plan),
        "--initiative",
        "Helix CRM rollout",
        str(workbook),
        data_dir=data_dir,
    )
    imported = run_frozen(frozen_app, "import", "--db", str(copy), str(workbook), data_dir=data_dir)

    assert exported.returncode == 0, exported.stderr
    assert workbook.read_bytes().startswith(b"PK\x03\x04")
    assert imported.returncode == 0, imported.stderr
    # The sample holds three initiatives; the workbook is the CRM rollout's, whole.
    crm_alone = tmp_path / "crm-alone.db"
    shutil.copyfile(plan, crm_alone)
    conn = sqlite3.connect(crm_alone)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM initiative WHERE name != 'Helix CRM rollout'")
        conn.commit()
    finally:
        conn.close()
    assert sum(row_counts(crm_alone).values()) > 100
    assert row_counts(copy) == row_counts(crm_alone)


@pytest.mark.packaging
def test_frozen_app_runs_the_windows_excel_work_in_child_processes(
    frozen_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.persistence import open_database
    from planner.services.excel.export_process import export_apart
    from planner.services.excel.reader import read_workbook
    from planner.services.excel.reader_process import read_workbook_apart
    from planner.services.planning import PlanService

    plan, _data_dir = frozen_demo_plan(frozen_app, tmp_path)
    db = open_database(plan, read_only=True)
    initiative = PlanService(db).find_initiative("Helix CRM rollout").id
    db.close()
    workbook = tmp_path / "plan.xlsx"
    # What the window does in the frozen program: its own executable is the child.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(frozen_app / "planner"))

    result = export_apart(plan, initiative, workbook)
    apart = read_workbook_apart(workbook)

    assert result.path == workbook and sum(result.counts.values()) > 100
    here = read_workbook(workbook)
    assert apart.info == here.info
    assert [(s.title, s.rows) for s in apart.sheets] == [(s.title, s.rows) for s in here.sheets]


@pytest.mark.packaging
def test_frozen_app_draws_charts_in_every_format(frozen_app: Path, tmp_path: Path) -> None:
    plan, data_dir = frozen_demo_plan(frozen_app, tmp_path)

    for suffix, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        chart = tmp_path / f"readiness.{suffix}"
        drawn = run_frozen(
            frozen_app,
            "chart",
            "--db",
            str(plan),
            "--initiative",
            "Helix CRM rollout",
            "--kind",
            "readiness",
            str(chart),
            data_dir=data_dir,
        )
        assert drawn.returncode == 0, drawn.stderr
        assert chart.read_bytes().startswith(magic)


@pytest.mark.packaging
def test_frozen_app_refuses_a_bad_file_in_one_line(frozen_app: Path, tmp_path: Path) -> None:
    not_a_plan = tmp_path / "notes.db"
    not_a_plan.write_text("meeting notes", encoding="utf-8")

    result = run_frozen(frozen_app, "demo", "--db", str(not_a_plan), data_dir=tmp_path / "data")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"planner: error: {not_a_plan} is not a planner database (not an SQLite file)"
    )
    assert not_a_plan.read_text(encoding="utf-8") == "meeting notes"


@pytest.mark.packaging
def test_install_script_installs_for_a_user_and_uninstalls(
    frozen_app: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "home" / ".local"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PREFIX": str(prefix)}

    installed = subprocess.run(
        ["sh", str(frozen_app / "install.sh")], capture_output=True, text=True, env=env, timeout=300
    )

    assert installed.returncode == 0, installed.stderr
    target = prefix / "opt" / APP_DIR_NAME
    entry = desktop_entry(prefix / "share" / "applications" / DESKTOP_FILE.name)
    assert entry["Exec"] == str(target / "planner")
    assert (
        prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{DESKTOP_ID}.png"
    ).is_file()
    version = run_frozen(prefix / "bin", "--version", data_dir=tmp_path / "data")
    assert version.stdout.strip() == f"planner {planner.__version__}"

    removed = subprocess.run(
        ["sh", str(frozen_app / "install.sh"), "--uninstall"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert removed.returncode == 0, removed.stderr
    assert not target.exists()
    assert not (prefix / "bin" / "planner").exists()
    assert not (prefix / "share" / "applications" / DESKTOP_FILE.name).exists()
    assert not (
        prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{DESKTOP_ID}.png"
    ).exists()


@pytest.mark.packaging
def test_frozen_app_is_the_child_that_draws_a_large_exports_charts(
    frozen_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from planner.persistence import open_database
    from planner.services.excel import chart_images
    from planner.services.excel.workbook import export_initiative
    from planner.services.planning import PlanService

    plan, _data_dir = frozen_demo_plan(frozen_app, tmp_path)
    # A large file's export in the frozen program: its own executable draws the charts.
    monkeypatch.setattr(chart_images, "CHILD_MIN_BYTES", 0)
    monkeypatch.setattr(chart_images, "draw_pictures", lambda *_: pytest.fail("drawn here"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(frozen_app / "planner"))
    db = open_database(plan, read_only=True)
    try:
        service = PlanService(db)
        workbook = tmp_path / "plan.xlsx"
        result = export_initiative(service, service.find_initiative(None).id, workbook)
    finally:
        db.close()

    assert result.warnings == ()
    assert len(load_workbook(workbook)["Charts"]._images) == 8
