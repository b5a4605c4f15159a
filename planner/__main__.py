import sys

if getattr(sys, "frozen", False):
    # The bundled program is also the interpreter of the child that draws an export's
    # charts; started as that child, it draws them and exits here.
    from planner.services.excel.chart_images import run_child_if_asked

    run_child_if_asked()

from planner.cli import main

sys.exit(main())
