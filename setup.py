"""Ship `migrations/` and `resources/` inside the `planner` package of the wheel.

They stay at the top of the checkout (Alembic, the README and the packaging
scripts use them there); building the wheel copies them into its `planner/`
folder, so an installed planner finds them with `importlib.resources` next to
its code (see `planner.paths`). Everything else about the project is declared in
pyproject.toml; only this copy needs code.

Copying at build time, rather than mapping the folders in with `package_dir`,
keeps the checkout a plain flat layout: an editable install is then one path
entry, without the import hook (and its warning on every install) that setuptools
needs for mapped packages.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# Folder at the checkout's top -> the files of it the installed planner needs. The
# README's screenshots (resources/screenshots) stay out: nothing at run time reads them.
PACKAGE_DATA = {
    "migrations": ("env.py", "script.py.mako", "versions/*.py"),
    "resources": ("*.md", "icons/*.svg"),
}


class BuildWithData(build_py):
    """The usual build of the `planner` package, plus its data folders copied in."""

    def run(self) -> None:
        super().run()
        for folder, patterns in PACKAGE_DATA.items():
            for pattern in patterns:
                for source in sorted(Path(folder).glob(pattern)):
                    target = Path(self.build_lib, "planner", source)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)


setup(
    packages=find_packages(include=["planner", "planner.*"]),
    package_dir={"": "."},
    cmdclass={"build_py": BuildWithData},
)
