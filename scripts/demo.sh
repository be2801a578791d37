#!/usr/bin/env bash
# The demo: a drop folder becomes verified BagIt bags, against the built-in simulator (no key, no spending).
# fixtures/drop is copied into ./demo/drop (the fixtures themselves are never consumed).
set -uo pipefail
BIN=${1:-.build/debug/ltxpipe}
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; local status=$?; echo "(exit $status)"; return $status; }

rm -rf demo && mkdir -p demo/drop
cp fixtures/drop/* demo/drop/
printf '\nThe drop folder (demo/drop):\n'
ls -l demo/drop

step "$BIN" run pipelines/demo.yml --once
step "$BIN" jobs pipelines/demo.yml
step "$BIN" archive verify demo/archive || { echo "demo: the archive did not verify"; exit 1; }

printf '\nBags:\n'
for bag in demo/archive/*/*/; do
  printf '  %s\n' "$bag"
  grep -E '^(Mode|Model|Resolution|Duration|Cost|Generation-Id):' "$bag/bag-info.txt" | sed 's/^/      /'
  "$BIN" verify "$bag/data/video.mp4" | sed 's/^/      /'
done
printf '\nFailed groups (inputs kept, with the reason):\n'
for folder in demo/failed/*/; do
  printf '  %s: %s\n' "$folder" "$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["stage"], "-", e["reason"])' "$folder/error.json" 2>/dev/null || cat "$folder/error.json")"
done
left=$(find demo/drop -type f | wc -l)
printf '\nFiles left in demo/drop: %s\n' "$left"

printf '\n--- the same checks, one file at a time ---\n'
step "$BIN" probe fixtures/media/clip-320x180-25fps-145f.mp4
step "$BIN" preflight fixtures/media/portrait-exif6.jpg --out demo/preflight
step "$BIN" preflight fixtures/damaged/bomb-60000x60000.png
step "$BIN" verify --fps 50 --duration 6 --resolution 1920x1080 fixtures/media/clip-320x180-25fps-145f.mp4
exit 0
