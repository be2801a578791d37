#!/usr/bin/env bash
# ltxpipe's speed figures, measured side by side with the ffmpeg/ffprobe command-line tools in one run.
# Floors come from the issues; the table goes to stdout and bench-out/results.md.
# Usage: make bench            (BENCH_QUICK=1 for smaller media and fewer runs)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench-out
mkdir -p "$OUT/media" "$OUT/work"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

swift build -c release --product ltxpipe >/dev/null
swift build -c release --product ltxpipe-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)/ltxpipe
BENCH=$(swift build -c release --show-bin-path)/ltxpipe-bench
RUNS=${BENCH_RUNS:-5}
SECONDS_LONG=20
[ "${BENCH_QUICK:-0}" = 1 ] && { RUNS=2; SECONDS_LONG=6; }
q() { ffmpeg -hide_banner -loglevel error -y "$@"; }

M=$OUT/media
# Bench media, made once (kept between runs).
# Frame counts are 8n+1, as the API delivers them: 1001 frames at 50 fps, 497 at 25 fps (about 20 s each).
FRAMES_1080=$(( (SECONDS_LONG * 50 / 8) * 8 + 1 ))
FRAMES_4K=$(( (SECONDS_LONG * 25 / 8) * 8 + 1 ))
[ -f "$M/1080p50.mp4" ] || q -f lavfi -i "testsrc2=size=1920x1080:rate=50" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -frames:v $FRAMES_1080 -t $SECONDS_LONG.1 -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart "$M/1080p50.mp4"
[ -f "$M/4k25.mp4" ] || q -f lavfi -i "testsrc2=size=3840x2160:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -frames:v $FRAMES_4K -t $SECONDS_LONG -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart "$M/4k25.mp4"
[ -f "$M/24mp.png" ] || q -f lavfi -i "testsrc2=size=6000x4000:rate=1" -frames:v 1 "$M/24mp.png"
[ -f "$M/60s.wav" ] || q -f lavfi -i "sine=frequency=220:sample_rate=48000:duration=60" -ac 2 -c:a pcm_s16le "$M/60s.wav"
mkdir -p "$M/fifty"
for i in $(seq -w 1 50); do [ -e "$M/fifty/clip$i.mp4" ] || ln "$M/1080p50.mp4" "$M/fifty/clip$i.mp4"; done
FIFTY=$(ls "$M"/fifty/*.mp4 | tr '\n' ' ')

H="hyperfine --style none --warmup 1 --runs $RUNS --export-json"
W=$OUT/work

echo "== quick verify, one 1080p50 file vs ffprobe -count_packets"
$H $OUT/verify1.json \
  -n ltxpipe "$BIN verify --fps 50 --duration $SECONDS_LONG --resolution 1920x1080 --audio $M/1080p50.mp4" \
  -n ffprobe "ffprobe -v error -count_packets -show_entries stream=nb_read_packets,r_frame_rate,width,height $M/1080p50.mp4"

echo "== quick verify, 50 files in one call vs 50 ffprobe runs"
$H $OUT/verify50.json \
  -n ltxpipe "$BIN verify --fps 50 --duration $SECONDS_LONG --resolution 1920x1080 --audio $FIFTY" \
  -n ffprobe "for f in $FIFTY; do ffprobe -v error -count_packets -show_entries stream=nb_read_packets,r_frame_rate,width,height \$f; done"

echo "== deep verify vs ffmpeg -f null"
$H $OUT/deep.json \
  -n ltxpipe "$BIN verify --deep --fps 50 $M/1080p50.mp4" \
  -n ffmpeg "ffmpeg -v error -i $M/1080p50.mp4 -f null -"

echo "== content checks: deep verify with vs without --content (checks ride on the same decode)"
$H $OUT/deep-content.json \
  -n content "$BIN verify --deep --content --audio --fps 50 $M/1080p50.mp4" \
  -n plain "$BIN verify --deep --audio --fps 50 $M/1080p50.mp4"

echo "== content checks: sampled verify (--content, frames from keyframes + audio windows) vs quick verify"
$H $OUT/sampled.json \
  -n sampled "$BIN verify --content --fps 50 --duration $SECONDS_LONG --resolution 1920x1080 --audio $M/1080p50.mp4" \
  -n quick "$BIN verify --fps 50 --duration $SECONDS_LONG --resolution 1920x1080 --audio $M/1080p50.mp4"

echo "== image preflight, 24 MP PNG to 1920x1080 JPEG"
$H $OUT/image.json \
  -n ltxpipe "$BIN preflight --mode image-to-video --out $W $M/24mp.png" \
  -n ffmpeg "ffmpeg -v error -y -i $M/24mp.png -vf scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080 -q:v 2 $W/ff.jpg"

echo "== audio preflight, 60 s WAV to 10 s MP3"
$H $OUT/audio.json \
  -n ltxpipe "$BIN preflight --mode audio-to-video --model ltx-2-pro --duration 10 --out $W $M/60s.wav" \
  -n ffmpeg "ffmpeg -v error -y -i $M/60s.wav -t 10 -ac 2 -ar 48000 -c:a libmp3lame -b:a 192k $W/ff.mp3"

echo "== peak memory, deep verify of a 4K file"
/usr/bin/time -v "$BIN" verify --deep --fps 25 "$M/4k25.mp4" 2> $OUT/mem4k.txt >/dev/null || true
/usr/bin/time -v ffmpeg -v error -i "$M/4k25.mp4" -f null - 2> $OUT/mem4k-ffmpeg.txt || true

echo "== download of a 500 MB file over loopback: library downloader vs curl -o && openssl dgst -sha256"
[ -f "$M/500mb.bin" ] || head -c 500000000 /dev/urandom > "$M/500mb.bin"
python3 -m http.server 18777 --bind 127.0.0.1 --directory "$M" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
$H $OUT/download.json \
  -n ltxpipe "$BENCH download http://127.0.0.1:18777/500mb.bin $W/dl.bin" \
  -n curl "curl -s -o $W/curl.bin http://127.0.0.1:18777/500mb.bin && openssl dgst -sha256 $W/curl.bin"
"$BENCH" download http://127.0.0.1:18777/500mb.bin "$W/dl.bin" > $OUT/download-memory.json
kill $SERVER 2>/dev/null || true

echo "== scheduling: 100 fast jobs against the simulator, time-scaled latency"
"$BENCH" schedule 100 ${BENCH_SCHEDULE_SCALE:-0.1} > $OUT/schedule.json
cat $OUT/schedule.json

echo "== runner: 20 ltx-v2 jobs at 2 concurrent generations; 100 generations-dialect jobs at 10 in flight / 100 per 10 s (latency 5 s ± 50 %)"
"$BENCH" runner ltx-v2 20 ${BENCH_RUNNER_SCALE:-1} > $OUT/runner-v2.json
cat $OUT/runner-v2.json
"$BENCH" runner generations 100 ${BENCH_RUNNER_SCALE:-1} > $OUT/runner-generations.json
cat $OUT/runner-generations.json
echo "== mixed: 20 jobs spread over ltx-v2, fal, replicate, wavespeed and apifree, 2 generations at once each (latency 5 s ± 50 %)"
"$BENCH" mixed 20 ${BENCH_RUNNER_SCALE:-1} > $OUT/mixed.json
cat $OUT/mixed.json

echo "== pipeline: ingest of ${BENCH_INGEST:-1000} drops end to end (zero-latency simulator), and per-job overhead"
"$BENCH" ingest ${BENCH_INGEST:-1000} > $OUT/ingest.json
cat $OUT/ingest.json
"$BENCH" overhead 10 > $OUT/overhead.json
cat $OUT/overhead.json
"$BENCH" overhead 10 deep > $OUT/overhead-deep.json
cat $OUT/overhead-deep.json

echo "== dashboard: one read of a ${BENCH_DASHBOARD_JOBS:-20000}-job ledger, the whole-ledger snapshot against the light reads"
"$BENCH" dashboard ${BENCH_DASHBOARD_JOBS:-20000} > $OUT/dashboard.json
cat $OUT/dashboard.json

python3 Benchmarks/report.py "$OUT" | tee "$OUT/results.md"
