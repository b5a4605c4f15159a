"""The benchmark's window probes: the one package outside `planner.ui` allowed to import Qt.

They drive the real window and build the Qt floors it is measured against, so
they need PySide6; the import-linter contract in pyproject.toml names this
package beside `planner.ui` and forbids Qt everywhere else.
"""
