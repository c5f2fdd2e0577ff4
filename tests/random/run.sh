#!/bin/sh
# Random models through every command (issue 15, docs/robustness.md).
#
#   VPCSIM=./vpcsim RANDMODEL=build/randmodel sh tests/random/run.sh [N [FIRST]]
#
# Makes N models (default 200) with tests/random/randmodel.c from seeds
# FIRST, FIRST+1, ... (default 1).  The commands that take many models a
# run take them all at once: show (text, JSON; every model must load),
# check in every format (text, JSON, SARIF, JUnit), the exposure map
# (reach --from internet, text and JSON).  Then each model alone, four
# runs of the commands that take one, their options in turn from the
# seed: one of trace (--explain or JSON), reach between two resources or
# from the internet, a map to or from one (text, JSON, CSV) and chains
# (reach --hops 1-8 --limit 1-5); graph (every format, every --detail);
# sim --all-azs or sim --fail a resource; and diff against the model's
# mutation (randmodel SEED --mutate) in every format.  Every run is under
# `ulimit -t` 10 s of CPU and `timeout` 20 s, and 1 GiB of memory: `ulimit
# -v` for a plain build, ASan's hard_rss_limit_mb for a sanitizer build
# (whose shadow memory no address-space limit leaves room for).  A run
# fails when it exits other than 0 or 1 (2 only where a refusal is
# expected), when a sanitizer writes to stderr, when it writes more than
# 10 MB (1 MB a model for the runs of all).  Prints the failures with their command lines, then "random: N
# models, N runs, N failed, S s"; exits 1 if any failed.  The models of a
# failure stay in $KEEP (default /tmp/vpcsim-random-fail): SEED.yaml and
# SEED-mutated.yaml.
set -u
VPCSIM=${VPCSIM:-./vpcsim}
RANDMODEL=${RANDMODEL:-build/randmodel}
N=${1:-200}
FIRST=${2:-1}
KEEP=${KEEP:-/tmp/vpcsim-random-fail}
LIMIT_KB=1048576
MAX_OUT=10000000
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-random.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# A sanitizer build cannot start under an address-space limit: give it
# ASan's own limit on resident memory instead (and an exit status of its
# own, which no command uses).
vlimit=$LIMIT_KB
# (Not the subshell's last command: the shell would exec it, and report
# its abort under the limit on our standard error.)
if ! (ulimit -v $LIMIT_KB && "$VPCSIM" --version && exit 0) >/dev/null 2>&1; then
	vlimit=unlimited
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024:exitcode=99"
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=99"
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

runs=0
failed=0

# run SEED ALLOWED ARGS...: one command; ALLOWED lists the exit statuses
# it may end with; SEED names the model kept on failure ("all": every
# model).
run() {
	seed=$1
	allowed=$2
	shift 2
	runs=$((runs + 1))
	(
		ulimit -t 10
		[ "$vlimit" = unlimited ] || ulimit -v "$vlimit"
		exec timeout 20 "$VPCSIM" "$@"
	) >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	why=""
	ok=0
	for a in $allowed; do
		[ "$rc" = "$a" ] && ok=1
	done
	[ $ok = 1 ] || why="exit $rc (allowed: $allowed)"
	if grep -q 'Sanitizer\|runtime error:\|out of memory' "$tmp/err"; then
		why="${why:+$why; }sanitizer or memory report"
	fi
	max=$MAX_OUT
	[ "$seed" = all ] && max=$((N * MAX_OUT / 10))
	[ "$(wc -c <"$tmp/out")" -le $max ] ||
		why="${why:+$why; }more than $max bytes"
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		mkdir -p "$KEEP"
		if [ "$seed" = all ]; then
			cp "$tmp"/m/*.yaml "$KEEP"/
		else
			cp "$tmp/m/$seed.yaml" "$tmp/new/$seed.yaml" "$KEEP"/
		fi
		echo "FAIL seed $seed: vpcsim $* -> $why"
		head -n 5 "$tmp/err" | sed 's/^/    /'
	fi
}

# pick LIST K: the word of LIST at K modulo its length (none when empty).
pick() {
	set -- $1 "$2"
	eval k=\${$#}
	n=$(($# - 1))
	[ $n -gt 0 ] || return 0
	eval echo \${$((k % n + 1))}
}

start=$(date +%s)
mkdir -p "$tmp/m" "$tmp/new"
last=$((FIRST + N - 1))
seed=$FIRST
while [ "$seed" -le "$last" ]; do
	"$RANDMODEL" "$seed" >"$tmp/m/$seed.yaml" || exit 2
	"$RANDMODEL" "$seed" --mutate >"$tmp/new/$seed.yaml" || exit 2
	seed=$((seed + 1))
done

run all 0 show "$tmp/m"
run all 0 show "$tmp/m" -f json
for f in text json sarif junit; do
	run all "0 1" check "$tmp/m" -f $f
done
for f in text json; do
	run all "0 1" reach "$tmp/m" --from internet -f $f
done

seed=$FIRST
while [ "$seed" -le "$last" ]; do
	m="$tmp/m/$seed.yaml"
	# The resources that have placements, by the generator's names.
	res=$(sed -n 's/^  \(\(i\|db\|lb\|svc\|fleet\|ecr\|nat\)-[0-9-]*\(replica\)\{0,1\}\):.*/\1/p' "$m")
	r1=$(pick "$res" "$seed")
	r2=$(pick "$res" $((seed / 3 + 1)))
	port=$(pick "443 22 3306 3000 80 5432 8080 53" "$seed")
	if [ -n "$r1" ]; then
		case $((seed / 7 % 4)) in
		0) run "$seed" "0 1" trace "$m" --from internet --to "$r1" \
			--port "$port" $(pick "--explain -fjson" "$seed") ;;
		1) run "$seed" "0 1" reach "$m" \
			--from "$(pick "internet $r2" "$seed")" --to "$r1" \
			--port "$port" -f "$(pick "text json" "$seed")" ;;
		2) run "$seed" "0 1" reach "$m" \
			$(pick "--to=$r1 --from=internet --from=$r2" "$seed") \
			-f "$(pick "text json csv" $((seed / 3)))" ;;
		3) run "$seed" "0 1" reach "$m" \
			--from "$(pick "internet $r2" "$seed")" --to "$r1" \
			--hops $((seed % 8 + 1)) --limit $((seed % 5 + 1)) \
			-f "$(pick "text json" $((seed / 2)))" ;;
		esac
	fi
	# An SVG too big for graphviz to lay out, or a --detail endpoints
	# picture too big to draw, is refused with exit 2: never a crash.
	run "$seed" "0 2" graph "$m" -f "$(pick "dot mermaid graphml json svg" "$seed")" \
		--detail "$(pick "auto endpoints groups subnets vpcs" $((seed / 5)))"
	if [ -n "$r2" ] && [ $((seed % 2)) = 1 ]; then
		run "$seed" "0 1" sim "$m" --fail "$r2" -f json
	else
		run "$seed" "0 1" sim "$m" --all-azs
	fi
	run "$seed" "0 1" diff "$m" "$tmp/new/$seed.yaml" \
		-f "$(pick "text json markdown sarif junit" "$seed")"
	seed=$((seed + 1))
done
echo "random: $N models, $runs runs, $failed failed, $(($(date +%s) - start)) s"
[ $failed = 0 ]
