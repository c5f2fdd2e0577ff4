# CLI checks of issue 16 items 3-8, sourced by tests/cli/run.sh after
# options.sh (uses run, pass, fail, usage_error, gate, check_that,
# check_not, $tmp, $VPCSIM, $vbin): many models a run, suppressions in
# every format, the configuration file, SARIF and JUnit validated against
# their schemas (tests/schemas), baselines that last, diff as a gate.

ci=$tmp/ci16
mkdir -p "$ci"

# The schema checks need python3-jsonschema and xmllint (make deps): a
# missing one is a failure, not a skip, so CI cannot pass without them.
have_jsonschema=false
if python3 -c 'import jsonschema' 2>/dev/null; then
	have_jsonschema=true
else
	fail "python3-jsonschema is missing (make deps installs it): SARIF is not validated"
fi
have_xmllint=false
if command -v xmllint >/dev/null 2>&1; then
	have_xmllint=true
else
	fail "xmllint is missing (make deps installs libxml2-utils): JUnit is not validated"
fi

# sarif_valid WHAT FILE: FILE is valid against our schema of SARIF 2.1.0
# as vpcsim writes it (tests/schemas/README.md).
sarif_valid() {
	$have_jsonschema || return 0
	if python3 -c '
import json, sys, jsonschema
schema = json.load(open("tests/schemas/sarif-2.1.0-subset.json"))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.Draft7Validator(schema).validate(json.load(open(sys.argv[1])))
' "$2" 2>"$ci/verr"; then
		pass
	else
		fail "$1: not valid SARIF 2.1.0: $(tail -n 3 "$ci/verr")"
	fi
}

# junit_valid WHAT FILE: FILE is valid against our XSDs of Jenkins' and
# Ant's JUnit formats.
junit_valid() {
	$have_xmllint || return 0
	for xsd in junit-jenkins.xsd junit-ant.xsd; do
		if xmllint --noout --schema "tests/schemas/$xsd" "$2" \
			>/dev/null 2>"$ci/verr"; then
			pass
		else
			fail "$1: not valid against $xsd: $(head -n 3 "$ci/verr")"
		fi
	done
}

# py WHAT FILE EXPR: the Python expression EXPR over the JSON document d
# of FILE is true.
py() {
	if python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if ($3) else 1)" "$2" 2>"$ci/verr"; then
		pass
	else
		fail "$1: $(tail -n 1 "$ci/verr")"
	fi
}

# ---- many models in one run (item 3) ------------------------------------

# The acceptance: every scenario in one valid SARIF file (those of the
# tutorial, in scenarios/tutorial/, too: a directory is read to the bottom).
n_scen=$(find scenarios -name '*.yaml' | wc -l)
run check scenarios/ --format sarif -o "$ci/all.sarif"
check_that "check scenarios/ -f sarif: exit $rc, $(head -c 100 "$tmp/err")" \
	test "$rc" -eq 1 -a ! -s "$tmp/out"
sarif_valid "check scenarios/ -f sarif" "$ci/all.sarif"
py "one run, every scenario an artifact" "$ci/all.sarif" \
	"len(d['runs']) == 1 and sorted(a['location']['uri'] for a in d['runs'][0]['artifacts'] if a['location']['uri'].startswith('scenarios/')) == sorted(r + '/' + f for r, _, fs in __import__('os').walk('scenarios') for f in fs if f.endswith('.yaml'))"
py "results of several scenarios" "$ci/all.sarif" \
	"len({r['properties']['model'] for r in d['runs'][0]['results']}) >= 20 and any(r['ruleId'] == 'VS001' and r['properties']['model'] == 'scenarios/db-public-open.yaml' for r in d['runs'][0]['results'])"
# The same in every format: a JUnit suite, a JSON entry, a text header per
# model; the exit status is the worst of them.
run check scenarios/ --format junit -o "$ci/all.xml"
junit_valid "check scenarios/ -f junit" "$ci/all.xml"
check_that "JUnit: a suite per model" \
	test "$(grep -c '<testsuite ' "$ci/all.xml")" -eq "$n_scen"
run check scenarios/ -f json
cp "$tmp/out" "$ci/all.json"
py "JSON: a models entry per model" "$ci/all.json" \
	"len(d['models']) == $n_scen and all(f['model'] in {m['name'] for m in d['models']} for f in d['findings'])"
py "JSON: the totals are the models' sums" "$ci/all.json" \
	"all(d['summary'][k] == sum(m['summary'][k] for m in d['models']) for k in d['summary'])"
run check scenarios/three-tier.yaml scenarios/single-az-db.yaml
check_that "two models: a header each, then the totals" \
	test "$(grep -c '^== scenarios/' "$tmp/out")" -eq 2 -a \
	"$(tail -n 1 "$tmp/out")" = "2 models: 0 errors, 1 warning, 0 info"
gate 0 check scenarios/three-tier.yaml scenarios/single-az-db.yaml
gate 1 check scenarios/three-tier.yaml scenarios/db-public-open.yaml
gate 1 check scenarios/db-public-open.yaml scenarios/three-tier.yaml
# One model's text is as it always was: no header.
run check scenarios/three-tier.yaml
check_that "one model: no header" test "$(cat "$tmp/out")" = "0 errors, 0 warnings, 0 info"

# A walk: hidden directories and files skipped, files that are no model
# skipped with a note, in name order; -q keeps the note quiet.
mkdir -p "$ci/walk/b" "$ci/walk/.hidden" "$ci/walk/a"
cp scenarios/three-tier.yaml "$ci/walk/b/z.yaml"
cp scenarios/db-public-open.yaml "$ci/walk/a/y.yml"
cp scenarios/db-public-open.yaml "$ci/walk/.hidden/x.yaml"
cp scenarios/db-public-open.yaml "$ci/walk/.dot.yaml"
echo 'services: {web: {image: nginx}}' >"$ci/walk/compose.yaml"
echo '{"name": "x", "version": "1.0.0"}' >"$ci/walk/package.json"
echo 'not yaml at all: [' >"$ci/walk/broken.template"
cp scenarios/three-tier.yaml "$ci/walk/notes.txt"
run show "$ci/walk"
check_that "walk: models in name order, hidden ones not" \
	test "$(grep '^== ' "$tmp/out" | tr '\n' ' ')" = "== $ci/walk/a/y.yml == == $ci/walk/b/z.yaml == "
check_that "walk: a note counts the files that are no model" \
	grep -qx "$ci/walk: note: 3 files skipped: not a model" "$tmp/err"
run show "$ci/walk" -q
check_that "walk -q: no note" test "$rc" -eq 0 -a ! -s "$tmp/err"
mkdir "$ci/empty"
usage_error "a directory with no model" \
	"$ci/empty: error: no model here (0 files of a model's name read, none a model)" \
	check "$ci/empty"
# An output may not overwrite a file the walk found.
cp "$ci/walk/b/z.yaml" "$ci/z.keep"
usage_error "-o naming a model in a walked directory" "refusing to overwrite it" \
	check "$ci/walk" -o "$ci/walk/b/z.yaml"
usage_error "--write-baseline naming a model in a walked directory" \
	"refusing to overwrite it" check "$ci/walk" --write-baseline "$ci/walk/b/z.yaml"
check_that "the walked model is untouched" cmp -s "$ci/walk/b/z.yaml" "$ci/z.keep"
# A file named on the command line is a model whatever it holds.
usage_error "a named file that is no model" "compose.yaml:1:1" \
	check "$ci/walk/compose.yaml"

# CloudFormation: stacks that import each other are one model, others
# stand alone; a nested stack's parent takes its child.
run show tests/cfn/stacks -f json
py "stacks joined by their exports: one model" "$tmp/out" \
	"'models' not in d and d['format'] == 'cloudformation'"
run show tests/cfn/stacks/app.yaml tests/cfn/hosts.yaml -f json
py "templates that neither import nor nest: two models" "$tmp/out" \
	"[m['files'] for m in d['models']] == [['tests/cfn/stacks/app.yaml'], ['tests/cfn/hosts.yaml']]"
run show tests/cfn/nested/root.yaml tests/cfn/nested/network.yaml -f json
py "a nested stack's template given: one model" "$tmp/out" "'models' not in d"
# Commands of one model say so when the operands make several.
usage_error "sim of two models" \
	"sim takes one model; these files make 2: scenarios/three-tier.yaml, scenarios/single-nat.yaml" \
	sim scenarios/three-tier.yaml scenarios/single-nat.yaml --all-azs
# --param goes to the templates that declare it.
run show tests/cfn/nested/root.yaml scenarios/three-tier.yaml --param Env=dev
check_that "--param with two models: exit $rc, $(head -c 100 "$tmp/err")" \
	test "$rc" -eq 0
usage_error "--param no template declares" "no loaded template declares a parameter 'Enc' (did you mean 'Env'?)" \
	show tests/cfn/nested/root.yaml scenarios/three-tier.yaml --param Enc=dev

# reach over many models: a part each, models without the resource
# skipped with a note.
run reach scenarios/three-tier.yaml scenarios/eip-instance.yaml --from internet -f json
py "reach -f json of two models" "$tmp/out" \
	"[m['name'] for m in d['models']] == ['scenarios/three-tier.yaml', 'scenarios/eip-instance.yaml'] and all('rows' in m['report'] or m['report'] for m in d['models'])"
run reach scenarios/three-tier.yaml scenarios/eip-instance.yaml --from internet --to db --port 5432
check_that "reach: a model without db skipped with a note" \
	grep -q "^scenarios/eip-instance.yaml: note: skipped: unknown resource 'db'" "$tmp/err"
check_that "reach: the other answered" grep -q '^== scenarios/three-tier.yaml ==$' "$tmp/out"
usage_error "reach: no model has it" "no model holds what --from and --to name" \
	reach scenarios/three-tier.yaml scenarios/eip-instance.yaml --from internet --to nosuch
usage_error "reach csv of two models" "--format csv takes one model" \
	reach scenarios/three-tier.yaml scenarios/eip-instance.yaml --from internet -f csv

# ---- suppressions where the code is (item 4) ------------------------------

# CloudFormation Metadata: the template's, a resource's, an ingress
# resource's rule, one expired.
cfn=tests/cli/data/suppress-cfn.yaml
run check "$cfn"
check_that "CloudFormation suppressions: exit $rc (the expired one fails)" test "$rc" -eq 1
check_that "the template's suppression" \
	grep -q "info: \[VS016\] security group 'Spare' .*(suppressed: the pipeline attaches groups later)$" "$tmp/out"
check_that "a resource's suppression, by the rule's name" \
	grep -q "error: \[VS004\] instance Bastion .*(suppressed: the bastion takes SSH from anywhere by design)$" "$tmp/out"
check_that "an ingress resource's suppression covers its rule" \
	grep -q "info: \[VS015\] .*(suppressed: kept for when the open rule goes)$" "$tmp/out"
check_that "an expired suppression: active again, said" \
	grep -q "a suppression of VS004 expired on 2001-01-01 ($cfn:[0-9]*:[0-9]*: an expired exception): active again" "$tmp/out"
run check "$cfn" -f sarif -o "$ci/sup.sarif"
py "SARIF: suppressed results are inSource, accepted" "$ci/sup.sarif" \
	"sorted(s['justification'] for r in d['runs'][0]['results'] for s in r.get('suppressions', [])) == ['kept for when the open rule goes', 'the bastion takes SSH from anywhere by design', 'the pipeline attaches groups later']"
sed 's/rule: admin-port-exposed/rule: admin-port-exposd/' "$cfn" >"$ci/typo.yaml"
usage_error "an unknown rule in Metadata" \
	"typo.yaml:53:20: error: a suppression names rule 'admin-port-exposd', which does not exist (did you mean 'admin-port-exposed'?)" \
	check "$ci/typo.yaml"
sed 's/reason: the pipeline attaches groups later//; s/unused-resource, /unused-resource/' "$cfn" >"$ci/noreason.yaml"
usage_error "a suppression without a reason in Metadata" \
	"missing required key 'reason'" check "$ci/noreason.yaml"

# Terraform: a comment above the resource block or in it.
cp -R tests/tfplan/srcmap "$ci/tf"
sed -i 's/^# Two admin hosts in the public subnet, in the group open to SSH\.$/&\n# vpcsim:ignore admin-port-exposed until:2999-01-01 break-glass hosts/' "$ci/tf/main.tf"
sed -i 's/^    cidr_blocks = \["10.0.0.0\/8"\]$/&  \/\/ vpcsim:ignore VS015 kept for the audit/' "$ci/tf/modules/web/main.tf"
run check "$ci/tf/plan.json"
check_that "Terraform: the comment above a block suppresses its instances" \
	test "$(grep -c 'error: \[VS004\] instance aws_instance.admin\[[01]\] .*(suppressed: break-glass hosts)$' "$tmp/out")" -eq 2
check_that "Terraform: a comment in a nested block" \
	grep -q 'info: \[VS015\] .*(suppressed: kept for the audit)$' "$tmp/out"
check_that "Terraform suppressions: exit $rc" test "$rc" -eq 0
sed -i 's/vpcsim:ignore VS015/vpcsim:ignore VS051/' "$ci/tf/modules/web/main.tf"
usage_error "an unknown rule in a Terraform comment" \
	"tf/modules/web/main.tf:30:52: error: a suppression names rule 'VS051', which does not exist" \
	check "$ci/tf/plan.json"
sed -i 's/vpcsim:ignore VS051 kept for the audit/vpcsim:ignore VS015/' "$ci/tf/modules/web/main.tf"
usage_error "a Terraform suppression without a reason" \
	"tf/modules/web/main.tf:30:38: error: a suppression needs a reason" \
	check "$ci/tf/plan.json"

# Native: one behaviour (a list, until, unknown rules).
sed 's/^    description: the database takes MySQL from the tasks only$/&\n    suppress:\n      - {rules: [VS017, VS015], reason: migration, until: 2999-01-01}/' \
	scenarios/db-public-open.yaml >"$ci/native.yaml"
run check "$ci/native.yaml"
check_that "native suppress: a list with until" \
	test "$(grep -c '(suppressed: migration)$' "$tmp/out")" -eq 2
sed -i 's/VS017, VS015/VS017, VS105/' "$ci/native.yaml"
usage_error "an unknown rule in a native suppress" \
	"native.yaml:83:25: error: a suppression names rule 'VS105'" check "$ci/native.yaml"

# ---- the configuration file (item 5) --------------------------------------

mkdir -p "$ci/cfg/infra/vendor" "$ci/cfg/infra/sub/deep"
cp scenarios/single-nat.yaml scenarios/single-az-db.yaml "$ci/cfg/infra/"
echo 'vpcs: {x: {cidr: nonsense}}' >"$ci/cfg/infra/vendor/broken.yaml"
cat >"$ci/cfg/.vpcsim.yaml" <<'EOF'
# every key, paths from this file's directory
fail-on: warning
severity: warning
skip: [single-az]
ignore: [vendor]
policies: []
EOF
# cfg ARGS...: vpcsim from the deepest directory, into $tmp/out, $tmp/err.
cfg() {
	(cd "$ci/cfg/infra/sub/deep" && "$vbin" "$@" >"$tmp/out" 2>"$tmp/err")
	rc=$?
}
cfg check ../..
check_that "config found upwards: fail-on warning, ignore vendor, skip single-az: exit $rc $(head -c 100 "$tmp/err")" \
	test "$rc" -eq 1 -a "$(grep -c 'VS010' "$tmp/out")" -eq 0 -a \
	"$(grep -c 'warning: \[VS011\]' "$tmp/out")" -eq 1
cfg check ../.. --fail-on error
check_that "the command line wins over the file: exit $rc" test "$rc" -eq 0
cfg check ../.. --skip VS011
check_that "a list on the command line replaces the file's: exit $rc" \
	test "$rc" -eq 1 -a "$(grep -c 'VS010' "$tmp/out")" -eq 1
cfg check ../.. --no-config
check_that "--no-config: the vendor directory is walked: exit $rc" \
	test "$rc" -eq 2 && grep -q 'vendor/broken.yaml:1:18: error' "$tmp/err"
cat >"$ci/cfg/other.yaml" <<'EOF'
fail-on: never
ignore: [vendor]
EOF
cfg check ../.. --config ../../../other.yaml --skip VS011 --skip VS010
check_that "--config FILE" test "$rc" -eq 0
cat >"$ci/cfg/.vpcsim.yaml" <<'EOF'
fail-on: warnin
severty: info
skip: [VS0100]
EOF
cfg check ../..
check_that "config errors: exit $rc" test "$rc" -eq 2 -a ! -s "$tmp/out"
check_that "config: a bad word, with the closest" \
	grep -q '^\.\./\.\./\.\./\.vpcsim\.yaml:1:10: error: fail-on must be one of error, warning, info, never, not .warnin. (did you mean .warning.?)$' "$tmp/err"
check_that "config: an unknown key, with the closest" \
	grep -q "^\.\./\.\./\.\./\.vpcsim\.yaml:2:1: error: unknown key 'severty' in the configuration (did you mean 'severity'?)$" "$tmp/err"
check_that "config: an unknown rule, with the closest" \
	grep -q "^\.\./\.\./\.\./\.vpcsim\.yaml:3:8: error: unknown rule 'VS0100' (did you mean 'VS010'?)" "$tmp/err"
# Parameters per template, from the file's directory; the command line's
# win.
mkdir -p "$ci/params/infra"
cp tests/cfn/nested/network.yaml "$ci/params/infra/"
cat >"$ci/params/.vpcsim.yaml" <<'EOF'
parameters:
  infra/network.yaml: {Cidr: 10.77.0.0/16}
EOF
(cd "$ci/params" && "$vbin" show infra/network.yaml >"$tmp/out" 2>"$tmp/err")
check_that "parameters for a template: $(head -c 80 "$tmp/err")" \
	grep -q "^VPC Vpc 10.77.0.0/16" "$tmp/out"
(cd "$ci/params" && "$vbin" show infra --param Cidr=10.78.0.0/16 >"$tmp/out" 2>"$tmp/err")
check_that "--param wins over the file's" grep -q "^VPC Vpc 10.78.0.0/16" "$tmp/out"
usage_error "--config and --no-config" "--config and --no-config together" \
	show scenarios/three-tier.yaml --config x --no-config

# ---- CI formats (item 6) -------------------------------------------------

for m in scenarios/db-public-open.yaml tests/cfn/hosts.yaml tests/tfplan/srcmap/plan.json \
	tests/cfn/examples/Base.template.json; do
	b=$(basename "$m")
	"$VPCSIM" check "$m" -f sarif -o "$ci/$b.sarif" 2>/dev/null
	sarif_valid "check $m -f sarif" "$ci/$b.sarif"
	"$VPCSIM" check "$m" -f junit -o "$ci/$b.xml" 2>/dev/null
	junit_valid "check $m -f junit" "$ci/$b.xml"
done
# The golden reports of tests/check_sarif.c hold the rare cases: a
# finding with no line and no resource, a suppressed one, a policy.
sarif_valid "tests/golden/check.sarif" tests/golden/check.sarif
junit_valid "tests/golden/check.junit.xml" tests/golden/check.junit.xml
s=$ci/db-public-open.yaml.sarif
# The schemas bite: each edit of a valid report below breaks one rule of
# its format, and the schema must refuse it for that rule.
# sarif_rejects WHAT KEYWORD EDIT: $s changed by the Python statement
# EDIT (on d, with res its results and rules its rules) fails the schema's
# KEYWORD (enum, minimum, additionalProperties, ...).
sarif_rejects() {
	$have_jsonschema || return 0
	if python3 -c '
import json, sys, jsonschema
schema = json.load(open("tests/schemas/sarif-2.1.0-subset.json"))
d = json.load(open(sys.argv[1]))
res = d["runs"][0]["results"]
rules = d["runs"][0]["tool"]["driver"]["rules"]
before = json.dumps(d)
exec(sys.argv[3])
assert json.dumps(d) != before, "the edit changed nothing"
found = {e.validator for e in jsonschema.Draft7Validator(schema).iter_errors(d)}
if sys.argv[2] not in found:
    sys.exit("accepted" if not found else "refused, but for %s" % sorted(found))
' "$s" "$2" "$3" 2>"$ci/verr"; then
		pass
	else
		fail "SARIF schema: $1: $(tail -n 1 "$ci/verr")"
	fi
}
sarif_rejects "a result of level critical" enum 'res[0]["level"] = "critical"'
sarif_rejects "a rule's default level critical" enum \
	'rules[0]["defaultConfiguration"]["level"] = "critical"'
sarif_rejects "ruleIndex -1" minimum 'res[0]["ruleIndex"] = -1'
sarif_rejects "ruleIndex a string" type 'res[0]["ruleIndex"] = "0"'
sarif_rejects "a misspelt result member (ruleID)" additionalProperties \
	'res[0]["ruleID"] = res[0].pop("ruleId")'
sarif_rejects "a misspelt region member (startline)" additionalProperties \
	'r = res[0]["locations"][0]["physicalLocation"]["region"]; r["startline"] = r.pop("startLine")'
sarif_rejects "a misspelt driver member (informationURI)" additionalProperties \
	'v = d["runs"][0]["tool"]["driver"]; v["informationURI"] = v.pop("informationUri")'
sarif_rejects "a misspelt log member (run)" additionalProperties 'd["run"] = d.pop("runs")'
sarif_rejects "startLine 0" minimum \
	'res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0'
sarif_rejects "an artifact index of -1" minimum \
	'res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["index"] = -1'
sarif_rejects "a tag twice" uniqueItems 'rules[0]["properties"]["tags"] += ["security"]'
sarif_rejects "security-severity a number" type 'rules[0]["properties"]["security-severity"] = 9.1'
sarif_rejects "security-severity above 10" pattern 'rules[0]["properties"]["security-severity"] = "10.5"'
sarif_rejects "a fingerprint not a string" type 'res[0]["partialFingerprints"]["vpcsim/v1"] = 1'
sarif_rejects "a code flow with no thread" minItems \
	'[r for r in res if "codeFlows" in r][0]["codeFlows"][0]["threadFlows"] = []'
sarif_rejects "a suppression of kind inline" enum 'res[0]["suppressions"] = [{"kind": "inline"}]'
sarif_rejects "a passing result with a level other than none" const 'res[0]["kind"] = "pass"'
sarif_rejects "version 2.1" const 'd["version"] = "2.1"'
sarif_rejects "a relative informationUri" pattern \
	'd["runs"][0]["tool"]["driver"]["informationUri"] = "docs/check.md"'
sarif_rejects "a URI with a space" pattern \
	'd["runs"][0]["artifacts"][0]["location"]["uri"] = "my scenarios/x.yaml"'
sarif_rejects "a message without text" required 'res[0]["message"] = {"markdown": "x"}'
# junit_rejects WHAT XSD SED: the valid JUnit $ci/db-public-open.yaml.xml
# changed by the sed script SED, still well-formed, fails tests/schemas/XSD.
junit_rejects() {
	$have_xmllint || return 0
	sed "$3" "$ci/db-public-open.yaml.xml" >"$ci/bad.xml"
	if cmp -s "$ci/db-public-open.yaml.xml" "$ci/bad.xml"; then
		fail "JUnit schema $2: $1: the edit changed nothing"
	elif ! xmllint --noout "$ci/bad.xml" 2>"$ci/verr"; then
		fail "JUnit schema $2: $1: not well-formed: $(head -n 1 "$ci/verr")"
	elif xmllint --noout --schema "tests/schemas/$2" "$ci/bad.xml" \
		>/dev/null 2>&1; then
		fail "JUnit schema $2: $1: accepted"
	else
		pass
	fi
}
case0='<testcase classname="VS003" name="all resources" time="0"'
for xsd in junit-jenkins.xsd junit-ant.xsd; do
	junit_rejects "testcase@file" $xsd "s|$case0|& file=\"x.yaml\"|"
	junit_rejects "testcase@line" $xsd "s|$case0|& line=\"3\"|"
	junit_rejects "testsuites@skipped" $xsd 's|<testsuites>|<testsuites skipped="0">|'
	junit_rejects "a testcase without a name" $xsd "s|$case0|<testcase classname=\"VS003\"|"
	junit_rejects "a testsuite without tests" $xsd 's| tests="[0-9]*"||'
	junit_rejects "a testsuite time that is no number" $xsd 's| time="0" timestamp| time="fast" timestamp|'
	junit_rejects "an unknown element in a testcase" $xsd "s|$case0/>|$case0><stdout/></testcase>|"
done
# Ant's format alone: one outcome a test case, a fixed order, required
# attributes.  (Jenkins' accepts several outcomes in any order.)
junit_rejects "two failures in one testcase" junit-ant.xsd \
	"s|$case0/>|$case0><failure type=\"error\">a</failure><failure type=\"error\">b</failure></testcase>|"
junit_rejects "a failure and a skip in one testcase" junit-ant.xsd \
	"s|$case0/>|$case0><failure type=\"error\">a</failure><skipped/></testcase>|"
junit_rejects "a failure without a type" junit-ant.xsd 's|" type="error">|">|'
junit_rejects "no system-err" junit-ant.xsd '/<system-err\/>/d'
junit_rejects "no properties" junit-ant.xsd '/<properties>/,/<\/properties>/d'
junit_rejects "properties after the test cases" junit-ant.xsd \
	'/<properties>/,/<\/properties>/d; s|<system-out>|<properties/>&|'
junit_rejects "a testsuite without a hostname" junit-ant.xsd 's| hostname="localhost"||'
junit_rejects "a timestamp with a zone" junit-ant.xsd 's|\(timestamp="[^"]*\)"|\1Z"|'
junit_rejects "an aggregated suite without an id" junit-ant.xsd 's| id="0"||'
py "every rule: security-severity 0.1-10.0 and tags with security" "$s" \
	"all(0 < float(r['properties']['security-severity']) <= 10 and 'security' in r['properties']['tags'] for r in d['runs'][0]['tool']['driver']['rules'])"
py "VS001 is critical, VS004 high" "$s" \
	"{r['id']: r['properties']['security-severity'] for r in d['runs'][0]['tool']['driver']['rules']}['VS001'] == '9.1'"
py "informationUri is absolute" "$s" \
	"d['runs'][0]['tool']['driver']['informationUri'].startswith('https://')"
py "codeFlows: the trace, each step with its file and line" "$s" \
	"any(r['ruleId'] == 'VS001' and r['codeFlows'][0]['threadFlows'][0]['locations'][3]['location']['physicalLocation']['region']['startLine'] == 84 for r in d['runs'][0]['results'])"
py "VS015's region is the rule's line, not the group's" "$s" \
	"[r['locations'][0]['physicalLocation']['region']['startLine'] for r in d['runs'][0]['results'] if r['ruleId'] == 'VS015'] == [83]"
# JUnit: a failure only at or above --fail-on.
run check scenarios/db-public-open.yaml -f junit
check_that "JUnit at --fail-on error: the errors fail, not the warning" \
	test "$(grep -c '<failure ' "$tmp/out")" -eq 1 -a \
	"$(grep -c 'type="warning"' "$tmp/out")" -eq 0
run check scenarios/db-public-open.yaml -f junit --fail-on warning
check_that "JUnit at --fail-on warning: the warning fails too" \
	test "$(grep -c '<failure ' "$tmp/out")" -eq 2
run check scenarios/db-public-open.yaml -f junit --fail-on never
check_that "JUnit at --fail-on never: nothing fails" \
	test "$(grep -c '<failure ' "$tmp/out")" -eq 0
SOURCE_DATE_EPOCH=86400 "$VPCSIM" check scenarios/three-tier.yaml -f junit >"$tmp/out"
check_that "JUnit timestamp from SOURCE_DATE_EPOCH" \
	grep -q 'timestamp="1970-01-02T00:00:00"' "$tmp/out"
run rules -f json
py "rules -f json: security_severity on every rule" "$tmp/out" \
	"all(0 < float(r['security_severity']) <= 10 for r in d['rules'])"

# ---- baselines that last (item 7) ------------------------------------------

cp scenarios/db-public-open.yaml "$ci/bl.yaml"
gate 0 check "$ci/bl.yaml" --write-baseline "$ci/bl.base"
# A rule inserted before the others shifts no fingerprint.
sed 's/^      - {protocol: tcp, ports: 3306, from: web-sg, description: MySQL from ECS}$/      - {protocol: tcp, ports: 5432, from: web-sg}\n&/' \
	"$ci/bl.yaml" >"$ci/bl2.yaml"
check_not "the rule was inserted" cmp -s "$ci/bl.yaml" "$ci/bl2.yaml"
run check "$ci/bl2.yaml" --only VS001 --only VS002 --only VS015 --only VS017 --baseline "$ci/bl.base"
check_that "after an inserted rule the baseline still matches: exit $rc, $(tail -n 1 "$tmp/out")" \
	test "$rc" -eq 0 -a "$(tail -n 1 "$tmp/out")" = "0 errors, 0 warnings, 0 info, 4 in the baseline"
# Blanks and CRLF do not matter; a stale entry gets a note.
{ printf '# kept\r\n'; sed 's/.*/  &\t\r/' "$ci/bl.base"; printf 'VS004|gone|tcp:22\r\n'; } >"$ci/crlf.base"
run check "$ci/bl.yaml" --baseline "$ci/crlf.base"
check_that "CRLF and blanks: every entry matches: exit $rc" test "$rc" -eq 0
check_that "a stale entry is noted where it is" \
	grep -qx "$ci/crlf.base:7:1: note: baseline entry 'VS004|gone|tcp:22' matches no finding (fixed, or its resource renamed): remove it, or rewrite the baseline with --write-baseline" "$tmp/err"
# docs/check.md's example is what vpcsim writes.
awk '/^<!-- baseline example: vpcsim check scenarios\/db-public-open.yaml --write-baseline -->$/ { on = 1; next }
	on == 1 && /^```/ { on = 2; next }
	on == 2 && /^```$/ { exit }
	on == 2 { print }' docs/check.md >"$ci/doc.base"
"$VPCSIM" check scenarios/db-public-open.yaml --write-baseline "$ci/real.base" >/dev/null 2>&1
check_that "docs/check.md's baseline example is real output" \
	test -s "$ci/doc.base" && cmp -s "$ci/doc.base" "$ci/real.base"
# A baseline over many models.
run check scenarios/ --write-baseline "$ci/all.base"
gate 0 check scenarios/ --baseline "$ci/all.base"
check_that "a baseline of many models: no stale note" test ! -s "$tmp/err"

# ---- diff as a gate (item 8) --------------------------------------------------

old=scenarios/three-tier.yaml
# A new warning (a single NAT for two zones) fails --fail-on warning.
gate 0 diff "$old" scenarios/single-nat.yaml
gate 1 diff "$old" scenarios/single-nat.yaml --fail-on warning
run diff "$old" scenarios/single-nat.yaml
check_that "diff text: the new finding of a rule" \
	grep -q '^  scenarios/single-nat.yaml:38:3: warning: \[VS011\]' "$tmp/out"
gate 0 diff scenarios/db-public-open.yaml scenarios/db-public-open.yaml --fail-on info
gate 1 diff "$old" scenarios/db-public-open.yaml
gate 0 diff "$old" scenarios/db-public-open.yaml --fail-on never
# A broken flow names the component that now blocks it.
run diff "$old" scenarios/targets-sg-wrong.yaml
check_that "diff: the blocking component of a broken flow" \
	grep -q '^          now blocked by security group web-sg \[scenarios/targets-sg-wrong.yaml:[0-9]*\]: ' "$tmp/out"
for f in sarif junit json markdown; do
	run diff "$old" scenarios/db-public-open.yaml -f "$f" -o "$ci/diff.$f"
	check_that "diff -f $f -o FILE: exit $rc, $(head -c 80 "$tmp/err")" \
		test "$rc" -eq 1 -a ! -s "$tmp/out" -a -s "$ci/diff.$f"
done
sarif_valid "diff -f sarif" "$ci/diff.sarif"
junit_valid "diff -f junit" "$ci/diff.junit"
py "diff SARIF: the new exposure and the new rule findings" "$ci/diff.sarif" \
	"{r['ruleId'] for r in d['runs'][0]['results']} >= {'VD001', 'VS001', 'VS002'}"
py "diff JSON: new findings and what fails" "$ci/diff.json" \
	"d['summary']['failing'] == 2 and any(f['rule'] == 'VD001' for f in d['new_findings'])"
check_that "diff markdown: a table for the pull request" \
	grep -q '^| error | VD001 new-exposure | db | `scenarios/db-public-open.yaml:127` | the change exposes db to the internet on tcp 3306 |$' "$ci/diff.markdown"
check_that "diff markdown: the verdict" grep -q '^\*\*Fails the gate\*\*' "$ci/diff.markdown"
run diff "$old" scenarios/targets-sg-wrong.yaml -f sarif
py "diff SARIF: a broken flow at the component that blocks it" "$tmp/out" \
	"any(r['ruleId'] == 'VD002' and r['locations'][0]['physicalLocation']['region']['startLine'] > 1 and 'now blocked by security group web-sg' in r['message']['text'] for r in d['runs'][0]['results'])"
