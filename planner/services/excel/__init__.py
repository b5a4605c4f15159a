"""Excel exchange: export a plan as an editable workbook, import it back with nothing lost.

Entry points (each importable on its own, so that openpyxl loads only when used):

- `workbook.export_initiative(service, initiative_id, path, progress=...)` → `ExportResult`
- `importer.preview_import(service, path, prune=..., progress=...)` → `ImportPreview`
  (per sheet: new / changed with old → new per field / unchanged / conflict / invalid /
  deleted, and every problem located by sheet, row, column and header)
- `importer.apply_import(service, preview, prefer=Side..., choices={row.key: Side...})`
  (or its steps `prepare_import`, `backup_before` and `commit_import(announce=False)`
  off the UI thread, then `service.history.announce(outcome.command)` on it)
- `report.save_report(preview, path)` for the problems and changes as .xlsx
- `progress.Progress(report, cancelled)` and `progress.CancelToken` for a worker thread.
"""
