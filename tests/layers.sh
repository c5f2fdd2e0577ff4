#!/bin/sh
# The house rule, checked on the built objects (docs/architecture.md):
# every function a file calls is defined in its own room or a room below
# it, and no two files call each other, directly or round a circle.
#
#   sh tests/layers.sh BUILD_DIR
#
# Rooms from the bottom: base < model < load, sim < rules < report < cli.
# load and sim are side by side: neither uses the other.  The call graph
# comes from `nm` (a file's undefined symbols against the file that
# defines each), so it sees every call, not only the includes.
BUILD=${1:-build}
objs=$(find "$BUILD/base" "$BUILD/model" "$BUILD/load" "$BUILD/sim" \
	"$BUILD/rules" "$BUILD/report" "$BUILD/cli" -name '*.o' | sort)
[ -n "$objs" ] || {
	echo "layers: no objects under $BUILD"
	exit 1
}
for o in $objs; do
	nm "$o" | awk -v f="${o#"$BUILD"/}" '
		$2 ~ /^[TDBR]$/ { print "D", f, $3 }
		$1 == "U" { print "U", f, $2 }'
done | awk '
function room(f) {
	sub(/\/.*/, "", f)
	return f
}
BEGIN {
	rank["base"] = 0; rank["model"] = 1; rank["load"] = 2
	rank["sim"] = 2; rank["rules"] = 3; rank["report"] = 4
	rank["cli"] = 5
}
$1 == "D" { def[$3] = $2; next }
{ use[++n] = $2; sym[n] = $3 }
END {
	bad = 0
	for (i = 1; i <= n; i++) {
		d = def[sym[i]]
		if (d == "" || d == use[i])
			continue
		a = room(use[i]); b = room(d)
		if (rank[b] > rank[a] || (a != b && rank[a] == rank[b])) {
			printf "layers: %s calls %s (%s), a room it may not use\n", use[i], sym[i], d
			bad = 1
		}
		if (!((use[i], d) in edge)) {
			edge[use[i], d] = sym[i]
			adj[use[i]] = adj[use[i]] " " d
		}
	}
	# Circles: a depth-first search, a file on the stack met again.
	for (f in adj)
		if (!(f in state))
			bad = visit(f) || bad
	if (!bad)
		print "layers: every call goes down or across its own room, no circles"
	exit bad
}
function visit(f,    k, m, t, i, found) {
	state[f] = 1
	stack[++depth] = f
	m = split(adj[f], t, " ")
	for (k = 1; k <= m; k++) {
		if ((t[k] in state) && state[t[k]] == 1) {
			printf "layers: circle:"
			for (i = depth; i >= 1 && stack[i] != t[k]; i--)
				;
			for (; i <= depth; i++)
				printf " %s ->", stack[i]
			printf " %s\n", t[k]
			found = 1
		} else if (!(t[k] in state)) {
			found = visit(t[k]) || found
		}
	}
	depth--
	state[f] = 2
	return found
}'
