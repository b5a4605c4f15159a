"""The window speaks to the core through services and the domain only: never the schema.

Read from the source (every import, those inside functions included), so that
a lazy import cannot hide.
"""

import ast
from pathlib import Path

from tests.conftest import REPO

UI = REPO / "planner" / "ui"
# Besides planner.ui itself: the core's services, domain and charts, and process-wide policies.
ALLOWED = (
    "planner.services",
    "planner.domain",
    "planner.charts",
    "planner.collector",
    "planner.paths",
)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.extend((node.lineno, name) for name in names)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append((node.lineno, "planner.ui." + (node.module or "")))
    return found


def _allowed(name: str) -> bool:
    if not name.startswith("planner."):
        return True
    if name.startswith(("planner.ui.", *(prefix + "." for prefix in ALLOWED))):
        return True
    if name in ALLOWED:
        return True
    # `from planner import APP_NAME`: the package's own constants.
    return (name.count(".") == 1 and name.split(".")[1].isupper()) or name == "planner.__version__"


def test_the_ui_imports_no_persistence_in_any_module():
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 20
    wrong = [
        f"{path.relative_to(REPO)}:{line}: {name}"
        for path in files
        for line, name in _imports(path)
        if not _allowed(name)
    ]
    assert wrong == []


def test_the_check_sees_a_persistence_import(tmp_path):
    """The rule above would catch the imports the window used to have."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def later():\n    from planner.persistence.store import TABLES\n"
        "import planner.persistence.tables\n"
    )
    assert sorted(name for _line, name in _imports(sample) if not _allowed(name)) == [
        "planner.persistence.store.TABLES",
        "planner.persistence.tables",
    ]
