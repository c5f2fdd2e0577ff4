#!/bin/sh
# The malformed-input corpus through the command line (docs/robustness.md):
# every tests/robust/MANIFEST entry must exit with its status and print its
# first error line, and the inputs made here at run time (a 1 GiB sparse
# file, 100,000 levels of nesting, a scalar over 1 MiB, a directory, a
# missing file, an endless device) must exit 2 with their message, quickly.
# Run from the repository root:
#
#   VPCSIM=./vpcsim sh tests/robust/run.sh
#
# Prints one line per failed check and ends with "robust: N passed, N
# failed"; exits 1 if any check failed.

VPCSIM=${VPCSIM:-./vpcsim}
passed=0
failed=0
tab=$(printf '\t')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-robust.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

pass() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# check WANT-STATUS WANT-LINE ARGS...: runs vpcsim ARGS; with status 2 the
# first stderr line holding ": error: " must be WANT-LINE, with status 0
# the first stderr line (- for none).  Nothing may reach stdout on errors.
check() {
	want_rc=$1
	want=$2
	shift 2
	"$VPCSIM" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ]; then
		got=$(grep -m 1 -F ': error: ' "$tmp/err")
	else
		got=$(head -n 1 "$tmp/err")
	fi
	[ -n "$got" ] || got=-
	if [ "$rc" -ne "$want_rc" ]; then
		fail "$*: exit status $rc, expected $want_rc: $(head -n 1 "$tmp/err")"
	elif [ "$got" != "$want" ]; then
		fail "$*: first error differs"
		printf '    expected: %s\n    got:      %s\n' "$want" "$got"
	elif [ "$rc" -eq 2 ] && [ -s "$tmp/out" ]; then
		fail "$*: printed to stdout"
	else
		pass
	fi
}

if [ ! -x "$VPCSIM" ]; then
	echo "FAIL: VPCSIM=$VPCSIM is not an executable"
	echo "robust: 0 passed, 1 failed"
	exit 1
fi

# ---- the corpus -----------------------------------------------------------

n=0
while IFS="$tab" read -r file status line; do
	case $file in
	'#'* | '') continue ;;
	esac
	n=$((n + 1))
	path=tests/robust/$file
	if [ ! -f "$path" ]; then
		fail "$path: listed in tests/robust/MANIFEST but missing"
		continue
	fi
	case $file in
	policy/*) check "$status" "$line" check scenarios/three-tier.yaml \
		--policy "$path" ;;
	*) check "$status" "$line" show "$path" ;;
	esac
done <tests/robust/MANIFEST
[ "$n" -ge 80 ] || fail "tests/robust/MANIFEST lists $n inputs, fewer than 80"
for f in tests/robust/*/*; do
	grep -q "^${f#tests/robust/}$tab" tests/robust/MANIFEST ||
		fail "$f: not in tests/robust/MANIFEST"
done

# ---- made at run time -----------------------------------------------------

# A 1 GiB file of one scalar, sparse: refused by its size, unread.
f=$tmp/huge.yaml
if dd if=/dev/null of="$f" bs=1 seek=1073741824 2>/dev/null; then
	check 2 "$f: error: file is larger than the 128 MiB limit (1073741824 bytes)" show "$f"
else
	echo "note: cannot make a sparse file; skipped"
fi
rm -f "$f"

# 100,000 levels of nesting, flow and block, YAML and JSON.
rep() { # rep N TEXT: TEXT N times
	head -c "$1" /dev/zero | tr '\0' x | sed "s/x/$2/g"
}
{ printf 'vpcs: '; rep 100000 '['; echo; } >"$tmp/flow.yaml"
check 2 "$tmp/flow.yaml:1:262: error: nesting deeper than the limit of 256 levels" show "$tmp/flow.yaml"
{ rep 100000 '- '; echo x; } >"$tmp/block.yaml"
check 2 "$tmp/block.yaml:1:513: error: nesting deeper than the limit of 256 levels" show "$tmp/block.yaml"
{ printf '{"format_version": "1.2", "planned_values": '; rep 100000 '{"a": '; echo; } >"$tmp/deep.json"
check 2 "$tmp/deep.json:1:1575: error: nesting deeper than the limit of 256 levels" show "$tmp/deep.json"

# A scalar one byte over 1 MiB.
{ printf 'region: '; head -c 1048577 /dev/zero | tr '\0' x; echo; } >"$tmp/long.yaml"
check 2 "$tmp/long.yaml:1:9: error: a scalar longer than the limit of 1048576 bytes" show "$tmp/long.yaml"

# Not a model file at all: a directory holding no model.
mkdir "$tmp/nomodel"
echo 'services: {web: {image: nginx}}' >"$tmp/nomodel/compose.yaml"
check 2 "$tmp/nomodel: error: no model here (1 file of a model's name read, none a model)" show "$tmp/nomodel"
check 2 "$tmp/missing.yaml: error: cannot open: No such file or directory" show "$tmp/missing.yaml"
check 2 "/dev/zero: error: file is larger than the 128 MiB limit" show /dev/zero
: >"$tmp/empty.yaml"
check 2 "$tmp/empty.yaml:1:1: error: the model is empty: expected a mapping with vpcs, subnets, ..." show "$tmp/empty.yaml"

echo "robust: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
