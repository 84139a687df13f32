#!/usr/bin/env bash
# The golden markdown reports rendered by cmark-gfm (GitHub's own markdown
# parser, with its table extension): every table in the text is a table in
# the HTML with the same number of cells in each row as in its header, and
# the hostile names stay text (no element, no link, no code) after rendering.
set -u
dir=$1
fail=0
command -v cmark-gfm >/dev/null || { echo "cmark-gfm missing: apt-get install cmark-gfm"; exit 1; }
for md in "$dir"/*.md; do
  html=$(cmark-gfm -e table -e strikethrough -e autolink "$md")
  want=$(grep -c '^| ---' "$md")
  got=$(grep -c '<table>' <<<"$html")
  if [ "$want" -ne "$got" ]; then
    echo "FAIL $(basename "$md"): $want tables written, $got rendered"
    fail=1
  fi
  # every row has its header's cells: the renderer would silently drop or
  # pad cells, so count the unescaped pipes of the source (a \| is text)
  bad=$(awk '
    function pipes(s,  t) { t = s; gsub(/\\\|/, "", t); return gsub(/\|/, "", t) }
    /^\|/ { if (!in_table) { want = pipes($0); in_table = 1 } else if (pipes($0) != want) print; next }
    { in_table = 0 }' "$md" | wc -l)
  if [ "$bad" -ne 0 ]; then
    echo "FAIL $(basename "$md"): $bad table rows with a cell count unlike the header"
    fail=1
  fi
done
html=$(cmark-gfm -e table -e strikethrough -e autolink "$dir/hostile.md")
for raw in '<script' 'javascript:' '<em>' '<code>a' '<del>' '<img'; do
  if grep -q -- "$raw" <<<"$html"; then
    echo "FAIL hostile.md: '$raw' in the rendered HTML"
    fail=1
  fi
done
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' <<<"$html" || { echo "FAIL hostile.md: the script tag is not shown as text"; fail=1; }
[ $fail -eq 0 ] && echo "markdown renders as GitHub tables: ok"
exit $fail
