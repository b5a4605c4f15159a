"""Which Debian packages hold the system libraries the planner's Qt loads on a desktop.

PySide6's wheels bundle Qt itself but not the X11/xcb, OpenGL, font and D-Bus
libraries under it, and Qt's own message when one is missing names the wrong
library. So the list is not written by hand: this script runs `ldd` on the Qt
parts the planner loads (the xcb platform plugin with its GL integrations, the
SVG image and icon plugins, and the PySide6 modules it imports), keeps every
library resolved outside the wheel, and asks `dpkg -S` which package owns it.

    python packaging/qt_system_packages.py           print the packages, one a line
    python packaging/qt_system_packages.py --check   compare with qt-system-packages.txt

`packaging/bootstrap.sh` installs what `qt-system-packages.txt` lists;
tests/test_bootstrap.py checks the file against this derivation, so a new
PySide6 that links one more library fails a test instead of a user's start.
Run it with the venv's interpreter (it reads the installed PySide6).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE_LIST = Path(__file__).resolve().parent / "qt-system-packages.txt"
# The Qt parts a desktop start of the planner loads, relative to the PySide6 package.
QT_PARTS = (
    "Qt/plugins/platforms/libqxcb.so",
    "Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "Qt/plugins/xcbglintegrations/libqxcb-egl-integration.so",
    "Qt/plugins/imageformats/libqsvg.so",
    "Qt/plugins/iconengines/libqsvgicon.so",
    "QtCore.abi3.so",
    "QtGui.abi3.so",
    "QtWidgets.abi3.so",
)
_RESOLVED = re.compile(r"^\s*(\S+) => (\S+) \(0x[0-9a-f]+\)$")
_MISSING = re.compile(r"^\s*(\S+) => not found$")


class MissingLibraries(Exception):
    """Some library a Qt part needs is on no path the loader searches."""


def pyside_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent


def system_libraries(pyside: Path) -> set[Path]:
    """Every library `ldd` resolves for the Qt parts, outside the PySide6 wheel."""
    found: set[Path] = set()
    missing: set[str] = set()
    for part in QT_PARTS:
        output = subprocess.run(
            ["ldd", str(pyside / part)], capture_output=True, text=True, check=True
        ).stdout
        for line in output.splitlines():
            if match := _MISSING.match(line):
                missing.add(match[1])
            elif match := _RESOLVED.match(line):
                path = Path(match[2]).resolve()
                if pyside.parent not in path.parents:
                    found.add(path)
    if missing:
        raise MissingLibraries(", ".join(sorted(missing)))
    return found


def _both_spellings(library: Path) -> tuple[str, str]:
    """The path with and without /usr: dpkg knows only the one the package shipped."""
    if library.parts[1] == "usr":
        return str(library), str(Path("/", *library.parts[2:]))
    return str(library), str(Path("/usr", *library.parts[1:]))


def owning_packages(libraries: set[Path]) -> list[str]:
    """The Debian packages that installed `libraries` (one `dpkg -S` for all of them)."""
    spellings = {
        spelling: library for library in libraries for spelling in _both_spellings(library)
    }
    output = subprocess.run(
        ["dpkg", "-S", *sorted(spellings)], capture_output=True, text=True
    ).stdout
    packages: set[str] = set()
    owned: set[Path] = set()
    for line in output.splitlines():
        names, _, path = line.partition(": ")
        if path in spellings:
            owned.add(spellings[path])
            packages.update(name.split(":")[0].strip() for name in names.split(","))
    if unowned := libraries - owned:
        raise LookupError(f"no Debian package owns {', '.join(sorted(map(str, unowned)))}")
    return sorted(packages)


def derive() -> list[str]:
    return owning_packages(system_libraries(pyside_dir()))


def listed() -> list[str]:
    lines = PACKAGE_LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str]) -> int:
    try:
        packages = derive()
    except MissingLibraries as missing:
        print(f"Qt needs libraries that are not installed: {missing}", file=sys.stderr)
        return 1
    if argv == ["--check"]:
        if packages != listed():
            print(
                f"{PACKAGE_LIST.name} is out of date; it should list: {' '.join(packages)}",
                file=sys.stderr,
            )
            return 1
        return 0
    print("\n".join(packages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
