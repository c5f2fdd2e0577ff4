#!/bin/sh
# The doc test: every command of a tutorial is run, and what it prints must
# be what the page says it prints, so the page cannot drift from vpcsim.
#
#   VPCSIM=./vpcsim sh tests/doc/run.sh [docs/tutorial.md]
#   VPCSIM=./vpcsim sh tests/doc/run.sh --update docs/tutorial.md > new.md
#
# Run from the repository root.  What is checked:
#
# - Each fenced block opened by ```console is a terminal session: a line
#   "$ COMMAND" is a command, the lines after it up to the next "$ " line or
#   the fence are what it prints (standard output and standard error in one
#   stream, without colour, in the C locale).  Each command runs alone
#   under sh in the repository root, with the vpcsim of $VPCSIM first on
#   the PATH.
# - A command that exits with a status other than 0 must be followed by
#   "$ echo $?" and its status: a page never hides a failing command.
# - Each "<!-- exercise: BROKEN FIXED -->" names an exercise's broken model
#   and its answer: both files exist, they differ in 1 to 20 lines
#   (comments aside: the answer fixes the broken model, it is not another
#   one), and some checked command on BROKEN is also checked on FIXED (the
#   same command, the file name changed) with a different output, so the
#   page shows the problem and shows the answer curing it.
#
# --update prints the page with every expected output replaced by the real
# one (to write a new lesson: put the command, run, read what changed).
# Prints one line per failure with a diff, then "N passed, N failed";
# exits 1 when anything failed.

VPCSIM=${VPCSIM:-./vpcsim}
update=0
if [ "$1" = "--update" ]; then
	update=1
	shift
fi
doc=${1:-docs/tutorial.md}
# With --update the report goes to standard error, the page to standard
# output (descriptor 3).
exec 3>&1
[ "$update" -eq 0 ] || exec 1>&2
passed=0
failed=0

case $VPCSIM in
/*) bin=$VPCSIM ;;
*) bin=$(pwd)/$VPCSIM ;;
esac
if [ ! -x "$bin" ] || [ "$(basename "$bin")" != vpcsim ]; then
	echo "FAIL: VPCSIM=$VPCSIM is not an executable named vpcsim"
	echo "0 passed, 1 failed"
	exit 1
fi
[ -f "$doc" ] || {
	echo "FAIL: no $doc"
	exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-doc.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# Splits the page into $tmp/N.cmd (one command), $tmp/N.exp (what the page
# says it prints) and $tmp/N.line (its line in the page), N counting from
# 1 in page order; $tmp/exercises lists "LINE BROKEN FIXED".  A console
# block without a command, or not closed, is an error of the page.
awk -v dir="$tmp" '
function flush() {
	if (n > 0) close(dir "/" n ".exp")
}
/^```console[ \t]*$/ && !inblock {
	inblock = 1; start = NR; cmds = 0; next
}
/^```/ && inblock {
	flush(); inblock = 0
	if (cmds == 0) {
		print "FAIL: " FILENAME ":" start ": a console block without a $ command" > (dir "/errors")
	}
	next
}
inblock && /^\$ / {
	flush(); n++; cmds++
	cmd = substr($0, 3)
	print cmd > (dir "/" n ".cmd"); close(dir "/" n ".cmd")
	print NR > (dir "/" n ".line"); close(dir "/" n ".line")
	printf "" > (dir "/" n ".exp")
	next
}
inblock && n > 0 && cmds > 0 {
	print $0 > (dir "/" n ".exp")
	next
}
/^<!-- exercise: [^ ]+ [^ ]+ -->[ \t]*$/ {
	print NR, $3, $4 > (dir "/exercises")
}
END {
	if (inblock)
		print "FAIL: " FILENAME ":" start ": a console block not closed" > (dir "/errors")
	print n + 0 > (dir "/count")
}' "$doc"

if [ -s "$tmp/errors" ]; then
	cat "$tmp/errors"
	failed=$((failed + $(wc -l <"$tmp/errors")))
fi
count=$(cat "$tmp/count")
[ "$count" -gt 0 ] || fail "$doc: no console block to check"

# Runs each command; the output goes to $tmp/N.out.  "echo $?" prints the
# status of the command before it, which the page then states.
root=$(pwd)
path="$(dirname "$bin"):$PATH"
i=1
status=0
unshown=""
while [ "$i" -le "$count" ]; do
	cmd=$(cat "$tmp/$i.cmd")
	line=$(cat "$tmp/$i.line")
	if [ "$cmd" = 'echo $?' ]; then
		echo "$status" >"$tmp/$i.out"
		unshown=""
	else
		[ -z "$unshown" ] || fail "$unshown"
		(cd "$root" && unset CLICOLOR_FORCE &&
			NO_COLOR=1 LC_ALL=C PATH=$path sh -c "$cmd") \
			>"$tmp/$i.out" 2>&1 </dev/null
		status=$?
		unshown=""
		[ "$status" -eq 0 ] ||
			unshown="$doc:$line: \`$cmd\` exits $status, and no \"\$ echo \$?\" after it says so"
	fi
	if cmp -s "$tmp/$i.exp" "$tmp/$i.out"; then
		passed=$((passed + 1))
	else
		fail "$doc:$line: \`$cmd\` prints something else than the page says:"
		diff -u "$tmp/$i.exp" "$tmp/$i.out" | sed '1,2d'
	fi
	i=$((i + 1))
done
[ -z "$unshown" ] || fail "$unshown"

# The exercises: the answer is a small change of the broken model, and a
# command the page checks on both prints something different for each.
if [ -f "$tmp/exercises" ]; then
	while read -r line broken fixed; do
		where="$doc:$line: exercise $broken -> $fixed"
		if [ ! -f "$broken" ] || [ ! -f "$fixed" ]; then
			fail "$where: a file is missing"
			continue
		fi
		grep -v '^[[:space:]]*#' "$broken" | sed 's/[[:space:]]*#.*//' >"$tmp/b.yaml"
		grep -v '^[[:space:]]*#' "$fixed" | sed 's/[[:space:]]*#.*//' >"$tmp/f.yaml"
		changed=$(diff "$tmp/b.yaml" "$tmp/f.yaml" | grep -c '^[<>]')
		if [ "$changed" -lt 1 ] || [ "$changed" -gt 20 ]; then
			fail "$where: the files differ in $changed lines, not 1 to 20"
			continue
		fi
		shown=0
		i=1
		while [ "$i" -le "$count" ]; do
			cmd=$(cat "$tmp/$i.cmd")
			case " $cmd " in
			*" $broken "*)
				want=$(printf '%s\n' "$cmd" | sed "s|$broken|$fixed|g")
				j=1
				while [ "$j" -le "$count" ]; do
					if [ "$(cat "$tmp/$j.cmd")" = "$want" ]; then
						sed "s|$broken|FILE|g" "$tmp/$i.out" >"$tmp/b.out"
						sed "s|$fixed|FILE|g" "$tmp/$j.out" >"$tmp/f.out"
						cmp -s "$tmp/b.out" "$tmp/f.out" || shown=1
					fi
					j=$((j + 1))
				done
				;;
			esac
			i=$((i + 1))
		done
		if [ "$shown" -eq 1 ]; then
			passed=$((passed + 1))
		else
			fail "$where: no command is checked on both with a different output"
		fi
	done <"$tmp/exercises"
fi

if [ "$update" -eq 1 ]; then
	# The page again, each command's expected output replaced by its real
	# output (the text outside console blocks unchanged).
	awk -v dir="$tmp" '
/^```console[ \t]*$/ && !inblock { inblock = 1; print; next }
/^```/ && inblock { inblock = 0; skipping = 0; print; next }
inblock && /^\$ / {
	print; n++
	f = dir "/" n ".out"
	while ((getline l < f) > 0) print l
	close(f)
	skipping = 1; next
}
inblock && skipping { next }
{ print }' "$doc" >&3
	exit 0
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
