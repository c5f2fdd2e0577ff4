/*
 * `vpcsim sim MODEL... --fail SPEC... [--all-azs]`: what a failure breaks;
 * exit 1 when an intended flow breaks or something new is exposed.
 * `vpcsim diff OLD NEW`: what a change opens or breaks, and the findings
 * of every rule and policy that are new in NEW (by fingerprint); exit 1
 * when one is at or above --fail-on, so it can gate a pull request.
 *
 * Each input file is read once: sim compares the healthy model with a
 * clone of it per scenario (model_clone, then model_fail on the clone),
 * whose object indices are the healthy model's, so the intended flows
 * and the policies resolved against one hold in the other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "load/load.h"
#include "report/report.h"
#include "rules/change.h"

static bool gate(const struct change_report *r)
{
	if (r->n_policy_broken)
		return true;
	for (uint32_t i = 0; i < r->flows.n; i++)
		if (flow_broken(&r->flows.v[i]))
			return true;
	for (uint32_t i = 0; i < r->n_exposures; i++)
		if (!ports_empty(&r->exposures[i].added))
			return true;
	return false;
}

/* sim's own options. */
enum { OPT_FAIL = 1, OPT_ALL_AZS, OPT_POLICY };

static const struct cli_opt sim_opts_table[] = {
    {.id = OPT_FAIL,
     .name = "fail",
     .value = CLI_TEXT,
     .metavar = "SPEC",
     .repeat = true,
     .help = "fail this, all together: az:ZONE, a resource id, "
	     "route:TABLE:CIDR, sg:GROUP:ingress|egress:N"},
    {.id = OPT_ALL_AZS,
     .name = "all-azs",
     .value = CLI_FLAG,
     .help = "lose each availability zone in turn (with the --fail ones)"},
    {.id = OPT_POLICY,
     .name = "policy",
     .value = CLI_FILE,
     .metavar = "FILE",
     .repeat = true,
     .help = "policies whose require or forbid a failure must not break"},
    {0},
};

struct sim_opts {
	const char **fails, **policies;
	uint32_t n_fails, n_policies;
	bool all_azs;
	int format; /* index into formats: text, json */
	const struct cli *c;
};

/* The healthy model with zone lost (when not NULL) and the --fail
 * failures (model_fail_copy: the input files are read once, however many
 * scenarios); NULL after printed errors.  The copy's object indices are
 * the healthy model's. */
static struct model *failed_copy(const struct model *healthy, const char *zone,
				 const struct sim_opts *o)
{
	struct model *m;
	struct diag_list d = DIAG_LIST_INIT;
	if (model_fail_copy(&m, healthy, zone, o->fails, o->n_fails, &d))
		diag_print(stderr, &d);
	diag_list_free(&d);
	return m;
}

/* `sim --fail SPEC...`: one scenario, every failure at once. */
static int sim_once(const struct model *healthy, const struct policy_set *ps,
		    const struct sim_opts *o)
{
	struct model *after = failed_copy(healthy, NULL, o);
	if (!after)
		return EXIT_INPUT;
	struct change_report r = {0};
	struct change_base *b;
	change_collect(&r.flows, healthy);
	change_base_new(&b, healthy, &r.flows, ps);
	change_base_compare(&r, b, after, false);
	char title[512];
	size_t off = (size_t)snprintf(title, sizeof(title), "failure:");
	for (uint32_t i = 0; i < o->n_fails && off < sizeof(title); i++)
		off += (size_t)snprintf(title + off, sizeof(title) - off, " %s",
					o->fails[i]);
	struct cli_out out;
	int rc = cli_out_open(&out, o->c, o->format == 0);
	if (!rc) {
		if (o->format == 1)
			report_change_json(out.f, &r, title + 9);
		else
			report_change_text(out.f, &r, title, true);
		rc = cli_out_close(&out);
	}
	if (!rc && gate(&r))
		rc = EXIT_FINDINGS;
	change_base_free(b);
	change_report_free(&r);
	model_free(after);
	return rc;
}

/*
 * `sim --all-azs`: every zone of the model lost alone (plus the --fail
 * ones), each on its own copy of the healthy model, compared with the
 * healthy side evaluated once (change_base) and reported as it comes, so
 * a run holds one copy and one zone's outcome at a time.  The first copy
 * is made before the report starts, so the --fail errors leave no output.
 */
static int sim_all_azs(const struct model *healthy, const struct policy_set *ps,
		       const struct sim_opts *o)
{
	uint32_t nz;
	const char **zones = model_zones(healthy, &nz);
	struct change_report r = {0};
	struct change_base *b = NULL;
	struct report_resilience *rs = NULL;
	struct model *after = nz ? failed_copy(healthy, zones[0], o) : NULL;
	struct cli_out out;
	int rc = EXIT_CLEAN;
	if (nz && !after) {
		rc = EXIT_INPUT;
		goto out;
	}
	change_collect(&r.flows, healthy);
	change_base_new(&b, healthy, &r.flows, ps);
	if ((rc = cli_out_open(&out, o->c, o->format == 0)))
		goto out;
	report_resilience_begin(&rs, out.f, o->format == 1, zones, nz,
				&r.flows);
	for (uint32_t z = 0; z < nz; z++) {
		if (!after && !(after = failed_copy(healthy, zones[z], o))) {
			report_resilience_end(rs, false);
			cli_out_abort(&out);
			rc = EXIT_INPUT;
			goto out;
		}
		change_base_compare(&r, b, after, false);
		report_resilience_zone(rs, &r);
		if (gate(&r))
			rc = EXIT_FINDINGS;
		model_free(after);
		after = NULL;
	}
	report_resilience_end(rs, true);
	int wrc = cli_out_close(&out);
	if (wrc)
		rc = wrc;
out:
	model_free(after);
	change_base_free(b);
	change_report_free(&r);
	free(zones);
	return rc;
}

/* The command line of `vpcsim sim` into o; -1 after a usage error
 * (printed). */
static int sim_parse(struct sim_opts *o, const struct cli *c)
{
	memset(o, 0, sizeof(*o));
	o->c = c;
	o->format = c->format;
	o->fails = xcalloc(c->n_args + 1, sizeof(*o->fails));
	o->policies = xcalloc(c->n_args + 1, sizeof(*o->policies));
	for (size_t i = 0; i < c->n_args; i++) {
		const char *v = c->args[i].val;
		switch (c->args[i].opt->id) {
		case OPT_FAIL:
			o->fails[o->n_fails++] = v;
			break;
		case OPT_POLICY:
			o->policies[o->n_policies++] = v;
			break;
		case OPT_ALL_AZS:
			o->all_azs = true;
			break;
		}
	}
	if (!c->n_operands || (!o->n_fails && !o->all_azs)) {
		cli_usage_error("usage: vpcsim sim [OPTIONS] MODEL... (--fail "
				"SPEC... | --all-azs); see 'vpcsim sim "
				"--help'");
		return -1;
	}
	if (cli_refuse_input(c, "--output", c->output, o->policies,
			     o->n_policies))
		return -1;
	return 0;
}

static int run_sim(struct cli *c)
{
	struct sim_opts o;
	struct model *healthy = NULL;
	int rc = EXIT_INPUT;
	if (sim_parse(&o, c) < 0)
		goto out;
	struct ykit_section *own = NULL;
	healthy = cli_load_operands(c, &own);
	if (!healthy)
		goto out;
	/* Policies (the model's own and --policy files): a require or
	 * forbid that the failure violates breaks the gate too. */
	struct policy_set *ps = NULL;
	struct diag_list pd = DIAG_LIST_INIT;
	cli_load_policies(&ps, own, o.policies, o.n_policies, healthy, &pd);
	cli_print_diags(c, &pd);
	size_t policy_errors = pd.n_errors;
	diag_list_free(&pd);
	cli_progress(c, "simulating the failures");
	if (!policy_errors)
		rc = o.all_azs ? sim_all_azs(healthy, ps, &o)
			       : sim_once(healthy, ps, &o);
	policy_set_free(ps);
out:
	model_free(healthy);
	free(o.fails);
	free(o.policies);
	return rc;
}

const struct cli_cmd cli_cmd_sim = {
    .name = "sim",
    .synopsis = "MODEL... (--fail SPEC... | --all-azs)",
    .summary = "what a failure breaks",
    .description =
	"Compares the healthy model with the model after a failure: a zone, "
	"a NAT gateway, an endpoint, an instance, a load balancer, a route or "
	"a security-group rule taken away. Lists the intended flows that "
	"break and what becomes exposed; exits 1 when an intended flow breaks "
	"or a policy is violated. --all-azs loses each zone in turn "
	"(docs/sim-diff.md).",
    .formats = (const char *const[]){"text", "json", NULL},
    .opts = sim_opts_table,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim sim scenarios/single-nat.yaml --all-azs",
			      "vpcsim sim scenarios/three-tier.yaml --fail "
			      "az:us-east-1a",
			      NULL},
    .run = run_sim,
};

/* diff's own options. */
enum {
	DIFF_FAIL_ON = 1,
	DIFF_SEVERITY,
	DIFF_POLICY,
	DIFF_ONLY,
	DIFF_SKIP,
};

/* --format's words (cli_cmd_diff.formats is in this order). */
enum diff_format { DIFF_TEXT, DIFF_JSON, DIFF_SARIF, DIFF_JUNIT, DIFF_MD };

static const char *const diff_fail_on[] = {"error", "warning", "info", "never",
					   NULL};
static const char *const diff_severity[] = {"info", "warning", "error", NULL};

static const struct cli_opt diff_opts_table[] = {
    {.id = DIFF_FAIL_ON,
     .name = "fail-on",
     .value = CLI_WORD,
     .metavar = "LEVEL",
     .words = diff_fail_on,
     .def = "error",
     .help = "the lowest severity of a new finding that fails the run "
	     "with exit 1: {}"},
    {.id = DIFF_SEVERITY,
     .name = "severity",
     .value = CLI_WORD,
     .metavar = "LEVEL",
     .words = diff_severity,
     .def = "info",
     .help = "report only new findings at or above LEVEL: {}; the exit "
	     "status still counts every one (--fail-on)"},
    {.id = DIFF_POLICY,
     .name = "policy",
     .value = CLI_FILE,
     .metavar = "FILE",
     .repeat = true,
     .help = "policies to evaluate on both models (each native model's "
	     "own policies: section is always evaluated on it)"},
    {.id = DIFF_ONLY,
     .name = "only",
     .value = CLI_RULE,
     .metavar = "RULE",
     .repeat = true,
     .help = "run only this built-in rule on both models"},
    {.id = DIFF_SKIP,
     .name = "skip",
     .value = CLI_RULE,
     .metavar = "RULE",
     .repeat = true,
     .help = "never run this built-in rule"},
    {0},
};

struct diff_args {
	const char **policies, **only, **skip;
	uint32_t n_policies, n_only, n_skip;
	enum fail_on fail_on;
	enum severity severity;
};

static int diff_parse(struct diff_args *a, const struct cli *c)
{
	const struct cli_config *cfg = &c->cfg;
	size_t cap =
	    c->n_args + cfg->n_policies + cfg->n_only + cfg->n_skip + 1;
	memset(a, 0, sizeof(*a));
	a->policies = xcalloc(cap, sizeof(*a->policies));
	a->only = xcalloc(cap, sizeof(*a->only));
	a->skip = xcalloc(cap, sizeof(*a->skip));
	a->fail_on = FAIL_ON_ERROR;
	a->severity = SEV_INFO;
	bool fail_on_given = false, severity_given = false;
	for (size_t i = 0; i < c->n_args; i++) {
		const struct cli_arg *g = &c->args[i];
		switch (g->opt->id) {
		case DIFF_FAIL_ON:
			fail_on_parse(&a->fail_on, g->val);
			fail_on_given = true;
			break;
		case DIFF_SEVERITY:
			a->severity = (enum severity)g->word;
			severity_given = true;
			break;
		case DIFF_POLICY:
			a->policies[a->n_policies++] = g->val;
			break;
		case DIFF_ONLY:
		case DIFF_SKIP:
			if (!rules_find(g->val))
				return cli_usage_error(
				    "diff: --%s: unknown rule '%s'; 'vpcsim "
				    "rules' lists them",
				    g->opt->name, g->val);
			if (g->opt->id == DIFF_ONLY)
				a->only[a->n_only++] = g->val;
			else
				a->skip[a->n_skip++] = g->val;
			break;
		}
	}
	/* The configuration gives what the command line leaves out. */
	if (!fail_on_given && cfg->fail_on)
		fail_on_parse(&a->fail_on, cfg->fail_on);
	if (!severity_given && cfg->severity)
		for (int k = 0; diff_severity[k]; k++)
			if (!strcmp(cfg->severity, diff_severity[k]))
				a->severity = (enum severity)k;
	if (!a->n_policies)
		for (size_t i = 0; i < cfg->n_policies; i++)
			a->policies[a->n_policies++] = cfg->policies[i];
	if (!a->n_only)
		for (size_t i = 0; i < cfg->n_only; i++)
			a->only[a->n_only++] = cfg->only[i];
	if (!a->n_skip)
		for (size_t i = 0; i < cfg->n_skip; i++)
			a->skip[a->n_skip++] = cfg->skip[i];
	if (c->n_operands != 2)
		return cli_usage_error("usage: vpcsim diff [OPTIONS] OLD NEW; "
				       "see 'vpcsim diff --help'");
	if (cli_refuse_input(c, "--output", c->output, a->policies,
			     a->n_policies))
		return EXIT_INPUT;
	return 0;
}

static void diff_args_free(struct diff_args *a)
{
	free(a->policies);
	free(a->only);
	free(a->skip);
}

static int cmp_fp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Marks the findings of l the old model had too (by fingerprint, which
 * names what a finding is about, not where): the rest are new. */
static void mark_old(struct finding_list *l, const struct finding_list *old)
{
	const char **fp = xcalloc(old->n + 1, sizeof(*fp));
	for (uint32_t i = 0; i < old->n; i++)
		fp[i] = old->v[i].fingerprint;
	if (old->n)
		qsort(fp, old->n, sizeof(*fp), cmp_fp);
	for (uint32_t i = 0; i < l->n; i++) {
		const char *key = l->v[i].fingerprint;
		l->v[i].baselined =
		    old->n && bsearch(&key, fp, old->n, sizeof(*fp), cmp_fp);
	}
	free(fp);
}

/* The report, in its format. */
static int diff_report(const struct cli *c, const struct diff_args *a,
		       const struct change_report *r, struct finding_list *fn,
		       const struct rule_options *opt)
{
	uint32_t nb, nd, k = 0;
	const struct rule_def *b = rules_builtin(&nb);
	const struct rule_def *d = rules_diff_defs(&nd);
	struct rule_def *ran = xcalloc(nb + nd + 1, sizeof(*ran));
	for (uint32_t i = 0; i < nd; i++)
		ran[k++] = d[i];
	for (uint32_t i = 0; i < nb; i++)
		if (rules_selected(opt, &b[i]))
			ran[k++] = b[i];
	const char *new_name = c->operands[1];
	struct report_model md = {new_name, &c->operands[1], 1, fn};
	char stamp[32];
	cli_timestamp(stamp, sizeof(stamp));
	struct cli_out o;
	int rc =
	    cli_out_open(&o, c, c->format == DIFF_TEXT || c->format == DIFF_MD);
	if (rc) {
		free(ran);
		return rc;
	}
	struct report_run run = {.models = &md,
				 .n_models = 1,
				 .rules = ran,
				 .n_rules = k,
				 .min_severity = a->severity,
				 .fail_on = a->fail_on,
				 .color = o.color,
				 .timestamp = stamp};
	struct report_diff rd = {c->operands[0], new_name, r, &run};
	switch ((enum diff_format)c->format) {
	case DIFF_JSON:
		report_diff_json(o.f, &rd);
		break;
	case DIFF_SARIF:
		report_run_sarif(o.f, &run);
		break;
	case DIFF_JUNIT:
		report_run_junit(o.f, &run);
		break;
	case DIFF_MD:
		report_diff_markdown(o.f, &rd);
		break;
	case DIFF_TEXT:
		report_diff_text(o.f, &rd);
		break;
	}
	free(ran);
	return cli_out_close(&o);
}

static int run_diff(struct cli *c)
{
	struct diff_args a;
	struct model *old = NULL, *new = NULL;
	struct finding_list fo = {0}, fn = {0};
	struct policy_set *po = NULL, *pn = NULL;
	struct change_report r = {0};
	struct ykit_section *own_old = NULL, *own_new = NULL;
	int rc = diff_parse(&a, c);
	if (rc)
		goto out;
	rc = EXIT_INPUT;
	const char *const *paths = c->operands;
	if (!(old = cli_load(c, &paths[0], 1, &own_old)) ||
	    !(new = cli_load(c, &paths[1], 1, &own_new)))
		goto out;
	cli_progress(c, "comparing");
	change_collect(&r.flows, old);
	change_collect(&r.flows, new);
	change_compare(&r, old, new, true);
	cli_progress_end();
	/* The rules on both models: a finding the new one has and the old
	 * one had not is new, whatever rule found it; the diff's own
	 * findings (new exposures, broken flows) are new by nature. */
	struct rule_options opt = {a.only, a.n_only, a.skip, a.n_skip};
	change_findings(&fn, new, &r);
	struct ykit_section *o1 = own_old, *o2 = own_new;
	own_old = own_new = NULL;
	if (cli_analyse(&fo, &po, c, old, o1, a.policies, a.n_policies, &opt) ||
	    cli_analyse(&fn, &pn, c, new, o2, a.policies, a.n_policies, &opt))
		goto out;
	mark_old(&fn, &fo);
	if ((rc = diff_report(c, &a, &r, &fn, &opt)))
		goto out;
	for (uint32_t i = 0; i < fn.n; i++)
		if (finding_active(&fn.v[i]) && a.fail_on != FAIL_NEVER &&
		    (int)fn.v[i].severity >= (int)a.fail_on)
			rc = EXIT_FINDINGS;
out:
	ykit_section_free(own_old);
	ykit_section_free(own_new);
	change_report_free(&r);
	findings_free(&fo);
	findings_free(&fn);
	policy_set_free(po);
	policy_set_free(pn);
	model_free(old);
	model_free(new);
	diff_args_free(&a);
	return rc;
}

const struct cli_cmd cli_cmd_diff = {
    .name = "diff",
    .synopsis = "OLD NEW",
    .summary = "what a change opens or breaks; a pull-request gate",
    .description =
	"Compares two versions of a model: the intended flows that break "
	"(and the component that now blocks each), what becomes newly "
	"exposed to the internet, and every finding of the rules and "
	"policies that the new version has and the old one had not. Exits 1 "
	"when a new finding is at or above --fail-on (a new exposure or a "
	"broken flow is an error), so it can gate a pull request; --format "
	"markdown is a pull-request comment, sarif and junit are for CI "
	"(docs/sim-diff.md).",
    .formats = (const char *const[]){"text", "json", "sarif", "junit",
				     "markdown", NULL},
    .opts = diff_opts_table,
    .models = true,
    .examples = (const char *const[]){"vpcsim diff scenarios/three-tier.yaml "
				      "scenarios/db-public-open.yaml",
				      "vpcsim diff scenarios/three-tier.yaml "
				      "scenarios/single-nat.yaml --fail-on "
				      "warning -f markdown",
				      NULL},
    .run = run_diff,
};
