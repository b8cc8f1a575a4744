#!/usr/bin/env bash
# make bench, the services rows (issue 5): a region-size database made by
# bench/services.cpp — 500 orgs, 20,000 people, 100,000 events over four
# years with about 600,000 registrations, 50,000 questions to the experts —
# and the three commands cron and the moderator run on it: the plan of a
# year, the calendar of a year, the overdue questions. Each beside the goal
# (under 200 ms) and the sqlite3 shell reading the same rows. Prints markdown.
#   bash bench/services.sh BUILD_DIR WORK_DIR [REGION_DIR]
# REGION_DIR: the region already made by bench_services (region.db and its
# generate.txt), shared with bench/report.sh in the full run; without it the
# region is made here.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2/services
setevoe="$build/setevoe"
rm -rf "$work"
mkdir -p "$work"
export LANGUAGE=en COLUMNS=200
if [ -n "${3:-}" ]; then
  db="$3/region.db"
  cp "$3/generate.txt" "$work/generate.txt"
else
  db="$work/region.db"
  "$build/bench_services" "$db" >"$work/generate.txt"
fi
year=2026
# The same rows and columns as setevoe reads them, for the shell (times in
# UTC: Moscow is UTC+3 all year). The plan's table reads what it shows; the
# calendar reads each event whole; neither counts registrations.
period="e.deleted = 0 AND e.starts_at >= '$((year - 1))-12-31T21:00:00.000Z' AND e.starts_at < '$year-12-31T21:00:00.000Z'"
plan_sql="SELECT e.id, e.owner, e.type, e.title, e.starts_at, e.ends_at, e.place, e.url, o.name, e.status,
  e.cancel_reason, e.cancelled_at, e.revision FROM event e LEFT JOIN org o ON o.id = e.organiser AND o.deleted = 0
  WHERE $period AND e.status <> 'cancelled' ORDER BY e.starts_at, e.id"
ics_sql="SELECT e.id, e.owner, e.type, e.title, e.description, e.starts_at, e.ends_at, e.place, e.url, o.name,
  e.directions, e.products, e.status, e.cancel_reason, e.cancelled_at, e._v, e.revision, e.sections
  FROM event e LEFT JOIN org o ON o.id = e.organiser AND o.deleted = 0 WHERE $period ORDER BY e.starts_at, e.id"
today=$(TZ=Europe/Moscow date +%F)
overdue_sql="SELECT q.id, q.title, p.name, d.code, q.due_on FROM question q LEFT JOIN person p ON p.id = q.person
  LEFT JOIN direction d ON d.id = q.direction WHERE q.deleted = 0 AND q.closed_at IS NULL AND q.due_on < '$today'
  AND NOT EXISTS (SELECT 1 FROM answer a WHERE a.question = q.id AND a.deleted = 0) ORDER BY q.due_on, q.asked_at"
run() {  # run NAME COMMAND: hyperfine's JSON
  hyperfine --style none --warmup 3 --runs 20 --export-json "$work/$1.json" -- "$2" >/dev/null 2>&1
}
run plan "$setevoe --db $db event plan --year $year > /dev/null"
run plan_sql "sqlite3 $db \"$plan_sql\" > /dev/null"
run ics "$setevoe --db $db event ics --year $year -o $work/year.ics"
run ics_sql "sqlite3 $db \"$ics_sql\" > /dev/null"
run overdue "$setevoe --db $db consult list --status overdue > /dev/null"
run overdue_sql "sqlite3 $db \"$overdue_sql\" > /dev/null"
"$setevoe" --db "$db" --format json event plan --year $year | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' >"$work/plan.rows"
grep -c '^BEGIN:VEVENT' "$work/year.ics" >"$work/ics.rows"
"$setevoe" --db "$db" --format json consult list --status overdue | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' >"$work/overdue.rows"
stat -c %s "$db" >"$work/db.size"

python3 - "$work" "$year" <<'PY'
import json, os, sys
work, year = sys.argv[1], sys.argv[2]
gen = dict(line.strip().split("=", 1) for line in open(f"{work}/generate.txt") if "=" in line)
def r(name):
    return json.load(open(f"{work}/{name}.json"))["results"][0]
def ms(name):
    x = r(name)
    return f"{x['median'] * 1000:.0f} ± {x['stddev'] * 1000:.0f}"
rows = lambda name: int(open(f"{work}/{name}.rows").read())
size = int(open(f"{work}/db.size").read()) / (1 << 20)
print("| services (bench/services.cpp) | setevoe | notes |")
print("| --- | --- | --- |")
print(f"| generate the region: {gen['orgs']} orgs, {int(gen['people']):,} people, {int(gen['events']):,} events "
      f"(2024–2027) with {int(gen['registrations']):,} registrations, {int(gen['questions']):,} questions "
      f"({int(gen['answered']):,} answered, {int(gen['closed']):,} closed) through the real operations "
      f"| {float(gen['all_s']):.0f} s (events and registrations {float(gen['events_s']):.0f} s, questions "
      f"{float(gen['questions_s']):.0f} s) | database {size:,.0f} MiB"
      + (f", shared with the report rows: also {int(gen['products']):,} products, attendance marks and agreements"
         if "products" in gen else "") + " |")
print()
print("| command (goal: each under 200 ms) | rows | setevoe ms | the same rows in the sqlite3 shell, ms | goal |")
print("| --- | --- | --- | --- | --- |")
for name, what in (("plan", f"`event plan --year {year}` (table)"), ("ics", f"`event ics --year {year} -o FILE`"),
                   ("overdue", "`consult list --status overdue` (table)")):
    ok = r(name)["median"] < 0.2
    print(f"| {what} | {rows(name):,} | {ms(name)} | {ms(name + '_sql')} | {'met' if ok else 'missed'} |")
print()
print("Medians of 20 runs after 3 warm-up runs, ± the standard deviation (hyperfine).")
PY
