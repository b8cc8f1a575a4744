#!/usr/bin/env bash
# make bench, the report rows (issue 6): the activity report of a year on a
# region-size database — 500 orgs, 20,000 people, and 1,000,000 rows of
# products, events, registrations and questions, with attendance marks,
# contest results and agreements (bench/services.cpp --activity) — written
# as JSON and as DOCX. Each beside the goal (under 2 s) and an anchor: the
# sqlite3 shell running the report's main aggregates over the same tables
# (products of the year by type; events held in the year by form, with the
# people registered and who came; questions asked and first answered in
# the year). Prints markdown.
#   bash bench/report.sh BUILD_DIR WORK_DIR [REGION_DIR]
# REGION_DIR: a region already made by 'bench_services DB --activity'
# (region.db and its generate.txt), shared with bench/services.sh in the
# full run; without it the region is made here.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2/report
setevoe="$build/setevoe"
rm -rf "$work"
mkdir -p "$work"
export LANGUAGE=en COLUMNS=200
if [ -n "${3:-}" ]; then
  db="$3/region.db"
  generated="$3/generate.txt"
else
  db="$work/region.db"
  generated="$work/generate.txt"
  "$build/bench_services" "$db" --activity >"$generated"
fi
grep -q '^products=' "$generated" || { echo "bench: $db was made without --activity" >&2; exit 65; }
year=2026
# The span as the report sees it (Moscow is UTC+3 all year): its first
# moment, the first after it, the UUIDv7 ids of rows made in it, and the end
# of what has been held (now, in the year the report is for).
read -r from_utc to_utc from_id to_id held_to < <(python3 - "$year" <<'PY'
import calendar, sys, time
year = int(sys.argv[1])
start = lambda y: (calendar.timegm((y, 1, 1, 0, 0, 0)) - 3 * 3600) * 1000
iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t // 1000)) + f".{t % 1000:03d}Z"
uuid_floor = lambda t: f"{t:012x}"[:8] + "-" + f"{t:012x}"[8:] + "-7000-8000-000000000000"
a, b = start(year), start(year + 1)
print(iso(a), iso(b), uuid_floor(a), uuid_floor(b), iso(min(b, int(time.time() * 1000))))
PY
)
anchor_sql="SELECT type, sum(id >= '$from_id' AND id < '$to_id'), sum(submitted_at >= '$from_utc' AND submitted_at < '$to_utc'),
  sum(published_at >= '$from_utc' AND published_at < '$to_utc') FROM product WHERE deleted = 0 GROUP BY type;
SELECT e.type, count(*), sum((SELECT count(DISTINCT r.person) FROM registration r WHERE r.event = e.id AND r.deleted = 0)),
  sum((SELECT count(*) FROM attendance a WHERE a.event = e.id AND a.owner = e.owner AND a.deleted = 0 AND a.attended = 1))
  FROM event e WHERE e.deleted = 0 AND e.status <> 'cancelled' AND e.starts_at >= '$from_utc' AND e.starts_at < '$held_to'
  GROUP BY e.type;
SELECT count(*), sum(first >= '$from_utc' AND first < '$to_utc') FROM (SELECT q.asked_at,
  (SELECT min(a.answered_at) FROM answer a WHERE a.question = q.id AND a.deleted = 0) AS first FROM question q
  WHERE q.deleted = 0) WHERE asked_at >= '$from_utc' AND asked_at < '$to_utc';"
run() {  # run NAME COMMAND: hyperfine's JSON
  hyperfine --style none --warmup 1 --runs 10 --export-json "$work/$1.json" -- "$2" >/dev/null 2>&1
}
run json "$setevoe --db $db --quiet report activity --year $year --format json -o $work/activity.json"
run docx "$setevoe --db $db --quiet report activity --year $year --format docx -o $work/activity.docx"
run anchor "sqlite3 $db \"$anchor_sql\" > /dev/null"
sqlite3 "$db" "$anchor_sql" | wc -l >"$work/anchor.rows"
stat -L -c %s "$db" >"$work/db.size"

python3 - "$work" "$year" "$generated" <<'PY'
import json, os, sys
work, year, generated = sys.argv[1:]
gen = dict(line.strip().split("=", 1) for line in open(generated) if "=" in line)
def r(name):
    return json.load(open(f"{work}/{name}.json"))["results"][0]
def ms(name):
    x = r(name)
    return f"{x['median'] * 1000:,.0f} ± {x['stddev'] * 1000:,.0f}"
def cpu(name):  # user + system, mean: what other work on the machine changes less
    x = r(name)
    return f"{(x['user'] + x['system']) * 1000:,.0f}"
doc = json.load(open(f"{work}/activity.json"))
tables = [t for s in doc["sections"].values() for t in s.get("tables", {}).values()]
rows = sum(len(t["rows"]) for t in tables)
size = lambda path: os.path.getsize(f"{work}/{path}")
kib = lambda n: f"{n / 1024:,.0f} KiB" if n < 1 << 20 else f"{n / (1 << 20):,.1f} MiB"
n = lambda key: f"{int(gen[key]):,}"
db_size = int(open(f"{work}/db.size").read()) / (1 << 20)
print("| activity report (bench/services.cpp --activity) | setevoe | notes |")
print("| --- | --- | --- |")
print(f"| generate the region: {gen['orgs']} orgs, {n('people')} people; {n('rows')} rows of {n('products')} products "
      f"(2024–2027; {n('submitted')} submitted, {n('published')} published, {n('rejected')} rejected, "
      f"{n('archived')} archived), {n('events')} events, {n('registrations')} registrations, {n('questions')} questions "
      f"({n('answered')} answered); {n('marks')} attendance marks at {n('marked_events')} events held, {n('results')} "
      f"contest results; {n('agreements')} agreements — through the real operations "
      f"| {float(gen['all_s']):.0f} s (events, registrations and marks {float(gen['events_s']):.0f} s, products "
      f"{float(gen['products_s']):.0f} s, questions {float(gen['questions_s']):.0f} s) | database {db_size:,.0f} MiB |")
print()
print("| command (goal: each under 2 s) | rows | file | setevoe ms (CPU ms) | anchor ms (CPU ms) | goal |")
print("| --- | --- | --- | --- | --- | --- |")
for name, what, path in (("json", f"`report activity --year {year} --format json -o FILE`", "activity.json"),
                         ("docx", f"`report activity --year {year} --format docx -o FILE`", "activity.docx")):
    ok = r(name)["median"] < 2
    print(f"| {what} | {rows:,} in {len(tables)} tables | {kib(size(path))} | {ms(name)} ({cpu(name)}) "
          f"| {ms('anchor')} ({cpu('anchor')}) | {'met' if ok else 'missed'} |")
print()
anchor_rows = int(open(f"{work}/anchor.rows").read())
print(f"Anchor: the sqlite3 shell running the report's main aggregates of {year} over the same tables, {anchor_rows} "
      "rows: products by type (created, submitted, published), events held by form (held, registered, came), "
      "questions asked and first answered — not the previous year, the lists, the names or the file. "
      "Rows: the rows of the report's tables (the same document in both formats). "
      "Medians of 10 runs after 1 warm-up run, ± the standard deviation, and the mean CPU time, user and "
      "system (hyperfine).")
PY
