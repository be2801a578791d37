"""Turns the hyperfine exports of Benchmarks/run.sh into the README's table, checking each floor."""
import json
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])


def means(name):
    data = json.loads((out / f"{name}.json").read_text())
    return {r["command"]: r["mean"] for r in data["results"]}


def rss_mb(name):
    text = (out / name).read_text()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) / 1024 if m else float("nan")


rows = []


def compare(label, name, floor, kind):
    m = means(name)
    ours = m["ltxpipe"]
    theirs = m.get("ffprobe") or m.get("ffmpeg") or m.get("curl")
    if kind == "faster":
        ratio = theirs / ours
        ok = ratio >= floor
        goal = f"≥ {floor}x faster"
        got = f"{ratio:.2f}x faster"
    else:
        ratio = ours / theirs
        ok = ratio <= floor
        goal = f"≤ {floor}x the CLI's time"
        got = f"{ratio:.2f}x"
    rows.append((label, f"{ours * 1000:.0f} ms", f"{theirs * 1000:.0f} ms", got, goal, "pass" if ok else "FAIL"))


compare("quick verify, one 20 s 1080p50 MP4 (vs ffprobe -count_packets)", "verify1", 1.3, "faster")
compare("quick verify, 50 such files in one call (vs 50 ffprobe runs)", "verify50", 10, "faster")
compare("deep verify (vs ffmpeg -i X -f null -)", "deep", 1.1, "slower")


def against(label, name, ours_name, base_name, floor):
    m = means(name)
    ours, base = m[ours_name], m[base_name]
    ratio = ours / base
    rows.append((label, f"{ours * 1000:.0f} ms", f"{base * 1000:.0f} ms ({base_name})", f"{ratio:.2f}x", f"≤ {floor}x", "pass" if ratio <= floor else "FAIL"))


against("deep verify with content checks (vs deep verify without)", "deep-content", "content", "plain", 1.10)
against("sampled verify: content checks on keyframes + audio (vs quick verify)", "sampled", "sampled", "quick", 2.0)
compare("image preflight, 24 MP PNG → 1920x1080 JPEG (vs ffmpeg)", "image", 1.0, "slower")
compare("audio preflight, 60 s WAV → 10 s MP3 (vs ffmpeg)", "audio", 1.0, "slower")
ours, theirs = rss_mb("mem4k.txt"), rss_mb("mem4k-ffmpeg.txt")
rows.append(("peak memory, deep verify of a 20 s 4K MP4", f"{ours:.0f} MB", f"{theirs:.0f} MB", f"{ours:.0f} MB", "< 400 MB", "pass" if ours < 400 else "FAIL"))

compare("download 500 MB over loopback with SHA-256 (vs curl -o && openssl dgst)", "download", 1.0, "faster")
dl = json.loads((out / "download-memory.json").read_text())
rows.append(("peak memory, download of 500 MB", f"{dl['peak_rss_mb']:.0f} MB", "", f"{dl['mb_per_second']:.0f} MB/s", "< 64 MB", "pass" if dl["peak_rss_mb"] < 64 else "FAIL"))
sc = json.loads((out / "schedule.json").read_text())
rows.append(("scheduling: 100 fast jobs, rate limits + latency", f"{sc['elapsed_nominal_s']:.1f} s", f"bound {sc['lower_bound_s']:.0f} s",
             f"{sc['ratio']:.2f}x bound, {sc['rate_limited_429']} 429s, {sc['requests_per_job']:.2f} req/job", "≤ 1.15x, 0 429s",
             "pass" if sc["ratio"] <= 1.15 and sc["rate_limited_429"] == 0 else "FAIL"))

for name, label, floor in [("runner-v2.json", "runner: 20 ltx-v2 jobs, 2 generations at once, latency 5 s ± 50 %", 1.2),
                           ("runner-generations.json", "runner: 100 generations jobs, 10 in flight / 100 per 10 s, latency 5 s ± 50 %", 1.15)]:
    rn = json.loads((out / name).read_text())
    ok = rn["ratio"] <= floor and rn["rate_limited_429"] == 0 and rn["concurrency_limited_429"] == 0 and rn["archived"] == rn["jobs"]
    rows.append((label, f"{rn['makespan_nominal_s']:.1f} s", f"bound {rn['bound_s']:.1f} s",
                 f"{rn['ratio']:.2f}x bound, {rn['rate_limited_429'] + rn['concurrency_limited_429']} 429s, {rn['requests_per_job']:.2f} req/job ({rn['polls_per_job']:.2f} polls)",
                 f"≤ {floor}x, 0 429s", "pass" if ok else "FAIL"))

mx = json.loads((out / "mixed.json").read_text())
rows.append(("runner: 20 jobs over 5 providers, 2 generations at once each, latency 5 s ± 50 %", f"{mx['jobs_per_minute']:.1f} jobs/min",
             f"capacity {mx['capacity_jobs_per_minute']:.0f} jobs/min",
             f"{mx['makespan_nominal_s']:.1f} s, {mx['ratio']:.2f}x the slowest provider's bound {mx['bound_s']:.1f} s, {mx['limited_429']} 429s",
             "reported, 0 429s", "pass" if mx["limited_429"] == 0 and mx["archived"] == mx["jobs"] else "FAIL"))

ing = json.loads((out / "ingest.json").read_text())
rows.append((f"pipeline ingest: {ing['jobs']} drops end to end", f"{ing['jobs_per_second']:.1f} jobs/s", "",
             f"{ing['seconds']:.1f} s, peak {ing['peak_rss_mb']:.0f} MB, {ing['archived']} archived", "reported", "pass" if ing["archived"] == ing["jobs"] else "FAIL"))
ov = json.loads((out / "overhead.json").read_text())
rows.append(("pipeline overhead per job (6 s 1080p, quick verify), median of 10", f"{ov['overhead_median_ms']:.0f} ms", "",
             f"max {ov['overhead_max_ms']:.0f} ms; archive stage {ov.get('archive_median_ms', 0):.0f} ms", "< 100 ms",
             "pass" if ov["overhead_median_ms"] < 100 else "FAIL"))
deep_path = out / "overhead-deep.json"
if deep_path.exists():
    od = json.loads(deep_path.read_text())
    rows.append(("pipeline overhead per job (6 s 1080p, deep verify with content checks: the default), median of 10",
                 f"{od['overhead_median_ms']:.0f} ms", "",
                 f"max {od['overhead_max_ms']:.0f} ms; verify stage {od.get('verify_median_ms', 0):.0f} ms (sheet made on its decode), "
                 f"archive stage {od.get('archive_median_ms', 0):.0f} ms", "reported", "pass"))

db = json.loads((out / "dashboard.json").read_text())
rows.append((f"dashboard read of a {db['jobs']}-job ledger: the page's 4 requests (whole-ledger snapshot before)",
             f"{db['after_page_requests_s'] * 1000:.0f} ms", f"before {db['before_snapshot_s'] * 1000:.0f} ms",
             f"{db['speedup_page']:.1f}x; summary {db['after_summary_s'] * 1000:.0f} ms, every job {db['after_all_jobs_listing_s'] * 1000:.0f} ms",
             "reported, same figures", "pass" if db["identical"] else "FAIL"))

print("| measurement | ltxpipe | CLI | result | floor | |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
