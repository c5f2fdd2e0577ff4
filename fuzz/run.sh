#!/bin/sh
# fuzz/run.sh OUT SECONDS TARGET... -- LIBFUZZER-ARGS...
#
# Builds each target's seed corpus in OUT/seeds/TARGET from the repository's
# inputs (nothing is copied into the tree), then runs OUT/fuzz_TARGET for
# SECONDS seconds with nice -n 10, its growing corpus in OUT/corpus/TARGET.
# Stops at the first target that finds a crash; the input is OUT/crash-*.
set -e
out=$1
secs=$2
shift 2
targets=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	targets="$targets $1"
	shift
done
[ "$1" = "--" ] && shift

seeds() {
	case $1 in
	engine_native)
		ls scenarios/*.yaml
		grep -l '^policies:' tests/policy/*.yaml 2>/dev/null || true
		ls fuzz/crashers/* 2>/dev/null || true
		;;
	engine_cfn)
		find tests/cfn -type f \( -name '*.yaml' -o -name '*.json' \)
		ls fuzz/crashers/* 2>/dev/null || true
		;;
	load_native)
		ls scenarios/*.yaml tests/bad/*.yaml
		ls tests/robust/native/* 2>/dev/null || true
		;;
	load_cfn)
		find tests/cfn -type f \( -name '*.yaml' -o -name '*.json' \)
		ls tests/robust/cfn/* 2>/dev/null || true
		;;
	load_tfplan)
		find tests/tfplan -type f -name '*.json'
		ls tests/robust/tfplan/* 2>/dev/null || true
		;;
	cidr_ports)
		ls fuzz/seeds/cidr_ports/*
		;;
	policy)
		grep -l '^policies:' tests/policy/*.yaml 2>/dev/null || true
		ls tests/robust/policy/* 2>/dev/null || true
		;;
	esac
}

# graphviz's and fontconfig's own leaks (the engine targets draw SVG) are
# not vpcsim's: the suppressions of check-asan.
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS

for t in $targets; do
	mkdir -p "$out/seeds/$t" "$out/corpus/$t"
	rm -f "$out/seeds/$t"/*
	seeds "$t" | while read -r f; do
		cp "$f" "$out/seeds/$t/$(echo "$f" | tr / _)"
	done
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	# The engine targets read what the loaders read, and a run of theirs
	# is every command under the sanitizers: 30 s before it is a finding
	# (the last -timeout given wins).
	extra=""
	case $t in
	engine_native)
		dict="-dict=fuzz/load_native.dict"
		extra="-timeout=30"
		;;
	engine_cfn)
		dict="-dict=fuzz/load_cfn.dict"
		extra="-timeout=30"
		;;
	esac
	echo "== fuzz_$t for ${secs}s"
	nice -n 10 "$out/fuzz_$t" -max_total_time="$secs" ${dict:+"$dict"} \
		-artifact_prefix="$out/" "$@" ${extra:+"$extra"} \
		"$out/corpus/$t" "$out/seeds/$t"
done
