/*
 * `vpcsim sim MODEL... --fail SPEC... [--all-azs]`: what a failure breaks.
 * `vpcsim diff OLD NEW`: what a change opens or breaks.
 * Both exit 1 when an intended flow breaks or something new is exposed to
 * the internet, so they can gate a pull request.
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

/* A copy of the healthy model with the failures applied (model_clone: the
 * input files are read once, however many scenarios); NULL after printed
 * errors.  The copy's object indices are the healthy model's. */
static struct model *failed_copy(const struct model *healthy,
				 const char *const *specs, uint32_t ns)
{
	struct model *m = model_clone(healthy);
	struct diag_list d = DIAG_LIST_INIT;
	for (uint32_t i = 0; i < ns; i++)
		model_fail(m, specs[i], &d);
	if (d.n_errors) {
		diag_print(stderr, &d);
		model_free(m);
		m = NULL;
	}
	diag_list_free(&d);
	return m;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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

/* `sim --fail SPEC...`: one scenario, every failure at once. */
static int sim_once(const struct model *healthy, const struct policy_set *ps,
		    const struct sim_opts *o)
{
	struct model *after = failed_copy(healthy, o->fails, o->n_fails);
	if (!after)
		return EXIT_INPUT;
	struct change_report r = {0};
	change_collect(&r.flows, healthy);
	change_compare(&r, healthy, after, false);
	change_policies(&r, ps, healthy, after);
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
	change_report_free(&r);
	model_free(after);
	return rc;
}

/* Every availability zone of m, each once, sorted; *n receives the
 * count.  The strings are m's; the caller frees the array. */
static const char **model_zones(const struct model *m, uint32_t *n)
{
	const char **zones = xcalloc(m->n[MK_SUBNET] + 1, sizeof(*zones));
	uint32_t nz = 0;
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		const char *az = m->subnets[s].az;
		bool seen = !az;
		for (uint32_t k = 0; k < nz && !seen; k++)
			seen = !strcmp(zones[k], az);
		if (!seen)
			zones[nz++] = az;
	}
	qsort(zones, nz, sizeof(*zones), cmp_str);
	*n = nz;
	return zones;
}

/* `sim --all-azs`: every zone of the model lost alone (plus the --fail
 * ones), each on its own copy of the healthy model. */
static int sim_all_azs(const struct model *healthy, const struct policy_set *ps,
		       const struct sim_opts *o)
{
	uint32_t nz;
	const char **zones = model_zones(healthy, &nz);
	struct change_report *reports = xcalloc(nz ? nz : 1, sizeof(*reports));
	int rc = EXIT_CLEAN;
	for (uint32_t z = 0; z < nz; z++) {
		char spec[256];
		snprintf(spec, sizeof(spec), "az:%s", zones[z]);
		const char **specs = xcalloc(o->n_fails + 1, sizeof(*specs));
		specs[0] = spec;
		for (uint32_t i = 0; i < o->n_fails; i++)
			specs[i + 1] = o->fails[i];
		struct model *after =
		    failed_copy(healthy, specs, o->n_fails + 1);
		free(specs);
		if (!after) {
			rc = EXIT_INPUT;
			nz = z;
			goto out;
		}
		change_collect(&reports[z].flows, healthy);
		change_compare(&reports[z], healthy, after, false);
		change_policies(&reports[z], ps, healthy, after);
		if (gate(&reports[z]))
			rc = EXIT_FINDINGS;
		model_free(after);
	}
	struct cli_out out;
	int wrc = cli_out_open(&out, o->c, o->format == 0);
	if (!wrc) {
		if (o->format == 1)
			report_resilience_json(out.f, zones, reports, nz);
		else
			report_resilience_text(out.f, zones, reports, nz);
		wrc = cli_out_close(&out);
	}
	if (wrc)
		rc = wrc;
out:
	for (uint32_t z = 0; z < nz; z++)
		change_report_free(&reports[z]);
	free(reports);
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

static int run_diff(struct cli *c)
{
	if (c->n_operands != 2)
		return cli_usage_error("usage: vpcsim diff [OPTIONS] OLD NEW; "
				       "see 'vpcsim diff --help'");
	const char *const *paths = c->operands;
	struct model *old = cli_load(c, &paths[0], 1, NULL);
	if (!old)
		return EXIT_INPUT;
	struct model *new = cli_load(c, &paths[1], 1, NULL);
	if (!new) {
		model_free(old);
		return EXIT_INPUT;
	}
	struct change_report r = {0};
	cli_progress(c, "comparing");
	change_collect(&r.flows, old);
	change_collect(&r.flows, new);
	change_compare(&r, old, new, true);
	char title[1024];
	snprintf(title, sizeof(title), "changes from %s to %s:", paths[0],
		 paths[1]);
	struct cli_out o;
	int rc = cli_out_open(&o, c, c->format == 0);
	if (!rc) {
		if (c->format == 1) {
			report_change_json(o.f, &r, NULL);
		} else if (c->format == 2) {
			struct finding_list fl = {0};
			change_findings(&fl, new, &r);
			findings_sort(&fl);
			report_findings_sarif(o.f, &fl);
			findings_free(&fl);
		} else {
			report_change_text(o.f, &r, title, false);
		}
		rc = cli_out_close(&o);
	}
	if (!rc && gate(&r))
		rc = EXIT_FINDINGS;
	change_report_free(&r);
	model_free(old);
	model_free(new);
	return rc;
}

const struct cli_cmd cli_cmd_diff = {
    .name = "diff",
    .synopsis = "OLD NEW",
    .summary = "what a change opens or breaks",
    .description =
	"Compares two versions of a model: the intended flows that break and "
	"what becomes newly exposed to the internet. Exits 1 when a flow "
	"breaks or something new is exposed, so it can gate a pull request; "
	"SARIF shows the new exposures as findings (docs/sim-diff.md).",
    .formats = (const char *const[]){"text", "json", "sarif", NULL},
    .models = true,
    .examples = (const char *const[]){"vpcsim diff scenarios/three-tier.yaml "
				      "scenarios/db-public-open.yaml",
				      NULL},
    .run = run_diff,
};
