#!/bin/sh
# Add Strategy Planner to your applications menu and open .plan files with it
# (for you only; nothing outside your home folder is changed). Run it from the
# linux/ folder of the StrategyPlanner folder, once that is where it will stay.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
app="$(cd "$here/.." && pwd)/StrategyPlanner"
data="${XDG_DATA_HOME:-$HOME/.local/share}"

mkdir -p "$data/applications" "$data/mime/packages"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$here/icons/app-$size.png" "$data/icons/hicolor/${size}x${size}/apps/strategy-planner.png"
done
cp "$here/strategy-planner-mime.xml" "$data/mime/packages/strategy-planner.xml"
sed "s|^Exec=StrategyPlanner|Exec=\"$app\"|" "$here/strategy-planner.desktop" \
    > "$data/applications/strategy-planner.desktop"

command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Strategy Planner is in your applications menu, and opens .plan files."
