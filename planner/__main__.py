import sys

if sys.argv[1:2] == ["--excel-child"]:
    # A child process of the window's Excel exchange (see planner.services.excel.apart).
    from planner.services.excel.apart import run_child

    sys.exit(run_child(sys.argv[2:]))

from planner.cli import main

sys.exit(main())
