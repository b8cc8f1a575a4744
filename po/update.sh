#!/usr/bin/env bash
# Keeps setevoe's message catalogues in step with the source.
#
#   po/update.sh          re-extracts the messages of core/ and cli/ into
#                         po/setevoe.pot, merges them into po/ru.po (new
#                         messages come in untranslated, gone ones become
#                         obsolete "#~" entries) and regenerates po/en.po
#                         (translations equal to the msgids).
#   po/update.sh --check  changes nothing in po/: extracts into a temporary
#                         folder and fails (exit 1), listing the msgids, when
#                         po/ru.po lacks a translation (or has only a fuzzy
#                         one) for any message of the source, when a
#                         translation does not keep the {} placeholders of
#                         its msgid, or when msgfmt --check rejects ru.po.
#
# Runs from any folder (it works in the repository the script is in).
# Idempotent: a second run with no source change leaves every file as it was
# (the POT-Creation-Date is kept while the messages stay the same).
# Needs the gettext tools: xgettext, msgmerge, msgen, msgattrib, msgexec,
# msgfmt (Debian package gettext).
set -euo pipefail

usage() {
  echo "usage: po/update.sh [--check]" >&2
  exit 64
}

check=false
case $# in
  0) ;;
  1) if [[ $1 == --check ]]; then check=true; else usage; fi ;;
  *) usage ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for tool in xgettext msgmerge msgen msgattrib msgexec msgfmt; do
  command -v "$tool" >/dev/null || { echo "po/update.sh: $tool not found (apt-get install gettext)" >&2; exit 69; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/setevoe-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The sources, in a stable order: core/*, core/**/* and cli/* (.cpp, .hpp).
sources=()
while IFS= read -r -d '' f; do sources+=("$f"); done < <(
  { find core -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0
    find cli -maxdepth 1 -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0; } | LC_ALL=C sort -z -u)
[[ ${#sources[@]} -gt 0 ]] || { echo "po/update.sh: no sources found under core/ and cli/" >&2; exit 66; }

# Extraction into $tmp/setevoe.pot.
xgettext --from-code=UTF-8 --language=C++ --keyword=tr --keyword=trf --keyword=trc:1c,2 --keyword=N_ \
  --add-comments=TRANSLATORS: --package-name=setevoe --sort-by-file \
  -o "$tmp/setevoe.pot" "${sources[@]}"

# The template without the line that changes on every run.
strip_date() { grep -v '^"POT-Creation-Date: ' "$1" || true; }

# Replaces $2 with $1 when their content differs; leaves $2 untouched otherwise.
install_if_changed() {
  if [[ -f $2 ]] && cmp -s "$1" "$2"; then return 0; fi
  cp "$1" "$2"
  echo "po/update.sh: wrote $2"
}

# msgids of a PO file, one per line, indented (a newline inside shows as \n).
cat >"$tmp/show-msgid.sh" <<'SH'
[ -n "$MSGEXEC_MSGID" ] || exit 0
printf '%s.' "$MSGEXEC_MSGID" | awk 'BEGIN { printf "  " } NR > 1 { printf "\\n" } { printf "%s", $0 } END { print "" }' | sed 's/\.$//'
SH
list_msgids() { msgexec -i "$1" sh "$tmp/show-msgid.sh"; }

if $check; then
  status=0
  merged="$tmp/ru.po"
  msgmerge --quiet --no-fuzzy-matching -o "$merged" po/ru.po "$tmp/setevoe.pot"

  msgattrib --untranslated --no-obsolete -o "$tmp/untranslated.po" "$merged"
  msgattrib --only-fuzzy --no-obsolete -o "$tmp/fuzzy.po" "$merged"
  for kind in untranslated fuzzy; do
    [[ -s $tmp/$kind.po ]] || continue
    ids=$(list_msgids "$tmp/$kind.po")
    [[ -n $ids ]] || continue
    n=$(printf '%s\n' "$ids" | wc -l)
    echo "po/update.sh: po/ru.po has $n $kind message(s); translate them (run po/update.sh, then edit po/ru.po):"
    printf '%s\n' "$ids"
    status=1
  done

  # Every translation must keep the braces of its msgid, in order: a lost or
  # added {} makes trf() throw at run time.
  cat >"$tmp/braces.sh" <<'SH'
[ -n "$MSGEXEC_MSGID" ] || exit 0
str=$(cat)
[ -n "$str" ] || exit 0
want=$(printf '%s' "$MSGEXEC_MSGID" | tr -cd '{}')
have=$(printf '%s' "$str" | tr -cd '{}')
[ "$want" = "$have" ] || sh "$(dirname "$0")/show-msgid.sh"
SH
  msgexec -i "$merged" sh "$tmp/braces.sh" >"$tmp/braces.txt"
  if [[ -s $tmp/braces.txt ]]; then
    echo "po/update.sh: these translations in po/ru.po do not keep the {} placeholders of the msgid:"
    cat "$tmp/braces.txt"
    status=1
  fi

  if ! msgfmt --check -o /dev/null po/ru.po; then
    echo "po/update.sh: msgfmt --check rejects po/ru.po (see above)."
    status=1
  fi

  if [[ $status -eq 0 ]]; then
    n=$(grep -c '^msgid ' "$tmp/setevoe.pot")
    echo "po/update.sh: po/ru.po translates all $((n - 1)) messages."
  fi
  exit "$status"
fi

# The template: keep the old file (and its date) when only the date changed.
if [[ -f po/setevoe.pot ]] && cmp -s <(strip_date "$tmp/setevoe.pot") <(strip_date po/setevoe.pot); then
  :
else
  install_if_changed "$tmp/setevoe.pot" po/setevoe.pot
fi

# Russian: merge; msgmerge --update rewrites the file only when it changes.
if [[ -f po/ru.po ]]; then
  before=$(cksum < po/ru.po)
  msgmerge --quiet --update --backup=none --no-fuzzy-matching po/ru.po po/setevoe.pot
  [[ $(cksum < po/ru.po) == "$before" ]] || echo "po/update.sh: wrote po/ru.po"
else
  echo "po/update.sh: po/ru.po is missing; start it with: msginit -l ru -i po/setevoe.pot -o po/ru.po" >&2
  exit 66
fi

# English: every translation equals its msgid; the header names the language.
msgen --no-wrap -o "$tmp/en.body.po" po/setevoe.pot
sed -e '/^#, fuzzy$/d' \
    -e 's/^"PO-Revision-Date: .*/"PO-Revision-Date: \\n"/' \
    -e 's/^"Last-Translator: .*/"Last-Translator: setevoe\\n"/' \
    -e 's/^"Language-Team: .*/"Language-Team: English\\n"/' \
    -e 's/^"Language: .*/"Language: en\\n"/' \
    -e 's/^"Content-Type: .*/"Content-Type: text\/plain; charset=UTF-8\\n"/' \
    -e '/^"Content-Transfer-Encoding: /a "Plural-Forms: nplurals=2; plural=(n != 1);\\n"' \
    -e '1,/^$/{/^# SOME DESCRIPTIVE TITLE/s/.*/# English messages of setevoe: the msgids themselves. Generated by po\/update.sh; do not edit./;/^# Copyright (C) YEAR/d;/^# This file is distributed/d;/^# FIRST AUTHOR/d}' \
    "$tmp/en.body.po" >"$tmp/en.po"
# Back to the usual line wrapping, so the file reads like the others.
msgcat -o "$tmp/en.wrapped.po" "$tmp/en.po"
install_if_changed "$tmp/en.wrapped.po" po/en.po

msgfmt --check -o /dev/null po/ru.po
msgfmt --check -o /dev/null po/en.po
