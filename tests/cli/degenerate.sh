# CLI checks of degenerate models (issue 15 item 2), sourced by
# tests/cli/run.sh: uses its run, pass, fail, $tmp and $VPCSIM.  Under
# check-asan they run with ASan and UBSan, so undefined behaviour fails
# them.
#
# Models: no VPC at all, a VPC with no subnet, a subnet with nothing in
# it, one instance without a security group, and ten thousand empty
# VPCs.  Every command answers each of them (show, check in every format,
# reach, trace, graph in every format, sim --all-azs, diff): exit 0, or
# 1 where a gate says so, or 2 with a message on standard error for a
# question the model cannot answer (an address in no subnet, an SVG too
# large to lay out) -- never a signal, never an empty standard output
# with exit 0.

printf 'vpcs: {}\n' >"$tmp/d-novpc.yaml"
printf 'region: us-east-1\nvpcs:\n  v: {cidr: 10.0.0.0/16}\n' \
    >"$tmp/d-nosubnet.yaml"
printf '%s\n' 'region: us-east-1' 'vpcs:' '  v: {cidr: 10.0.0.0/16}' \
    'subnets:' '  s: {vpc: v, cidr: 10.0.0.0/24, az: us-east-1a}' \
    >"$tmp/d-empty-subnet.yaml"
cp "$tmp/d-empty-subnet.yaml" "$tmp/d-one.yaml"
printf '%s\n' 'instances:' '  i: {subnet: s}' >>"$tmp/d-one.yaml"
awk 'BEGIN {
	print "region: us-east-1"
	print "vpcs:"
	for (i = 0; i < 10000; i++)
		printf "  v%d: {cidr: 10.%d.%d.0/24}\n", i, int(i / 256), i % 256
}' >"$tmp/d-vpcs10k.yaml"

# degenerate_ok WHAT ALLOWED ARGS...: exit status among ALLOWED; with 0,
# something on stdout; with 2, a message on stderr; never a sanitizer
# report.
degenerate_ok() {
	what=$1
	allowed=$2
	shift 2
	run "$@"
	ok=0
	for a in $allowed; do
		[ "$rc" = "$a" ] && ok=1
	done
	if [ $ok = 0 ]; then
		fail "degenerate $what: exit status $rc: $(head -c 300 "$tmp/err")"
	elif grep -q 'runtime error\|Sanitizer' "$tmp/err"; then
		fail "degenerate $what: $(head -c 300 "$tmp/err")"
	elif [ "$rc" = 0 ] && [ ! -s "$tmp/out" ]; then
		fail "degenerate $what: exit 0 and nothing on stdout"
	elif [ "$rc" = 2 ] && [ ! -s "$tmp/err" ]; then
		fail "degenerate $what: exit 2 and no message"
	else
		pass
	fi
}

for d in novpc nosubnet empty-subnet one vpcs10k; do
	m=$tmp/d-$d.yaml
	degenerate_ok "$d show" 0 show "$m"
	degenerate_ok "$d show json" 0 show "$m" --format json
	for f in text json sarif junit; do
		degenerate_ok "$d check $f" 0 check "$m" --format "$f"
	done
	degenerate_ok "$d reach internet" 0 reach "$m" --from internet
	degenerate_ok "$d reach internet json" 0 reach "$m" --from internet \
	    --format json
	degenerate_ok "$d reach internet csv" 0 reach "$m" --from internet \
	    --format csv
	degenerate_ok "$d trace to an address" 2 trace "$m" --from internet \
	    --to 10.0.0.5
	for f in dot mermaid graphml json; do
		degenerate_ok "$d graph $f" 0 graph "$m" --format "$f"
	done
	degenerate_ok "$d graph endpoints json" 0 graph "$m" --format json \
	    --detail endpoints
	degenerate_ok "$d sim --all-azs" 0 sim "$m" --all-azs
	degenerate_ok "$d sim --all-azs json" 0 sim "$m" --all-azs \
	    --format json
	degenerate_ok "$d diff with itself" 0 diff "$m" "$m"
	degenerate_ok "$d diff json" 0 diff "$m" "$tmp/d-novpc.yaml" \
	    --format json
	degenerate_ok "$d diff to one instance" "0 1" diff "$m" \
	    "$tmp/d-one.yaml"
done

# Small models lay out as an SVG; ten thousand VPC boxes are refused.
for d in novpc nosubnet empty-subnet one; do
	degenerate_ok "$d graph svg" 0 graph "$tmp/d-$d.yaml" --format svg
done
degenerate_ok "vpcs10k graph svg (refused)" 2 graph "$tmp/d-vpcs10k.yaml" \
    --format svg

# The one instance: traced, failed, counted.
degenerate_ok "one trace" 0 trace "$tmp/d-one.yaml" --from internet --to i \
    --port 22
degenerate_ok "one sim --fail" 0 sim "$tmp/d-one.yaml" --fail i
degenerate_ok "one reach from it" 0 reach "$tmp/d-one.yaml" --from i

# A model with nothing of the input's own says so with --fail-on-empty.
degenerate_ok "novpc check --fail-on-empty" 1 check "$tmp/d-novpc.yaml" \
    --fail-on-empty
if grep -q 'nothing was checked' "$tmp/err"; then
	pass
else
	fail "degenerate novpc: --fail-on-empty does not say nothing was checked"
fi
