/*
 * `vpcsim check MODEL... [options]`: every built-in rule and every
 * policy over every model of the operands (files and directories: one
 * model per native file and Terraform plan, CloudFormation templates
 * joined when they import or nest each other); exit 0 when no active
 * finding of any model is at or above --fail-on, 1 when one is, 2 on a
 * usage, input or output error.  One report covers every model.  The
 * report is written first and put in place; --write-baseline last, only
 * when the report succeeded (a baseline is never rewritten by a run whose
 * report failed), and a run that wrote its baseline exits 0.  The
 * configuration file gives what the command line leaves out.
 *
 * `vpcsim rules`: the rule table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"
#include "rules/rules.h"

/* --format's words (cli_cmd_check.formats is in this order). */
enum check_format { CHECK_TEXT, CHECK_JSON, CHECK_SARIF, CHECK_JUNIT };

/* check's own options. */
enum {
	OPT_POLICY = 1,
	OPT_ONLY,
	OPT_SKIP,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_FAIL_ON,
	OPT_FAIL_ON_EMPTY,
	OPT_SEVERITY,
};

static const char *const fail_on_words[] = {"error", "warning", "info", "never",
					    NULL};
static const char *const severity_words[] = {"info", "warning", "error", NULL};

static const struct cli_opt check_opts[] = {
    {.id = OPT_POLICY,
     .name = "policy",
     .value = CLI_FILE,
     .metavar = "FILE",
     .repeat = true,
     .help = "load policies from FILE (a native model's own policies: "
	     "section is always loaded)"},
    {.id = OPT_ONLY,
     .name = "only",
     .value = CLI_RULE,
     .metavar = "RULE",
     .repeat = true,
     .help = "run only this built-in rule, an id (VS001) or a name; "
	     "policies always run"},
    {.id = OPT_SKIP,
     .name = "skip",
     .value = CLI_RULE,
     .metavar = "RULE",
     .repeat = true,
     .help = "never run this built-in rule"},
    {.id = OPT_SEVERITY,
     .name = "severity",
     .value = CLI_WORD,
     .metavar = "LEVEL",
     .words = severity_words,
     .def = "info",
     .help = "report only findings at or above LEVEL, in every format: {}; "
	     "the exit status still counts every finding (--fail-on)"},
    {.id = OPT_FAIL_ON,
     .name = "fail-on",
     .value = CLI_WORD,
     .metavar = "LEVEL",
     .words = fail_on_words,
     .def = "error",
     .help = "the lowest severity that fails the run with exit 1: {}"},
    {.id = OPT_FAIL_ON_EMPTY,
     .name = "fail-on-empty",
     .value = CLI_FLAG,
     .help = "fail when the model holds nothing to check (a gate pointed at "
	     "the wrong file)"},
    {.id = OPT_BASELINE,
     .name = "baseline",
     .value = CLI_FILE,
     .metavar = "FILE",
     .help = "do not report the findings listed in FILE"},
    {.id = OPT_WRITE_BASELINE,
     .name = "write-baseline",
     .value = CLI_OUT,
     .metavar = "FILE",
     .help = "write this run's findings to FILE as a baseline, after the "
	     "report, and exit 0"},
    {0},
};

struct check_args {
	const char **policies, **only, **skip;
	uint32_t n_policies, n_only, n_skip;
	const char *baseline, *write_baseline;
	enum check_format format;
	enum fail_on fail_on;
	enum severity severity; /* the lowest shown */
	/* A model with nothing to check fails: a CI gate pointed at the
	 * wrong file, or at a plan of nothing vpcsim models. */
	bool fail_on_empty;
};

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

/* The configuration's value of what the command line left out: a list
 * the command line gives replaces the file's. */
static void from_config(struct check_args *a, const struct cli_config *cfg,
			bool fail_on_given, bool severity_given)
{
	if (!a->n_policies)
		for (size_t i = 0; i < cfg->n_policies; i++)
			a->policies[a->n_policies++] = cfg->policies[i];
	if (!a->n_only)
		for (size_t i = 0; i < cfg->n_only; i++)
			a->only[a->n_only++] = cfg->only[i];
	if (!a->n_skip)
		for (size_t i = 0; i < cfg->n_skip; i++)
			a->skip[a->n_skip++] = cfg->skip[i];
	if (!a->baseline)
		a->baseline = cfg->baseline;
	if (!fail_on_given && cfg->fail_on)
		fail_on_parse(&a->fail_on, cfg->fail_on);
	if (!severity_given && cfg->severity)
		for (int k = 0; severity_words[k]; k++)
			if (!strcmp(cfg->severity, severity_words[k]))
				a->severity = (enum severity)k;
}

static int parse(struct check_args *a, const struct cli *c)
{
	memset(a, 0, sizeof(*a));
	const struct cli_config *cfg = &c->cfg;
	size_t cap =
	    c->n_args + cfg->n_policies + cfg->n_only + cfg->n_skip + 1;
	a->policies = xcalloc(cap, sizeof(*a->policies));
	a->only = xcalloc(cap, sizeof(*a->only));
	a->skip = xcalloc(cap, sizeof(*a->skip));
	a->format = (enum check_format)c->format;
	a->fail_on = FAIL_ON_ERROR;
	a->severity = SEV_INFO;
	bool fail_on_given = false, severity_given = false;
	for (size_t i = 0; i < c->n_args; i++) {
		const struct cli_arg *g = &c->args[i];
		switch (g->opt->id) {
		case OPT_POLICY:
			a->policies[a->n_policies++] = g->val;
			break;
		case OPT_ONLY:
			if (known_rule("--only", g->val))
				return EXIT_INPUT;
			a->only[a->n_only++] = g->val;
			break;
		case OPT_SKIP:
			if (known_rule("--skip", g->val))
				return EXIT_INPUT;
			a->skip[a->n_skip++] = g->val;
			break;
		case OPT_BASELINE:
			a->baseline = g->val;
			break;
		case OPT_WRITE_BASELINE:
			a->write_baseline = g->val;
			break;
		case OPT_FAIL_ON:
			fail_on_parse(&a->fail_on, g->val);
			fail_on_given = true;
			break;
		case OPT_FAIL_ON_EMPTY:
			a->fail_on_empty = true;
			break;
		case OPT_SEVERITY:
			/* severity_words is in enum severity's order */
			a->severity = (enum severity)g->word;
			severity_given = true;
			break;
		}
	}
	from_config(a, cfg, fail_on_given, severity_given);
	if (!c->n_operands)
		return cli_usage_error("usage: vpcsim check [OPTIONS] "
				       "MODEL...; see 'vpcsim check --help'");
	/* Nothing is overwritten that the run reads, except that
	 * --write-baseline may name the --baseline: it is read first, and
	 * that is how a baseline is brought up to date. */
	a->policies[a->n_policies] = a->baseline;
	if (cli_refuse_input(c, "--output", c->output, a->policies,
			     a->n_policies + (a->baseline != NULL)) ||
	    cli_refuse_input(c, "--write-baseline", a->write_baseline,
			     a->policies, a->n_policies))
		return EXIT_INPUT;
	return 0;
}

static void check_args_free(struct check_args *a)
{
	free(a->policies);
	free(a->only);
	free(a->skip);
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

/* The report, in its format, into the run's output. */
static int write_report(const struct cli *c, const struct check_args *a,
			const struct report_model *models, size_t n,
			const struct rule_options *opt)
{
	struct cli_out o;
	if (cli_out_open(&o, c, a->format == CHECK_TEXT))
		return EXIT_INPUT;
	/* Rules --only/--skip left out are not listed. */
	uint32_t nd, k = 0;
	const struct rule_def *defs = rules_builtin(&nd);
	struct rule_def *ran = xcalloc(nd ? nd : 1, sizeof(*ran));
	for (uint32_t i = 0; i < nd; i++)
		if (rules_selected(opt, &defs[i]))
			ran[k++] = defs[i];
	char stamp[32];
	cli_timestamp(stamp, sizeof(stamp));
	struct report_run r = {.models = models,
			       .n_models = n,
			       .rules = ran,
			       .n_rules = k,
			       .min_severity = a->severity,
			       .fail_on = a->fail_on,
			       .color = o.color,
			       .timestamp = stamp};
	switch (a->format) {
	case CHECK_JSON:
		report_run_json(o.f, &r);
		break;
	case CHECK_SARIF:
		report_run_sarif(o.f, &r);
		break;
	case CHECK_JUNIT:
		report_run_junit(o.f, &r);
		break;
	case CHECK_TEXT:
		report_run_text(o.f, &r);
		break;
	}
	free(ran);
	return cli_out_close(&o);
}

/* The baseline file, put in place whole. */
static int write_baseline(const struct cli *c, const char *path,
			  struct finding_list *const *lists, size_t n)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct file_out w;
	int rc = file_out_open(&w, path, &d);
	if (!rc) {
		report_findings_baseline_n(
		    w.f, (const struct finding_list *const *)lists, n);
		rc = file_out_commit(&w, &d);
	}
	cli_print_diags(c, &d);
	diag_list_free(&d);
	return rc ? EXIT_INPUT : 0;
}

static int run_check(struct cli *c)
{
	struct check_args a;
	struct cli_models ms = {0};
	struct finding_list *findings = NULL;
	struct policy_set **ps = NULL;
	struct report_model *rm = NULL;
	int rc = parse(&a, c);
	if (rc)
		goto out;
	if ((rc = cli_models_load(&ms, c, c->operands, c->n_operands, true)))
		goto out;
	findings = xcalloc(ms.n + 1, sizeof(*findings));
	ps = xcalloc(ms.n + 1, sizeof(*ps));
	rm = xcalloc(ms.n + 1, sizeof(*rm));
	struct finding_list **lists = xcalloc(ms.n + 1, sizeof(*lists));
	struct rule_options opt = {a.only, a.n_only, a.skip, a.n_skip};
	for (size_t k = 0; k < ms.n; k++) {
		struct ykit_section *own = ms.v[k].policies;
		ms.v[k].policies = NULL;
		if (cli_analyse(&findings[k], &ps[k], c, ms.v[k].m, own,
				a.policies, a.n_policies, &opt))
			rc = EXIT_INPUT;
		rm[k] = (struct report_model){ms.v[k].name, ms.v[k].files,
					      ms.v[k].n_files, &findings[k]};
		lists[k] = &findings[k];
	}
	if (!rc && a.baseline) {
		struct diag_list d = DIAG_LIST_INIT;
		if (findings_apply_baseline_n(lists, ms.n, a.baseline, &d))
			rc = EXIT_INPUT;
		cli_print_diags(c, &d);
		diag_list_free(&d);
	}
	if (rc || (rc = write_report(c, &a, rm, ms.n, &opt))) {
		free(lists);
		goto out;
	}
	if (a.write_baseline) {
		/* Recording the findings is the run's purpose: exit 0. */
		rc = write_baseline(c, a.write_baseline, lists, ms.n);
		free(lists);
		goto out;
	}
	free(lists);
	for (size_t k = 0; k < ms.n; k++) {
		for (uint32_t i = 0; i < findings[k].n; i++)
			if (finding_active(&findings[k].v[i]) &&
			    (int)findings[k].v[i].severity >= (int)a.fail_on)
				rc = EXIT_FINDINGS;
		if (a.fail_on_empty && nothing_to_check(ms.v[k].m)) {
			fprintf(stderr,
				"vpcsim: check: %s holds no network "
				"resource: nothing was checked "
				"(--fail-on-empty)\n",
				ms.n > 1 ? ms.v[k].name : "the model");
			rc = EXIT_FINDINGS;
		}
	}
out:
	for (size_t k = 0; findings && k < ms.n; k++) {
		findings_free(&findings[k]);
		policy_set_free(ps[k]);
	}
	free(findings);
	free(ps);
	free(rm);
	cli_models_free(&ms);
	check_args_free(&a);
	return rc;
}

const struct cli_cmd cli_cmd_check = {
    .name = "check",
    .synopsis = "MODEL...",
    .summary = "run every rule and policy; exit 1 on findings",
    .description =
	"Runs every built-in rule ('vpcsim rules') and every policy over "
	"each model and reports the findings: text for people (errors first, "
	"then warnings, then info), JSON, SARIF for code scanning, JUnit for "
	"test dashboards. MODEL may be a directory: every model in it is "
	"checked (a native file, a Terraform plan, CloudFormation templates "
	"joined when they import or nest each other), one report for all. "
	"The exit status is the gate: 1 when an active finding (not "
	"suppressed, not in the baseline) is at or above --fail-on. Findings "
	"about exposure come from real reachability: an intended public load "
	"balancer is not one, a database the internet reaches always is. "
	".vpcsim.yaml gives defaults for the options. See docs/check.md and "
	"docs/ci.md.",
    .formats = (const char *const[]){"text", "json", "sarif", "junit", NULL},
    .opts = check_opts,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim check scenarios/three-tier.yaml",
			      "vpcsim check scenarios/db-public-open.yaml -f "
			      "sarif -o vpcsim.sarif",
			      "vpcsim check scenarios/ -f junit -o vpcsim.xml",
			      "vpcsim check scenarios/db-public-open.yaml "
			      "--severity warning --fail-on warning",
			      NULL},
    .run = run_check,
};

/* `vpcsim rules [--format text|json|markdown]`: the built-in rules; the
 * markdown is docs/rules.md. */
static int run_rules(struct cli *c)
{
	if (c->n_operands)
		return cli_usage_error("rules takes no operand: '%s'; see "
				       "'vpcsim rules --help'",
				       c->operands[0]);
	uint32_t n;
	const struct rule_def *d = rules_builtin(&n);
	struct cli_out o;
	if (cli_out_open(&o, c, c->format == 0))
		return EXIT_INPUT;
	if (c->format == 1)
		report_rules_json(o.f, d, n);
	else if (c->format == 2)
		report_rules_markdown(o.f, d, n);
	else
		report_rules_text(o.f, d, n);
	return cli_out_close(&o);
}

const struct cli_cmd cli_cmd_rules = {
    .name = "rules",
    .synopsis = "",
    .summary = "list the built-in rules",
    .description =
	"Lists every built-in rule: its id and name (both work with --only, "
	"--skip and a resource's suppress.rules), its default severity and "
	"title. JSON adds the rationale and the fix; Markdown is "
	"docs/rules.md.",
    .formats = (const char *const[]){"text", "json", "markdown", NULL},
    .examples =
	(const char *const[]){"vpcsim rules", "vpcsim rules -f json", NULL},
    .run = run_rules,
};
