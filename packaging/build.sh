#!/bin/sh
# Build the planner as a desktop application folder for Linux:
#   sh packaging/build.sh             -> dist/change-readiness-planner/
#   sh packaging/build.sh --archive   -> the same, plus dist/change-readiness-planner-VERSION-linux-ARCH.tar.gz
#
# The folder holds the frozen program (`planner`), its libraries (`_internal/`,
# with `planner/migrations/` and `planner/resources/` inside), the desktop entry, the AppStream
# metainfo, the icons and `install.sh`, which installs it all for a user.
#
# It builds in its own virtual environment (build/venv, with the `package`
# extra), so a clean checkout needs nothing else. BUILD_PYTHON=/path/to/python
# builds with an interpreter that already has the planner and PyInstaller
# installed instead; DIST_DIR and WORK_DIR move the output and scratch folders.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)

APP_DIR_NAME="change-readiness-planner"
DESKTOP_ID="org.changereadiness.Planner"

say() { printf 'build: %s\n' "$*" >&2; }

archive=no
for arg in "$@"; do
    case "$arg" in
        --archive) archive=yes ;;
        *) say "unknown option '$arg' (use: --archive)"; exit 2 ;;
    esac
done

dist_dir=${DIST_DIR:-$repo/dist}
work_dir=${WORK_DIR:-$repo/build}
started=$(date +%s)

# 0. PyInstaller reads shared libraries with binutils' objdump (Debian: binutils),
#    installed here like bootstrap.sh installs Qt's libraries: as root or through sudo.
if ! command -v objdump >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
        say "PyInstaller needs objdump, which is missing: install binutils and run this again"
        exit 1
    fi
    say "installing binutils (PyInstaller needs objdump)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq binutils >/dev/null
fi

# 1. An interpreter with the planner and PyInstaller.
if [ -n "${BUILD_PYTHON:-}" ]; then
    python=$BUILD_PYTHON
else
    base=""
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            base=$candidate
            break
        fi
    done
    if [ -z "$base" ]; then
        say "Python 3.11 or newer is needed (on Debian: apt-get install python3 python3-venv)"
        exit 1
    fi
    venv="$work_dir/venv"
    if [ ! -x "$venv/bin/python" ]; then
        say "creating $venv with $base"
        "$base" -m venv "$venv"
    fi
    stamp="$venv/.installed-$(cksum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ]; then
        say "installing the planner and PyInstaller into $venv"
        "$venv/bin/python" -m pip install --quiet --upgrade pip
        "$venv/bin/python" -m pip install --quiet ".[package]"
        rm -f "$venv"/.installed-*
        touch "$stamp"
    fi
    python="$venv/bin/python"
fi
if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
    say "$python has no PyInstaller; install the planner with its package extra: pip install '.[package]'"
    exit 1
fi

# 2. The frozen program.
say "freezing the planner with PyInstaller"
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$dist_dir" --workpath "$work_dir/pyinstaller" packaging/planner.spec
app="$dist_dir/$APP_DIR_NAME"

# 3. Desktop integration next to it: icons, desktop entry, metainfo, installer.
"$python" packaging/make_icons.py resources/icons/planner.svg "$app/share/icons" "$DESKTOP_ID" >/dev/null
mkdir -p "$app/share/applications" "$app/share/metainfo"
cp packaging/$DESKTOP_ID.desktop "$app/share/applications/"
cp packaging/$DESKTOP_ID.metainfo.xml "$app/share/metainfo/"
cp packaging/install.sh "$app/install.sh"
chmod +x "$app/install.sh"

if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$app/share/applications/$DESKTOP_ID.desktop"
fi
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net --explain "$app/share/metainfo/$DESKTOP_ID.metainfo.xml" >/dev/null ||
        { appstreamcli validate --no-net "$app/share/metainfo/$DESKTOP_ID.metainfo.xml"; exit 1; }
fi

# 4. Optionally, one archive to hand to users.
if [ "$archive" = yes ]; then
    version=$("$python" -c 'import planner; print(planner.__version__)')
    tarball="$dist_dir/$APP_DIR_NAME-$version-linux-$(uname -m).tar.gz"
    tar -C "$dist_dir" -czf "$tarball" "$APP_DIR_NAME"
    say "archive: $tarball"
fi

say "built $app ($(du -sh "$app" | cut -f1)) in $(( $(date +%s) - started )) s"
