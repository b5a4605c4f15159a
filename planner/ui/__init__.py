"""The Qt layer: the only package that imports PySide6. Thin: models adapt core data, views lay out.

Where things are:
- `main_window` — the window, its page registry and extension points (read its docstring);
- `pages` — the built-in pages and what a page may implement;
- `record_view`, `record_form`, `models`, `delegates`, `editors` — the generic
  table + form machinery driven by the records' field specs;
- `context` — what every page gets (service, current initiative, lookups);
- `workers` — background work with progress and cancel; `files`, `initiatives`,
  `actions`, `settings`, `dialogs`, `status`, `formatting` — one job each.
"""
