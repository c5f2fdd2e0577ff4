#!/bin/sh
# `make realworld`: runs show, check and `reach --from internet` on every
# unit of the real-world examples (each file alone, then the sets in
# tests/realworld/units) and prints one line a unit:
#
#   UNIT  show=S check=C (E errors, W warnings, I info) reach=R unknowns=U
#
# S, C, R are exit statuses (0 clean, 1 findings, 2 input error); U counts
# the values the input does not determine (`show --format json`).  The
# examples are not part of the project: without ../shared/examples it says
# so and exits 0.  With -v, each unit's stderr follows its line.
#   VPCSIM=./vpcsim sh tests/realworld/run.sh [-v] [DIR]
VPCSIM=${VPCSIM:-./vpcsim}
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
DIR=${1:-../shared/examples/realworld}
if [ ! -d "$DIR" ]; then
	echo "realworld: skipped: $DIR does not exist (the examples live in the shared folder beside the project)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-rw.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

total=0
loaded=0
unit() {
	name=$1
	shift
	"$VPCSIM" show "$@" --format json >"$tmp/show" 2>"$tmp/err"
	s=$?
	"$VPCSIM" check "$@" --format json >"$tmp/check" 2>>"$tmp/err"
	c=$?
	"$VPCSIM" reach "$@" --from internet >/dev/null 2>>"$tmp/err"
	r=$?
	e=$(grep -c '"severity": "error"' "$tmp/check")
	w=$(grep -c '"severity": "warning"' "$tmp/check")
	i=$(grep -c '"severity": "info"' "$tmp/check")
	u=$(awk '/"unknowns": \[$/ { on = 1; next } on && /\]/ { on = 0 }
	    on { n++ } END { print n + 0 }' "$tmp/show")
	printf '%-60s show=%s check=%s (%s errors, %s warnings, %s info) reach=%s unknowns=%s\n' \
	    "$name" "$s" "$c" "$e" "$w" "$i" "$r" "$u"
	total=$((total + 1))
	[ "$s" -ne 2 ] && [ "$c" -ne 2 ] && [ "$r" -ne 2 ] && loaded=$((loaded + 1))
	[ "$verbose" = 1 ] && sed 's/^/    /' "$tmp/err"
}

for f in "$DIR"/cfn/* "$DIR"/tfplan/*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	# the end of a name tells files of one folder apart, not its start
	[ ${#b} -gt 60 ] && b=...$(printf %s "$b" | rev | cut -c1-57 | rev)
	unit "$b" "$f"
done
units=$(dirname "$0")/units
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	name=${line%%:*}
	set --
	for f in ${line#*:}; do set -- "$@" "$DIR/$f"; done
	unit "$name" "$@"
done <"$units"
echo "realworld: $loaded of $total units load"
