#!/usr/bin/env bash
# The demo: probe, preflight and verify the sample media in fixtures/ (read only) into ./demo/.
set -uo pipefail
BIN=${1:-.build/debug/ltxpipe}
OUT=demo/preflight
rm -rf demo && mkdir -p "$OUT"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; echo "(exit $?)"; }

step "$BIN" probe fixtures/media/clip-320x180-25fps-145f.mp4 fixtures/media/music-12s.flac
step "$BIN" preflight fixtures/media/landscape-16x9.jpg --out "$OUT"
step "$BIN" preflight fixtures/media/portrait-exif6.jpg --out "$OUT"
step "$BIN" preflight fixtures/media/logo-alpha.png --fit pad --out "$OUT"
step "$BIN" preflight fixtures/media/music-12s.flac --model ltx-2-pro --duration 10 --out "$OUT"
step "$BIN" preflight fixtures/damaged/truncated.jpg
step "$BIN" preflight fixtures/damaged/bomb-60000x60000.png
step "$BIN" verify --deep --fps 25 --duration 6 --resolution 320x180 --audio fixtures/media/clip-320x180-25fps-145f.mp4
step "$BIN" verify --fps 50 --duration 6 --resolution 1920x1080 fixtures/media/clip-320x180-25fps-145f.mp4
printf '\nConforming copies written to %s:\n' "$OUT"
ls -l "$OUT"
