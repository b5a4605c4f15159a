#!/bin/sh
# Set up everything the planner needs in ./.venv, then open it or test it.
#   sh packaging/bootstrap.sh run [planner arguments]   open the planner (default database)
#   sh packaging/bootstrap.sh test                      every check and test, step by step
#   sh packaging/bootstrap.sh test STEP...              only those steps (see `steps` below)
#   sh packaging/bootstrap.sh test -- [pytest args]     pytest alone, with those arguments
# On a bare Debian machine it installs the system packages needed (as root, or
# through sudo): Qt's libraries and CJK fonts; for the tests also LibreOffice
# (Calc and Impress) with python3-uno, Gnumeric, poppler-utils, libical's
# introspection data and node with npm, Mozilla's ical.js into .venv/node, and the
# PostgreSQL server (the team-mode tests start a throw-away cluster of their own).
# Or it says exactly which are missing.
set -eu
cd "$(dirname "$0")/.."

mode="${1:-run}"
[ $# -gt 0 ] && shift

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# 1. A Python 3.11 or newer.
python=""
for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    say "Python 3.11 or newer is needed (on Debian: apt-get install python3 python3-venv)"
    exit 1
fi

# 2. The system packages: the libraries Qt loads (Debian package names, derived from what
#    its plugins link: packaging/qt_system_packages.py), venv support, fonts that draw
#    CJK names in charts (Noto) and in the PDF pack (WenQuanYi: TrueType outlines, which
#    reportlab embeds); for the tests also the programs they drive (LibreOffice Calc and
#    Impress with the Python UNO bridge, Gnumeric's ssconvert), poppler's PDF tools,
#    and the calendar parsers: libical for the system python3 (Evolution's) and node
#    with npm for ical.js (Thunderbird's). A node already on the machine (with its own
#    npm, as NodeSource's package has) is used as it is. And PostgreSQL's server
#    programs (tests/postgres_support.py starts a cluster with them), and iptables, with
#    which tests/test_team_network_drop.py silences the network to a server, and
#    desktop-file-validate (tests/test_packaging.py checks the desktop entry with it).
QT_PACKAGES=$(grep -v '^#' packaging/qt-system-packages.txt)
RUN_PACKAGES="$QT_PACKAGES fonts-noto-cjk fonts-wqy-zenhei"
TEST_PACKAGES="python3-uno gnumeric poppler-utils libreoffice-impress-nogui python3-gi gir1.2-ical-3.0 postgresql iptables desktop-file-utils"
if [ "$mode" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
    TEST_PACKAGES="$TEST_PACKAGES nodejs npm"
fi
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    wanted="$RUN_PACKAGES"
    [ "$mode" = test ] && wanted="$wanted $TEST_PACKAGES libreoffice-calc libreoffice-calc-nogui"
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' $wanted 2>/dev/null |
        sed -n 's/ install ok installed$//p')
    has() { printf '%s\n' "$installed" | grep -qx "$1"; }
    for pkg in $RUN_PACKAGES; do
        has "$pkg" || missing="$missing $pkg"
    done
    if [ "$mode" = test ]; then
        for pkg in $TEST_PACKAGES; do
            has "$pkg" || missing="$missing $pkg"
        done
        has libreoffice-calc || has libreoffice-calc-nogui || missing="$missing libreoffice-calc-nogui"
    fi
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing="$missing python3-venv"
    fi
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
        say "these system packages are needed and missing:$missing"
        say "install them (apt-get install$missing) and run this again"
        exit 1
    fi
    say "installing system packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# 3. The virtual environment, reinstalled only when pyproject.toml changes.
if [ ! -x .venv/bin/python ]; then
    say "creating .venv with $python"
    "$python" -m venv .venv
fi
stamp=".venv/.installed-$(cksum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
    say "installing the planner and its dependencies into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# 3b. For the tests: Mozilla's ical.js, the parser Thunderbird reads calendars with,
#     from the npm registry into .venv/node (outside the repository), pinned.
ICALJS_VERSION=2.2.1
if [ "$mode" = test ] &&
    ! grep -qs "\"version\": \"$ICALJS_VERSION\"" .venv/node/node_modules/ical.js/package.json; then
    say "installing ical.js $ICALJS_VERSION into .venv/node"
    mkdir -p .venv/node
    npm install --prefix .venv/node --no-audit --no-fund --no-save --silent "ical.js@$ICALJS_VERSION"
fi

# 4. Every library Qt's xcb platform plugin links must now be found; otherwise Qt would
#    abort at start-up naming the wrong one.
plugin=$(.venv/bin/python -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt/plugins/platforms/libqxcb.so"))')
if command -v ldd >/dev/null 2>&1 && ldd "$plugin" | grep -q "not found"; then
    say "Qt's xcb platform plugin needs libraries that are not installed:"
    ldd "$plugin" | grep "not found" | sed 's/^[[:space:]]*/  /' >&2
    say "regenerate packaging/qt-system-packages.txt: .venv/bin/python packaging/qt_system_packages.py"
    exit 1
fi

# 5. Run.
step_failed=""
# One step of the test run: its name, then the command; says how long it took.
step() {
    name=$1
    shift
    say "step $name: $*"
    started=$(date +%s)
    if "$@"; then outcome=passed; else outcome=FAILED; step_failed="$step_failed $name"; fi
    say "step $name: $outcome in $(( $(date +%s) - started )) s"
}
# pytest, where a selection with no test in it (exit status 5) is no failure.
pytest_some() { .venv/bin/pytest "$@" || [ $? -eq 5 ]; }
# The test run's steps, in order. The tests that share the machine run in parallel
# (pytest-xdist, a test file per worker); the serial ones alone; the wheel and the
# frozen build, slow and needing both cores, last.
run_step() {
    case "$1" in
        format) step format .venv/bin/ruff format --check . ;;
        lint) step lint .venv/bin/ruff check . ;;
        types) step types .venv/bin/mypy ;;
        imports) step imports .venv/bin/lint-imports ;;
        tests) step tests .venv/bin/pytest -q -n auto --dist loadfile \
            -m "not serial and not wheel and not packaging" ;;
        serial) step serial pytest_some -q -m "serial and not wheel and not packaging" ;;
        wheel) step wheel .venv/bin/pytest -q -m wheel ;;
        frozen) step frozen .venv/bin/pytest -q -m packaging ;;
        *)
            say "unknown step '$1' (steps: $steps)"
            exit 2
            ;;
    esac
}
steps="format lint types imports tests serial wheel frozen"

case "$mode" in
    run)
        if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
            say "no display found: run this from a desktop session (or under xvfb-run)"
            exit 1
        fi
        # Compiled once here: where PYTHONDONTWRITEBYTECODE is set, Python would
        # otherwise compile the planner's modules from source on every start.
        .venv/bin/python -m compileall -q planner migrations >/dev/null
        exec .venv/bin/planner "$@"
        ;;
    test)
        # Where the tests find PostgreSQL's initdb and pg_ctl (Debian keeps them off PATH).
        for folder in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
            if [ -x "$folder/initdb" ] && [ -x "$folder/pg_ctl" ]; then
                export PLANNER_POSTGRES_BIN="$folder"
                break
            fi
        done
        if [ "${1:-}" = "--" ]; then
            shift
            command -v dpkg-query >/dev/null 2>&1 && export PLANNER_REAL_CLIENTS=required
            exec .venv/bin/pytest "$@"
        fi
        # The real-program tests fail, rather than skip, when a program is missing here.
        if command -v dpkg-query >/dev/null 2>&1; then
            export PLANNER_REAL_CLIENTS=required
        fi
        [ $# -gt 0 ] || set -- $steps
        total=$(date +%s)
        for name in "$@"; do
            run_step "$name"
        done
        if [ -n "$step_failed" ]; then
            say "failed:$step_failed (all steps: $(( $(date +%s) - total )) s)"
            exit 1
        fi
        say "all passed in $(( $(date +%s) - total )) s"
        ;;
    *)
        say "unknown mode '$mode' (use: run or test)"
        exit 2
        ;;
esac
