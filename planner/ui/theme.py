"""A dark palette, for desktops whose theme the offscreen and Fusion styles cannot read.

The window follows whatever palette the application has; this one is what the
screenshot script and the dark-theme tests give it, shaped like the dark themes
people use (dark grey surfaces, light text, a blue highlight).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        Role.Window: "#202124",
        Role.WindowText: "#e8eaed",
        Role.Base: "#17181a",
        Role.AlternateBase: "#26282b",
        Role.ToolTipBase: "#303134",
        Role.ToolTipText: "#e8eaed",
        Role.PlaceholderText: "#9aa0a6",
        Role.Text: "#e8eaed",
        Role.Button: "#2d2f31",
        Role.ButtonText: "#e8eaed",
        Role.BrightText: "#ffffff",
        Role.Light: "#3c4043",
        Role.Midlight: "#34363a",
        Role.Mid: "#2a2c2f",
        Role.Dark: "#111214",
        Role.Shadow: "#000000",
        Role.Highlight: "#3d6fd8",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#8ab4f8",
        Role.LinkVisited: "#c58af9",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor("#80868b"))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < 128


_BANNERS = {
    # kind: ((background, text, border) on a light theme, the same on a dark one)
    "error": (("#fde7e9", "#5c0011", "#e6a1a8"), ("#3b1519", "#ffb3ba", "#8c2f39")),
    "warning": (("#fff4ce", "#3d2e00", "#e0c875"), ("#362d0c", "#ffe58a", "#8a7424")),
}


def banner_style(palette: QPalette, kind: str) -> str:
    """A banner above the pages ("error" or "warning") in colours that suit the palette."""
    background, text, border = _BANNERS[kind][is_dark(palette)]
    return (
        f"QLabel {{ background: {background}; color: {text}; padding: 6px 10px;"
        f" border-bottom: 1px solid {border}; }}"
    )


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """`share` of colour a over b."""
    return QColor.fromRgbF(
        a.redF() * share + b.redF() * (1 - share),
        a.greenF() * share + b.greenF() * (1 - share),
        a.blueF() * share + b.blueF() * (1 - share),
    )


class ReadableIndicators(QProxyStyle):
    """A style whose check boxes and radio buttons keep a visible frame on any palette.

    Fusion (Qt's style on Linux desktops without a platform theme, and offscreen) frames
    them a shade darker than the window: 1.8:1 against a light base, next to black on
    black on a dark one, so an unticked audience box on a projector or a dark desktop
    cannot be seen. Over what the style draws, this draws the frame again halfway
    between the palette's text and base colours, above the 3:1 asked of controls.
    """

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _FRAMED:
            return
        palette: QPalette = option.palette
        rect = option.rect.adjusted(0, 0, -1, -1)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(_mix(palette.color(Role.Text), palette.color(Role.Base), 0.55), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if element is QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()


_FRAMED = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


def use_readable_indicators(app: QApplication) -> None:
    """Give the application readable indicators when its style is Fusion; a platform's own
    style (Windows, macOS, a desktop theme) draws its indicators itself and is left alone."""
    style = app.style()
    if not isinstance(style, ReadableIndicators) and style.name().lower() == "fusion":
        app.setStyle(ReadableIndicators("Fusion"))
