#!/bin/sh
# Set up everything the planner needs in ./.venv, then open it or test it.
#   sh packaging/bootstrap.sh run [planner arguments]   open the planner (default database)
#   sh packaging/bootstrap.sh test [pytest arguments]   run the whole test suite
# On a bare Debian machine it installs the system packages needed (as root, or
# through sudo): Qt's libraries and a CJK font; for the tests also LibreOffice
# Calc, python3-uno, Gnumeric and poppler-utils. Or it says exactly which are missing.
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

# 2. The system packages: the libraries Qt loads, venv support, a font that draws CJK
#    names in charts; for the tests also the spreadsheet programs they drive (LibreOffice
#    Calc with its Python UNO bridge, Gnumeric's ssconvert) and poppler's PDF tools.
QT_PACKAGES="libgl1 libxkbcommon0 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3"
RUN_PACKAGES="$QT_PACKAGES fonts-noto-cjk"
TEST_PACKAGES="python3-uno gnumeric poppler-utils"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    wanted="$RUN_PACKAGES"
    [ "$mode" = test ] && wanted="$wanted $TEST_PACKAGES"
    for pkg in $wanted; do
        installed "$pkg" || missing="$missing $pkg"
    done
    if [ "$mode" = test ] && ! installed libreoffice-calc && ! installed libreoffice-calc-nogui; then
        missing="$missing libreoffice-calc-nogui"
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

# 4. Run.
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
        # The real-program tests fail, rather than skip, when a program is missing here.
        if command -v dpkg-query >/dev/null 2>&1; then
            export PLANNER_REAL_CLIENTS=required
        fi
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        say "unknown mode '$mode' (use: run or test)"
        exit 2
        ;;
esac
