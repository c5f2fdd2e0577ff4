/*
 * `vpcsim check MODEL... [options]`: every built-in rule and every
 * policy; exit 0 when no active finding is at or above --fail-on, 1 when
 * one is, 2 on a usage, input or output error.  The report is written
 * first and put in place; --write-baseline last, only when the report
 * succeeded (a baseline is never rewritten by a run whose report
 * failed), and a run that wrote its baseline exits 0.
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

static int parse(struct check_args *a, const struct cli *c)
{
	memset(a, 0, sizeof(*a));
	size_t cap = c->n_args + 1;
	a->policies = xcalloc(cap, sizeof(*a->policies));
	a->only = xcalloc(cap, sizeof(*a->only));
	a->skip = xcalloc(cap, sizeof(*a->skip));
	a->format = (enum check_format)c->format;
	a->fail_on = FAIL_ON_ERROR;
	a->severity = SEV_INFO;
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
			break;
		case OPT_FAIL_ON_EMPTY:
			a->fail_on_empty = true;
			break;
		case OPT_SEVERITY:
			/* severity_words is in enum severity's order */
			a->severity = (enum severity)g->word;
			break;
		}
	}
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

/* The findings at or above the shown severity, as a list that shares
 * l's findings (free its array only). */
static struct finding_list shown(const struct finding_list *l,
				 enum severity min)
{
	struct finding_list v = {xcalloc(l->n + 1, sizeof(*l->v)), 0, l->n};
	for (uint32_t i = 0; i < l->n; i++)
		if (l->v[i].severity >= min)
			v.v[v.n++] = l->v[i];
	return v;
}

/* The report, in its format, into the run's output. */
static int write_report(const struct cli *c, const struct check_args *a,
			const struct finding_list *findings,
			const struct rule_options *opt)
{
	struct cli_out o;
	if (cli_out_open(&o, c, a->format == CHECK_TEXT))
		return EXIT_INPUT;
	struct finding_list v = shown(findings, a->severity);
	switch (a->format) {
	case CHECK_JSON:
		report_findings_json(o.f, &v);
		break;
	case CHECK_SARIF:
		report_findings_sarif(o.f, &v);
		break;
	case CHECK_JUNIT: {
		/* Rules --only/--skip left out are not listed as passing. */
		uint32_t nd, k = 0;
		const struct rule_def *defs = rules_builtin(&nd);
		struct rule_def *ran = xcalloc(nd ? nd : 1, sizeof(*ran));
		for (uint32_t i = 0; i < nd; i++)
			if (rules_selected(opt, &defs[i]))
				ran[k++] = defs[i];
		report_findings_junit_rules(o.f, &v, ran, k);
		free(ran);
		break;
	}
	case CHECK_TEXT: {
		struct report_text_style st = {o.color, a->severity};
		report_findings_text_style(o.f, findings, &st);
		break;
	}
	}
	free(v.v);
	return cli_out_close(&o);
}

/* The baseline file, put in place whole. */
static int write_baseline(const struct cli *c, const char *path,
			  const struct finding_list *findings)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct file_out w;
	int rc = file_out_open(&w, path, &d);
	if (!rc) {
		report_findings_baseline(w.f, findings);
		rc = file_out_commit(&w, &d);
	}
	cli_print_diags(c, &d);
	diag_list_free(&d);
	return rc ? EXIT_INPUT : 0;
}

/* Every rule and policy over m into findings; 0, or EXIT_INPUT after
 * printed errors in the policies.  The policies go to *ps, the caller's:
 * policy findings point into them until the report is written. */
static int analyse(struct finding_list *findings, struct policy_set **ps,
		   const struct cli *c, const struct check_args *a,
		   struct model *m, struct ykit_section *own,
		   const struct rule_options *opt)
{
	struct diag_list diags = DIAG_LIST_INIT;
	int rc = EXIT_INPUT;
	/* Policies: the model's own section, then each --policy file.  Any
	 * error in them stops the run before a verdict is given. */
	cli_load_policies(ps, own, a->policies, a->n_policies, m, &diags);
	cli_print_diags(c, &diags);
	if (diags.n_errors)
		goto out;
	/* One engine, class index and exposure map for rules and policies. */
	struct rule_ctx ctx;
	cli_progress(c, "computing what reaches what");
	rule_ctx_init(&ctx, m, findings);
	cli_progress(c, "running the rules");
	rules_run_ctx(&ctx, opt);
	if (*ps) {
		cli_progress(c, "evaluating the policies");
		policy_run(findings, *ps, &ctx);
	}
	rule_ctx_free(&ctx);
	cli_progress_end();
	findings_suppress(findings, m);
	findings_sort(findings);
	if (a->baseline &&
	    findings_apply_baseline(findings, a->baseline, &diags)) {
		cli_print_diags(c, &diags);
		goto out;
	}
	rc = 0;
out:
	diag_list_free(&diags);
	return rc;
}

static int run_check(struct cli *c)
{
	struct check_args a;
	struct finding_list findings = {0};
	struct policy_set *ps = NULL;
	struct model *m = NULL;
	int rc = parse(&a, c);
	if (rc)
		goto out;
	struct ykit_section *own = NULL;
	m = cli_load_operands(c, &own);
	rc = EXIT_INPUT;
	if (!m)
		goto out;
	struct rule_options opt = {a.only, a.n_only, a.skip, a.n_skip};
	if ((rc = analyse(&findings, &ps, c, &a, m, own, &opt)) ||
	    (rc = write_report(c, &a, &findings, &opt)))
		goto out;
	if (a.write_baseline) {
		/* Recording the findings is the run's purpose: exit 0. */
		rc = write_baseline(c, a.write_baseline, &findings);
		goto out;
	}
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
	findings_free(&findings);
	policy_set_free(ps);
	model_free(m);
	check_args_free(&a);
	return rc;
}

const struct cli_cmd cli_cmd_check = {
    .name = "check",
    .synopsis = "MODEL...",
    .summary = "run every rule and policy; exit 1 on findings",
    .description =
	"Runs every built-in rule ('vpcsim rules') and every policy over a "
	"model and reports the findings: text for people (errors first, "
	"then warnings, then info), JSON, SARIF for code scanning, JUnit for "
	"test dashboards. The exit status is the gate: 1 when an active "
	"finding (not suppressed, not in the baseline) is at or above "
	"--fail-on. Findings about exposure come from real reachability: an "
	"intended public load balancer is not one, a database the internet "
	"reaches always is. See docs/check.md and docs/ci.md.",
    .formats = (const char *const[]){"text", "json", "sarif", "junit", NULL},
    .opts = check_opts,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim check scenarios/three-tier.yaml",
			      "vpcsim check scenarios/db-public-open.yaml -f "
			      "sarif -o vpcsim.sarif",
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
