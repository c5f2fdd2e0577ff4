#!/bin/sh
# The HTML report in a real browser: Debian's headless Chromium loads the
# page of `vpcsim report` offline, with no console message, and takes a
# screenshot at a desktop's and a phone's width.  Run from the
# repository root (make check-plain runs it):
#
#   VPCSIM=./vpcsim sh tests/browser/run.sh [OUTDIR]
#
# How the page is checked, each run with a new empty profile:
# - console: --enable-logging=stderr --v=0 prints every console message
#   (console.log, console.error, an uncaught exception) as an
#   "INFO:CONSOLE" line on standard error; the page has none.  (A page
#   with `console.error('x')` or a call to an undefined function gives
#   one: the first check below proves the net catches them.)
# - offline: --host-resolver-rules maps every host name to nothing, and
#   --log-net-log records every request the browser makes; the page's
#   own requests would be there.  Chromium's own (Google's update, time
#   and account services, which the flags reduce but do not stop) are
#   left out; no other http(s) address may appear.
# - it loads: --dump-dom prints the document after load; it must hold the
#   inline picture and the report's sections.
# - screenshots: --screenshot writes a PNG of the page at 1280 and at 390
#   pixels wide (OUTDIR, default build/browser); each must be a PNG.
# Without Chromium it says so and passes: `make deps` installs it.

VPCSIM=${VPCSIM:-./vpcsim}
OUT=${1:-build/browser}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
if [ -z "$CHROMIUM" ]; then
	echo "browser: skipped: no chromium (Debian's chromium package; make deps installs it)"
	exit 0
fi
mkdir -p "$OUT" || exit 2
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf 'FAIL: browser: %s\n' "$*"
}

# browse PAGE LOG ARGS...: Chromium on file PAGE with a new profile, no
# network, console and network logged; its stderr into LOG.
browse() {
	page=$1
	log=$2
	shift 2
	profile=$(mktemp -d "${TMPDIR:-/tmp}/vpcsim-chromium.XXXXXX") || return 2
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" \
		--host-resolver-rules="MAP * ~NOTFOUND" \
		--enable-logging=stderr --v=0 \
		--log-net-log="$log.netlog" "$@" "file://$page" 2>"$log"
	brc=$?
	rm -rf "$profile"
	return $brc
}

# The page's own requests in a net log: every http(s) address that is
# not one of Chromium's own services.
page_requests() {
	grep -oE '"url":"https?://[^"]*"' "$1" |
	    grep -vE '"url":"https?://[^/"]*(google\.com|googleapis\.com|gstatic\.com)[/"]' |
	    sort -u
}

# The net catches what it must: a page with a console message and a
# request elsewhere.
cat >"$OUT/bad.html" <<'EOF'
<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">
<script>console.error("bad"); undefinedFunction();</script></body></html>
EOF
browse "$OUT/bad.html" "$OUT/bad.log" --dump-dom >/dev/null
if grep -q 'INFO:CONSOLE.*"bad"' "$OUT/bad.log" &&
	grep -q 'INFO:CONSOLE.*undefinedFunction' "$OUT/bad.log" &&
	page_requests "$OUT/bad.log.netlog" | grep -q example.invalid; then
	pass
else
	fail "the checks do not see a console message or a request of a bad page (Chromium's logging changed?)"
fi

for model in scenarios/three-tier.yaml scenarios/nacl-drops-alb-replies.yaml; do
	name=$(basename "$model" .yaml)
	page=$OUT/$name.html
	if ! "$VPCSIM" report "$model" -o "$page"; then
		fail "$name: vpcsim report failed"
		continue
	fi
	browse "$page" "$OUT/$name.log" --dump-dom >"$OUT/$name.dom"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: chromium exit status $rc: $(tail -n 2 "$OUT/$name.log")"
		continue
	fi
	if grep -q 'CONSOLE' "$OUT/$name.log"; then
		fail "$name: console messages: $(grep CONSOLE "$OUT/$name.log" | head -n 3)"
	else
		pass
	fi
	if [ -n "$(page_requests "$OUT/$name.log.netlog")" ]; then
		fail "$name: the page asked the network for $(page_requests "$OUT/$name.log.netlog" | head -n 3)"
	else
		pass
	fi
	if grep -q '<svg' "$OUT/$name.dom" && grep -q 'id="findings"' "$OUT/$name.dom" &&
		grep -q 'id="whatif"' "$OUT/$name.dom"; then
		pass
	else
		fail "$name: the loaded document lacks the picture or a section"
	fi
	for size in 1280,2400 390,1600; do
		png=$OUT/$name-${size%%,*}.png
		rm -f "$png"
		browse "$page" "$OUT/$name.shot.log" --hide-scrollbars \
			--window-size="$size" --screenshot="$png" >/dev/null
		if [ -s "$png" ] &&
			[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
			pass
		else
			fail "$name: no screenshot at ${size%%,*} pixels"
		fi
	done
done

echo "browser: $passed passed, $failed failed (screenshots in $OUT)"
[ "$failed" -eq 0 ]
