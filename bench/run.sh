#!/usr/bin/env bash
# make bench: the benchmark table of setevoe, each figure beside its anchor,
# measured in one run on this machine. Not a test: it prints numbers, it
# does not pass or fail.
#   bash bench/run.sh BUILD_DIR
# BENCH_PRODUCTS: products in the generated catalogue (default 200,000);
# BENCH_ONLY=catalogue: only the catalogue rows (bench/catalogue.sh);
# BENCH_ONLY=services: only the services rows (bench/services.sh);
# BENCH_ONLY=report: only the activity report rows (bench/report.sh).
set -euo pipefail
build=${1:-build-release}
setevoe="$build/setevoe"
[ -x "$setevoe" ] || { echo "bench: $setevoe is not built; run make bench" >&2; exit 66; }
work=$(mktemp -d /tmp/setevoe-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LANGUAGE=en COLUMNS=120
products=${BENCH_PRODUCTS:-200000}

if [ "${BENCH_ONLY:-}" = catalogue ]; then
  echo "setevoe benchmark, the catalogue — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), build: $build"
  echo
  bash "$(dirname "$0")/catalogue.sh" "$build" "$work" "$products"
  exit 0
elif [ "${BENCH_ONLY:-}" = services ]; then
  echo "setevoe benchmark, the services — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), build: $build"
  echo
  bash "$(dirname "$0")/services.sh" "$build" "$work"
  exit 0
elif [ "${BENCH_ONLY:-}" = report ]; then
  echo "setevoe benchmark, the activity report — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), build: $build"
  echo
  bash "$(dirname "$0")/report.sh" "$build" "$work"
  exit 0
elif [ -n "${BENCH_ONLY:-}" ]; then
  echo "bench: BENCH_ONLY=$BENCH_ONLY; 'catalogue', 'services' and 'report' are known" >&2
  exit 64
fi

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

# ---- Replication: merging bundles at the hub.
# Row 1: one school's 200,000 changes (a registry imported at once) merged at
# the hub, against the bare SQL upsert of the same rows from the bundle's own
# changes.sqlite (ATTACHed with the sqlite3 shell, the same page cache and
# synchronous setting as setevoe; the field table's name/value rows pivoted
# into columns, then the change log rows), each run on a fresh copy of the
# hub database.
rep="$work/rep"
mkdir -p "$rep"
sv() { "$setevoe" --quiet "$@"; }
python3 - "$rep/registry.csv" <<'PY'
import sys
surnames = ["Абдулаев", "Исаев", "Магомадов", "Алиев", "Ибрагимов", "Петров", "Сидоров", "Хасанов", "Дудаев", "Мусаев"]
names = ["Ахмед", "Иван", "Руслан", "Ислам", "Магомед", "Сергей", "Адам", "Умар", "Хасан", "Павел"]
orgs, people = 200, 200000 - 200
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("type,kind,name,org,position\n")
    for s in range(orgs):
        f.write(f"org,school,МБОУ «СОШ № {s + 1}»,,\n")
    for i in range(people):
        f.write(f"person,,{surnames[i % 10]} {names[i // 10 % 10]} Тестович {i},МБОУ «СОШ № {i % orgs + 1}»,учитель\n")
PY
sv --db "$rep/hub.db" init --hub --name "Бенчмарк: район" >/dev/null
sv --db "$rep/school.db" init --name "Бенчмарк: школа" >/dev/null
sv --db "$rep/school.db" bundle pack --to hub -o "$rep/request.zip" >/dev/null
sv --db "$rep/hub.db" bundle merge --approve "$rep/request.zip" >/dev/null
sv --db "$rep/hub.db" bundle pack --to "Бенчмарк: школа" -o "$rep/answer.zip" >/dev/null
sv --db "$rep/school.db" bundle merge "$rep/answer.zip" >/dev/null
sv --db "$rep/school.db" member import "$rep/registry.csv" >/dev/null
/usr/bin/time -f "%e %M %U %S" -o "$rep/pack.time" "$setevoe" --quiet --db "$rep/school.db" bundle pack --to hub -o "$rep/big.zip" >/dev/null
cp "$rep/hub.db" "$rep/hub0.db"
cp "$rep/hub.db.key" "$rep/hub0.db.key"
fresh="cp $rep/hub0.db $rep/h.db; cp $rep/hub0.db.key $rep/h.db.key; rm -f $rep/h.db-wal $rep/h.db-shm"
hyperfine --style none --runs 3 --prepare "$fresh" --export-json "$work/merge_big.json" -- \
  "$setevoe --quiet --db $rep/h.db bundle merge $rep/big.zip" >/dev/null 2>&1
eval "$fresh"
/usr/bin/time -f "%e %M %U %S" -o "$rep/merge.time" "$setevoe" --quiet --db "$rep/h.db" bundle merge "$rep/big.zip" >/dev/null
hyperfine --style none --runs 3 --export-json "$work/remerge_big.json" -- \
  "$setevoe --quiet --db $rep/h.db bundle merge $rep/big.zip" >/dev/null 2>&1
/usr/bin/time -f "%e %M %U %S" -o "$rep/remerge.time" "$setevoe" --quiet --db "$rep/h.db" bundle merge "$rep/big.zip" >/dev/null
unzip -p "$rep/big.zip" changes.sqlite >"$rep/changes.sqlite"
# The upsert of each table: one row per change, its fields pivoted into columns.
python3 - "$rep/upsert.sql" "$rep/changes.sqlite" <<'PY'
import sys
tables = {"org": ["kind", "name", "short_name", "status", "deleted"],
          "person": ["name", "org", "position", "status", "deleted"]}
with open(sys.argv[1], "w") as f:
    f.write("PRAGMA cache_size=-32000; PRAGMA synchronous=NORMAL;\n")
    f.write(f"ATTACH '{sys.argv[2]}' AS b;\nBEGIN;\n")
    f.write("INSERT INTO origin (id, node, last_seq, private) SELECT origin, node, last_seq, private FROM b.stream "
            "WHERE true ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq;\n")
    for t, cols in tables.items():
        pivot = ", ".join(f"max(CASE WHEN f.name = '{c}' THEN f.value END)" for c in cols)
        sets = ", ".join(f"{c} = excluded.{c}" for c in cols)
        f.write(f"INSERT INTO {t} (id, owner, {', '.join(cols)}, _v) SELECT c.row_id, c.owner, {pivot}, '{{}}' "
                f"FROM b.change c JOIN b.field f ON f.origin = c.origin AND f.seq = c.seq WHERE c.tbl = '{t}' "
                f"GROUP BY c.origin, c.seq ON CONFLICT (id) DO UPDATE SET {sets};\n")
    f.write("INSERT INTO change (origin, seq, tbl, row_id, hlc) SELECT o.num, c.seq, c.tbl, c.row_id, c.hlc "
            "FROM b.change c JOIN origin o ON o.id = c.origin;\nCOMMIT;\n")
PY
hyperfine --style none --runs 3 --prepare "$fresh" --export-json "$work/upsert_big.json" -- \
  "sqlite3 $rep/h.db < $rep/upsert.sql" >/dev/null 2>&1
[ "$(sqlite3 "$rep/h.db" 'SELECT count(*) FROM person')" = 199800 ] || { echo "bench: the upsert wrote no people" >&2; exit 70; }
rm -f "$rep"/h.db* "$rep/changes.sqlite" "$rep/school.db"*

# Row 2: 500 schools, each with a month of changes (its school, 30 to 90
# teachers with e-mail addresses, then a fifth of them moved to another
# position and the school's short name set: 68 to 200 changes), enrolled at
# one hub; their 500 bundles merged at the hub by one process. Then the hub
# packs for five of the schools, they merge, and their replicated data is
# compared with the hub's.
net="$work/net"
schools=500
mkdir -p "$net/inbox" "$net/answers" "$net/back"
cat >"$net/school.sh" <<'SH'
# bash school.sh SETEVOE DIR STEP I: one school's part of a step.
set -euo pipefail
setevoe=$1 dir=$2 step=$3 i=$4
db="$dir/s$i.db"
case $step in
  init)
    "$setevoe" --quiet --db "$db" init --name "Школа $i" >/dev/null
    "$setevoe" --quiet --db "$db" bundle pack --to hub -o "$dir/req-$i.zip" >/dev/null ;;
  answer)  # the hub's answer to the school's request (hub packs may run side by side)
    id=$(sqlite3 "$db" "SELECT id FROM node WHERE is_self = 1")
    "$setevoe" --quiet --db "$dir/hub.db" bundle pack --to "$id" -o "$dir/answers/s$i.zip" >/dev/null ;;
  month)
    "$setevoe" --quiet --db "$db" bundle merge "$dir/answers/s$i.zip" >/dev/null
    n=$((30 + i * 7919 % 61))
    {
      echo "type,kind,name,short_name,org,position,email"
      echo "org,school,МБОУ «СОШ № $i»,,,,"
      for ((j = 1; j <= n; j++)); do echo "person,,Учитель $j школы $i,,МБОУ «СОШ № $i»,учитель,t$j@s$i.example.ru"; done
    } >"$dir/s$i-a.csv"
    {
      echo "type,kind,name,short_name,org,position"
      echo "org,school,МБОУ «СОШ № $i»,СОШ № $i,,"
      for ((j = 5; j <= n; j += 5)); do echo "person,,Учитель $j школы $i,,МБОУ «СОШ № $i»,заместитель директора"; done
    } >"$dir/s$i-b.csv"
    "$setevoe" --quiet --db "$db" member import "$dir/s$i-a.csv" >/dev/null
    "$setevoe" --quiet --db "$db" member import "$dir/s$i-b.csv" >/dev/null
    "$setevoe" --quiet --db "$db" bundle pack --to hub -o "$dir/inbox/s$i.zip" >/dev/null ;;
esac
SH
setup_start=$(date +%s.%N)
sv --db "$net/hub.db" init --hub --name "Бенчмарк: район" >/dev/null
seq 1 $schools | xargs -P 2 -n 1 bash "$net/school.sh" "$setevoe" "$net" init
sv --db "$net/hub.db" bundle merge --approve "$net"/req-*.zip >/dev/null
seq 1 $schools | xargs -P 2 -n 1 bash "$net/school.sh" "$setevoe" "$net" answer
seq 1 $schools | xargs -P 2 -n 1 bash "$net/school.sh" "$setevoe" "$net" month
setup_end=$(date +%s.%N)
cp "$net/hub.db" "$net/hub0.db"
cp "$net/hub.db.key" "$net/hub0.db.key"
month_changes=0
for f in "$net"/inbox/*.zip; do
  month_changes=$((month_changes + $(unzip -p "$f" manifest.toml | sed -n 's/^changes = //p')))
done
fresh_net="cp $net/hub0.db $net/hub.db; cp $net/hub0.db.key $net/hub.db.key; rm -f $net/hub.db-wal $net/hub.db-shm"
hyperfine --style none --runs 2 --prepare "$fresh_net" --export-json "$work/merge_500.json" -- \
  "$setevoe --quiet --db $net/hub.db bundle merge $net/inbox/*.zip" >/dev/null 2>&1
eval "$fresh_net"
/usr/bin/time -f "%e %M %U %S" -o "$net/merge.time" "$setevoe" --quiet --db "$net/hub.db" bundle merge "$net"/inbox/*.zip >/dev/null
# Convergence: the hub packs for five schools spread over the range;
# each merges; the replicated tables (and the school's own contacts) must be
# the same rows, field for field, at the hub and at the school.
dump() {  # dump DB OWNER: replicated data, no version columns
  sqlite3 "$1" "SELECT 'org', id, owner, kind, name, short_name, status, deleted FROM org ORDER BY id;
    SELECT 'person', id, owner, name, org, position, status, deleted FROM person ORDER BY id;
    SELECT 'membership', id, owner, person, grp, role, deleted FROM membership ORDER BY id;
    SELECT 'expertise', id, owner, person, direction, deleted FROM expertise ORDER BY id;
    SELECT 'direction', id, owner, code, name, deleted FROM direction ORDER BY id;
    SELECT 'contact', id, owner, email, phone, deleted FROM contact WHERE owner = '$2' ORDER BY id;
    SELECT 'foreign contact', count(*) FROM contact WHERE owner <> '$2' AND (email IS NOT NULL OR phone IS NOT NULL)
      AND (SELECT role FROM node WHERE is_self = 1) = 'school';"
}
converged=yes
checked=0
for i in 1 125 250 375 500; do
  id=$(sqlite3 "$net/s$i.db" "SELECT id FROM node WHERE is_self = 1")
  sv --db "$net/hub.db" bundle pack --to "$id" -o "$net/back/s$i.zip" >/dev/null
  sv --db "$net/s$i.db" bundle merge "$net/back/s$i.zip" >/dev/null
  if [ "$(dump "$net/hub.db" "$id")" != "$(dump "$net/s$i.db" "$id")" ]; then converged=no; fi
  checked=$((checked + 1))
done
# Row 3: pack and merge of a bundle holding a 1 GiB attached file, against
# zip -0 / unzip -t of the same file (bench/files.sh; BENCH_FILE_MIB to change).
bash "$(dirname "$0")/files.sh" "$build" "$work" "${BENCH_FILE_MIB:-1024}" > "$work/files.md"
rm -rf "$work/files"  # its gigabytes, before the catalogue
# The catalogue: indexing, index size, search against the sqlite3 shell
# (bench/catalogue.sh; BENCH_PRODUCTS to change its size).
bash "$(dirname "$0")/catalogue.sh" "$build" "$work" "$products" > "$work/catalogue.md"
rm -rf "$work/catalogue"
# The plan, the calendar and overdue questions of a region (bench/services.sh),
# and the activity report of a year on the same region, made once with what
# the report reads as well (bench/report.sh).
mkdir -p "$work/region"
"$build/bench_services" "$work/region/region.db" --activity >"$work/region/generate.txt"
bash "$(dirname "$0")/services.sh" "$build" "$work" "$work/region" > "$work/services.md"
bash "$(dirname "$0")/report.sh" "$build" "$work" "$work/region" > "$work/report.md"
rm -rf "$work/region"

echo
echo "| replication | setevoe | anchor |"
echo "| --- | --- | --- |"
python3 - "$work" "$rep" "$net" "$setup_start" "$setup_end" "$month_changes" "$converged" "$checked" "$schools" <<'PY'
import json, sys, os
w, rep, net, setup_start, setup_end, month_changes, converged, checked, schools = sys.argv[1:]
setup = float(setup_end) - float(setup_start)
def r(name):
    return json.load(open(os.path.join(w, name + ".json")))["results"][0]
def t(name):  # wall time, and CPU time (user + system), which other work on the machine changes less
    x = r(name)
    sd = f" ± {x['stddev']:.2f}" if x.get("stddev") is not None else ""
    return f"{x['mean']:.2f} s{sd} (CPU {x['user'] + x['system']:.2f} s)"
def timed(path):  # /usr/bin/time -f "%e %M %U %S": seconds, peak RSS in MB, CPU seconds
    s, kb, user, system = open(path).read().split()
    return float(s), int(kb) / 1024, float(user) + float(system)
n = 200000
merge, upsert = r("merge_big")["mean"], r("upsert_big")["mean"]
_, merge_rss, _ = timed(os.path.join(rep, "merge.time"))
_, remerge_rss, _ = timed(os.path.join(rep, "remerge.time"))
pack_s, pack_rss, pack_cpu = timed(os.path.join(rep, "pack.time"))
print(f"| merge of a 200,000-change bundle (fresh hub each run) | {t('merge_big')}, {n / merge:,.0f} changes/s, "
      f"peak RSS {merge_rss:.0f} MB | bare SQL upsert of the same rows from the attached changes.sqlite: "
      f"{t('upsert_big')}, {n / upsert:,.0f} changes/s |")
cpu = lambda name: r(name)["user"] + r(name)["system"]
print(f"| merge / bare upsert (goal ≤ 4×; goal ≥ 200,000 changes/s) | {merge / upsert:.2f}× "
      f"(CPU: {cpu('merge_big') / cpu('upsert_big'):.2f}×) | |")
print(f"| the same bundle merged again (nothing new) | {t('remerge_big')}, peak RSS {remerge_rss:.0f} MB | |")
print(f"| pack of those 200,000 changes at the school | {pack_s:.2f} s (CPU {pack_cpu:.2f} s), peak RSS {pack_rss:.0f} MB | |")
m500 = r("merge_500")["mean"]
_, m500_rss, _ = timed(os.path.join(net, "merge.time"))
print(f"| {schools} schools' monthly bundles ({int(month_changes):,} changes) merged at a hub, one process "
      f"(goal ≤ 60 s) | {t('merge_500')}, {int(month_changes) / m500:,.0f} changes/s, peak RSS {m500_rss:.0f} MB | "
      f"setup ({schools} inits, enrolment, a month of edits, packs): {setup:.0f} s |")
print(f"| converged after the hub's bundles back ({checked} of {schools} schools compared) | converged: {converged} | |")
PY
cat "$work/files.md"
echo
cat "$work/catalogue.md"
echo
cat "$work/services.md"
echo
cat "$work/report.md"
