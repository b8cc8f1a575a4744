#!/usr/bin/env bash
# Makes the seed corpus of the fuzz targets from real bundles that the built
# setevoe packs on a throw-away hub and school, plus a few damaged ones:
#   fuzz/corpus/bundle/    whole bundle files (fuzz_bundle)
#   fuzz/corpus/manifest/  their manifest.toml, key, size and hash as @KEY@,
#                          @SIZE@, @SHA256@ (fuzz_manifest fills them in)
#   fuzz/corpus/changes/   their changes.sqlite (fuzz_changes)
#   fuzz/recipient.key     the hub's secret key: fuzz_bundle opens the
#                          encrypted bundle with it (test data, no secret)
# The files are committed; run this again only when the bundle format
# changes, then rebuild the fuzz targets (the key is compiled in).
#
# Usage: bash fuzz/make_corpus.sh [PATH/TO/setevoe]   (default: build/setevoe)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SETEVOE=${1:-$HERE/../build/setevoe}
if [ ! -x "$SETEVOE" ]; then
  echo "$SETEVOE not found: build setevoe first (make build)" >&2
  exit 66
fi
SETEVOE=$(cd "$(dirname "$SETEVOE")" && pwd)/$(basename "$SETEVOE")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK XDG_CONFIG_HOME=$WORK/config LANG=C.UTF-8 LANGUAGE=en
unset SETEVOE_DB
hub() { "$SETEVOE" --quiet --yes --db "$WORK/hub.db" "$@"; }
school() { "$SETEVOE" --quiet --yes --db "$WORK/school.db" "$@"; }
SCHOOL="МБОУ «СОШ № 1 г. Гудермес»"

hub init --hub --name "МУ «Управление образования»" >/dev/null
school init --name "$SCHOOL" >/dev/null
school member add org --kind school --name "$SCHOOL" --short "СОШ № 1" >/dev/null
school bundle pack --to hub -o "$WORK/enrolment.zip" >/dev/null  # to a hub not known yet
hub bundle merge --approve "$WORK/enrolment.zip" >/dev/null
hub bundle pack --to "$SCHOOL" -o "$WORK/hub-to-school.zip" >/dev/null
school bundle merge "$WORK/hub-to-school.zip" >/dev/null
school member add person --name "Исаев Ахмед Русланович" --org "СОШ № 1" --position "учитель" \
  --email isaev@sch1.example.ru --phone "+7 900 000-00-00" >/dev/null
school member add org --kind creative-group --name "Творческая группа «Цифра»" >/dev/null
school member join "Исаев Ахмед Русланович" "Творческая группа «Цифра»" --role head >/dev/null
# Attached files, small: a "photo" stored as it is and a text deflated.
printf '\xff\xd8\xff\xe0photo of a teacher' > "$WORK/фото.jpg"
printf 'Методические рекомендации\n%.0s' $(seq 40) > "$WORK/план.txt"
school member attach "Исаев Ахмед Русланович" "$WORK/фото.jpg" --role photo >/dev/null
school member attach "Исаев Ахмед Русланович" "$WORK/план.txt" >/dev/null
school bundle pack --to hub -o "$WORK/school-to-hub.zip" >/dev/null
school bundle pack --to hub --encrypt -o "$WORK/school-to-hub-encrypted.zip" >/dev/null

rm -rf "$HERE/corpus"
mkdir -p "$HERE/corpus/bundle" "$HERE/corpus/manifest" "$HERE/corpus/changes"
cp "$WORK/hub.db.key" "$HERE/recipient.key"

python3 - "$WORK" "$HERE/corpus" <<'PY'
import os, re, shutil, sqlite3, sys, zipfile

work, corpus = sys.argv[1], sys.argv[2]
real = ["enrolment", "hub-to-school", "school-to-hub", "school-to-hub-encrypted"]
entries = {}
for name in real:
    path = os.path.join(work, name + ".zip")
    with open(path, "rb") as f:
        data = f.read()
    open(os.path.join(corpus, "bundle", name + ".zip"), "wb").write(data)
    with zipfile.ZipFile(path) as z:
        entries[name] = {i.filename: z.read(i.filename) for i in z.infolist()}
    manifest = entries[name]["manifest.toml"].decode()
    if "encrypted = true" not in manifest:
        changes = os.path.join(corpus, "changes", name + ".sqlite")
        open(changes, "wb").write(entries[name]["changes.sqlite"])
        # The same database in 512-byte pages: an eighth of the size, so more
        # runs a second and mutations that land on the data more often.
        small = changes.replace(".sqlite", "-512.sqlite")
        shutil.copy(changes, small)
        con = sqlite3.connect(small)
        con.execute("PRAGMA page_size = 512")
        con.execute("VACUUM")
        con.close()
        # fuzz_manifest signs the text itself and adds an empty changes.sqlite.
        manifest = re.sub(r"sender_key = ['\"][0-9a-f]+['\"]", "sender_key = '@KEY@'", manifest)
        manifest = re.sub(r"size = \d+", "size = @SIZE@", manifest)
        manifest = re.sub(r"sha256 = ['\"][0-9a-f]+['\"]", "sha256 = '@SHA256@'", manifest)
        manifest = re.sub(r"(changes|fields) = \d+", r"\1 = 0", manifest)
        open(os.path.join(corpus, "manifest", name + ".toml"), "w").write(manifest)


def bad(name, items, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(corpus, "bundle", name + ".zip"), "w", compression=compression) as z:
        for item, data in items:
            z.writestr(item, data)


good = entries["school-to-hub"]
open(os.path.join(corpus, "bundle", "not-a-zip.zip"), "wb").write(b"setevoe bundle?\n")
whole = open(os.path.join(corpus, "bundle", "school-to-hub.zip"), "rb").read()
open(os.path.join(corpus, "bundle", "truncated.zip"), "wb").write(whole[: len(whole) // 2])
bad("stored", good.items(), zipfile.ZIP_STORED)
bad("altered-manifest", [(k, v + b"# more\n" if k == "manifest.toml" else v) for k, v in good.items()])
bad("no-signature", [(k, v) for k, v in good.items() if k != "manifest.sig"])
bad("zip-slip", list(good.items()) + [("../evil", b"x")])
bad("unlisted-object", list(good.items()) + [("objects/" + "a" * 64, b"x")])
link = zipfile.ZipInfo("changes.sqlite")
link.external_attr = (0o120777 << 16)
bad("symlink", [("manifest.toml", good["manifest.toml"]), ("manifest.sig", good["manifest.sig"]), (link, b"/etc/passwd")])
PY
ls -l "$HERE/corpus"/*
