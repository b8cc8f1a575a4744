#!/usr/bin/env bash
# make bench: the benchmark table of setevoe, each figure beside its anchor,
# measured in one run on this machine. Not a test: it prints numbers, it
# does not pass or fail.
#   bash bench/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build-release}
setevoe="$build/setevoe"
[ -x "$setevoe" ] || { echo "bench: $setevoe is not built; run make bench" >&2; exit 66; }
work=$(mktemp -d /tmp/setevoe-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LANGUAGE=en COLUMNS=120

# A registry of 20 schools and 2,000 people, through the real import.
python3 - "$work/people.csv" <<'PY'
import sys
surnames = ["Абдулаев", "Исаев", "Магомадов", "Алиев", "Ибрагимов", "Петров", "Сидоров", "Хасанов", "Дудаев", "Мусаев"]
names = ["Ахмед", "Иван", "Руслан", "Ислам", "Магомед", "Сергей", "Адам", "Умар", "Хасан", "Павел"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("type,kind,name,org,position\n")
    for s in range(20):
        f.write(f"org,school,МБОУ «СОШ № {s + 1}»,,\n")
    for i in range(2000):
        f.write(f"person,,{surnames[i % 10]} {names[i // 10 % 10]} Тестович {i},МБОУ «СОШ № {i % 20 + 1}»,учитель\n")
PY
"$setevoe" --db "$work/hub.db" --quiet init --hub --name "Бенчмарк" >/dev/null
"$setevoe" --db "$work/hub.db" --quiet member import "$work/people.csv" >/dev/null

run() {  # run NAME COMMAND... -> one JSON result of hyperfine
  hyperfine --style none --warmup 3 --min-runs 20 --export-json "$work/$1.json" -- "$2" >/dev/null 2>&1
}
run version "$setevoe --version"
run sqlite_version "sqlite3 -version"
run list "$setevoe --db $work/hub.db member list > /dev/null"
run list_json "$setevoe --db $work/hub.db --format json member list > /dev/null"
run list_sqlite "sqlite3 $work/hub.db \"SELECT p.id, p.name, o.name, p.status FROM person p LEFT JOIN org o ON o.id = p.org WHERE p.deleted = 0 ORDER BY p.name\" > /dev/null"

echo "setevoe benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), build: $build"
echo
echo "| what | setevoe | anchor |"
echo "| --- | --- | --- |"
python3 - "$work" <<'PY'
import json, sys, os
w = sys.argv[1]
def t(name):
    r = json.load(open(os.path.join(w, name + ".json")))["results"][0]
    return f"{r['mean'] * 1000:.1f} ms ± {r['stddev'] * 1000:.1f}"
print(f"| `setevoe --version` | {t('version')} | `sqlite3 -version`: {t('sqlite_version')} |")
print(f"| `member list`, 2,000 people + 20 schools, table | {t('list')} | same rows with `sqlite3` (join, sort): {t('list_sqlite')} |")
print(f"| `member list --format json`, same registry | {t('list_json')} | |")
PY
echo
echo "| write path | time | per row |"
echo "| --- | --- | --- |"
"$build/bench_write_path" 10000 9
