#!/usr/bin/env bash
# Measures the game against an empty bevy_egui app built with the same Bevy features, both in
# release, under Xvfb with lavapipe (software Vulkan), in one run:
#   - time from launch to the first rendered frame (captured back from the GPU),
#   - CPU time per frame (user + system) over FRAMES frames, the game on its negotiation screen,
#   - peak resident memory.
# Usage: scripts/measure_game.sh   (env: FRAMES=600 RUNS=3). Needs xvfb and mesa-vulkan-drivers.
set -euo pipefail
cd "$(dirname "$0")/.."
FRAMES=${FRAMES:-600}
RUNS=${RUNS:-3}
out=$(mktemp -d)

cargo build --release --locked --bin dunning-dojo --example empty_egui

run() { timeout 900 xvfb-run -a -s "-screen 0 1280x800x24" "$@" 2>/dev/null | grep '^measure:' || true; }
for i in $(seq "$RUNS"); do
    run target/release/examples/empty_egui "$FRAMES" > "$out/empty_$i"
    run target/release/dunning-dojo game --measure-frames "$FRAMES" > "$out/game_$i"
done

python3 - "$out" "$RUNS" <<'PY'
import statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def read(kind):
    rows = []
    for i in range(1, runs + 1):
        d = {}
        for line in open(f"{out}/{kind}_{i}"):
            k, v = line.split(":", 1)[1].strip().split("=")
            d[k] = float(v)
        rows.append(d)
    return rows
empty, game = read("empty"), read("game")
figures = [
    ("first_frame_seconds", "launch to first frame (s)", 1.5),
    ("cpu_ms_per_frame", "CPU per frame (ms)", 1.2),
    ("peak_rss_kib", "peak memory (MiB)", 1.3),
]
print(f"{'figure':<28}{'empty':>10}{'game':>10}{'ratio':>8}{'goal':>8}  runs")
ok = True
for key, label, goal in figures:
    e = statistics.median(r[key] for r in empty if key in r)
    g = statistics.median(r[key] for r in game if key in r)
    if key == "peak_rss_kib":
        e, g = e / 1024, g / 1024
    ratio = g / e if e else float("nan")
    ok &= ratio <= goal
    each = " ".join(f"{r.get(key, float('nan')):.3g}" for r in game)
    print(f"{label:<28}{e:>10.3f}{g:>10.3f}{ratio:>8.2f}{'≤'+str(goal):>8}  game: {each}")
print("within goals" if ok else "OUTSIDE a goal")
PY
