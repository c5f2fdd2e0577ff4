#!/bin/sh
# The hostile inputs of issue 15 that concern the graph and chains, each
# run under `timeout 10` and `ulimit -v` 1 GiB: every run must end in time
# with exit status 0, 1 or 2 (never a signal, never "out of memory") and
# write at most 10 MB (standard output and standard error each).  The inputs are made by tests/hostile/gen.sh:
#
#   - a 20-host full mesh: reach --hops 8 (text and JSON, from a host and
#     from the internet), and check with policies of hops: 8;
#   - 2,000- and 4,000-host full meshes: graph in every format (and with
#     --from), reach --hops 3 and 8, graph --detail endpoints, which
#     must refuse (exit 2) rather than draw millions of flows, and check,
#     whose rules ask about 16 million placement pairs and answer them
#     per pair of classes (issue 18: 14 s before, 1 s now);
#   - security-group rules naming prefix lists: 100 groups of 50 rules
#     naming 80 lists of 30 blocks (312 KB, issue 15: more than 30 s
#     before), through check and the exposure map;
#   - one CloudFormation error reached 3.6 million times through YAML
#     aliases (628 bytes; 4.47 million error lines before): the error is
#     printed once with "(repeated N times)";
#   - a model with no VPC (`vpcs: {}`) through check, reach, graph, diff.
#
#   VPCSIM=./vpcsim sh tests/hostile/run.sh      (make hostile)
#
# Prints one line per run (time, peak memory when /usr/bin/time is
# there, output size) and "N passed, N failed"; exits 1 if any failed.
# Not for sanitizer builds: ASan reserves more address space than the
# limit allows.
set -u
VPCSIM=${VPCSIM:-./vpcsim}
GEN="sh $(dirname "$0")/gen.sh"
LIMIT_KB=1048576
MAX_OUT=10000000
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# timed ARGS...: vpcsim under timeout, timed when /usr/bin/time is there.
timed() {
	if [ -x /usr/bin/time ]; then
		exec /usr/bin/time -f '%e %M' -o "$tmp/time" timeout 10 \
		    "$VPCSIM" "$@"
	fi
	exec timeout 10 "$VPCSIM" "$@"
}

# check NAME ALLOWED ARGS...: one run; ALLOWED lists the exit statuses
# accepted ("0 1 2", or "2" for a refusal).
check() {
	name=$1
	allowed=$2
	shift 2
	rm -f "$tmp/time"
	(
		ulimit -v $LIMIT_KB
		timed "$@"
	) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	size=$(wc -c <"$tmp/out")
	esize=$(wc -c <"$tmp/err")
	t="-"
	[ -s "$tmp/time" ] && t=$(tail -n 1 "$tmp/time")
	ok=0
	for a in $allowed; do
		[ "$rc" = "$a" ] && ok=1
	done
	if grep -q "out of memory" "$tmp/err"; then
		ok=0
	fi
	if [ "$size" -gt $MAX_OUT ] || [ "$esize" -gt $MAX_OUT ]; then
		ok=0
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
		printf 'ok   %-44s exit %s  %s s %s KB  %s bytes\n' "$name" "$rc" \
		    ${t% *} ${t#* } "$size"
	else
		failed=$((failed + 1))
		printf 'FAIL %-44s exit %s  %s  %s bytes: %s\n' "$name" "$rc" \
		    "$t" "$size" "$(head -c 200 "$tmp/err")"
	fi
}

$GEN mesh 20 8 >"$tmp/mesh20.yaml"
$GEN mesh 2000 >"$tmp/mesh2000.yaml"
$GEN mesh 4000 >"$tmp/mesh4000.yaml"
$GEN prefix 100 50 80 30 >"$tmp/prefix.yaml"
$GEN aliases >"$tmp/amp.yaml"

check "alias-amplified template" "2" show "$tmp/amp.yaml"
if [ "$(grep -c ': error: ' "$tmp/err")" -gt 2 ] ||
    ! grep -q "Ref to 'Nope'.*(repeated [0-9]* times)" "$tmp/err"; then
	failed=$((failed + 1))
	echo "FAIL alias-amplified template: the error is not folded:"
	head -n 3 "$tmp/err"
fi

check "prefix lists check" "0 1" check "$tmp/prefix.yaml"
check "prefix lists reach --from internet" "0" reach "$tmp/prefix.yaml" \
    --from internet

m=$tmp/mesh20.yaml
check "mesh20 reach --hops 8" "0" reach "$m" --from h0 --to h1 --hops 8
check "mesh20 reach --hops 8 json" "0" reach "$m" --from h0 --to h1 \
    --hops 8 --format json --limit 1000
check "mesh20 reach internet --hops 8" "0" reach "$m" --from internet \
    --to h7 --hops 8
check "mesh20 check (policies, hops 8)" "1" check "$m"

for n in 2000 4000; do
	m=$tmp/mesh$n.yaml
	for f in dot mermaid graphml json svg; do
		check "mesh$n graph --format $f" "0" graph "$m" --format "$f"
	done
	check "mesh$n graph --from internet" "0" graph "$m" --from internet
	check "mesh$n graph --from h7 json" "0" graph "$m" --from h7 \
	    --format json
	check "mesh$n graph --detail subnets" "0" graph "$m" --detail subnets
	check "mesh$n graph --detail endpoints (refused)" "2" graph "$m" \
	    --detail endpoints
	check "mesh$n reach --hops 3" "0" reach "$m" --from h0 --to h1 \
	    --hops 3
	check "mesh$n reach internet --hops 3 json" "0" reach "$m" \
	    --from internet --to h1 --hops 3 --format json
	check "mesh$n reach --hops 8" "0" reach "$m" --from h0 --to h1 \
	    --hops 8
	check "mesh$n check" "1" check "$m"
done

# A model with no VPC (issue 15: undefined behaviour in check, reach,
# graph and diff before; tests/cli/degenerate.sh checks every command on
# it, this gives its cost a line of the table).
printf 'vpcs: {}\n' >"$tmp/novpc.yaml"
check "vpcs: {} check" "0" check "$tmp/novpc.yaml"
check "vpcs: {} reach --from internet" "0" reach "$tmp/novpc.yaml" \
    --from internet
check "vpcs: {} graph" "0" graph "$tmp/novpc.yaml"
check "vpcs: {} diff" "0" diff "$tmp/novpc.yaml" "$tmp/novpc.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
