"""The Qt layer: the only package that imports PySide6. Thin: models adapt core data, views lay out."""
