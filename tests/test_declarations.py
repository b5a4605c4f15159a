"""One declaration per record kind: every registry derived from it covers every kind.

The domain's record classes (`RECORD_TYPES`) are the single source; these tests
fail when a derived list (tables, links, readers, plan attributes, workbook
sheets and keys, import order, pages, test factories) misses a kind or a
field, and when the tables no longer build what migration 0001 built.
"""

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from planner.domain.fields import FieldKind
from planner.domain.plan import Plan
from planner.domain.records import RECORD_TYPES
from planner.paths import migrations_dir
from planner.persistence import open_database
from planner.persistence.rows import make_reader
from planner.persistence.store import TABLE_ORDER
from planner.persistence.tables import KIND_OF_TABLE, LINKS, TABLES, metadata
from planner.services.excel.layout import NATURAL_KEYS, SHEET_TITLES, layouts
from planner.services.planning import PlanService
from tests.factories import full_plan

KINDS = list(RECORD_TYPES)


def _stored_fields(kind: str) -> set[str]:
    return {n for n, s in RECORD_TYPES[kind].SPECS.items() if s.kind is not FieldKind.REFS}


def test_every_kind_has_its_table_with_a_column_per_field():
    assert list(TABLES) == KINDS
    for kind in KINDS:
        assert {c.name for c in TABLES[kind].columns} == _stored_fields(kind), kind
        for name, spec in RECORD_TYPES[kind].SPECS.items():
            if spec.kind is FieldKind.REFS:
                link, owner, target = LINKS[kind][name]
                assert {c.name for c in link.columns} == {owner, target}
            elif spec.editable:
                column = TABLES[kind].c[name]
                assert column.nullable == (not spec.required and spec.kind is not FieldKind.BOOL)
    assert set(KIND_OF_TABLE) == {t.name for t in TABLES.values()}


def test_the_tables_keep_their_names_where_they_differ_from_the_kinds():
    assert {k: t.name for k, t in TABLES.items() if k != t.name} == {
        "session": "training_session",
        "option": "tech_option",
        "score": "option_score",
    }


def test_every_kind_has_a_reader_for_its_columns():
    for kind in KINDS:
        read, at = make_reader(kind, tuple(c.name for c in TABLES[kind].columns))
        assert callable(read) and TABLES[kind].columns[at].name == "id"


def test_the_plan_holds_every_kind_below_an_initiative():
    assert list(Plan.KIND_ATTRS) == [k for k in KINDS if k != "initiative"]


def test_the_workbook_has_a_sheet_and_a_key_per_kind_parents_first():
    assert list(SHEET_TITLES) == KINDS == [item.kind for item in layouts()]
    assert set(NATURAL_KEYS) == set(KINDS)
    assert len(set(SHEET_TITLES.values())) == len(KINDS)
    for position, kind in enumerate(KINDS):
        cls = RECORD_TYPES[kind]
        for key in NATURAL_KEYS[kind]:
            assert key in cls.SPECS, (kind, key)
        for spec in cls.SPECS.values():
            # A reference to a later kind (the sponsor) has no foreign key and is read
            # by the import once the later sheets are known.
            if spec.ref is not None and spec.enforced:
                assert KINDS.index(spec.ref) < position, (kind, spec.name)


def test_the_import_writes_every_table_after_those_it_points_at():
    assert set(TABLE_ORDER) == set(metadata.tables)
    for table in metadata.tables.values():
        for key in table.foreign_keys:
            assert TABLE_ORDER[key.column.table.name] < TABLE_ORDER[table.name]


def test_every_kind_is_on_a_page_of_the_window():
    from planner.ui.pages import builtin_pages, plan_pages, table_spec

    def walk(spec):
        yield spec.kind
        for child in spec.children:
            yield from walk(child)

    shown = {"initiative"} | {
        k for page in plan_pages() for top in page.kinds for k in walk(table_spec(top))
    }
    assert shown == set(KINDS)
    assert next(p.key for p in builtin_pages()) == "initiative"


def test_the_factory_makes_every_kind_with_every_field(tmp_path: Path):
    db = open_database(tmp_path / "plan.db")
    try:
        made = full_plan(PlanService(db))
    finally:
        db.close()
    assert list(made) == KINDS
    for kind, record in made.items():
        for name, spec in record.SPECS.items():
            if spec.editable and spec.kind is not FieldKind.BOOL and name != "adkar_stage":
                assert getattr(record, name) not in (None, ()), (kind, name)


def _migrated(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()


def test_the_derived_tables_build_what_the_migrations_build(tmp_path: Path):
    """Column for column, key for key: a new file and a file migrated to the head revision.

    Compared as SQLite describes them (a column added by ALTER TABLE is stored in
    the table's SQL text differently from one created with the table).
    """
    from planner.persistence.schema_objects import describe, differences

    fresh, migrated = tmp_path / "fresh.db", tmp_path / "migrated.db"
    engine = create_engine(f"sqlite:///{fresh}")
    metadata.create_all(engine)
    engine.dispose()
    _migrated(migrated)
    found, wanted = (sqlite3.connect(path) for path in (fresh, migrated))
    try:
        built, migrated_to = describe(found), describe(wanted)
        migrated_to.pop("alembic_version")
        assert differences(built, migrated_to) == []
    finally:
        found.close()
        wanted.close()


def test_the_derived_tables_compile_to_the_recorded_ddl():
    """Byte for byte the DDL recorded in tests/fixtures/schema.sql: at 0001 what the tables
    written out by hand compiled to, since then changed only with a migration."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite.dialect()
    out = []
    for table in metadata.sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            out.append(str(CreateIndex(index).compile(dialect=dialect)))
    expected = (Path(__file__).parent / "fixtures" / "schema.sql").read_text()
    assert "\n".join(out) + "\n" == expected
