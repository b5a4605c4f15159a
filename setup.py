"""Ship `migrations/` and `resources/` inside the `planner` package of the wheel.

They stay at the top of the checkout (Alembic, the README and the packaging
scripts use them there), and setuptools maps them in as `planner/migrations`
and `planner/resources`, so an installed planner finds them with
`importlib.resources` next to its code (see `planner.paths`). Everything else
about the project is declared in pyproject.toml; only this mapping needs code,
because pyproject.toml cannot combine package discovery with extra packages.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {
    "planner.migrations": "migrations",
    "planner.migrations.versions": "migrations/versions",
    "planner.resources": "resources",
    "planner.resources.icons": "resources/icons",
}

setup(
    packages=[*find_packages(include=["planner", "planner.*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
    # The README's screenshots (resources/screenshots) stay out: nothing at run time reads them.
    package_data={
        "planner.migrations": ["script.py.mako"],
        "planner.resources": ["*.md"],
        "planner.resources.icons": ["*.svg"],
    },
)
