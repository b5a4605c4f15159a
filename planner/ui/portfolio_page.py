"""The Portfolio page in the window's navigation, and View → Portfolio (Ctrl+Shift+P).

The page itself (`planner.ui.portfolio_view`) is imported when first shown: it
needs the readiness findings' table model, which start-up does without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from planner.ui.context import PlanContext
from planner.ui.pages import PageSpec

if TYPE_CHECKING:
    from planner.ui.main_window import MainWindow


def portfolio_page(ctx: PlanContext) -> QWidget:
    from planner.ui.portfolio_view import PortfolioPage

    return PortfolioPage(ctx)


def install(window: MainWindow) -> None:
    """The Portfolio page after the units' register; View → Portfolio (Ctrl+Shift+P)."""
    window.register_page(
        PageSpec(
            "portfolio",
            "Portfolio",
            portfolio_page,
            "Change load on each unit per week across every initiative, and the collisions",
        ),
        before="readiness",
    )
    go = QAction("Portfolio: change &load", window)
    go.setShortcut(QKeySequence("Ctrl+Shift+P"))
    go.triggered.connect(lambda _c=False: _go(window))
    window.addAction(go)
    view_menu = window.menu("view")
    view_menu.addSeparator()
    view_menu.addAction(go)


def _go(window: MainWindow) -> None:
    window.show_page("portfolio")
    window.pages["portfolio"].setFocus()
