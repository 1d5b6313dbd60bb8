#!/bin/sh
# Checks that every translatable string reaches po/zh_CN.po: POTFILES.in lists
# every source that marks strings, and zh_CN.po translates every one of them,
# with nothing fuzzy. Prints TAP.
set -u
srcdir=${1:?usage: check-translations.sh SOURCE_DIR}
cd "$srcdir" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

report() {
  n=$((n + 1))
  if [ "$1" = ok ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=1; fi
}

echo "1..4"

grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
{ grep -l -E '(^|[^A-Za-z0-9_])(N?_|C_|NC_) ?\(' app/*.c sync/*.c hub/*.c ui/*.c ui/*/*.c 2>/dev/null
  grep -l 'translatable="yes"' resources/*.ui resources/*/*.ui 2>/dev/null
  ls data/*.in 2>/dev/null | grep -E '\.(desktop|metainfo\.xml|gschema\.xml)\.in' ; } | sort -u > "$tmp/marked"
missing=$(comm -13 "$tmp/listed" "$tmp/marked")
stale=$(for f in $(cat "$tmp/listed"); do [ -f "$f" ] || echo "$f"; done)
if [ -z "$missing$stale" ]; then
  report ok "POTFILES.in lists every file with translatable strings"
else
  echo "# not in po/POTFILES.in: $missing"
  echo "# listed but missing: $stale"
  report fail "POTFILES.in lists every file with translatable strings"
fi

if xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dngettext:2,3 --add-comments --files-from=po/POTFILES.in \
     --output="$tmp/cunxiao.pot" 2> "$tmp/xgettext.log"; then
  report ok "strings extract"
else
  sed 's/^/# /' "$tmp/xgettext.log"
  report fail "strings extract"
fi

if msgcmp po/zh_CN.po "$tmp/cunxiao.pot" 2> "$tmp/msgcmp.log"; then
  report ok "zh_CN.po translates every string"
else
  sed 's/^/# /' "$tmp/msgcmp.log" | head -40
  report fail "zh_CN.po translates every string"
fi

fuzzy=$(msgattrib --only-fuzzy --no-obsolete po/zh_CN.po)
if msgfmt --check --output-file=/dev/null po/zh_CN.po 2> "$tmp/msgfmt.log" && [ -z "$fuzzy" ]; then
  report ok "zh_CN.po is well formed and has nothing fuzzy"
else
  sed 's/^/# /' "$tmp/msgfmt.log"
  report fail "zh_CN.po is well formed and has nothing fuzzy"
fi

exit $fail
