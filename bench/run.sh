#!/bin/sh
# Every command of vpcsim timed on generated estates (docs/benchmarks.md):
#   sh bench/run.sh VPCSIM BUILD ESTATES SIZE...
# For each SIZE (endpoints) it writes ESTATES/eSIZE.yaml with BUILD/gen,
# and eSIZE-c.yaml, the same estate with one security-group rule changed
# (gen -c), unless they exist; then it times, with BUILD/bench_cmd, the
# bare libyaml parse of the file (BUILD/bench_parse) and each command:
#   parse    bench_parse, the floor for anything that reads the file
#   show     show --format json
#   check    check (text)
#   exposure reach --from internet (the exposure map, tcp and udp)
#   hops3    reach --from internet --to v0-i500 --hops 3 (one question)
#   trace    trace --from internet --to v0-alb --port 443 (with the
#            forward to every target)
#   sim      sim --all-azs
#   diff     diff eSIZE.yaml eSIZE-c.yaml (the one-rule change)
#   graph    graph --format json (the level of detail `auto` picks)
# Each line: wall-clock time (the least of the runs), CPU time (user +
# system, the least), peak resident memory, bytes of standard output and
# exit status (check, sim and diff exit 1 when they report something).
# Sizes up to 200,000 run three times (this shared machine's times move
# by 10 percent from run to run), larger ones once.  When a size and
# its double are both asked, a last table gives the CPU time ratio per
# command (issue 18: at most 2.2).
# BENCH_ONLY="check diff" runs only those commands; BENCH_TIMEOUT
# (default 600 s) kills a run that takes longer.
set -u
VPCSIM=${1:?usage: run.sh VPCSIM BUILD ESTATES SIZE...}
BUILD=${2:?usage: run.sh VPCSIM BUILD ESTATES SIZE...}
EST=${3:?usage: run.sh VPCSIM BUILD ESTATES SIZE...}
shift 3
ONLY=${BENCH_ONLY:-parse show check exposure hops3 trace sim diff graph}
TIMEOUT=${BENCH_TIMEOUT:-600}
mkdir -p "$EST" || exit 2
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT INT TERM

wanted() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# one SIZE NAME COMMAND...: times one command, prints its line and keeps
# it for the ratios.
one() {
	size=$1
	name=$2
	shift 2
	wanted "$name" || return 0
	runs=1
	[ "$size" -le 200000 ] && runs=3
	line=$("$BUILD/bench_cmd" -n "$runs" -t "$TIMEOUT" \
	    "$(printf '%-8s %s' "$size" "$name")" -- "$@")
	echo "$line"
	echo "$line" >>"$log"
}

start=$(date +%s)
for n in "$@"; do
	e=$EST/e$n.yaml
	c=$EST/e$n-c.yaml
	[ -s "$e" ] || "$BUILD/gen" "$n" >"$e" || exit 2
	[ -s "$c" ] || "$BUILD/gen" -c "$n" >"$c" || exit 2
	echo "# $n endpoints: $(wc -c <"$e") bytes"
	one "$n" parse "$BUILD/bench_parse" "$e"
	one "$n" show "$VPCSIM" show "$e" --format json
	one "$n" check "$VPCSIM" check "$e"
	one "$n" exposure "$VPCSIM" reach "$e" --from internet
	one "$n" hops3 "$VPCSIM" reach "$e" --from internet --to v0-i500 \
	    --hops 3
	one "$n" trace "$VPCSIM" trace "$e" --from internet --to v0-alb \
	    --port 443
	one "$n" sim "$VPCSIM" sim "$e" --all-azs
	one "$n" diff "$VPCSIM" diff "$e" "$c"
	one "$n" graph "$VPCSIM" graph "$e" --format json
done

# CPU time of each command at 2N over its time at N, for every N asked
# with its double.
awk '
	$6 == "cpu" { cpu[$1 " " $2] = $7; sizes[$1] = 1; cmds[$2] = 1 }
	END {
		header = 0
		for (s in sizes)
			for (c in cmds) {
				d = s * 2
				if (!((s " " c) in cpu) || !((d " " c) in cpu) ||
				    cpu[s " " c] <= 0)
					continue
				if (!header++)
					print "# CPU time ratio, double the estate"
				printf "%-8s -> %-8s %-8s %5.2fx\n", s, d, c,
				    cpu[d " " c] / cpu[s " " c]
			}
	}' "$log" | sort -n
echo "# $(($(date +%s) - start)) s in all"
