# CLI checks of `vpcsim graph`, sourced by tests/cli/run.sh after its own
# checks: uses its run, pass, fail, usage_error, $tmp and $VPCSIM.  The
# pictures themselves are checked in tests/check_picture.c.

gmodel=scenarios/three-tier.yaml

# graph_ok WHAT PREFIX ARGS...: exit status 0, stdout starting with
# PREFIX, nothing on stderr.
graph_ok() {
	what=$1
	prefix=$2
	shift 2
	run graph "$@"
	if [ "$rc" -ne 0 ]; then
		fail "graph $what: exit status $rc: $(head -n 2 "$tmp/err")"
	elif [ -s "$tmp/err" ]; then
		fail "graph $what: stderr: $(head -n 2 "$tmp/err")"
	elif [ "$(head -c ${#prefix} "$tmp/out")" != "$prefix" ]; then
		fail "graph $what: stdout does not start with '$prefix'"
	else
		pass
	fi
}

graph_ok "default format" "digraph vpcsim {" "$gmodel"
graph_ok "--format dot" "digraph vpcsim {" "$gmodel" --format dot
graph_ok "--format mermaid" "graph TB" "$gmodel" --format mermaid
graph_ok "--format graphml" "<?xml" "$gmodel" --format graphml
graph_ok "--format svg" "<?xml" "$gmodel" --format=svg
graph_ok "--format json" "{" "$gmodel" --format json
if command -v python3 >/dev/null 2>&1; then
	if python3 -m json.tool "$tmp/out" >/dev/null 2>"$tmp/jerr"; then
		pass
	else
		fail "graph --format json: not JSON: $(head -n 1 "$tmp/jerr")"
	fi
fi

# The exposure picture: every flow drawn starts at the internet, or at
# the internet gateway it enters by (links that are no flow, "-.-",
# join a resource drawn once to where it runs).
graph_ok "--from internet" "graph TB" "$gmodel" --from internet -f mermaid
links=$(grep -E '^  [A-Za-z0-9_]+ (-->|==>|-\.->)' "$tmp/out")
if [ -n "$links" ] &&
	! printf '%s\n' "$links" | grep -qvE '^  (internet|igw[0-9]+_[A-Za-z0-9_]*) '; then
	pass
else
	fail "graph --from internet: a flow from elsewhere, or none"
fi

# The teaching picture draws the intended flows; --all-flows every flow,
# the database's way out among them.
graph_ok "default picture" "graph TB" "$gmodel" -f mermaid
if ! grep -qE '^  n[0-9]+_db -' "$tmp/out"; then
	pass
else
	fail "graph: the default picture draws a flow out of the database"
fi
graph_ok "--all-flows" "graph TB" "$gmodel" --all-flows -f mermaid
if grep -qE '^  n[0-9]+_db -\.->.*internet' "$tmp/out"; then
	pass
else
	fail "graph --all-flows: no flow from the database to the internet"
fi

run graph "$gmodel" --format svg --output "$tmp/picture.svg"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] &&
	grep -q '<svg' "$tmp/picture.svg"; then
	pass
else
	fail "graph --output: exit status $rc, or no SVG in the file"
fi

usage_error "graph without a model" "usage: vpcsim graph" graph
usage_error "graph --format png" "--format must be one of" \
	graph "$gmodel" --format png
usage_error "graph unknown option" "did you mean '--from'" \
	graph "$gmodel" --fromm internet
usage_error "graph --from a service" "AWS services are destinations only" \
	graph "$gmodel" --from aws:s3
usage_error "graph --from an address" "not one internet address" \
	graph "$gmodel" --from 198.51.100.7
usage_error "graph --from a placement" "not a placement or an address" \
	graph "$gmodel" --from web@private-a
usage_error "graph --from unknown" "nosuch" graph "$gmodel" --from nosuch
usage_error "graph --output unwritable" "cannot write" \
	graph "$gmodel" --output "$tmp/no/such/dir/x.svg"

# Levels of detail: what a node stands for, chosen or automatic.
graph_ok "--detail subnets" "{" "$gmodel" --detail subnets --format json
if grep -q '"detail": "subnets"' "$tmp/out" &&
	grep -q '"kind": "subnet"' "$tmp/out"; then
	pass
else
	fail "graph --detail subnets: no subnet nodes"
fi
graph_ok "--detail=vpcs" "graph TB" "$gmodel" --detail=vpcs --format mermaid
if grep -q 'n0_main\["6 resources' "$tmp/out"; then
	pass
else
	fail "graph --detail vpcs: no node for VPC main"
fi
# The canonical scenario is small: auto draws its endpoints.
graph_ok "--detail auto" "{" "$gmodel" --detail auto --format json
if ! grep -q '"detail"' "$tmp/out"; then
	pass
else
	fail "graph --detail auto on three-tier: not the endpoint level"
fi
usage_error "graph --detail bogus" "--detail must be one of" \
	graph "$gmodel" --detail bogus
usage_error "graph unknown option near --detail" "did you mean '--detail'" \
	graph "$gmodel" --detial subnets
# A mesh of 600 hosts: auto draws groups; the endpoint level (359,400
# flows between hosts, 3,000 to and from the internet and the services)
# is refused with a way out.
mesh=$tmp/mesh600.yaml
sh tests/hostile/gen.sh mesh 600 >"$mesh"
graph_ok "mesh: auto" "{" "$mesh" --format json
if grep -q '"detail": "groups"' "$tmp/out" &&
	[ "$(wc -c <"$tmp/out")" -lt 50000 ]; then
	pass
else
	fail "graph of a 600-host mesh: not groups, or not small"
fi
usage_error "mesh: --detail endpoints refused" \
	"would draw 362400 flows between endpoints, more than 100000" \
	graph "$mesh" --detail endpoints

run help
if grep -q "^  graph  *draw" "$tmp/out"; then
	pass
else
	fail "help does not list graph"
fi
