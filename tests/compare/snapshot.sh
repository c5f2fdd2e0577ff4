#!/bin/sh
# Behaviour snapshot: runs every command in every output format over every
# scenario, test template and plan, the malformed corpus, a generated
# estate and (when ../shared exists) the real-world examples, and writes
# each run's stdout, stderr and exit status under OUTDIR, one file a run.
# Two snapshots of two builds are compared with `diff -r`: a refactoring
# that changes no behaviour leaves no difference.
#
#   sh tests/compare/snapshot.sh ./vpcsim /tmp/before
#   ... change the code, rebuild ...
#   sh tests/compare/snapshot.sh ./vpcsim /tmp/after
#   diff -r /tmp/before /tmp/after
#
# ESTATE=N sets the generated estate's size (default 10000; 0 skips it);
# it needs build/gen (make build/gen).
set -u
VPCSIM=${1:?usage: snapshot.sh VPCSIM OUTDIR}
OUT=${2:?usage: snapshot.sh VPCSIM OUTDIR}
ESTATE=${ESTATE:-10000}
case $VPCSIM in /*) ;; *) VPCSIM=$(pwd)/$VPCSIM ;; esac
mkdir -p "$OUT" || exit 2

# run NAME ARGS...: one run into $OUT/NAME (stdout, then stderr, then the
# exit status).  Paths in the output are as given (relative).
run() {
	name=$1
	shift
	o_="$OUT/$(printf '%s' "$name" | tr '/ ' '__')"
	"$VPCSIM" "$@" >"$o_.out" 2>"$o_.err"
	echo "exit $?" >>"$o_.err"
	cat "$o_.err" >>"$o_.out"
	rm -f "$o_.err"
}

# Every id of a model, for trace and reach questions.
ids() {
	"$VPCSIM" show "$1" --format json 2>/dev/null |
	    sed -n 's/^ *"id": "\([^"]*\)".*/\1/p' | sort -u
}

# model NAME FILE...: the commands that take one model.
model() {
	n=$1
	shift
	run "$n.show" show "$@"
	run "$n.show.json" show "$@" --format json
	run "$n.reach.internet" reach "$@" --from internet
	run "$n.reach.internet.json" reach "$@" --from internet --format json
	run "$n.reach.internet.csv" reach "$@" --from internet --format csv
	run "$n.reach.internet.udp" reach "$@" --from internet --proto udp
	for f in text json sarif junit; do
		run "$n.check.$f" check "$@" --format "$f"
	done
	for f in json dot mermaid graphml; do
		run "$n.graph.$f" graph "$@" --format "$f"
	done
	run "$n.graph.internet.dot" graph "$@" --format dot --from internet
	run "$n.sim.azs" sim "$@" --all-azs
	run "$n.sim.azs.json" sim "$@" --all-azs --format json
}

# questions NAME FILE: trace and reach between resources of one model.
questions() {
	n=$1
	f=$2
	for id in $(ids "$f"); do
		run "$n.trace.internet.$id" trace "$f" --from internet --to "$id"
		run "$n.reach.to.$id.json" reach "$f" --to "$id" --format json
		run "$n.reach.hops2.$id" reach "$f" --from internet --to "$id" \
		    --hops 2
		run "$n.sim.fail.$id" sim "$f" --fail "$id"
	done
	first=$(ids "$f" | head -n 1)
	for id in $(ids "$f"); do
		run "$n.trace.$first.$id.json" trace "$f" --from "$first" \
		    --to "$id" --format json
		run "$n.reach.$id.aws_ecr" reach "$f" --from "$id" --to aws:ecr
	done
}

for s in scenarios/*.yaml; do
	n=$(basename "$s" .yaml)
	model "$n" "$s"
	questions "$n" "$s"
	run "diff.$n" diff scenarios/three-tier.yaml "$s"
	run "diff.$n.json" diff scenarios/three-tier.yaml "$s" --format json
	run "diff.$n.sarif" diff "$s" scenarios/three-tier.yaml --format sarif
done

for p in tests/policy/*.yaml; do
	for s in scenarios/three-tier.yaml scenarios/db-public-open.yaml; do
		run "policy.$(basename "$p").$(basename "$s")" check "$s" \
		    --policy "$p" --format json
	done
done

for t in tests/cfn/*.yaml tests/cfn/examples/* tests/tfplan/*.json; do
	[ -f "$t" ] || continue
	model "in.$(basename "$t")" "$t"
done
model stacks tests/cfn/stacks/*.yaml

for b in tests/bad/*.yaml; do
	run "bad.$(basename "$b")" show "$b"
done
for b in tests/robust/*/*; do
	[ -f "$b" ] || continue
	run "robust.$(basename "$(dirname "$b")").$(basename "$b")" check "$b"
done

if [ -d ../shared/examples ]; then
	for t in ../shared/examples/cfn/* ../shared/examples/tfplan/* \
	    ../shared/examples/realworld/cfn/* \
	    ../shared/examples/realworld/tfplan/*; do
		[ -f "$t" ] || continue
		n=$(basename "$t")
		run "ext.$n.show.json" show "$t" --format json
		run "ext.$n.check.json" check "$t" --format json
		run "ext.$n.reach" reach "$t" --from internet --format json
	done
fi

if [ "$ESTATE" -gt 0 ] && [ -x build/gen ]; then
	e=build/snapshot-estate.yaml
	build/gen "$ESTATE" >"$e"
	run estate.show.json show "$e" --format json
	run estate.check.json check "$e" --format json
	run estate.reach.json reach "$e" --from internet --format json
	run estate.reach.csv reach "$e" --from internet --format csv
	rm -f "$e"
fi
exit 0
