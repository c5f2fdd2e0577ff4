# CLI checks of `vpcsim report`, sourced by tests/cli/run.sh after its own
# checks: uses its run, pass, fail, check_that-like helpers, $tmp and
# $VPCSIM.  The page in a browser is tests/browser/run.sh's.
#
# SHARED (default ../shared) is the folder beside the project whose
# examples/ the report must take too, when it is there.

rmodel=scenarios/three-tier.yaml

# report_ok WHAT FILE ARGS...: exit 0, nothing on standard output or
# error, and FILE a whole HTML page.
report_ok() {
	what=$1
	file=$2
	shift 2
	run report "$@" -o "$file"
	if [ "$rc" -ne 0 ]; then
		fail "report $what: exit status $rc: $(head -n 2 "$tmp/err")"
	elif [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
		fail "report $what: output on stdout or stderr: $(head -n 2 "$tmp/err")"
	elif [ "$(head -c 15 "$file")" != "<!DOCTYPE html>" ] ||
		[ "$(tail -n 1 "$file")" != "</html>" ]; then
		fail "report $what: not a whole HTML page"
	else
		pass
	fi
}

page=$tmp/report.html
report_ok "$rmodel" "$page" "$rmodel"

# Every part is there: the picture inline, the exposure map, findings,
# intended flows, the what-if table.
for part in 'id="picture"' '<svg' 'id="exposure"' 'id="findings"' \
	'id="flows"' 'id="whatif"' '<td>us-east-1a</td>' \
	'<td>us-east-1b</td>' 'name="viewport"' '@media print' \
	'@media (max-width:600px)'; do
	if grep -qF "$part" "$page"; then
		pass
	else
		fail "report $rmodel: no $part"
	fi
done

# Self-contained: nothing loaded from elsewhere (the SVG's xmlns names
# are no address), no script or style sheet by reference.
if grep -qiE '<script[^>]* src=|<link |<img |<iframe|@import|url\(' "$page"; then
	fail "report: a reference to something outside the page"
else
	pass
fi
if grep -oE 'https?://[^"'"'"' )<]*' "$page" | grep -qv '^http://www\.w3\.org/'; then
	fail "report: an address outside the page: $(grep -oE 'https?://[^"'"'"' )<]*' "$page" | grep -v '^http://www\.w3\.org/' | head -n 1)"
else
	pass
fi

# Links to the picture land: every href="#X" has an element id="X", and
# the findings' and flows' resources are linked.
missing=""
for id in $(grep -oE 'href="#[^"]*"' "$page" | sed 's/href="#//; s/"$//' | sort -u); do
	grep -qE "id=\"$id\"" "$page" || missing="$missing $id"
done
if [ -z "$missing" ] && grep -q 'href="#obj_load_balancer_0"' "$page"; then
	pass
else
	fail "report: links without a target:$missing"
fi

# A blocked intended flow has its trace, folded, and the finding on top
# (most severe first).
bpage=$tmp/blocked.html
report_ok "nacl-drops-alb-replies" "$bpage" scenarios/nacl-drops-alb-replies.yaml
if grep -q '<span class="tag blocked">blocked</span><details><summary>trace</summary><pre>' "$bpage" &&
	grep -q 'private-nacl' "$bpage"; then
	pass
else
	fail "report: a blocked intended flow without its trace"
fi
dpage=$tmp/db.html
report_ok "db-public-open" "$dpage" scenarios/db-public-open.yaml
order=$(grep -oE 'class="finding sev-[a-z]+"' "$dpage" | sed 's/.*sev-//; s/"//' | uniq | tr '\n' ' ')
if [ "$order" = "error warning info " ]; then
	pass
else
	fail "report: findings not by severity: $order"
fi
if grep -q 'href="#obj_database_0"' "$dpage"; then
	pass
else
	fail "report: the database's finding does not link to the picture"
fi

# Every scenario, test template and plan, and the shared examples: a
# page for each input vpcsim loads; an input the loader refuses (a
# template CloudFormation would refuse too) is refused by report as by
# show, exit 2 with the same first error.  SHARED defaults to the folder
# beside this checkout, else beside the main checkout of a worktree.
if [ -z "${SHARED:-}" ]; then
	SHARED=../shared
	if [ ! -d "$SHARED/examples" ]; then
		common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null)
		[ -n "$common" ] && SHARED=$(dirname "$(dirname "$common")")/shared
	fi
fi
n_inputs=0
n_shared=0
for f in scenarios/*.yaml scenarios/*/*.yaml tests/cfn/*.yaml tests/cfn/*/*.yaml \
	tests/cfn/examples/*.json tests/tfplan/*.json tests/tfplan/*/*.json \
	"$SHARED"/examples/cfn/* "$SHARED"/examples/tfplan/* \
	"$SHARED"/examples/realworld/cfn/* \
	"$SHARED"/examples/realworld/tfplan/*; do
	[ -f "$f" ] || continue
	n_inputs=$((n_inputs + 1))
	case $f in "$SHARED"/*) n_shared=$((n_shared + 1)) ;; esac
	"$VPCSIM" report "$f" -o "$tmp/each.html" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if ! "$VPCSIM" show "$f" >/dev/null 2>"$tmp/show.err"; then
		if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
			[ "$(grep -m1 ': error: ' "$tmp/err")" = "$(grep -m1 ': error: ' "$tmp/show.err")" ]; then
			pass
		else
			fail "report $f: show refuses it, report says otherwise (exit $rc): $(head -n 1 "$tmp/err")"
		fi
	elif [ "$rc" -eq 0 ] && [ "$(tail -n 1 "$tmp/each.html")" = "</html>" ] &&
		grep -q '<svg' "$tmp/each.html"; then
		pass
	else
		fail "report $f: exit status $rc, or no whole page with its picture: $(head -n 1 "$tmp/err")"
	fi
done
[ "$n_inputs" -gt 60 ] || fail "report: only $n_inputs inputs found"
[ -d "$SHARED/examples" ] || echo "report: $SHARED/examples absent: the shared examples were not tried"

usage_error "report without a model" "usage: vpcsim report" report
usage_error "report --format pdf" "--format must be one of" \
	report "$rmodel" --format pdf
run help
if grep -q "^  report  *write one HTML page" "$tmp/out"; then
	pass
else
	fail "help does not list report"
fi
