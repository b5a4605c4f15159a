"""The window's menus and shortcuts: every action has a menu entry and a key.

The File menu keeps a named slot for the Excel exchange: other parts add their
entries with `window.add_file_actions([...])`, which puts them in their own
group above Quit. `window.menu(name)` returns the "file", "edit", "initiative",
"view" or "help" menu for anything else.

A key is bound once: a standard key (Redo, Quit) expands to the platform's
sequences and an explicit sequence that repeats one of them is dropped, since
Qt answers a sequence bound twice with "Ambiguous shortcut overload" and does
nothing. Each menu's mnemonics (the underlined letters) are distinct.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow

Key = QKeySequence.StandardKey


@dataclass
class Actions:
    new_db: QAction
    open_db: QAction
    open_team: QAction
    save_copy: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    add: QAction
    add_child: QAction
    open_children: QAction
    open_parent: QAction
    duplicate: QAction
    delete: QAction
    find: QAction
    new_initiative: QAction
    rename_initiative: QAction
    duplicate_initiative: QAction
    delete_initiative: QAction
    pick_initiative: QAction
    take_snapshot: QAction
    help: QAction
    about: QAction
    recent_menu: QMenu
    exchange_anchor: QAction

    def editing(self) -> list[QAction]:
        return [
            self.undo,
            self.redo,
            self.add,
            self.add_child,
            self.duplicate,
            self.delete,
            self.new_initiative,
            self.rename_initiative,
            self.duplicate_initiative,
            self.delete_initiative,
            self.take_snapshot,
        ]


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    keys: list[QKeySequence | Key | str] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts(unique_sequences(keys))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def unique_sequences(keys: list[QKeySequence | Key | str]) -> list[QKeySequence]:
    """The sequences of `keys`, standard keys expanded, each sequence once, in order."""
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences.extend(QKeySequence.keyBindings(key))
        else:
            sequences.append(key if isinstance(key, QKeySequence) else QKeySequence(key))
    seen: dict[str, QKeySequence] = {}
    for sequence in sequences:
        text = sequence.toString()
        if text and text not in seen:
            seen[text] = sequence
    return list(seen.values())


def build(window: MainWindow) -> Actions:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    edit_menu = bar.addMenu("&Edit")
    initiative_menu = bar.addMenu("&Initiative")
    view_menu = bar.addMenu("&View")
    help_menu = bar.addMenu("&Help")
    window.menus.update(
        file=file_menu, edit=edit_menu, initiative=initiative_menu, view=view_menu, help=help_menu
    )
    ini = window.initiatives
    a = Actions(
        new_db=_action(
            window,
            "&New database…",
            window.new_database,
            [Key.New],
            "Start a new, empty planner file",
        ),
        open_db=_action(
            window, "&Open…", window.open_database, [Key.Open], "Open another planner file"
        ),
        open_team=_action(
            window,
            "Open a team &database…",
            window.open_team_database,
            [],
            "Open a plan the team shares on a PostgreSQL server",
        ),
        save_copy=_action(
            window,
            "&Save a copy…",
            window.save_copy,
            [Key.SaveAs],
            "Write a checked copy of this file (edits are saved as you make them)",
        ),
        quit=_action(window, "&Quit", window.close, [Key.Quit, "Ctrl+Q"]),
        undo=_action(window, "&Undo", window.undo, [Key.Undo]),
        redo=_action(window, "&Redo", window.redo, ["Ctrl+Shift+Z", Key.Redo]),
        add=_action(
            window,
            "&Add…",
            window.add_record,
            ["Ctrl+Shift+N", "Insert"],
            "Add a record to the table in use",
        ),
        add_child=_action(
            window,
            "Add under the selected ro&w…",
            window.add_child_record,
            ["Ctrl+Shift+A"],
            "Add a record to the table under the selected row (a KPI under its objective)",
        ),
        open_children=_action(
            window,
            "Go to the rows &below",
            window.open_children,
            ["Ctrl+Down"],
            "Put the cursor in the table under the selected row (also Enter on the row)",
        ),
        open_parent=_action(
            window,
            "Go back to the rows abo&ve",
            window.open_parent,
            ["Ctrl+Up"],
            "Put the cursor back in the table the selected rows hang under",
        ),
        duplicate=_action(
            window,
            "Dupl&icate",
            window.duplicate_records,
            ["Ctrl+D"],
            "Duplicate the selected rows",
        ),
        delete=_action(
            window,
            "&Delete…",
            window.delete_records,
            [Key.Delete],
            "Delete the selected rows (undoable)",
        ),
        find=_action(
            window, "&Filter…", window.focus_filter, [Key.Find], "Filter the table in use"
        ),
        new_initiative=_action(window, "&New initiative…", ini.new, ["Ctrl+Alt+N"]),
        rename_initiative=_action(window, "&Rename…", ini.rename, ["Ctrl+Alt+R"]),
        duplicate_initiative=_action(
            window, "Duplicate as &template…", ini.duplicate, ["Ctrl+Alt+D"]
        ),
        delete_initiative=_action(window, "&Delete initiative…", ini.delete, ["Ctrl+Shift+Del"]),
        pick_initiative=_action(window, "&Switch initiative", window.focus_switcher, ["Ctrl+I"]),
        take_snapshot=_action(
            window,
            "Take a stakeholder sna&pshot",
            window.take_snapshot,
            ["Ctrl+Alt+S"],
            "Record every stakeholder's position today, for movement trails",
        ),
        help=_action(
            window,
            "&Help and keyboard shortcuts",
            window.show_help,
            [Key.HelpContents, "F1"],
            "How to use the planner, and every key it answers to",
        ),
        about=_action(window, "&About", window.about),
        recent_menu=QMenu("Open recen&t", file_menu),
        exchange_anchor=QAction(window),
    )
    file_menu.addAction(a.new_db)
    file_menu.addAction(a.open_db)
    file_menu.addAction(a.open_team)
    file_menu.addMenu(a.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(a.save_copy)
    a.exchange_anchor = file_menu.addSeparator()
    file_menu.addAction(a.quit)
    for action in (a.undo, a.redo):
        edit_menu.addAction(action)
    edit_menu.addSeparator()
    for action in (a.add, a.add_child, a.duplicate, a.delete):
        edit_menu.addAction(action)
    edit_menu.addSeparator()
    for action in (a.open_children, a.open_parent):
        edit_menu.addAction(action)
    edit_menu.addSeparator()
    edit_menu.addAction(a.find)
    for action in (
        a.pick_initiative,
        a.new_initiative,
        a.rename_initiative,
        a.duplicate_initiative,
        a.delete_initiative,
    ):
        initiative_menu.addAction(action)
    initiative_menu.insertSeparator(a.new_initiative)
    initiative_menu.addSeparator()
    initiative_menu.addAction(a.take_snapshot)
    help_menu.addAction(a.help)
    help_menu.addAction(a.about)
    return a
