#!/bin/sh
# CLI tests: the malformed-input corpus (tests/bad/NAME.yaml must fail with
# exit status 2 and exactly the stderr in tests/bad/NAME.err), the canonical
# scenario, and usage errors.  Run from the repository root:
#
#   VPCSIM=./vpcsim sh tests/cli/run.sh
#   VPCSIM=build-asan/vpcsim sh tests/cli/run.sh
#
# Prints one line per failed check (with a diff where output differs) and
# ends with "N passed, N failed"; exits 1 if any check failed.

VPCSIM=${VPCSIM:-./vpcsim}
passed=0
failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

pass() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# run ARGS...: runs vpcsim, leaving the exit status in $rc and the output
# in $tmp/out and $tmp/err.
run() {
	"$VPCSIM" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

if [ ! -x "$VPCSIM" ]; then
	echo "FAIL: VPCSIM=$VPCSIM is not an executable"
	echo "0 passed, 1 failed"
	exit 1
fi

# ---- the malformed-input corpus -----------------------------------------

for yaml in tests/bad/*.yaml; do
	[ -e "$yaml" ] || {
		fail "no test cases in tests/bad"
		break
	}
	expected=${yaml%.yaml}.err
	if [ ! -f "$expected" ]; then
		fail "$yaml: no $expected"
		continue
	fi
	run show "$yaml"
	why=""
	[ "$rc" -eq 2 ] || why="$why; exit status $rc, expected 2"
	cmp -s "$expected" "$tmp/err" || why="$why; stderr differs from $expected"
	[ ! -s "$tmp/out" ] || why="$why; printed to stdout"
	if [ -z "$why" ]; then
		pass
	else
		fail "$yaml: ${why#; }"
		cmp -s "$expected" "$tmp/err" ||
			diff "$expected" "$tmp/err" | sed 's/^/    /'
	fi
done

for expected in tests/bad/*.err; do
	[ -e "$expected" ] || break
	[ -f "${expected%.err}.yaml" ] || fail "$expected: no ${expected%.err}.yaml"
done

# ---- the canonical scenario ---------------------------------------------

model=scenarios/three-tier.yaml

run show "$model"
if [ "$rc" -eq 0 ] && [ -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
	pass
else
	fail "show $model: exit status $rc, stderr: $(head -n 3 "$tmp/err")"
fi

run show "$model" --format json
if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
	fail "show --format json $model: exit status $rc, stderr: $(head -n 3 "$tmp/err")"
else
	pass
	cp "$tmp/out" "$tmp/json"
	if command -v python3 >/dev/null 2>&1; then
		if python3 -m json.tool "$tmp/json" >/dev/null 2>"$tmp/jerr"; then
			pass
		else
			fail "show --format json: not JSON: $(head -n 1 "$tmp/jerr")"
		fi
	else
		echo "note: no python3; skipping the JSON syntax check"
	fi
	# "public" of each subnet, as "id flag" lines: kind and id come
	# before the flag in every resource object.
	awk '
		/^    \{/ { id = ""; kind = "" }
		/^      "id": / { id = $2 }
		/^      "kind": / { kind = $2 }
		/^      "public": / && kind == "\"subnet\"," {
			gsub(/[",]/, "", id); gsub(/,/, "", $2); print id, $2
		}' "$tmp/json" | sort >"$tmp/public"
	printf '%s\n' "private-a false" "private-b false" "public-a true" \
		"public-b true" >"$tmp/public.want"
	if cmp -s "$tmp/public.want" "$tmp/public"; then
		pass
	else
		fail "show --format json: subnets' \"public\" flags differ"
		diff "$tmp/public.want" "$tmp/public" | sed 's/^/    /'
	fi
fi

# ---- usage ---------------------------------------------------------------

# usage_error DESCRIPTION TEXT ARGS...: exit status 2, nothing on stdout,
# TEXT somewhere in stderr.
usage_error() {
	what=$1
	text=$2
	shift 2
	run "$@"
	if [ "$rc" -ne 2 ]; then
		fail "$what: exit status $rc, expected 2"
	elif [ -s "$tmp/out" ]; then
		fail "$what: printed to stdout"
	elif ! grep -qF -- "$text" "$tmp/err"; then
		fail "$what: stderr lacks '$text': $(head -n 2 "$tmp/err")"
	else
		pass
	fi
}

usage_error "no arguments" "usage: vpcsim"
usage_error "unknown command" "unknown command 'shwo' (did you mean 'show'?)" \
	shwo "$model"
usage_error "unknown option" "unknown option '--frmat'" \
	show --frmat json "$model"
usage_error "bad --format value" "--format must be one of" \
	show "$model" --format yaml
usage_error "--format without a value" "--format needs a value" \
	show "$model" --format
usage_error "show without a model" "usage: vpcsim show" show
usage_error "missing file" "tests/bad/no-such-file.yaml: error: cannot open" \
	show tests/bad/no-such-file.yaml
usage_error "a directory of broken models" \
	"tests/bad/address-outside-subnet.yaml:9:17: error: private_ip" show tests/bad

run help
if [ "$rc" -eq 0 ] && grep -q "usage: vpcsim" "$tmp/out" && [ ! -s "$tmp/err" ]; then
	pass
else
	fail "help: exit status $rc, expected 0 and the usage on stdout"
fi

# docs/rules.md is generated from the rule table: it must not drift.
run rules --format markdown
if [ "$rc" -eq 0 ] && cmp -s "$tmp/out" docs/rules.md; then
	pass
else
	fail "docs/rules.md differs from 'vpcsim rules --format markdown'; regenerate it"
fi

# check: exit 0 on the canonical scenario, 1 on a broken one, 2 on bad
# options; sim and diff gate the same way.
gate() {
	want=$1
	shift
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		pass
	else
		fail "vpcsim $*: exit status $rc, expected $want"
	fi
}
gate 0 check scenarios/three-tier.yaml
gate 1 check scenarios/db-public-open.yaml
gate 0 check scenarios/db-public-open.yaml --fail-on never
gate 2 check scenarios/three-tier.yaml --only VS999
gate 2 check scenarios/three-tier.yaml --fromat json
gate 0 sim scenarios/three-tier.yaml --all-azs
gate 1 sim scenarios/single-nat.yaml --all-azs
gate 2 sim scenarios/three-tier.yaml --fail az:mars-1a
gate 0 diff scenarios/three-tier.yaml scenarios/three-tier.yaml
gate 1 diff scenarios/three-tier.yaml scenarios/db-public-open.yaml
gate 0 reach scenarios/three-tier.yaml --from internet
gate 2 reach scenarios/three-tier.yaml --from nosuch --to db

# sim --all-azs writes each zone as it comes, so a --fail the model
# refuses is reported before anything is written: exit 2, nothing on
# standard output.
run sim scenarios/three-tier.yaml --all-azs --fail nosuch
if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "nosuch" "$tmp/err"; then
	pass
else
	fail "sim --all-azs --fail nosuch: exit $rc, expected 2 with no output"
fi

# sim --all-azs's table, checked by hand against semantics §1, §7, §10
# (tests/check_change.c's header): three-tier loses nothing with either
# zone (the replica's loss absorbed by its source); single-nat's tasks
# lose ECR, S3 and Logs with us-east-1a.  The table is written a zone at
# a time (report_resilience_*): columns, marks and totals must line up.
for s in three-tier single-nat; do
	run sim "scenarios/$s.yaml" --all-azs
	if cmp -s "$tmp/out" "tests/golden/sim-all-azs-$s.txt"; then
		pass
	else
		fail "sim --all-azs $s: differs from tests/golden/sim-all-azs-$s.txt"
		diff -u "tests/golden/sim-all-azs-$s.txt" "$tmp/out" | head -20
	fi
done

# Each broken scenario fails check with the rule that names its mistake.
fires() {
	file=$1
	rule=$2
	run check "scenarios/$file.yaml"
	if [ "$rc" -eq 1 ] && grep -q "error: \[$rule\]" "$tmp/out"; then
		pass
	else
		fail "check scenarios/$file.yaml: expected exit 1 with an error [$rule], got exit $rc"
	fi
}
fires db-public-open VS001
fires rules-db-behind-nlb VS001
fires tasks-public VS003
fires eip-instance VS004
fires rules-admin-ranges VS004
fires targets-sg-wrong VS005
fires nacl-drops-alb-replies VS006
fires no-egress VS007
fires nat-in-private-subnet VS007
fires nat-in-private-subnet VS009
fires rules-cfg-lb-private-subnet VS008
fires rules-cfg-subnet-too-small VS012

# ---- Terraform plans (docs/terraform.md) ----------------------------------

# A plan with nothing to check passes with a note, unless --fail-on-empty
# says a gate must not pass on it; an unreadable plan never passes.
gate 0 check tests/robust/tfplan/plan-empty-noted.json
gate 1 check tests/robust/tfplan/plan-empty-noted.json --fail-on-empty
gate 1 check tests/robust/tfplan/plan-no-network-noted.json --fail-on-empty
gate 0 check scenarios/three-tier.yaml --fail-on-empty
gate 2 check tests/robust/tfplan/resources-null.json --fail-on never
usage_error "--fail-on-empty with a value" "--fail-on-empty takes no value" \
	check scenarios/three-tier.yaml --fail-on-empty=yes
usage_error "--tf-source without a directory" "--tf-source needs a directory" \
	show tests/tfplan/srcmap/plan.json --tf-source

# Findings on a plan beside its .tf files name the .tf file and line of
# each resource block (a rule's finding the line of its nested block), in
# text and SARIF, modules included; the plan itself is only an artifact.
run check tests/tfplan/srcmap/plan.json
if [ "$rc" -eq 1 ] &&
	grep -q '^tests/tfplan/srcmap/main.tf:15:1: error: \[VS004\] instance aws_instance.admin\[1\]' "$tmp/out" &&
	grep -q '^tests/tfplan/srcmap/modules/web/main.tf:25:3: info: \[VS015\]' "$tmp/out"; then
	pass
else
	fail "check tests/tfplan/srcmap/plan.json: findings not at their .tf lines"
fi
run check tests/tfplan/srcmap/plan.json --format sarif
if [ "$rc" -eq 1 ] &&
	grep -q '"uri": "tests/tfplan/srcmap/modules/net/main.tf"' "$tmp/out" &&
	[ "$(grep -c '"uri": "tests/tfplan/srcmap/plan.json"' "$tmp/out")" -eq 1 ]; then
	pass
else
	fail "check --format sarif tests/tfplan/srcmap/plan.json: a result not at a .tf line"
fi
run check tests/tfplan/srcmap/plan.json --tf-source tests/tfplan
if [ "$rc" -eq 1 ] && grep -q '^tests/tfplan/srcmap/plan.json:' "$tmp/out" &&
	grep -q 'tests/tfplan: warning: --tf-source: no .tf file here' "$tmp/err"; then
	pass
else
	fail "check --tf-source DIR without .tf files: findings not at the plan"
fi

# ---- load-balancer forwarding and the second verdict (semantics §8) -----

# expect WHAT PATTERN: the last run's stdout holds a line matching PATTERN.
expect() {
	if [ "$rc" -eq 0 ] && grep -q -- "$2" "$tmp/out"; then
		pass
	else
		fail "$1: exit $rc, no line matching '$2'"
		sed 's/^/    /' "$tmp/out" | head -20
	fi
}

# expect_joined DESCRIPTION PATTERN: as expect, on the output with its
# lines joined (text output wraps at 80 columns, under the line it
# continues).
expect_joined() {
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/joined"
	if [ "$rc" -eq 0 ] && grep -q -- "$2" "$tmp/joined"; then
		pass
	else
		fail "$1: exit $rc, no text matching '$2'"
		sed 's/^/    /' "$tmp/out" | head -20
	fi
}

# The database behind the NLB is two hops from the internet: the chain
# the graph finds is the forward the engine makes (issue 14).
run reach scenarios/rules-db-behind-nlb.yaml --from internet --to db --hops 2
expect "chain through the NLB" '^2 hops: internet -> db-nlb (tcp 3306) -> db (tcp 3306)$'
run reach scenarios/rules-db-behind-nlb-preserved.yaml --from internet --to db --hops 2 --format json
expect "chain through a preserving NLB (json)" '"hop": "forward"'
# Chains past the limit are counted: 11 chains of at most 3 hops, 10
# listed by default.
run reach scenarios/rules-admin-ranges.yaml --from internet --to pg --hops 3
expect "chains: the rest counted" '^and 1 more chain of at most 3 hops$'
if [ "$(grep -c '^[0-9] hops\{0,1\}:' "$tmp/out")" -eq 10 ]; then
	pass
else
	fail "reach --hops 3: not 10 chains listed"
fi
run reach scenarios/rules-admin-ranges.yaml --from internet --to pg --hops 3 --limit 4 --format json
expect "chains json: limit" '"limit": 4,'
expect "chains json: more" '"more": 7,'
expect "chains json: exact" '"more_exact": true'
run reach scenarios/rules-admin-ranges.yaml --from internet --to pg --hops 3 --limit 11
if ! grep -q '^and ' "$tmp/out"; then pass; else fail "--limit 11: a count of more"; fi
usage_error "reach --limit 0" "--limit must be a number 1-1000" \
	reach scenarios/rules-admin-ranges.yaml --from internet --to pg --hops 3 --limit 0
usage_error "reach --hops 9" "--hops must be a number 1-8" \
	reach scenarios/rules-admin-ranges.yaml --from internet --to pg --hops 9
# A load balancer is reached whatever its targets; the forward is beside.
run reach scenarios/targets-sg-wrong.yaml --from internet --to alb --port 443
expect_joined "reached, forward none" 'tcp 443: all (2 of 2 reach: one try to each placement of alb); forward: none (0 of 2 pairs served)'
run reach scenarios/lb-empty-target-group.yaml --from internet
expect "empty group: still exposed" '^  internet -> alb: tcp 80, 443 from anywhere \[forward on 443: none\]$'
run reach scenarios/lb-empty-target-group.yaml --from internet --format json
expect "map json: the forward per port" '"verdict": "none"'
# What the input places nowhere is listed under the internet's map, not
# left out (docs/realworld.md: templates into an existing VPC).
run reach tests/cfn/rw/unplaced.yaml --from internet
expect "map: not judged" '^  not judged, the input does not place them:$'
expect "map: unplaced ELB" "^    classic load balancer Web: Subnets: parameter 'DmzA'"
run reach tests/cfn/rw/unplaced.yaml --from internet --format json
expect "map json: not_placed" '"not_placed": \['
run trace scenarios/targets-sg-wrong.yaml --from internet --to alb@public-a --port 443 --format json
expect "trace json: the forward's own block" '"served": false'
run reach scenarios/nlb-dns-zone.yaml --from internet --to nlb --port 443
expect "NLB name served, a zone out of DNS" "forward: all (1 of 1 pair served; 1 node out of the name's DNS answer)"
run check scenarios/lb-empty-target-group.yaml
expect "empty group is information" '0 errors, 0 warnings, 1 info'
gate 0 check scenarios/lb-empty-target-group.yaml
run check scenarios/lb-target-zone-disabled.yaml --only VS019
if [ "$rc" -eq 0 ] && [ "$(grep -c 'warning: \[VS019\]' "$tmp/out")" -eq 2 ]; then
	pass
else
	fail "check --only VS019 on lb-target-zone-disabled: expected 2 warnings, exit 0; got exit $rc"
fi
run reach scenarios/eip-hairpin.yaml --from app --to 203.0.113.20 --port 443
expect_joined "an Elastic IP from inside: through the gateway" 'blocked at sg-ingress: .* from 203.0.113.10 (the public address'
# Traces that teach (issue 17): the step that decides is BLOCKED and names
# the rule, why and fix under it; --explain says what the terms mean.
run trace scenarios/nacl-drops-alb-replies.yaml --from alb --to web --port 3000
expect "the deciding step is BLOCKED" '^  BLOCKED network ACL private-nacl of subnet private-a, outbound: replies to$'
expect_joined "it names the rules" 'rule 110 (allow tcp 3306 to 10.0.0.0/16) lets 3306 through; the final \* rule denies 1024-3305,3307-65535'
expect "why: stateless" '^          why: Network ACLs are stateless'
expect "fix: pasteable" '^                       - {rule: 140, action: allow, protocol: tcp,$'
if grep -q 'BLOCKED degraded' "$tmp/out" || awk 'length > 80 && / [^ ]/ { bad = 1 } END { exit !bad }' "$tmp/out"; then
	fail "trace: a summary step after the deciding one, or a line over 80 columns"
else
	pass
fi
run trace scenarios/nacl-drops-alb-replies.yaml --from alb --to web --port 3000 --explain
expect "--explain: stateless" '^          \* Stateless: the firewall remembers nothing'
if [ "$(grep -c 'Stateless: the firewall remembers nothing' "$tmp/out")" -eq 1 ]; then
	pass
else
	fail "--explain explains stateless more than once, or never"
fi
usage_error "--explain takes no value: the next word is a MODEL" "usage: vpcsim trace" \
	trace --explain
run reach scenarios/three-tier.yaml --from internet
expect "map title without jargon" '^what internet reaches:$'
# JSON carries why and fix as data (docs/reach-json.md), and parses.
run trace scenarios/nacl-drops-alb-replies.yaml --from alb --to web --port 3000 --format json
expect "trace json: a fix's change" '"section": "network_acls",'
expect "trace json: the fixes together" '"fixes_yaml": "network_acls:'
if command -v python3 >/dev/null 2>&1; then
	if python3 -c 'import json, sys
d = json.load(sys.stdin)
r = d["results"][0]
b = r["pairs"][0]["blocked_at"]
assert "stateless" in b["why"]
assert b["fix"]["changes"][0]["value"]["rule"] == 140
assert len(r["fixes"]) == 2' <"$tmp/out" 2>"$tmp/jerr"; then
		pass
	else
		fail "trace json: why and fix: $(tail -n 1 "$tmp/jerr")"
	fi
fi

run rules --format markdown
expect "the rule table documents VS019" '^| VS019 | lb-target-zone-disabled | warning |'

# sim --all-azs's JSON names the files of the findings in each failed
# copy: the copies must outlive the report (a use after free printed
# garbage here, and aborts under the sanitizers).
run sim scenarios/nlb-dns-zone.yaml --all-azs --format json
if [ "$rc" -le 1 ] && grep -q '"file": "scenarios/nlb-dns-zone.yaml"' "$tmp/out" &&
	! grep '"file": ' "$tmp/out" | grep -qv '"file": "scenarios/nlb-dns-zone.yaml"'; then
	pass
else
	fail "sim --all-azs --format json: every finding's file is the model's (exit $rc)"
fi

. tests/cli/graph.sh
. tests/cli/report.sh
. tests/cli/options.sh
. tests/cli/ci.sh
. tests/cli/degenerate.sh
VPCSIM="$VPCSIM" sh tests/robust/run.sh || fail "tests/robust/run.sh (malformed-input corpus)"

# ---- CloudFormation: nested stacks and what is not analysed --------------

# root.yaml nests Network (a local path), App (found by file name with
# --templates) and Missing (nowhere).  Without App's template the SSH
# exposure it holds is not analysed: check passes at the default error
# threshold, and a --fail-on warning gate fails on the not-analysed
# findings.  With the template the exposure is an error.
nested=tests/cfn/nested/root.yaml
gate 0 check "$nested"
gate 1 check "$nested" --fail-on warning
if grep -qF "root.yaml:14:3: warning: [VS020] 'App' is not analysed: its template 'app.yaml' was not given" "$tmp/out"; then
	pass
else
	fail "check $nested: no VS020 finding on the stack App at 14:3"
fi
gate 1 check "$nested" --templates tests/cfn/nested/templates
if grep -qF "error: [VS004] instance App.Web is reachable from the internet on administrative port tcp 22" "$tmp/out"; then
	pass
else
	fail "check $nested --templates DIR: the child's SSH exposure is not reported"
fi
gate 1 check "$nested" --templates=tests/cfn/nested/templates
run reach "$nested" --from internet --to App.Web --port 22 \
	--templates tests/cfn/nested/templates
if [ "$rc" -eq 0 ] && grep -qF "internet -> App.Web, tcp 22: all" "$tmp/out"; then
	pass
else
	fail "reach to a nested stack's instance: exit $rc, $(head -n 1 "$tmp/out")"
fi
gate 0 show "$nested" tests/cfn/nested/templates/app.yaml
usage_error "--templates without a value" "--templates needs a directory" \
	show "$nested" --templates
usage_error "--templates of no directory" \
	"--templates tests/cfn/no-such-dir: No such file or directory" \
	show "$nested" --templates tests/cfn/no-such-dir
usage_error "--templates with a native model" \
	"--templates applies to CloudFormation templates only" \
	show "$model" --templates tests/cfn/nested/templates

# ---- sim and diff read each input file once ------------------------------

# sim fails a copy of the loaded model per scenario (model_clone), and a
# native model's policies: section comes from the document already
# parsed, so check and sim open each input exactly once whatever the
# zones and the format.  diff opens each of its two models once.  Counted with strace when it can trace.
if ! command -v strace >/dev/null 2>&1; then
	echo "note: no strace; skipping the open-each-input-once checks"
elif ! strace -f -e trace=openat -o "$tmp/strace" true >/dev/null 2>&1; then
	echo "note: strace cannot trace here; skipping the open-each-input-once checks"
else
	# opens FILE ARGS...: how often `vpcsim ARGS...` opens FILE, into
	# $n; a usage or input error (exit status 2) fails the check.
	opens() {
		f=$1
		shift
		strace -f -e trace=openat -o "$tmp/strace" "$VPCSIM" "$@" \
			>/dev/null 2>&1
		rc=$?
		n=$(grep -cF "\"$f\"" "$tmp/strace")
		[ "$rc" -ne 2 ] || fail "vpcsim $*: exit status 2"
	}
	# opened WANT FILE ARGS...
	opened() {
		want=$1
		file=$2
		shift
		opens "$@"
		shift
		if [ "$n" -eq "$want" ]; then
			pass
		else
			fail "vpcsim $*: opened $file $n times, expected $want"
		fi
	}
	native=scenarios/three-tier.yaml # two zones
	per_load=1 # its policies: section comes from the parsed document
	opened "$per_load" "$native" check "$native"
	opened "$per_load" "$native" sim "$native" --all-azs
	opened "$per_load" "$native" sim "$native" --all-azs --format json
	opened "$per_load" "$native" sim "$native" --fail az:us-east-1a \
		--fail nat-b
	plan=tests/tfplan/three-tier.plan.json
	opened 1 "$plan" sim "$plan" --all-azs
	for f in tests/cfn/stacks/app.yaml tests/cfn/stacks/network.yaml; do
		opened 1 "$f" sim tests/cfn/stacks/app.yaml \
			tests/cfn/stacks/network.yaml --all-azs
	done
	opened 1 "$native" diff "$native" scenarios/db-public-open.yaml
	opened 1 scenarios/db-public-open.yaml diff "$native" \
		scenarios/db-public-open.yaml
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
