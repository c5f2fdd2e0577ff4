/*
 * Tests for what issue 16 added below the command line: suppressions in
 * every format and their one meaning (rules/finding.c), the dates and
 * comments they are read from (load/suppress.c), baselines that ignore
 * blanks and line ends and name stale entries, fingerprints that do not
 * move when a rule is inserted, what code scanning is told of each rule,
 * and which models many inputs make (load/group.c).
 *
 * Everything is freed: the suite also runs under ASan's leak checker.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/util.h"
#include "load/load.h"
#include "load/load_impl.h"
#include "rules/rules.h"

static struct model *load_text(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "t.yaml", yaml, strlen(yaml), &d);
	if (rc)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%u:%u: %s\n", d.v[i].line, d.v[i].col,
				d.v[i].message);
	diag_list_free(&d);
	ck_assert_int_eq(rc, 0);
	return m;
}

/* The errors a text makes, joined by newlines ("LINE:COL: msg"). */
static char *load_errors(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_buffer(&m, "t.yaml", yaml, strlen(yaml), &d);
	model_free(m);
	char *out = xstrdup("");
	for (size_t i = 0; i < d.n; i++) {
		char *x = xasprintf("%s%u:%u: %s\n", out, d.v[i].line,
				    d.v[i].col, d.v[i].message);
		free(out);
		out = x;
	}
	diag_list_free(&d);
	return out;
}

static const struct finding *by_fp(const struct finding_list *l, const char *fp)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].fingerprint, fp))
			return &l->v[i];
	return NULL;
}

static bool has_detail(const struct finding *f, const char *part)
{
	for (uint32_t k = 0; k < f->n_details; k++)
		if (strstr(f->details[k], part))
			return true;
	return false;
}

/* ---- dates and comments ------------------------------------------------ */

START_TEST(until_dates)
{
	ck_assert(load_until_valid("2024-02-29"));
	ck_assert(load_until_valid("2000-02-29"));
	ck_assert(load_until_valid("1970-01-01"));
	ck_assert(load_until_valid("2999-12-31"));
	ck_assert(!load_until_valid("2023-02-29")); /* not a leap year */
	ck_assert(!load_until_valid("1900-02-29"));
	ck_assert(!load_until_valid("2024-04-31"));
	ck_assert(!load_until_valid("2024-13-01"));
	ck_assert(!load_until_valid("2024-00-10"));
	ck_assert(!load_until_valid("2024-1-10"));
	ck_assert(!load_until_valid("24-01-10"));
	ck_assert(!load_until_valid("2024/01/10"));
	ck_assert(!load_until_valid("2024-01-10T00:00"));
	ck_assert(!load_until_valid(""));
}
END_TEST

/* A comment's entries in a fresh model; errors in d. */
static struct model *comment(const char *text, struct diag_list *d)
{
	struct model *m = model_new("main.tf");
	struct model_suppress scope = {
	    .kind = MK_KIND_COUNT, .first = 3, .last = 9};
	load_suppress_comment(m, text, strlen(text), "main.tf", 2, 1, &scope,
			      d);
	return m;
}

START_TEST(terraform_comments)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m =
	    comment("# vpcsim:ignore VS004,admin-port-exposed until:2030-01-01 "
		    "break-glass host  ",
		    &d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(m->n_suppress, 2);
	ck_assert_str_eq(m->suppress[0].rule, "VS004");
	ck_assert_str_eq(m->suppress[1].rule, "admin-port-exposed");
	ck_assert_str_eq(m->suppress[0].reason, "break-glass host");
	ck_assert_str_eq(m->suppress[1].until, "2030-01-01");
	/* Each rule at its own column; the scope as given. */
	ck_assert_uint_eq(m->suppress[0].loc.line, 2);
	ck_assert_uint_eq(m->suppress[0].loc.col, 17);
	ck_assert_uint_eq(m->suppress[1].loc.col, 23);
	ck_assert_uint_eq(m->suppress[0].first, 3);
	ck_assert_uint_eq(m->suppress[0].last, 9);
	model_free(m);

	/* A slash-star comment's end is no part of the reason. */
	m = comment("/* vpcsim:ignore VS015 kept for the audit */", &d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(m->n_suppress, 1);
	ck_assert_str_eq(m->suppress[0].reason, "kept for the audit");
	ck_assert_ptr_null(m->suppress[0].until);
	model_free(m);

	/* No mark: nothing, and no error. */
	m = comment("# an ordinary comment", &d);
	ck_assert_uint_eq(m->n_suppress + d.n, 0);
	model_free(m);
}
END_TEST

START_TEST(terraform_comment_errors)
{
	static const struct {
		const char *text, *want;
		uint32_t col;
	} rows[] = {
	    {"# vpcsim:ignore VS004", "a suppression needs a reason", 3},
	    {"# vpcsim:ignore VS004 until:2030-01-01",
	     "a suppression needs a reason", 3},
	    {"# vpcsim:ignore", "names no rule", 3},
	    {"# vpcsim:ignore VS004 until:2030-02-30 why",
	     "until must be a date YYYY-MM-DD, not '2030-02-30'", 29},
	    {"# vpcsim:ignored VS004 why", "write 'vpcsim:ignore RULE REASON'",
	     3},
	};
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m = comment(rows[i].text, &d);
		ck_assert_msg(d.n_errors == 1, "%s: %zu errors", rows[i].text,
			      d.n_errors);
		ck_assert_msg(strstr(d.v[0].message, rows[i].want), "%s: '%s'",
			      rows[i].text, d.v[0].message);
		ck_assert_uint_eq(d.v[0].line, 2);
		ck_assert_uint_eq(d.v[0].col, rows[i].col);
		ck_assert_uint_eq(m->n_suppress, 0);
		model_free(m);
		diag_list_free(&d);
	}
}
END_TEST

/* ---- the native format's suppress --------------------------------------- */

#define NATIVE_BASE                                                            \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"subnets:\n"                                                           \
	"  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"                \
	"security_groups:\n"                                                   \
	"  spare:\n"                                                           \
	"    vpc: main\n"

START_TEST(native_forms)
{
	struct model *m = load_text(
	    NATIVE_BASE
	    "    suppress:\n"
	    "      - {rules: [VS016, VS015], reason: kept for later}\n"
	    "      - {rule: VS017, reason: audit, until: 2031-05-01}\n");
	ck_assert_uint_eq(m->n_suppress, 3);
	for (uint32_t i = 0; i < 3; i++) {
		ck_assert_int_eq(m->suppress[i].kind, MK_SECURITY_GROUP);
		ck_assert_str_eq(m->suppress[i].loc.file, "t.yaml");
		/* The object's lines: its key to its last. */
		ck_assert_uint_eq(m->suppress[i].first, 6);
		ck_assert_uint_eq(m->suppress[i].last, 10);
	}
	ck_assert_str_eq(m->suppress[1].rule, "VS015");
	ck_assert_uint_eq(m->suppress[1].loc.line, 9);
	ck_assert_uint_eq(m->suppress[1].loc.col, 25);
	ck_assert_str_eq(m->suppress[2].until, "2031-05-01");
	model_free(m);
}
END_TEST

START_TEST(native_errors)
{
	char *e = load_errors(NATIVE_BASE
			      "    suppress: {rules: VS016, reason: x, until: "
			      "next year}\n");
	ck_assert_msg(strstr(e, "8:48: until must be a date YYYY-MM-DD, not "
				"'next year'"),
		      "%s", e);
	free(e);
	e = load_errors(NATIVE_BASE "    suppress: {rules: VS016, reason: "
				    "\" \"}\n");
	ck_assert_msg(strstr(e, "a suppression needs a reason, not an empty "
				"one"),
		      "%s", e);
	free(e);
	e = load_errors(NATIVE_BASE "    suppress: {reason: x}\n");
	ck_assert_msg(strstr(e, "missing required key 'rule'"), "%s", e);
	free(e);
	e = load_errors(
	    NATIVE_BASE
	    "    suppress: {rules: VS016, reason: x, utnil: 2030-01-01}\n");
	ck_assert_msg(strstr(e, "unknown key 'utnil'") &&
			  strstr(e, "did you mean 'until'"),
		      "%s", e);
	free(e);
}
END_TEST

/* ---- one meaning -------------------------------------------------------- */

/* Every rule's findings, not suppressed yet (rules_run would). */
static struct finding_list run_rules(const struct model *m)
{
	struct finding_list l = {0};
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, &l);
	rules_run_ctx(&ctx, &(struct rule_options){0});
	rule_ctx_free(&ctx);
	findings_sort(&l);
	return l;
}

/* An object's suppression by id or name, expiry on its date, the lines
 * of a whole file, and nothing else. */
START_TEST(matching)
{
	struct model *m = load_text(
	    NATIVE_BASE
	    "    suppress:\n"
	    "      - {rules: unused-resource, reason: by name, until: "
	    "2030-06-01}\n"
	    "  other: {vpc: main}\n");
	struct finding_list l = run_rules(m);
	/* The day before: suppressed. */
	findings_suppress_at(&l, m, "2030-05-31");
	const struct finding *spare = by_fp(&l, "VS016|spare|");
	const struct finding *other = by_fp(&l, "VS016|other|");
	ck_assert_ptr_nonnull(spare);
	ck_assert_ptr_nonnull(other);
	ck_assert_str_eq(spare->suppressed, "by name");
	ck_assert_ptr_null(other->suppressed);
	findings_free(&l);
	/* On the date itself (Trivy's exp:): active again, with a note. */
	l = run_rules(m);
	findings_suppress_at(&l, m, "2030-06-01");
	spare = by_fp(&l, "VS016|spare|");
	ck_assert_ptr_null(spare->suppressed);
	ck_assert(finding_active(spare));
	ck_assert(has_detail(spare, "a suppression of unused-resource "
				    "expired on 2030-06-01 (t.yaml:9:17: by "
				    "name): active again"));
	findings_free(&l);
	/* A whole file's entry covers every finding located in it. */
	struct model_suppress all = {.rule = "VS016",
				     .reason = "template-wide",
				     .loc = {"t.yaml", 1, 1},
				     .kind = MK_KIND_COUNT,
				     .first = 1,
				     .last = UINT32_MAX};
	model_add_suppress(m, &all);
	l = run_rules(m);
	findings_suppress_at(&l, m, "2030-01-01");
	ck_assert_str_eq(by_fp(&l, "VS016|other|")->suppressed,
			 "template-wide");
	findings_free(&l);
	/* Another file's lines cover nothing here. */
	m->suppress[m->n_suppress - 1].loc.file = "elsewhere.yaml";
	l = run_rules(m);
	findings_suppress_at(&l, m, "2030-01-01");
	ck_assert_ptr_null(by_fp(&l, "VS016|other|")->suppressed);
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(unknown_rules)
{
	struct model *m = load_text(
	    NATIVE_BASE "    suppress:\n"
			"      - {rules: [VS016, VS0166, unused-resorce], "
			"reason: x}\n");
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_int_eq(findings_check_suppress(m, NULL, &d), -1);
	ck_assert_uint_eq(d.n_errors, 2);
	ck_assert_uint_eq(d.v[0].line, 9);
	ck_assert_uint_eq(d.v[0].col, 25);
	ck_assert_msg(strstr(d.v[0].message, "'VS0166', which does not exist "
					     "(did you mean 'VS016'?)"),
		      "%s", d.v[0].message);
	ck_assert_msg(strstr(d.v[1].message, "did you mean 'unused-resource'"),
		      "%s", d.v[1].message);
	diag_list_free(&d);
	model_free(m);
	/* The diff's rules are rules too. */
	m = load_text(NATIVE_BASE "    suppress: {rules: [VD001, "
				  "intended-flow-broken], reason: x}\n");
	ck_assert_int_eq(findings_check_suppress(m, NULL, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	model_free(m);
}
END_TEST

/* ---- fingerprints ------------------------------------------------------- */

/* A rule inserted before others moves no fingerprint: keys name what a
 * rule allows, not its position. */
START_TEST(fingerprints_stay)
{
	static const char base[] =
	    "vpcs:\n"
	    "  main: {cidr: 10.0.0.0/16}\n"
	    "subnets:\n"
	    "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
	    "instances:\n"
	    "  h: {subnet: a, security_groups: [sg]}\n"
	    "security_groups:\n"
	    "  sg:\n"
	    "    vpc: main\n"
	    "    ingress:\n"
	    "%s"
	    "      - {protocol: tcp, ports: 443, from: 10.0.0.0/16}\n"
	    "      - {protocol: tcp, ports: 443, from: 10.0.0.0/16}\n";
	char *before = xasprintf(base, "");
	char *after =
	    xasprintf(base, "      - {protocol: udp, ports: 53, from: "
			    "10.9.0.0/16}\n");
	struct model *m1 = load_text(before), *m2 = load_text(after);
	struct finding_list l1 = run_rules(m1), l2 = run_rules(m2);
	const char *fp = "VS015|sg|ingress:tcp:443:10.0.0.0/16";
	const struct finding *f1 = by_fp(&l1, fp), *f2 = by_fp(&l2, fp);
	ck_assert_ptr_nonnull(f1);
	ck_assert_ptr_nonnull(f2);
	/* The rule's number and line moved; the finding sits on them. */
	ck_assert(strstr(f1->message, "ingress rule 2"));
	ck_assert(strstr(f2->message, "ingress rule 3"));
	ck_assert_uint_eq(f1->loc.line, 12);
	ck_assert_uint_eq(f2->loc.line, 13);
	findings_free(&l1);
	findings_free(&l2);
	model_free(m1);
	model_free(m2);
	free(before);
	free(after);
}
END_TEST

/* ---- baselines ---------------------------------------------------------- */

START_TEST(baseline_lines)
{
	struct model *m = load_text(NATIVE_BASE "  other: {vpc: main}\n");
	struct finding_list l = run_rules(m);
	char path[] = "/tmp/vpcsim-baseline-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char text[] = "# comment\r\n"
				   "  VS016|spare|  \r\n"
				   "\r\n"
				   "\tVS999|gone|x\n"
				   "VS016|other|";
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1),
			 (ssize_t)sizeof(text) - 1);
	close(fd);
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_int_eq(findings_apply_baseline(&l, path, &d), 0);
	unlink(path);
	ck_assert(by_fp(&l, "VS016|spare|")->baselined);
	ck_assert(by_fp(&l, "VS016|other|")->baselined);
	/* One note: the entry that matched nothing, where it is. */
	ck_assert_uint_eq(d.n, 1);
	ck_assert_int_eq(d.v[0].severity, DIAG_NOTE);
	ck_assert_uint_eq(d.v[0].line, 4);
	ck_assert_uint_eq(d.v[0].col, 2);
	ck_assert(strstr(d.v[0].message, "'VS999|gone|x' matches no finding"));
	diag_list_free(&d);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- code scanning ------------------------------------------------------ */

/* Every built-in and diff rule has a score GitHub reads (0.1 to 10.0)
 * and tags with "security"; the label follows its family. */
START_TEST(security_severity)
{
	uint32_t nb, nd;
	const struct rule_def *b = rules_builtin(&nb);
	const struct rule_def *d = rules_diff_defs(&nd);
	for (uint32_t i = 0; i < nb + nd; i++) {
		const struct rule_def *r = i < nb ? &b[i] : &d[i - nb];
		const char *const *tags = rule_tags(r->id);
		ck_assert_msg(tags, "%s has no tags", r->id);
		ck_assert_str_eq(tags[0], "security");
		const char *s = rule_security_severity(r->id, SEV_INFO);
		char *end;
		double v = strtod(s, &end);
		ck_assert_msg(!*end && v > 0.0 && v <= 10.0, "%s: '%s'", r->id,
			      s);
		bool exposure = false;
		for (const char *const *t = tags; *t; t++)
			exposure |= !strcmp(*t, "exposure");
		/* Exposure rules rate medium or above, except the latent
		 * open group (VS017), which needs a change first. */
		if (exposure && strcmp(r->id, "VS017"))
			ck_assert_msg(v >= 4.0, "%s: %s", r->id, s);
		if (!exposure)
			ck_assert_msg(v < 4.0, "%s: %s", r->id, s);
	}
	ck_assert_str_eq(rule_security_severity("VS001", SEV_INFO), "9.1");
	/* A policy: by its severity. */
	ck_assert_str_eq(rule_security_severity("my-policy", SEV_ERROR), "7.5");
	ck_assert_str_eq(rule_security_severity("my-policy", SEV_INFO), "2.0");
	ck_assert_ptr_null(rule_tags("my-policy"));
}
END_TEST

/* ---- which models many inputs make -------------------------------------- */

struct inputs {
	struct model_input in[8];
	char *buf[8];
	size_t n;
};

static void add_file(struct inputs *x, const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	size_t len;
	ck_assert_int_eq(file_read_text(&x->buf[x->n], &len, path, &d), 0);
	x->in[x->n] = (struct model_input){path, x->buf[x->n], len};
	x->n++;
	diag_list_free(&d);
}

static void add_text(struct inputs *x, const char *name, const char *text)
{
	x->buf[x->n] = xstrdup(text);
	x->in[x->n] = (struct model_input){name, x->buf[x->n], strlen(text)};
	x->n++;
}

static void inputs_free(struct inputs *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->buf[i]);
}

START_TEST(grouping)
{
	struct inputs x = {0};
	/* 0, 2: stacks that import each other's exports; 1: a native model;
	 * 3: a template alone; 4: a plan; 5: not a model, optional; 6: the
	 * parent of nested stacks, 7 its child by a local path, and its
	 * other child by the file name app.yaml, which input 0 answers. */
	add_file(&x, "tests/cfn/stacks/app.yaml");
	add_file(&x, "scenarios/three-tier.yaml");
	add_file(&x, "tests/cfn/stacks/network.yaml");
	add_file(&x, "tests/cfn/hosts.yaml");
	add_file(&x, "tests/tfplan/three-tier.plan.json");
	add_text(&x, "compose.yaml", "services: {web: {image: nginx}}\n");
	add_file(&x, "tests/cfn/nested/root.yaml");
	add_file(&x, "tests/cfn/nested/network.yaml");
	bool optional[8] = {[5] = true};
	struct load_models g;
	ck_assert_int_eq(load_models_group(&g, x.in, x.n, optional, NULL), 0);
	ck_assert_uint_eq(g.dropped, 1);
	ck_assert_uint_eq(g.model[5], SIZE_MAX);
	ck_assert_uint_eq(g.n, 4);
	ck_assert_uint_eq(g.model[0], 0);
	ck_assert_uint_eq(g.model[2], 0); /* joined by its exports */
	ck_assert_uint_eq(g.model[6], 0); /* nests input 0 */
	ck_assert_uint_eq(g.model[7], 0); /* nested in input 6 */
	ck_assert_uint_eq(g.model[1], 1);
	ck_assert_uint_eq(g.model[3], 2);
	ck_assert_uint_eq(g.model[4], 3);
	ck_assert(g.cfn[0] && !g.cfn[1] && g.cfn[2] && g.tfplan[3]);
	ck_assert_uint_eq(g.first[2], 3);
	load_models_free(&g);
	/* Not optional, not a model: kept, for its load to say why. */
	optional[5] = false;
	ck_assert_int_eq(load_models_group(&g, x.in, x.n, optional, NULL), 0);
	ck_assert_uint_eq(g.dropped, 0);
	ck_assert_uint_eq(g.n, 5);
	load_models_free(&g);
	inputs_free(&x);
}
END_TEST

Suite *suppress_suite(void)
{
	Suite *s = suite_create("suppress");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, until_dates);
	tcase_add_test(tc, terraform_comments);
	tcase_add_test(tc, terraform_comment_errors);
	tcase_add_test(tc, native_forms);
	tcase_add_test(tc, native_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("meaning");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, matching);
	tcase_add_test(tc, unknown_rules);
	tcase_add_test(tc, fingerprints_stay);
	tcase_add_test(tc, baseline_lines);
	tcase_add_test(tc, security_severity);
	tcase_add_test(tc, grouping);
	suite_add_tcase(s, tc);
	return s;
}
