#!/usr/bin/env bash
# make bench, the attached-files rows: pack and merge of a bundle holding a
# 1 GiB file, beside `zip -0` and `unzip -t` of the same file, with the peak
# memory of each (/usr/bin/time -v). Prints markdown table rows.
#   bash bench/files.sh BUILD_DIR WORK_DIR [SIZE_MIB]
set -euo pipefail
build=$1
work=$2/files
mib=${3:-1024}
setevoe="$(cd "$build" && pwd)/setevoe"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
export LANGUAGE=en

"$setevoe" --db hub.db --quiet init --hub --name "Бенчмарк" >/dev/null
"$setevoe" --db school.db --quiet init --name "СОШ № 1" >/dev/null
"$setevoe" --db school.db --quiet member add org --kind school --name "СОШ № 1" >/dev/null
"$setevoe" --db school.db --quiet member add person --name "Учитель Первый" --org "СОШ № 1" >/dev/null
# Enrolment, so that the measured bundles are routine ones.
"$setevoe" --db school.db --quiet bundle pack --to hub -o enrol.zip
"$setevoe" --db hub.db --quiet bundle merge --approve enrol.zip
"$setevoe" --db hub.db --quiet bundle pack --to "СОШ № 1" -o back.zip
"$setevoe" --db school.db --quiet bundle merge back.zip

# A lesson video: incompressible, with the MP4 signature, so it is stored.
python3 - "$mib" <<'PY'
import os, sys
mib = int(sys.argv[1])
with open("урок.mp4", "wb") as f:
    f.write(b"\x00\x00\x00\x18ftypmp42" + os.urandom((1 << 20) - 12))
    for _ in range(mib - 1):
        f.write(os.urandom(1 << 20))
PY
"$setevoe" --db school.db --quiet member attach "Учитель Первый" урок.mp4

# measure NAME COMMAND...: wall seconds and peak RSS (KiB) of one run -> NAME.t
measure() {
  local name=$1
  shift
  sync
  /usr/bin/time -v -o "$name.time" "$@" >/dev/null 2>&1
  python3 - "$name.time" >"$name.t" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
h, m, s = wall.groups()
secs = (int(h or 0) * 3600) + int(m) * 60 + float(s)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(secs, rss)
PY
}

runs=3
for i in $(seq $runs); do
  rm -f big.zip anchor.zip
  rm -rf hub-copy.db* extract
  measure "pack$i" "$setevoe" --db school.db --quiet bundle pack --to hub -o big.zip
  measure "zip$i" zip -0 -q anchor.zip урок.mp4
  cp hub.db hub-copy.db
  cp hub.db.key hub-copy.db.key
  measure "merge$i" "$setevoe" --db hub-copy.db --quiet bundle merge big.zip
  measure "unzip$i" unzip -tq anchor.zip
  cmp -s урок.mp4 hub-copy.db.objects/"$(sha256sum урок.mp4 | cut -c1-2)"/"$(sha256sum урок.mp4 | cut -c3-64)" \
    || { echo "bench: the merged file differs from the original" >&2; exit 1; }
done

python3 - "$runs" "$mib" <<'PY'
import statistics, sys
runs, mib = int(sys.argv[1]), int(sys.argv[2])
def med(name):
    rows = [tuple(map(float, open(f"{name}{i}.t").read().split())) for i in range(1, runs + 1)]
    return statistics.median(r[0] for r in rows), max(r[1] for r in rows) / 1024
p, z, m, u = med("pack"), med("zip"), med("merge"), med("unzip")
size = f"{mib / 1024:g} GiB" if mib >= 1024 else f"{mib} MiB"
print(f"| `bundle pack` of a {size} file (stored) | {p[0]:.2f} s, peak {p[1]:.0f} MiB | `zip -0`: {z[0]:.2f} s, peak {z[1]:.0f} MiB | {p[0] / z[0]:.2f}× (goal ≤ 1.1×, ≤ 64 MiB) |")
print(f"| `bundle merge` of it (hash checked, fsynced into the store) | {m[0]:.2f} s, peak {m[1]:.0f} MiB | `unzip -t`: {u[0]:.2f} s, peak {u[1]:.0f} MiB | {m[0] / u[0]:.2f}× (goal ≤ 1.1×, ≤ 64 MiB) |")
PY
