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

#define MAX_FAIL 32

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

struct sim_opts {
	const char *models[16], *fails[MAX_FAIL], *policies[MAX_FAIL];
	int n_models;
	uint32_t n_fails, n_policies;
	bool all_azs;
	int format; /* index into formats: text, json */
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
	if (o->format == 1)
		report_change_json(stdout, &r, title + 9);
	else
		report_change_text(stdout, &r, title, true);
	int rc = gate(&r) ? EXIT_FINDINGS : EXIT_CLEAN;
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
		const char *specs[MAX_FAIL + 1];
		specs[0] = spec;
		for (uint32_t i = 0; i < o->n_fails; i++)
			specs[i + 1] = o->fails[i];
		struct model *after =
		    failed_copy(healthy, specs, o->n_fails + 1);
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
	if (o->format == 1)
		report_resilience_json(stdout, zones, reports, nz);
	else
		report_resilience_text(stdout, zones, reports, nz);
out:
	for (uint32_t z = 0; z < nz; z++)
		change_report_free(&reports[z]);
	free(reports);
	free(zones);
	return rc;
}

/* The command line of `vpcsim sim` into o; -1 after a usage error
 * (printed). */
static int sim_parse(struct sim_opts *o, int argc, char **argv)
{
	static const char *const formats[] = {"text", "json"};
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--policy")) {
			if (i + 1 == argc || o->n_policies == MAX_FAIL) {
				cli_usage_error("sim: --policy needs a file "
						"(at most %d)",
						MAX_FAIL);
				return -1;
			}
			o->policies[o->n_policies++] = argv[++i];
		} else if (!strcmp(a, "--fail") || !strcmp(a, "--format")) {
			if (i + 1 == argc) {
				cli_usage_error("sim: %s needs a value", a);
				return -1;
			}
			const char *v = argv[++i];
			if (a[2] == 'f' && a[3] == 'a') {
				if (o->n_fails == MAX_FAIL) {
					cli_usage_error(
					    "sim: at most %d --fail", MAX_FAIL);
					return -1;
				}
				o->fails[o->n_fails++] = v;
			} else if ((o->format = cli_choice("--format", v,
							   formats, 2)) < 0) {
				return -1;
			}
		} else if (!strcmp(a, "--all-azs")) {
			o->all_azs = true;
		} else if (a[0] == '-' && a[1]) {
			cli_usage_error("sim: unknown option '%s'", a);
			return -1;
		} else if (o->n_models == 16) {
			cli_usage_error("sim: at most 16 MODEL files");
			return -1;
		} else {
			o->models[o->n_models++] = a;
		}
	}
	if (!o->n_models || (!o->n_fails && !o->all_azs)) {
		cli_usage_error("usage: vpcsim sim MODEL... (--fail "
				"SPEC... | --all-azs) [--policy FILE]... "
				"[--format text|json]\n"
				"  SPEC: az:ZONE, a resource id, "
				"route:TABLE:CIDR, sg:GROUP:ingress|egress:"
				"N");
		return -1;
	}
	return 0;
}

int cmd_sim(int argc, char **argv)
{
	struct sim_opts o;
	if (sim_parse(&o, argc, argv) < 0)
		return EXIT_INPUT;
	const char *const *models = o.models, *const *policies = o.policies;
	int n_models = o.n_models;
	uint32_t n_policies = o.n_policies;
	struct ykit_section *own = NULL;
	struct model *healthy = cli_load_paths_section(models, n_models, &own);
	if (!healthy)
		return EXIT_INPUT;
	int rc = EXIT_INPUT;
	/* Policies (the model's own and --policy files): a require or
	 * forbid that the failure violates breaks the gate too. */
	struct policy_set *ps = NULL;
	struct diag_list pd = DIAG_LIST_INIT;
	cli_load_policies(&ps, own, policies, n_policies, healthy, &pd);
	diag_sort(&pd);
	diag_print(stderr, &pd);
	size_t policy_errors = pd.n_errors;
	diag_list_free(&pd);
	if (!policy_errors)
		rc = o.all_azs ? sim_all_azs(healthy, ps, &o)
			       : sim_once(healthy, ps, &o);
	policy_set_free(ps);
	model_free(healthy);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	static const char *const formats[] = {"text", "json", "sarif"};
	const char *paths[2];
	int n = 0, format = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--format")) {
			if (i + 1 == argc)
				return cli_usage_error("diff: --format needs a "
						       "value");
			if ((format = cli_choice("--format", argv[++i], formats,
						 3)) < 0)
				return EXIT_INPUT;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("diff: unknown option '%s'",
					       argv[i]);
		} else if (n == 2) {
			return cli_usage_error(
			    "diff takes two models: OLD NEW");
		} else {
			paths[n++] = argv[i];
		}
	}
	if (n != 2)
		return cli_usage_error("usage: vpcsim diff OLD NEW [--format "
				       "text|json|sarif]");
	struct model *old = cli_load(paths[0]);
	if (!old)
		return EXIT_INPUT;
	struct model *new = cli_load(paths[1]);
	if (!new) {
		model_free(old);
		return EXIT_INPUT;
	}
	struct change_report r = {0};
	change_collect(&r.flows, old);
	change_collect(&r.flows, new);
	change_compare(&r, old, new, true);
	char title[1024];
	snprintf(title, sizeof(title), "changes from %s to %s:", paths[0],
		 paths[1]);
	if (format == 1) {
		report_change_json(stdout, &r, NULL);
	} else if (format == 2) {
		struct finding_list fl = {0};
		change_findings(&fl, new, &r);
		findings_sort(&fl);
		report_findings_sarif(stdout, &fl);
		findings_free(&fl);
	} else {
		report_change_text(stdout, &r, title, false);
	}
	int rc = gate(&r) ? EXIT_FINDINGS : EXIT_CLEAN;
	change_report_free(&r);
	model_free(old);
	model_free(new);
	return rc;
}
