"""The schema revisions this version of the planner knows, without importing Alembic.

Checking a file's revision against this list takes one query; Alembic (slow to
import) is loaded only when a migration must actually run. A test keeps this
list equal to the scripts in `migrations/versions`.
"""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_sponsor_link",
    "0003_currency",
    "0004_row_versions",
    "0005_portfolio",
    "0006_record_changes",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
