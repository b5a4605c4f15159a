"""Charts as matplotlib `Figure`s (never pyplot), for the window, the CLI and the Excel export. No Qt."""
