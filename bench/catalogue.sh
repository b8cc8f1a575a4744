#!/usr/bin/env bash
# make bench, the catalogue rows: a generated catalogue of N products
# (bench/catalogue.cpp; BENCH_PRODUCTS, default 200,000) — the time to write
# and index it, a whole reindex (products/s), the index's size beside the
# data's, and `setevoe product search` against the sqlite3 shell with
# setevoe_fts loaded running the very statement setevoe runs, on the same
# database and queries. Prints markdown.
#   bash bench/catalogue.sh BUILD_DIR WORK_DIR [N]
#
# The vocabulary: the word forms of Debian's hunspell-ru dictionary, expanded
# with its affixes by unmunch (hunspell-tools), kept when they are lower-case
# Cyrillic words; made once and cached in BUILD_DIR/bench-data/ru-words.txt
# (made again when the dictionary is newer). The catalogue itself is made on
# each run in WORK_DIR, so its times are measured every time.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2/catalogue
n=${3:-200000}
setevoe="$build/setevoe"
ext="$build/setevoe_fts"
rm -rf "$work"
mkdir -p "$work" "$build/bench-data"
export LANGUAGE=en

# ---- The dictionary's word forms.
dic=/usr/share/hunspell/ru_RU.dic aff=/usr/share/hunspell/ru_RU.aff
words="$build/bench-data/ru-words.txt"
if [ ! -s "$words" ] || [ "$dic" -nt "$words" ] || [ "$aff" -nt "$words" ]; then
  for f in "$dic" "$aff"; do
    [ -r "$f" ] || { echo "bench: $f is missing; install hunspell-ru (make bench does)" >&2; exit 69; }
  done
  command -v unmunch >/dev/null || { echo "bench: unmunch is missing; install hunspell-tools" >&2; exit 69; }
  # unmunch writes the forms in the dictionary's own encoding (the SET line).
  enc=$(sed -n 's/^SET[[:space:]]\+\([^[:space:]]\+\).*/\1/p' "$aff" | head -n 1)
  enc=${enc:-ISO8859-1}
  unmunch "$dic" "$aff" 2>/dev/null >"$work/forms.raw"
  if [ "$enc" != UTF-8 ] && [ "$enc" != utf-8 ]; then
    iconv -f "$enc" -t UTF-8 "$work/forms.raw" >"$work/forms.utf8"
    mv "$work/forms.utf8" "$work/forms.raw"
  fi
  LC_ALL=C.UTF-8 grep -P '^[а-яё]{2,24}(-[а-яё]{2,24})?$' "$work/forms.raw" | LC_ALL=C sort -u >"$words.tmp"
  mv "$words.tmp" "$words"
  rm -f "$work/forms.raw"
fi

# ---- The catalogue, written and indexed in commits of 10,000.
db="$work/catalogue.db"
"$build/bench_catalogue" "$db" "$words" "$n" --queries "$work/picked.txt" >"$work/generate.txt"
[ -s "$work/picked.txt" ] || { echo "bench: bench_catalogue chose no query words" >&2; exit 70; }
picked() { sed -n "s/^$1=//p" "$work/picked.txt"; }

# ---- The whole index again (every product read, every file read again).
/usr/bin/time -f "%e %M %U %S" -o "$work/reindex.time" "$setevoe" --quiet --db "$db" product reindex >/dev/null
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# ---- Sizes: pages of each table and index (dbstat), the file.
sqlite3 -separator ' ' "$db" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name" >"$work/sizes.txt" 2>/dev/null \
  || : >"$work/sizes.txt"  # a shell built without the dbstat table: the file size only
sqlite3 -separator ' ' "$db" "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'" >"$work/indexes.txt"
stat -c %s "$db" >"$work/file.size"
sqlite3 "$db" "PRAGMA freelist_count; PRAGMA page_size" | paste -sd' ' >"$work/free.txt"

# ---- Search: the same queries, setevoe against the shell. Each line:
# what | query | options.
cat >"$work/queries.txt" <<EOF
common word|урок|
common word|проект|
three common words|формирование функциональной грамотности|
rare word ($(picked rare_word_docs) products)|$(picked rare_word)|
rare form of a common word (never written as such)|$(picked rare_form)|
author surname ($(picked surname_products) products)|$(picked surname)|
words and a filter|контрольная работа|--type kim
a grade filter|задачи|--grade 7
«N класс»|геометрия 8 класс|
EOF
python3 - "$work" "$setevoe" "$db" "$ext" <<'PY'
import json, os, re, statistics, subprocess, sys, time
work, setevoe, db, ext = sys.argv[1:]

def runs(commands, rounds=30, warmup=3):
    """Each command run `rounds` times, taking turns (setevoe, the shell,
    setevoe, …), so that a change of the machine's speed during the runs
    weighs on both alike: wall and CPU (user + system) seconds of each run."""
    out = [{"wall": [], "cpu": []} for _ in commands]
    for k in range(warmup + rounds):
        for i, argv in enumerate(commands):
            start = time.perf_counter()
            p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"bench: {argv[:6]} failed")
            if k >= warmup:
                out[i]["wall"].append(wall)
                out[i]["cpu"].append(usage.ru_utime + usage.ru_stime)
    return [{"median": statistics.median(r["wall"]), "stddev": statistics.stdev(r["wall"]),
             "cpu": statistics.median(r["cpu"])} for r in out]

shell = lambda sql: ["sqlite3", db, f".load {ext}", sql]
# What every search pays before its query: the process, opening the
# database (setevoe: checking its schema version), making the statement.
json.dump(runs([[setevoe, "--db", db, "product", "search", "урок", "--sql"],
                shell("SELECT count(*) FROM sqlite_schema")], rounds=50),
          open(f"{work}/fixed.json", "w"))
for i, line in enumerate(open(f"{work}/queries.txt", encoding="utf-8")):
    what, query, options = line.rstrip("\n").split("|")
    search = [setevoe, "--db", db, "product", "search", query] + options.split()
    # The statement, got once before timing: the shell's time is its own.
    sql = subprocess.run(search + ["--sql"], check=True, capture_output=True, text=True).stdout.strip()
    rows = json.loads(subprocess.run(search + ["--format", "json"], check=True, capture_output=True,
                                     text=True).stdout)
    ask = lambda q: subprocess.run(shell(q), check=True, capture_output=True, text=True).stdout.strip()
    # The products with every word (tiers 0 and 1): the same statement
    # without its limits and snippets.
    every = re.sub(r"LIMIT (CASE WHEN .*? END|\d+)", "LIMIT -1", sql.removesuffix(";"))
    every = re.sub(r"snippet\(product_fts, [^)]*\)", "''", every)
    count = ask(f"SELECT count(*) FROM ({every}) WHERE tier <= 1")
    shell_rows = ask(f"SELECT count(*) FROM ({sql.removesuffix(';')})")
    json.dump({"what": what, "query": query, "options": options, "rows": len(rows), "shell_rows": int(shell_rows),
               "matching": int(count)}, open(f"{work}/q{i}.info", "w"), ensure_ascii=False)
    json.dump(runs([search + ["--format", "json"], shell(sql)]), open(f"{work}/q{i}.json", "w"))
PY

python3 - "$work" "$n" <<'PY'
import glob, json, os, statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
gen = dict(line.strip().split("=", 1) for line in open(f"{work}/generate.txt") if "=" in line)
secs, rss_kb, user, system = open(f"{work}/reindex.time").read().split()
secs = float(secs)
sizes = {}
for line in open(f"{work}/sizes.txt"):
    name, size = line.rsplit(" ", 1)
    sizes[name] = int(size)
owner = dict(line.rstrip("\n").split(" ", 1) for line in open(f"{work}/indexes.txt") if " " in line)
def table_of(name):  # an index (autoindexes too) counts with its table
    if name.startswith("sqlite_autoindex_"):
        return name[len("sqlite_autoindex_"):].rsplit("_", 1)[0]
    return owner.get(name, name)
size_of = lambda pick: sum(s for name, s in sizes.items() if pick(table_of(name)))
fts = size_of(lambda t: t.startswith("product_fts"))
doc = size_of(lambda t: t == "search_doc")
person = size_of(lambda t: t == "search_person")
filters = size_of(lambda t: t == "search_filter")
index = fts + doc + person + filters
data = size_of(lambda t: t == "product")
free, page = map(int, open(f"{work}/free.txt").read().split())
file_size = int(open(f"{work}/file.size").read())
mib = lambda b: f"{b / (1 << 20):,.1f} MiB"
products_s = float(gen["products_s"])
print(f"| catalogue (bench/catalogue.cpp) | setevoe | notes |")
print("| --- | --- | --- |")
print(f"| generate {n:,} products through add_product, a commit (which indexes) every 10,000 "
      f"| {products_s:.1f} s, {n / products_s:,.0f} products/s: writing {float(gen['write_s']):.1f} s, "
      f"commits with indexing {float(gen['commit_s']):.1f} s ({n / float(gen['commit_s']):,.0f} products/s) "
      f"| before them {gen['orgs']} orgs and {int(gen['people']):,} people in {float(gen['registry_s']):.1f} s |")
print(f"| `product reindex` of the whole catalogue | {secs:.1f} s (CPU {float(user) + float(system):.1f} s), "
      f"**{n / secs:,.0f} products/s**, peak RSS {int(rss_kb) / 1024:.0f} MB | reads every product again, "
      f"ends with FTS5 'optimize' |")
if sizes:
    print(f"| index (product_fts* + search_doc + search_person + search_filter, with their indexes) against data "
          f"(product with its indexes) | {mib(index)} / {mib(data)} = **{index / data:.2f}×** | of the index: FTS5 "
          f"{mib(fts)}, search_doc (the text kept for snippets) {mib(doc)}, search_person {mib(person)}, "
          f"search_filter {mib(filters)} |")
else:
    print("| index against data | not measured: this sqlite3 has no dbstat table | |")
print(f"| database file | {mib(file_size)} | free pages {mib(free * page)} |")
print()
print("| search: `product search Q --format json` vs `sqlite3 DB '.load setevoe_fts' \"$(product search Q --sql)\"` "
      "| hits (products with every word) | setevoe ms | shell ms | setevoe / shell (CPU) |")
print("| --- | --- | --- | --- | --- |")
cpu = lambda r: r["cpu"]
ratios, ms = [], []
for path in sorted(glob.glob(f"{work}/q*.json"), key=lambda p: int(os.path.basename(p)[1:-5])):
    info = json.load(open(path[:-5] + ".info"))
    a, b = json.load(open(path))
    ratio = a["median"] / b["median"]
    ratios.append(ratio)
    ms.append(a["median"] * 1000)
    q = f"«{info['query']}»" + (f" `{info['options']}`" if info["options"] else "")
    hits = f"{info['rows']} ({info['matching']:,})"
    if info["rows"] != info["shell_rows"]:
        hits += f", the shell {info['shell_rows']}!"
    print(f"| {info['what']}: {q} | {hits} | {a['median'] * 1000:.1f} ± {a['stddev'] * 1000:.1f} "
          f"| {b['median'] * 1000:.1f} ± {b['stddev'] * 1000:.1f} | {ratio:.2f}× ({cpu(a) / cpu(b):.2f}×) |")
med, worst = statistics.median(ms), max(ratios)
print(f"| **{len(ms)} queries** (goal: typical < 50 ms; setevoe / shell ≤ 1.2×) | | median **{med:.1f}**"
      f"{' (goal met)' if med < 50 else ' (misses the goal)'}, {sum(m < 50 for m in ms)} of {len(ms)} under 50 | "
      f"| max **{worst:.2f}×**{' (goal met)' if worst <= 1.2 else ' (misses the goal)'}, "
      f"{sum(r <= 1.2 for r in ratios)} of {len(ratios)} within 1.2× |")
a, b = json.load(open(f"{work}/fixed.json"))
print(f"| fixed costs: start, open the database, make the statement (`product search «урок» --sql`; the shell: "
      f"start, open, read the schema) | | {a['median'] * 1000:.1f} ± {a['stddev'] * 1000:.1f} "
      f"| {b['median'] * 1000:.1f} ± {b['stddev'] * 1000:.1f} | {a['median'] / b['median']:.2f}× |")
print()
print("Times are medians of 30 runs of each (50 for the fixed costs), setevoe and the shell taking turns after 3 "
      "warm-up runs, ± the standard deviation; the ratio in brackets is of the median CPU time (user + system), "
      "which other work on the machine changes less. Hits: the rows of the first page (at most 20), and in brackets "
      "the products with every word.")
PY
