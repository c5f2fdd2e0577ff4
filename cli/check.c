/*
 * `vpcsim check MODEL... [options]`: every built-in rule and every
 * policy; exit 0 when no active finding is at or above --fail-on, 1 when
 * one is, 2 on a usage or input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"
#include "rules/rules.h"

#define MAX_LIST 32

/* --format's words (formats[] below is in this order). */
enum check_format { CHECK_TEXT, CHECK_JSON, CHECK_SARIF, CHECK_JUNIT };

struct check_args {
	const char *models[16];
	int n_models;
	const char *policies[MAX_LIST];
	uint32_t n_policies;
	const char *only[MAX_LIST], *skip[MAX_LIST];
	uint32_t n_only, n_skip;
	const char *baseline, *write_baseline, *output;
	enum check_format format;
	enum fail_on fail_on;
	/* A model with nothing to check fails: a CI gate pointed at the
	 * wrong file, or at a plan of nothing vpcsim models. */
	bool fail_on_empty;
};

static const char usage_check[] =
    "usage: vpcsim check MODEL... [--format text|json|sarif|junit] "
    "[--output FILE]\n"
    "       [--policy FILE]... [--only RULE]... [--skip RULE]... "
    "[--baseline FILE]\n"
    "       [--write-baseline FILE] [--fail-on error|warning|info|never]\n"
    "       [--fail-on-empty]";

static int add(const char **v, uint32_t *n, const char *opt, const char *val)
{
	if (*n == MAX_LIST)
		return cli_usage_error("check: at most %d %s options", MAX_LIST,
				       opt);
	v[(*n)++] = val;
	return 0;
}

/* A rule named in --only or --skip must exist: a typo would otherwise
 * silently run everything or skip nothing. */
static int known_rule(const char *opt, const char *name)
{
	if (rules_find(name))
		return 0;
	uint32_t n;
	const struct rule_def *defs = rules_builtin(&n);
	const char *cands[128];
	uint32_t k = 0;
	for (uint32_t i = 0; i < n && k + 2 <= 128; i++) {
		cands[k++] = defs[i].id;
		cands[k++] = defs[i].name;
	}
	const char *near = util_closest(name, cands, k);
	if (near)
		return cli_usage_error("check: %s: unknown rule '%s' (did you "
				       "mean '%s'?)",
				       opt, name, near);
	return cli_usage_error("check: %s: unknown rule '%s'; 'vpcsim rules' "
			       "lists them",
			       opt, name);
}

static int parse(struct check_args *a, int argc, char **argv)
{
	static const char *const formats[] = {[CHECK_TEXT] = "text",
					      [CHECK_JSON] = "json",
					      [CHECK_SARIF] = "sarif",
					      [CHECK_JUNIT] = "junit"};
	/* --fail-on's words, for the message when one is wrong. */
	static const char *const levels[] = {[FAIL_ON_INFO] = "info",
					     [FAIL_ON_WARNING] = "warning",
					     [FAIL_ON_ERROR] = "error",
					     [FAIL_NEVER] = "never"};
	/* --fail-on-empty takes no value (handled first); it is listed for
	 * the did-you-mean of a misspelt option. */
	static const char *const opts[] = {
	    "--format",		"--output",  "--policy",
	    "--only",		"--skip",    "--baseline",
	    "--write-baseline", "--fail-on", "--fail-on-empty"};
	memset(a, 0, sizeof(*a));
	a->fail_on = FAIL_ON_ERROR;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--fail-on-empty")) { /* a flag: no value */
			a->fail_on_empty = true;
			continue;
		}
		if (arg[0] != '-' || !arg[1]) {
			if (a->n_models == 16)
				return cli_usage_error(
				    "check: at most 16 MODEL "
				    "files");
			a->models[a->n_models++] = arg;
			continue;
		}
		char name[32];
		const char *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, arg, len);
		name[len] = '\0';
		size_t o;
		for (o = 0; o < ARRAY_LEN(opts); o++)
			if (!strcmp(name, opts[o]))
				break;
		if (o == ARRAY_LEN(opts)) {
			const char *near =
			    util_closest(name, opts, ARRAY_LEN(opts));
			if (near)
				return cli_usage_error("check: unknown option "
						       "'%s' (did you mean "
						       "'%s'?)\n%s",
						       name, near, usage_check);
			return cli_usage_error("check: unknown option '%s'\n%s",
					       name, usage_check);
		}
		if (o == ARRAY_LEN(opts) - 1)
			return cli_usage_error("check: %s takes no value",
					       name);
		const char *val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!val)
			return cli_usage_error("check: %s needs a value", name);
		int rc = 0;
		switch (o) {
		case 0: {
			int f = cli_choice("--format", val, formats,
					   ARRAY_LEN(formats));
			if (f < 0)
				return EXIT_INPUT;
			a->format = (enum check_format)f;
			break;
		}
		case 1:
			a->output = val;
			break;
		case 2:
			rc = add(a->policies, &a->n_policies, name, val);
			break;
		case 3:
			rc = known_rule(name, val);
			if (!rc)
				rc = add(a->only, &a->n_only, name, val);
			break;
		case 4:
			rc = known_rule(name, val);
			if (!rc)
				rc = add(a->skip, &a->n_skip, name, val);
			break;
		case 5:
			a->baseline = val;
			break;
		case 6:
			a->write_baseline = val;
			break;
		case 7:
			if (fail_on_parse(&a->fail_on, val) < 0) {
				/* reports the word against the list */
				cli_choice("--fail-on", val, levels,
					   ARRAY_LEN(levels));
				rc = EXIT_INPUT;
			}
			break;
		}
		if (rc)
			return rc;
	}
	if (!a->n_models)
		return cli_usage_error("%s", usage_check);
	return 0;
}

/* Whether every object of m is one vpcsim added (implicit: the defaults
 * AWS creates, what lies outside a Terraform plan): then no rule had
 * anything of the input's own to read. */
static bool nothing_to_check(const struct model *m)
{
	for (uint32_t i = 0; i < m->n_objects; i++)
		if (!m->by_id[i]->implicit)
			return false;
	return true;
}

static void print_diags(struct diag_list *d)
{
	diag_sort(d);
	diag_print(stderr, d);
}

int cmd_check(int argc, char **argv)
{
	struct check_args a;
	int rc = parse(&a, argc, argv);
	if (rc)
		return rc;
	struct ykit_section *own = NULL;
	struct model *m = cli_load_paths_section(a.models, a.n_models, &own);
	if (!m)
		return EXIT_INPUT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct policy_set *ps = NULL;
	struct finding_list findings = {0};
	FILE *out = stdout;
	rc = EXIT_INPUT;

	/* Policies: the model's own section, then each --policy file.  Any
	 * error in them stops the run before a verdict is given. */
	cli_load_policies(&ps, own, a.policies, a.n_policies, m, &diags);
	if (diags.n_errors) {
		print_diags(&diags);
		goto out;
	}
	print_diags(&diags);

	/* One engine, class index and exposure map for rules and policies. */
	struct rule_options opt = {a.only, a.n_only, a.skip, a.n_skip};
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, &findings);
	rules_run_ctx(&ctx, &opt);
	if (ps)
		policy_run(&findings, ps, &ctx);
	rule_ctx_free(&ctx);
	findings_suppress(&findings, m);
	findings_sort(&findings);
	if (a.baseline &&
	    findings_apply_baseline(&findings, a.baseline, &diags)) {
		print_diags(&diags);
		goto out;
	}
	if (a.write_baseline &&
	    findings_write_baseline(&findings, a.write_baseline, &diags)) {
		print_diags(&diags);
		goto out;
	}
	if (a.output && !(out = fopen(a.output, "w"))) {
		cli_usage_error("check: cannot write %s", a.output);
		out = stdout;
		goto out;
	}
	switch (a.format) {
	case CHECK_JSON:
		report_findings_json(out, &findings);
		break;
	case CHECK_SARIF:
		report_findings_sarif(out, &findings);
		break;
	case CHECK_JUNIT: {
		/* Rules --only/--skip left out are not listed as passing. */
		uint32_t nd, k = 0;
		const struct rule_def *defs = rules_builtin(&nd);
		struct rule_def *ran = xcalloc(nd ? nd : 1, sizeof(*ran));
		for (uint32_t i = 0; i < nd; i++)
			if (rules_selected(&opt, &defs[i]))
				ran[k++] = defs[i];
		report_findings_junit_rules(out, &findings, ran, k);
		free(ran);
		break;
	}
	case CHECK_TEXT:
		report_findings_text(out, &findings);
		break;
	}
	if (out != stdout && fclose(out) != 0) {
		out = stdout;
		cli_usage_error("check: cannot write %s", a.output);
		goto out;
	}
	out = stdout;
	rc = EXIT_CLEAN;
	for (uint32_t i = 0; i < findings.n; i++)
		if (finding_active(&findings.v[i]) &&
		    (int)findings.v[i].severity >= (int)a.fail_on)
			rc = EXIT_FINDINGS;
	if (a.fail_on_empty && nothing_to_check(m)) {
		fprintf(stderr,
			"vpcsim: check: the model holds no network resource: "
			"nothing was checked (--fail-on-empty)\n");
		rc = EXIT_FINDINGS;
	}
out:
	if (out != stdout)
		fclose(out);
	findings_free(&findings);
	policy_set_free(ps);
	diag_list_free(&diags);
	model_free(m);
	return rc;
}

/* `vpcsim rules [--format text|markdown]`: the built-in rules; the
 * markdown is docs/rules.md. */
int cmd_rules(int argc, char **argv)
{
	enum { RULES_TEXT, RULES_MARKDOWN };
	static const char *const formats[] = {
	    [RULES_TEXT] = "text", [RULES_MARKDOWN] = "markdown"};
	int format = RULES_TEXT;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			format = cli_choice("--format", argv[++i], formats,
					    ARRAY_LEN(formats));
			if (format < 0)
				return EXIT_INPUT;
		} else {
			return cli_usage_error("usage: vpcsim rules [--format "
					       "text|markdown]");
		}
	}
	uint32_t n;
	const struct rule_def *d = rules_builtin(&n);
	if (format == RULES_TEXT) {
		for (uint32_t i = 0; i < n; i++)
			printf("%s  %-7s  %-28s %s\n", d[i].id,
			       severity_name(d[i].severity), d[i].name,
			       d[i].title);
		return EXIT_CLEAN;
	}
	puts("# Built-in rules\n");
	puts("Generated by `vpcsim rules --format markdown`; do not edit by "
	     "hand.\n");
	puts("Each rule has a stable id and name (both work with `--only` and "
	     "`--skip`,\nand in a resource's `suppress.rules`) and a default "
	     "severity. Exposure\nrules are backed by real reachability: a "
	     "finding names the path, and an\nintended public load balancer "
	     "is not a finding.\n");
	puts("| id | name | severity | title |");
	puts("|----|------|----------|-------|");
	for (uint32_t i = 0; i < n; i++)
		printf("| %s | %s | %s | %s |\n", d[i].id, d[i].name,
		       severity_name(d[i].severity), d[i].title);
	for (uint32_t i = 0; i < n; i++) {
		printf("\n## %s %s\n\n", d[i].id, d[i].name);
		printf("**%s** (default severity: %s)\n\n", d[i].title,
		       severity_name(d[i].severity));
		printf("Why: %s\n\n", d[i].rationale);
		printf("Fix: %s\n", d[i].fix);
	}
	return EXIT_CLEAN;
}
