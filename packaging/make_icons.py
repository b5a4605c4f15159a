"""Render the application icon's PNG sizes from its SVG, for desktops that want bitmaps.

Run by `packaging/build.sh` with the build's own interpreter, so the PNGs come
from the same Qt SVG renderer that draws the window icon and need no extra tool.

    python packaging/make_icons.py SVG OUT_DIR ICON_NAME

writes OUT_DIR/hicolor/<n>x<n>/apps/ICON_NAME.png for every size, and
OUT_DIR/hicolor/scalable/apps/ICON_NAME.svg.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 32, 48, 64, 128, 256, 512)


def render_icons(svg: Path, out_dir: Path, name: str) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG image")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"make_icons: cannot write {target}")
        written.append(target)
    scalable = out_dir / "hicolor" / "scalable" / "apps" / f"{name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: make_icons.py SVG OUT_DIR ICON_NAME", file=sys.stderr)
        return 2
    for path in render_icons(Path(argv[0]), Path(argv[1]), argv[2]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
