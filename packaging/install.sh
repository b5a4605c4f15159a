#!/bin/sh
# Install the Change Readiness Planner from this folder, for the current user:
#   ./install.sh               install (or update) into ~/.local
#   ./install.sh --uninstall   remove it again (your plans are kept)
# PREFIX=/usr/local ./install.sh (as root) installs it for every user instead.
#
# The program goes to PREFIX/opt/change-readiness-planner, a `planner` command to
# PREFIX/bin, and the menu entry, icons and metainfo to PREFIX/share.
set -eu

APP_DIR_NAME="change-readiness-planner"
DESKTOP_ID="org.changereadiness.Planner"
ICON_SIZES="16 32 48 64 128 256 512"

say() { printf 'install: %s\n' "$*" >&2; }

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
target="$prefix/opt/$APP_DIR_NAME"
share="$prefix/share"
bin="$prefix/bin"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
    fi
}

uninstall() {
    rm -f "$share/applications/$DESKTOP_ID.desktop" "$share/metainfo/$DESKTOP_ID.metainfo.xml"
    for size in $ICON_SIZES; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/$DESKTOP_ID.png"
    done
    rm -f "$share/icons/hicolor/scalable/apps/$DESKTOP_ID.svg"
    if [ -L "$bin/planner" ] && [ "$(readlink "$bin/planner")" = "$target/planner" ]; then
        rm -f "$bin/planner"
    fi
    if [ -x "$target/planner" ]; then
        rm -rf "$target"
    fi
    refresh_caches
    say "removed the planner from $prefix; your plans and backups were kept"
}

case "${1:-}" in
    --uninstall) uninstall; exit 0 ;;
    "") ;;
    *) say "unknown option '$1' (use: --uninstall)"; exit 2 ;;
esac

if [ ! -x "$here/planner" ] || [ ! -d "$here/_internal" ] || [ ! -d "$here/share" ]; then
    say "$here is not a built planner folder (run packaging/build.sh first)"
    exit 1
fi

# 1. The program: copied beside the old one, then swapped in, so a failed copy
#    leaves a working installation.
if [ "$here" != "$target" ]; then
    mkdir -p "$prefix/opt"
    rm -rf "$target.new"
    cp -R "$here" "$target.new"
    if [ -e "$target" ] && [ ! -x "$target/planner" ]; then
        say "$target exists and is not a planner installation; move it away first"
        rm -rf "$target.new"
        exit 1
    fi
    rm -rf "$target"
    mv "$target.new" "$target"
fi
mkdir -p "$bin"
ln -sf "$target/planner" "$bin/planner"

# 2. The menu entry (pointing at the installed program), icons and metainfo.
mkdir -p "$share/applications" "$share/metainfo"
sed -e "s|^Exec=.*|Exec=$target/planner|" -e "s|^TryExec=.*|TryExec=$target/planner|" \
    "$here/share/applications/$DESKTOP_ID.desktop" > "$share/applications/$DESKTOP_ID.desktop"
cp "$here/share/metainfo/$DESKTOP_ID.metainfo.xml" "$share/metainfo/"
for size in $ICON_SIZES; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$here/share/icons/hicolor/${size}x${size}/apps/$DESKTOP_ID.png" \
        "$share/icons/hicolor/${size}x${size}/apps/"
done
mkdir -p "$share/icons/hicolor/scalable/apps"
cp "$here/share/icons/hicolor/scalable/apps/$DESKTOP_ID.svg" "$share/icons/hicolor/scalable/apps/"
refresh_caches

say "installed the Change Readiness Planner in $target"
say "start it from your applications menu, or run: $bin/planner"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) say "($bin is not on your PATH; add it to use the planner command in a terminal)" ;;
esac
