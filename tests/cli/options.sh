# CLI checks of the command line itself (issue 16: help, uniform options,
# progress, install; issue 15: output safety), sourced by tests/cli/run.sh:
# uses its run, pass, fail, usage_error, gate, $tmp and $VPCSIM.

omodel=scenarios/db-public-open.yaml # errors, warnings and info
clean=scenarios/three-tier.yaml

# check_that WHAT CONDITION...: passes when the command CONDITION succeeds;
# check_not WHAT CONDITION...: when it fails.
check_that() {
	what=$1
	shift
	if "$@"; then
		pass
	else
		fail "$what"
	fi
}
check_not() {
	what=$1
	shift
	if "$@"; then
		fail "$what"
	else
		pass
	fi
}

esc=$(printf '\033')

# ---- help: one table per command, read by help, man page, completions --

run --help
commands=$(sed -n 's/^  \([a-z]*\)  .*/\1/p' "$tmp/out")
check_that "--help lists the commands (exit $rc)" \
	test "$rc" -eq 0 -a "$(echo $commands | wc -w)" -ge 11
run help
check_that "help alone is --help" test "$rc" -eq 0 -a ! -s "$tmp/err"

# The completion script is written from the same tables: every option it
# offers for a command must be in that command's help.
"$VPCSIM" completion bash >"$tmp/completion.bash" 2>"$tmp/err"
for c in $commands; do
	run "$c" --help
	cp "$tmp/out" "$tmp/help.long"
	why=""
	[ "$rc" -eq 0 ] || why="$why; exit $rc"
	[ ! -s "$tmp/err" ] || why="$why; stderr"
	grep -q "^usage: vpcsim $c" "$tmp/out" || why="$why; no usage line"
	grep -q "^examples:" "$tmp/out" || why="$why; no example"
	run "$c" -h
	cmp -s "$tmp/out" "$tmp/help.long" || why="$why; -h differs"
	run help "$c"
	cmp -s "$tmp/out" "$tmp/help.long" || why="$why; 'help $c' differs"
	opts=$(awk -v c="$c" '$1 == c ")" { on = 1 }
		on && /opts="/ { sub(/.*opts="/, ""); sub(/".*/, ""); print; exit }' \
		"$tmp/completion.bash")
	[ -n "$opts" ] || why="$why; no options in the bash completion"
	for o in $opts; do
		grep -qE -- "(^|[ ,])$o( |,|\$)" "$tmp/help.long" ||
			why="$why; help lacks $o"
	done
	if [ -z "$why" ]; then
		pass
	else
		fail "vpcsim $c --help:${why#;}"
	fi
done

# Every example in the help runs (exit 0 or 1), from a scratch directory
# that sees the scenarios; examples writing outside it are skipped.
mkdir -p "$tmp/ex/bin"
ln -s "$(pwd)/scenarios" "$tmp/ex/scenarios"
case $VPCSIM in /*) vbin=$VPCSIM ;; *) vbin=$(pwd)/$VPCSIM ;; esac
ln -s "$vbin" "$tmp/ex/bin/vpcsim"
for c in $commands; do
	"$VPCSIM" help "$c" | sed -n '/^examples:/,$p' | sed -n 's/^  //p'
done >"$tmp/examples"
n_examples=0
while IFS= read -r e; do
	case $e in *'~'* | *'| man'*) continue ;; esac
	n_examples=$((n_examples + 1))
	(cd "$tmp/ex" && PATH="$tmp/ex/bin:$PATH" sh -c "$e" >/dev/null 2>&1)
	erc=$?
	check_that "example '$e': exit $erc" test "$erc" -le 1
done <"$tmp/examples"
check_that "examples found ($n_examples)" test "$n_examples" -ge 15

usage_error "help for no command" "unknown command 'chek' (did you mean 'check'?)" \
	help chek
# -h and -V win wherever they stand, even after a mistake.
gate 0 check --frmat json -h
gate 0 reach "$clean" --hops 99 --help
for c in $commands; do
	run "$c" -V
	check_that "vpcsim $c -V: exit $rc, $(head -c 40 "$tmp/out")" \
		grep -q '^vpcsim [0-9]' "$tmp/out"
done
run --version
check_that "--version" grep -q '^vpcsim [0-9]' "$tmp/out"

# The man page and the completions in share/ are what the binary writes
# from its tables now (make regen rewrites them).
for f in "help --format man:share/man/man1/vpcsim.1" \
	"completion bash:share/bash-completion/completions/vpcsim" \
	"completion zsh:share/zsh/site-functions/_vpcsim"; do
	# shellcheck disable=SC2086
	"$VPCSIM" ${f%%:*} >"$tmp/gen" 2>&1
	check_that "${f#*:} differs from 'vpcsim ${f%%:*}'; run make regen" \
		cmp -s "$tmp/gen" "${f#*:}"
done
if command -v man >/dev/null 2>&1; then
	man --warnings -l share/man/man1/vpcsim.1 >"$tmp/man" 2>"$tmp/manerr"
	check_that "man --warnings: $(head -n 3 "$tmp/manerr")" \
		test ! -s "$tmp/manerr" -a -s "$tmp/man"
	for c in $commands; do
		grep -q "^\.SS $c\$" share/man/man1/vpcsim.1 ||
			fail "the man page has no section for $c"
	done
else
	echo "note: no man; skipping the man page lint"
fi

# bash: the completion offers the table's values.
if command -v bash >/dev/null 2>&1; then
	# complete_bash WANT WORDS...: the last word is completed.
	complete_bash() {
		want=$1
		shift
		got=$(bash -c '. share/bash-completion/completions/vpcsim
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vpcsim
			echo "${COMPREPLY[*]}"' bash "$@")
		check_that "bash completion of '$*': '$got', want '$want'" \
			test "$got" = "$want"
	}
	complete_bash "info warning error" vpcsim check --severity ""
	complete_bash "sarif" vpcsim check --format = s
	complete_bash "--fail-on --fail-on-empty" vpcsim check --fail-o
	complete_bash "check completion" vpcsim c
	# Rule ids come from the binary being completed.
	complete_bash "VS001" "$vbin" check --only VS001
	complete_bash "bash" vpcsim completion b
fi
# zsh: the script parses, and completes in a real zsh line editor.
if command -v zsh >/dev/null 2>&1; then
	check_that "zsh -n _vpcsim" zsh -n share/zsh/site-functions/_vpcsim
	# complete_zsh WANT LINE: after a tab, zsh shows WANT (its output is
	# read until it does, for at most ten seconds, so a busy machine
	# only slows the check down).
	complete_zsh() {
		timeout 20 zsh -f -c '
			zmodload zsh/zpty || exit 0
			setopt extendedglob
			zpty z "zsh -f -i"
			zpty -w z "PS1=\"> \"; PATH=$2:\$PATH; fpath=($PWD/share/zsh/site-functions \$fpath); autoload -U compinit; compinit -u -D"
			zpty -w -n z "$1"$'"'"'\t'"'"'
			out=
			for i in {1..100}; do
				while zpty -r -t z chunk; do out+=$chunk; done
				[[ ${out//$'"'"'\e'"'"'\[[0-9;?]#[a-zA-Z]/} == *"$3"* ]] && break
				sleep 0.1
			done
			print -r -- "${out//$'"'"'\e'"'"'\[[0-9;?]#[a-zA-Z]/}"
			zpty -d z' zsh "$2" "$tmp/ex/bin" "$1" 2>/dev/null |
			tail -n 1 >"$tmp/zsh"
		check_that "zsh completion of '$2': $(tail -c 60 "$tmp/zsh")" \
			grep -qF -- "$1" "$tmp/zsh"
	}
	complete_zsh "vpcsim check --severity=" "vpcsim check --sev"
	complete_zsh "vpcsim graph --format=mermaid" "vpcsim graph --format=m"
	complete_zsh "VS001" "vpcsim check --only VS00"
else
	echo "note: no zsh; skipping the zsh completion checks"
fi

# ---- uniform options ----------------------------------------------------

# -o writes the report there, nothing on stdout; the same bytes.
run reach "$clean" --from internet
cp "$tmp/out" "$tmp/reach.stdout"
run reach "$clean" --from internet -o "$tmp/reach.txt"
check_that "reach -o FILE: exit $rc, $(head -c 80 "$tmp/err")" \
	test "$rc" -eq 0 -a ! -s "$tmp/out" -a ! -s "$tmp/err"
check_that "reach -o FILE: not the report" cmp -s "$tmp/reach.txt" "$tmp/reach.stdout"
run reach "$clean" --from internet --output="$tmp/reach2.txt"
check_that "reach --output=FILE" cmp -s "$tmp/reach2.txt" "$tmp/reach.stdout"
run reach "$clean" --from internet -o -
check_that "-o - is standard output" cmp -s "$tmp/out" "$tmp/reach.stdout"
# -f, --format, --format= and -fVALUE are one option.
run show "$clean" --format json
cp "$tmp/out" "$tmp/show.json"
for form in "-f json" "-fjson" "--format=json" "-qf json"; do
	# shellcheck disable=SC2086
	run show "$clean" $form
	check_that "show $form" cmp -s "$tmp/out" "$tmp/show.json"
done
for c in show trace reach check sim diff graph; do
	usage_error "$c: an unknown option is named" "$c: unknown option '--nope'" \
		"$c" "$clean" --nope
done

# - is a model on standard input, named <stdin>.
run show - <"$clean"
check_that "show -: exit $rc" grep -q '^model <stdin> (vpcsim format' "$tmp/out"
"$VPCSIM" check - <"$omodel" >"$tmp/out" 2>"$tmp/err"
rc=$?
check_that "check -: exit $rc, findings at <stdin>" \
	grep -q '^<stdin>:[0-9]*:[0-9]*: error: \[VS001\]' "$tmp/out"
check_that "check - exit 1" test "$rc" -eq 1
usage_error "standard input twice" "standard input given twice" \
	show - - </dev/null
# -- ends the options: a model whose name starts with '-'.
cp "$clean" "$tmp/-model.yaml"
(cd "$tmp" && "$vbin" show -- -model.yaml >out2 2>err2)
check_that "show -- -model.yaml: $(head -c 80 "$tmp/err2")" \
	grep -q '^model -model.yaml' "$tmp/out2"

# -q: no notes or warnings on stderr; errors still.
run check tests/tfplan/srcmap/plan.json --tf-source tests/tfplan
check_that "a warning on stderr without -q" grep -q 'warning: --tf-source' "$tmp/err"
run check tests/tfplan/srcmap/plan.json --tf-source tests/tfplan -q
check_that "-q: stderr '$(head -c 80 "$tmp/err")'" test "$rc" -eq 1 -a ! -s "$tmp/err"
usage_error "-q keeps errors" "cannot open" show -q "$tmp/no-such.yaml"

# Colour: never when not a terminal, on with CLICOLOR_FORCE, off with
# NO_COLOR or --no-color (which win), never into an -o file.
colour() { # colour ARGS...: the report of check on $omodel, any escapes?
	"$@" >"$tmp/c" 2>/dev/null
	grep -q "$esc\[" "$tmp/c"
}
check_not "no colour into a pipe" colour env -u CLICOLOR_FORCE -u NO_COLOR "$VPCSIM" check "$omodel"
check_that "CLICOLOR_FORCE colours" colour env CLICOLOR_FORCE=1 "$VPCSIM" check "$omodel"
check_not "CLICOLOR_FORCE=0 does not" colour env CLICOLOR_FORCE=0 "$VPCSIM" check "$omodel"
check_not "NO_COLOR wins" colour env CLICOLOR_FORCE=1 NO_COLOR=1 "$VPCSIM" check "$omodel"
check_not "--no-color wins" colour env CLICOLOR_FORCE=1 "$VPCSIM" check --no-color "$omodel"
CLICOLOR_FORCE=1 "$VPCSIM" check "$omodel" -o "$tmp/c.txt" >/dev/null 2>&1
check_not "no colour into an -o file" grep -q "$esc\[" "$tmp/c.txt"
check_not "JSON is never coloured" colour env CLICOLOR_FORCE=1 "$VPCSIM" check -f json "$omodel"

# Never wrapped when not a terminal, whatever COLUMNS says.
COLUMNS=40 "$VPCSIM" check "$omodel" >"$tmp/w" 2>/dev/null
check_that "not a terminal: not wrapped" test "$(awk 'length > 40' "$tmp/w" | wc -l)" -gt 0

# On a terminal (script(1) gives one): colour, and lines wrapped to COLUMNS.
if command -v script >/dev/null 2>&1 &&
	script -qec true /dev/null >/dev/null 2>&1; then
	COLUMNS=60 TERM=xterm NO_COLOR= script -qec "$VPCSIM check $omodel" \
		/dev/null </dev/null >"$tmp/tty" 2>&1
	tr -d '\r' <"$tmp/tty" | sed "s/$esc\[[0-9;]*m//g" >"$tmp/tty.plain"
	check_that "terminal: coloured" grep -q "$esc\[1;31merror:" "$tmp/tty"
	check_that "terminal: wrapped to COLUMNS=60" \
		test "$(awk 'length > 60' "$tmp/tty.plain" | wc -l)" -eq 0
	check_that "terminal: the words all there" \
		test "$(tr -s ' \n' '\n\n' <"$tmp/tty.plain" | sort | md5sum)" = \
		"$(tr -s ' \n' '\n\n' <"$tmp/w" | sort | md5sum)"
	# Progress: a step over a second says so on a terminal's stderr
	# (standard input arrives after two seconds), never with -q or into
	# a file.
	script -qec "sh -c '(sleep 2; cat $clean) | $VPCSIM check - >/dev/null'" \
		/dev/null </dev/null >"$tmp/tty" 2>&1
	check_that "progress on a terminal" grep -q 'vpcsim: loading\.\.\. 1 s' "$tmp/tty"
	script -qec "sh -c '(sleep 2; cat $clean) | $VPCSIM check -q - >/dev/null'" \
		/dev/null </dev/null >"$tmp/tty" 2>&1
	check_not "no progress with -q" grep -q 'vpcsim: loading' "$tmp/tty"
	(sleep 2; cat "$clean") | "$VPCSIM" check - >/dev/null 2>"$tmp/err"
	check_that "no progress into a file" test ! -s "$tmp/err"
else
	echo "note: script(1) cannot make a terminal; skipping colour, wrap and progress"
fi

# Text findings come errors first, then warnings, then info.
run check "$omodel"
sed -n 's/^[^ ].*: \(error\|warning\|info\): \[.*/\1/p' "$tmp/out" | uniq >"$tmp/order"
check_that "grouped by severity: $(tr '\n' ' ' <"$tmp/order")" \
	test "$(tr '\n' ' ' <"$tmp/order")" = "error warning info "
# --severity filters what is shown, in every format, not the exit status.
cp "$tmp/out" "$tmp/all.txt"
run check "$omodel" --severity warning
check_that "--severity warning: no info, a note of them" \
	test "$rc" -eq 1 -a "$(grep -c ': info: \[' "$tmp/out")" -eq 0
check_that "--severity warning: the summary counts them" \
	grep -q 'info, [0-9]* not shown (below warning)$' "$tmp/out"
run check "$omodel" --severity error --fail-on warning -f json
check_that "--severity error -f json: errors only, exit 1 on the warning" \
	test "$rc" -eq 1 -a "$(grep -c '"severity": "error"' "$tmp/out")" -ge 1 -a \
	"$(grep -c '"severity": "\(warning\|info\)"' "$tmp/out")" -eq 0
usage_error "--severity never" "--severity must be one of info, warning, error" \
	check "$omodel" --severity never

# rules --format json: every rule, a field ready for security-severity.
run rules -f json
if command -v python3 >/dev/null 2>&1; then
	n=$(python3 -c 'import json,sys; r=json.load(sys.stdin)["rules"]
assert all("security_severity" in x and x["severity"] in ("error","warning","info") for x in r)
print(len(r))' <"$tmp/out" 2>/dev/null)
	check_that "rules -f json: $n rules" test "$n" = "$("$VPCSIM" rules | wc -l)"
fi

# ---- output safety (issue 15 item 3) ------------------------------------

# Standard output is checked: a full disk is exit 2 with a message.
if [ -w /dev/full ]; then
	for args in "check $clean" "check $omodel" "show $clean" \
		"reach $clean --from internet" "graph $clean" "rules" "--help" \
		"sim $clean --all-azs" "diff $clean $omodel"; do
		# shellcheck disable=SC2086
		"$VPCSIM" $args >/dev/full 2>"$tmp/err"
		rc=$?
		check_that "$args > /dev/full: exit $rc, $(head -c 80 "$tmp/err")" \
			test "$rc" -eq 2 -a "$(grep -c 'cannot write standard output: No space' "$tmp/err")" -eq 1
	done
fi

# An interrupted write leaves the previous file byte for byte, and no
# temporary file beside it.
mkdir "$tmp/w1"
printf 'the previous report\n' >"$tmp/w1/report.sarif"
cp "$tmp/w1/report.sarif" "$tmp/previous"
(ulimit -f 8 && exec "$VPCSIM" check "$omodel" -f sarif -o "$tmp/w1/report.sarif") \
	>/dev/null 2>"$tmp/err"
rc=$?
check_that "ulimit -f: exit $rc, $(head -c 80 "$tmp/err")" \
	grep -q 'report.sarif: error: cannot write: File too large' "$tmp/err"
check_that "ulimit -f: exit 2" test "$rc" -eq 2
check_that "ulimit -f: the previous file is intact" cmp -s "$tmp/w1/report.sarif" "$tmp/previous"
check_that "ulimit -f: no temporary file left" test "$(ls -A "$tmp/w1" | wc -l)" -eq 1
# The same run without the limit replaces it, keeping its mode.
chmod 640 "$tmp/w1/report.sarif"
gate 1 check "$omodel" -f sarif -o "$tmp/w1/report.sarif"
check_that "-o replaced the file" grep -q '"version": "2.1.0"' "$tmp/w1/report.sarif"
check_that "-o kept the mode" test "$(ls -l "$tmp/w1/report.sarif" | cut -c1-10)" = "-rw-r-----"

# graph --output on a symbolic link or a FIFO never removes it.
printf 'old\n' >"$tmp/real.dot"
ln -s real.dot "$tmp/link.dot"
gate 0 graph "$clean" -o "$tmp/link.dot"
check_that "graph -o LINK: still a link, the file it names written" \
	test -L "$tmp/link.dot" -a "$(head -c 16 "$tmp/real.dot")" = "digraph vpcsim {"
if [ -w /dev/full ]; then
	ln -s /dev/full "$tmp/full.dot"
	gate 2 graph "$clean" -o "$tmp/full.dot"
	check_that "graph -o LINK to a full device: the link stays" test -L "$tmp/full.dot"
fi
if mkfifo "$tmp/fifo" 2>/dev/null; then
	cat "$tmp/fifo" >"$tmp/from-fifo" &
	reader=$!
	gate 0 graph "$clean" -f mermaid -o "$tmp/fifo"
	wait "$reader"
	check_that "graph -o FIFO: still a FIFO, the reader got the picture" \
		test -p "$tmp/fifo" -a "$(head -c 8 "$tmp/from-fifo")" = "graph TB"
fi

# An output naming an input is refused before anything runs, however it
# is spelt; the input is untouched.
cp "$omodel" "$tmp/m.yaml"
cp "$omodel" "$tmp/m.keep"
ln -s m.yaml "$tmp/m-link.yaml"
usage_error "-o naming the model" "refusing to overwrite it" check "$tmp/m.yaml" -o "$tmp/m.yaml"
usage_error "-o naming the model by another path" "refusing to overwrite it" \
	check "$tmp/m.yaml" -o "$tmp/../$(basename "$tmp")/m.yaml"
usage_error "-o naming the model through a link" "refusing to overwrite it" \
	reach "$tmp/m-link.yaml" --from internet -o "$tmp/m.yaml"
usage_error "--write-baseline naming the model" "refusing to overwrite it" \
	check "$tmp/m.yaml" --write-baseline "$tmp/m.yaml"
usage_error "-o naming a policy" "refusing to overwrite it" \
	check "$clean" --policy tests/policy/data-tier.yaml -o tests/policy/data-tier.yaml
usage_error "-o naming standard input's file" "refusing to overwrite it" \
	show - -o "$tmp/m.yaml" <"$tmp/m.yaml"
usage_error "-o naming the baseline" "refusing to overwrite it" \
	check "$clean" --baseline "$tmp/m.keep" -o "$tmp/m.keep"
usage_error "-o and --write-baseline in one file" "both name" \
	check "$clean" -o "$tmp/same" --write-baseline "$tmp/same"
check_that "the model is untouched" cmp -s "$tmp/m.yaml" "$tmp/m.keep"

# --write-baseline: written last, only when the report was, and the run
# then exits 0; it is what --baseline reads back.
rm -f "$tmp/b.txt"
if [ -w /dev/full ]; then
	gate 2 check "$omodel" --write-baseline "$tmp/b.txt" -o /dev/full
	check_that "no baseline after a failed report" test ! -e "$tmp/b.txt"
fi
gate 0 check "$omodel" --write-baseline "$tmp/b.txt"
check_that "the baseline holds the fingerprints" grep -q '^VS001|db|' "$tmp/b.txt"
gate 0 check "$omodel" --baseline "$tmp/b.txt"
gate 0 check "$omodel" --baseline "$tmp/b.txt" --write-baseline "$tmp/b.txt"

# ---- the documents say what the binary does ------------------------------

# Every option docs/check.md's table lists is one check takes.
"$VPCSIM" check --help >"$tmp/check.help"
sed -n 's/^| `\(-[a-z]\)`, `\(--[a-z-]*\).*/\1 \2/p; s/^| `\(--[a-z-]*\).*/\1/p' \
	docs/check.md >"$tmp/doc.opts"
check_that "docs/check.md lists options" test "$(wc -w <"$tmp/doc.opts")" -ge 14
for o in $(cat "$tmp/doc.opts"); do
	grep -qE -- "(^|[ ,])$o( |,|\$)" "$tmp/check.help" ||
		fail "docs/check.md names $o, which 'vpcsim check --help' does not"
done
# The jobs of docs/ci.md and the pre-commit hook run as written on a model
# of their own (exit 0 or 1: every option exists and takes its value).
mkdir -p "$tmp/ci/infra"
cp "$omodel" "$tmp/ci/infra/network.yaml"
: >"$tmp/ci/infra/vpcsim.baseline"
grep -o 'vpcsim check infra/network.yaml[^`"]*' docs/ci.md >"$tmp/ci.cmds"
entry=$(sed -n 's/^  entry: //p' .pre-commit-hooks.yaml)
echo "$entry infra/network.yaml" >>"$tmp/ci.cmds"
check_that "docs/ci.md has the jobs' commands" test "$(wc -l <"$tmp/ci.cmds")" -ge 4
while IFS= read -r cmd; do
	(cd "$tmp/ci" && PATH="$tmp/ex/bin:$PATH" sh -c "$cmd" >/dev/null 2>"$tmp/err")
	erc=$?
	check_that "docs/ci.md: '$cmd': exit $erc $(head -c 80 "$tmp/err")" test "$erc" -le 1
done <"$tmp/ci.cmds"
