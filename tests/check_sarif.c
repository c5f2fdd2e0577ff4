/*
 * Tests for `vpcsim check` output: the SARIF and JUnit writers
 * (report/sarif.c), and golden files for every format (tests/golden/).
 *
 * The golden findings are made by hand on a small model, with rules of
 * the test's own (T001...), so the files do not change as the built-in
 * rules are written; they cover a suppressed finding, a baselined one,
 * findings with no line and with no resource, a policy finding, two
 * findings on one (rule, resource) pair, and a message with every kind
 * of character that needs escaping.  The golden files were read and
 * checked by hand once (SARIF against the 2.1.0 schema and GitHub's
 * upload rules, JUnit with an XML parser); when output changes on
 * purpose, regenerate them with
 *
 *   VPCSIM_UPDATE_GOLDEN=1 build/check_all
 *
 * and read the diff.  Other tests check what a golden file cannot show
 * at a glance: URIs, every escaping case, and that output stays
 * well-formed (a small JSON and XML checker below) on the real rules and
 * scenarios, whatever the rules find.
 *
 * Everything is freed: the suite also runs under ASan's leak checker
 * with CK_FORK=no.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/load.h"
#include "report/report.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

/* The writers with an explicit rule list (report/sarif.c); declared here
 * too so this file compiles before report/report.h declares them. */
void report_findings_sarif_rules(FILE *f, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs);
void report_findings_junit_rules(FILE *f, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs);

/* The tool version in SARIF; golden files say @VERSION@ instead so a
 * release does not change them.  Must match report/sarif.c. */
#ifndef VPCSIM_VERSION
#define VPCSIM_VERSION "0.1.0"
#endif

/* ---- output into memory ------------------------------------------------ */

typedef void (*writer_fn)(FILE *f, const struct finding_list *l,
			  const struct rule_def *defs, uint32_t n_defs);

static char *render(writer_fn w, const struct finding_list *l,
		    const struct rule_def *defs, uint32_t n_defs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	w(f, l, defs, n_defs);
	ck_assert_int_eq(ferror(f), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void sarif_w(FILE *f, const struct finding_list *l,
		    const struct rule_def *d, uint32_t n)
{
	report_findings_sarif_rules(f, l, d, n);
}

static void junit_w(FILE *f, const struct finding_list *l,
		    const struct rule_def *d, uint32_t n)
{
	report_findings_junit_rules(f, l, d, n);
}

static void json_w(FILE *f, const struct finding_list *l,
		   const struct rule_def *d, uint32_t n)
{
	(void)d;
	(void)n;
	report_findings_json(f, l);
}

static void text_w(FILE *f, const struct finding_list *l,
		   const struct rule_def *d, uint32_t n)
{
	(void)d;
	(void)n;
	report_findings_text(f, l);
}

/* The plain writers, with every built-in rule. */
static void sarif_builtin_w(FILE *f, const struct finding_list *l,
			    const struct rule_def *d, uint32_t n)
{
	(void)d;
	(void)n;
	report_findings_sarif(f, l);
}

static void junit_builtin_w(FILE *f, const struct finding_list *l,
			    const struct rule_def *d, uint32_t n)
{
	(void)d;
	(void)n;
	report_findings_junit(f, l);
}

/* Replaces every occurrence of from in s (heap) by to; returns the new
 * heap string and frees s. */
static char *replace_all(char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), count = 0;
	for (const char *p = s; (p = strstr(p, from)); p += nf)
		count++;
	char *r = xmalloc(strlen(s) + count * nt + 1), *o = r;
	const char *p = s, *q;
	while ((q = strstr(p, from))) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, nt);
		o += nt;
		p = q + nf;
	}
	strcpy(o, p);
	free(s);
	return r;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			buf = xreallocarray(buf, cap, 1);
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = xcalloc(1, 1);
	buf[len] = '\0';
	return buf;
}

/* Compares actual (freed here) with tests/golden/name; on a difference,
 * names the first line that differs. */
static void golden_check(const char *name, char *actual)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/golden/%s", name);
	actual = replace_all(actual, "\"" VPCSIM_VERSION "\"", "\"@VERSION@\"");
	if (getenv("VPCSIM_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		ck_assert_msg(f != NULL, "cannot write %s", path);
		fputs(actual, f);
		ck_assert_int_eq(fclose(f), 0);
	}
	char *expected = read_all(path);
	if (!expected) {
		free(actual);
		ck_abort_msg("cannot read %s (run from the repository root)",
			     path);
	}
	if (strcmp(expected, actual)) {
		unsigned line = 1;
		const char *e = expected, *a = actual;
		while (*e && *e == *a) {
			line += *e == '\n';
			e++;
			a++;
		}
		char got[160], want[160];
		snprintf(got, sizeof(got), "%.*s", (int)strcspn(a, "\n"), a);
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(e, "\n"), e);
		free(expected);
		free(actual);
		ck_abort_msg("%s differs at line %u:\n  want: %s\n  got:  %s\n"
			     "(VPCSIM_UPDATE_GOLDEN=1 rewrites it; read the "
			     "diff before keeping it)",
			     path, line, want, got);
	}
	free(expected);
	free(actual);
}

/* ---- a small JSON well-formedness checker ------------------------------- */

struct cursor {
	const char *p;
	int depth;
};

static void skip_ws(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r')
		c->p++;
}

/* Length of a valid UTF-8 sequence at s (which is not ASCII), or 0. */
static int utf8_ok(const unsigned char *s)
{
	int n = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
		: s[0] >= 0xE0 && s[0] <= 0xEF ? 3
		: s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
					       : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return n;
}

static bool json_value(struct cursor *c);

static bool json_str(struct cursor *c)
{
	if (*c->p++ != '"')
		return false;
	for (;;) {
		unsigned char ch = (unsigned char)*c->p;
		if (ch == '"') {
			c->p++;
			return true;
		}
		if (ch < 0x20)
			return false; /* also the end of the text */
		if (ch == '\\') {
			c->p++;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF",
						    c->p[i]) ||
					    !c->p[i])
						return false;
				c->p += 5;
			} else if (*c->p && strchr("\"\\/bfnrt", *c->p)) {
				c->p++;
			} else {
				return false;
			}
		} else if (ch < 0x80) {
			c->p++;
		} else {
			int n = utf8_ok((const unsigned char *)c->p);
			if (!n)
				return false;
			c->p += n;
		}
	}
}

static bool json_number(struct cursor *c)
{
	const char *s = c->p;
	if (*c->p == '-')
		c->p++;
	if (*c->p == '0')
		c->p++;
	else
		while (*c->p >= '0' && *c->p <= '9')
			c->p++;
	return c->p > s && c->p[-1] != '-';
}

static bool json_seq(struct cursor *c, char close, bool keys)
{
	c->p++;
	if (++c->depth > 64)
		return false;
	skip_ws(c);
	if (*c->p == close) {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		skip_ws(c);
		if (keys) {
			if (*c->p != '"' || !json_str(c))
				return false;
			skip_ws(c);
			if (*c->p++ != ':')
				return false;
		}
		if (!json_value(c))
			return false;
		skip_ws(c);
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p++ != close)
			return false;
		c->depth--;
		return true;
	}
}

static bool json_value(struct cursor *c)
{
	skip_ws(c);
	switch (*c->p) {
	case '{':
		return json_seq(c, '}', true);
	case '[':
		return json_seq(c, ']', false);
	case '"':
		return json_str(c);
	case 't':
		return !strncmp(c->p, "true", 4) && (c->p += 4);
	case 'f':
		return !strncmp(c->p, "false", 5) && (c->p += 5);
	case 'n':
		return !strncmp(c->p, "null", 4) && (c->p += 4);
	default:
		return json_number(c);
	}
}

static bool json_well_formed(const char *text)
{
	struct cursor c = {text, 0};
	if (!json_value(&c))
		return false;
	skip_ws(&c);
	return *c.p == '\0';
}

/* ---- a small XML well-formedness checker -------------------------------- */

/* A name: letters, digits, '-', '_', '.', ':' (all our writer uses). */
static size_t xml_name(const char *p)
{
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9' && n) || p[n] == '-' ||
	       p[n] == '_' || p[n] == '.' || p[n] == ':')
		n++;
	return n;
}

/* Checks one character of text or attribute value at *p and moves past
 * it; quote is the attribute's quote, or 0 in text. */
static bool xml_char(const char **p, char quote)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (*s == '<' || (quote && *s == quote))
		return false;
	/* Stricter than XML, as a check of our writer: '>' is always
	 * escaped, and so are newlines and tabs in attributes. */
	if (*s == '>' || (quote && (*s == '\n' || *s == '\t')))
		return false;
	if (*s == '&') {
		static const char *const ents[] = {"&amp;",  "&lt;",   "&gt;",
						   "&quot;", "&apos;", "&#9;",
						   "&#10;",  "&#13;"};
		for (size_t i = 0; i < ARRAY_LEN(ents); i++)
			if (!strncmp(*p, ents[i], strlen(ents[i]))) {
				*p += strlen(ents[i]);
				return true;
			}
		return false;
	}
	if (*s < 0x80) {
		if (*s < 0x20 && *s != '\n' && *s != '\t')
			return false; /* \r never reaches a parser raw */
		(*p)++;
		return true;
	}
	int n = utf8_ok(s);
	/* U+FFFE and U+FFFF are not XML characters. */
	if (!n ||
	    (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF)))
		return false;
	*p += n;
	return true;
}

static bool xml_well_formed(const char *text)
{
	const char *p = text;
	const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	if (strncmp(p, decl, strlen(decl)))
		return false;
	p += strlen(decl);
	const char *stack[32];
	size_t lens[32];
	int depth = 0, roots = 0;
	while (*p) {
		if (*p != '<') {
			if (depth == 0 && !strchr(" \n", *p))
				return false; /* text outside the root */
			if (!xml_char(&p, 0))
				return false;
			continue;
		}
		p++;
		if (*p == '/') {
			size_t n = xml_name(++p);
			if (!depth || n != lens[depth - 1] ||
			    strncmp(p, stack[depth - 1], n) || p[n] != '>')
				return false;
			depth--;
			p += n + 1;
			continue;
		}
		size_t n = xml_name(p);
		if (!n || depth == 32)
			return false;
		if (depth == 0 && roots++)
			return false;
		const char *name = p;
		p += n;
		const char *attrs[16];
		size_t alens[16], n_attrs = 0;
		for (;;) {
			if (*p == '/' && p[1] == '>') {
				p += 2;
				break;
			}
			if (*p == '>') {
				stack[depth] = name;
				lens[depth++] = n;
				p++;
				break;
			}
			if (*p != ' ')
				return false;
			p++;
			size_t an = xml_name(p);
			if (!an || p[an] != '=' || p[an + 1] != '"' ||
			    n_attrs == 16)
				return false;
			for (size_t i = 0; i < n_attrs; i++)
				if (alens[i] == an && !strncmp(attrs[i], p, an))
					return false; /* repeated attribute */
			attrs[n_attrs] = p;
			alens[n_attrs++] = an;
			p += an + 2;
			while (*p != '"')
				if (!*p || !xml_char(&p, '"'))
					return false;
			p++;
		}
	}
	return depth == 0 && roots == 1;
}

/* ---- the golden findings ------------------------------------------------ */

static const struct rule_def test_rules[] = {
    {.id = "T001",
     .name = "db-exposed",
     .title = "Database reachable from the internet",
     .severity = SEV_ERROR,
     .rationale = "A database the internet reaches is one leaked "
		  "password away from a breach.",
     .fix = "Move the database to private subnets and let only the "
	    "application's security group in."},
    {.id = "T002",
     .name = "admin-port-open",
     .title = "Administrative port reachable from the internet",
     .severity = SEV_WARNING,
     .rationale = "SSH and RDP are scanned all day; \"just for now\" "
		  "stays open.",
     .fix = "Use a bastion or Session Manager; allow 22 only from known "
	    "addresses."},
    {.id = "T003",
     .name = "sg-unused",
     .title = "Unused security group",
     .severity = SEV_INFO,
     .rationale = "Unused groups <clutter> reviews & hide mistakes.",
     .fix = "Delete it."},
    {.id = "T004",
     .name = "never-fires",
     .title = "A rule with no finding",
     .severity = SEV_ERROR,
     .rationale = "Shows as a passing test case.",
     .fix = "Nothing to do."},
    {.id = "T005",
     .name = "all-baselined",
     .title = "A rule whose only finding is in the baseline",
     .severity = SEV_WARNING,
     .rationale = "Baselined findings are not reported.",
     .fix = "Fix it some day, then drop it from the baseline."},
};

static const char golden_yaml[] =
    "region: us-east-1\n"
    "vpcs:\n"
    "  main: {cidr: 10.0.0.0/16}\n"
    "internet_gateways:\n"
    "  igw: {vpc: main}\n"
    "subnets:\n"
    "  public-a:\n"
    "    vpc: main\n"
    "    cidr: 10.0.1.0/24\n"
    "    az: us-east-1a\n"
    "security_groups:\n"
    "  db-sg: {vpc: main}\n"
    "  old-sg: {vpc: main}\n"
    "instances:\n"
    "  bastion:\n"
    "    subnet: public-a\n"
    "    security_groups: [db-sg]\n"
    "    suppress:\n"
    "      rules: [admin-port-open]\n"
    "      reason: \"replaced in Q3 <ticket #42 & co>\"\n"
    "databases:\n"
    "  db:\n"
    "    engine: mysql\n"
    "    subnets: [public-a]\n"
    "    security_groups: [db-sg]\n";

static struct model *load_golden_model(void)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "models/web.yaml", golden_yaml,
				   strlen(golden_yaml), &d);
	char msg[1024] = "";
	if (d.n)
		snprintf(msg, sizeof(msg), "%u:%u: %s", d.v[0].line, d.v[0].col,
			 d.v[0].message);
	size_t errors = d.n_errors;
	diag_list_free(&d);
	if (rc || !m || errors) {
		model_free(m);
		ck_abort_msg("the golden model does not load: %s", msg);
	}
	return m;
}

static const struct model_obj *obj(const struct model *m, const char *id)
{
	const struct model_obj *o = model_find(m, id);
	ck_assert_msg(o != NULL, "no object '%s'", id);
	return o;
}

/* A finding of one of test_rules (or a policy when rule is NULL). */
static struct finding *add(struct finding_list *l, const struct model *m,
			   const struct rule_def *rule, const char *policy,
			   enum severity sev, const char *id, const char *key,
			   const char *message)
{
	enum model_kind kind = MK_KIND_COUNT;
	uint32_t index = 0;
	if (id) {
		const struct model_obj *o = obj(m, id);
		kind = o->kind;
		index = o->index;
	}
	const char *rid = rule ? rule->id : policy;
	const char *rname = rule ? rule->name : policy;
	struct finding *f =
	    finding_new(l, m, rid, rname, sev, kind, index, key);
	f->rule = rule;
	f->message = xstrdup(message);
	return f;
}

/* The golden findings, as cli/check.c would have them: suppressed by the
 * model, sorted, then marked by tests/golden/check.baseline. */
static void golden_findings(struct finding_list *l, const struct model *m)
{
	const struct rule_def *r = test_rules;
	struct finding *f;
	f = add(l, m, &r[0], NULL, SEV_ERROR, "db", "3306",
		"db \"primary\" <mysql> & 'co' is reachable\n"
		"\tfrom the internet \xC3\xA9t\xC3\xA9 \xE2\x86\x92 "
		"bad byte \xFF ctl \x01 end");
	finding_detail(f, "path: internet \xE2\x86\x92 igw \xE2\x86\x92 "
			  "public-a \xE2\x86\x92 db:3306");
	finding_detail(f, "db-sg rule 1 allows 0.0.0.0/0 on 3306");
	f = add(l, m, &r[0], NULL, SEV_ERROR, "db", "33060",
		"db is reachable from the internet on tcp 33060");
	add(l, m, &r[1], NULL, SEV_WARNING, "db", "22",
	    "db has SSH open to the internet");
	add(l, m, &r[1], NULL, SEV_WARNING, "bastion", "22",
	    "bastion has SSH open to the internet");
	add(l, m, &r[2], NULL, SEV_INFO, "old-sg", NULL,
	    "old-sg is attached to nothing");
	/* About the model as a whole: no resource, no line. */
	add(l, m, &r[2], NULL, SEV_INFO, NULL, "model",
	    "the model as a whole: 2 unused groups");
	add(l, m, &r[4], NULL, SEV_WARNING, "public-a", "small",
	    "public-a is nearly full");
	f = add(l, m, NULL, "no-db-from-internet", SEV_ERROR, "db", NULL,
		"nothing in the data tier is reachable from the internet");
	finding_detail(f, "internet \xE2\x86\x92 db tcp 3306");
	findings_suppress(l, m);
	findings_sort(l);
	struct diag_list d = DIAG_LIST_INIT;
	int rc = findings_apply_baseline(l, "tests/golden/check.baseline", &d);
	diag_list_free(&d);
	ck_assert_int_eq(rc, 0);
}

static void golden_case(const char *name, writer_fn w)
{
	struct model *m = load_golden_model();
	struct finding_list l = {0};
	golden_findings(&l, m);
	char *out = render(w, &l, test_rules, ARRAY_LEN(test_rules));
	findings_free(&l);
	model_free(m);
	golden_check(name, out);
}

START_TEST(golden_sarif)
{
	golden_case("check.sarif", sarif_w);
}
END_TEST

START_TEST(golden_junit)
{
	golden_case("check.junit.xml", junit_w);
}
END_TEST

START_TEST(golden_json)
{
	golden_case("check.json", json_w);
}
END_TEST

START_TEST(golden_text)
{
	golden_case("check.txt", text_w);
}
END_TEST

/* check's text with a style: --severity leaves findings out and the
 * summary counts them; colour wraps the location and severity in ANSI
 * sequences and changes nothing else. */
static char *styled(const struct finding_list *l, bool color, enum severity min)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct report_text_style st = {color, min};
	report_findings_text_style(f, l, &st);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* s without its "\033[...m" sequences, in place. */
static char *strip_sgr(char *s)
{
	char *w = s;
	for (char *p = s; *p;) {
		if (p[0] == '\033' && p[1] == '[') {
			p = strchr(p, 'm') + 1;
			continue;
		}
		*w++ = *p++;
	}
	*w = '\0';
	return s;
}

START_TEST(text_style)
{
	struct model *m = load_golden_model();
	struct finding_list l = {0};
	golden_findings(&l, m);
	char *plain = render(text_w, &l, NULL, 0);
	char *warn = styled(&l, false, SEV_WARNING);
	ck_assert_ptr_null(strstr(warn, ": info: ["));
	ck_assert_ptr_nonnull(strstr(warn, ": warning: [T002] bastion"));
	ck_assert_ptr_nonnull(strstr(warn, "1 in the baseline, 2 not shown "
					   "(below warning)\n"));
	char *err = styled(&l, false, SEV_ERROR);
	ck_assert_ptr_null(strstr(err, ": warning: ["));
	ck_assert_ptr_nonnull(strstr(err, ", 4 not shown (below error)\n"));
	/* Everything shown at info: the plain text. */
	char *all = styled(&l, false, SEV_INFO);
	ck_assert_str_eq(all, plain);
	char *color = styled(&l, true, SEV_INFO);
	ck_assert_ptr_nonnull(
	    strstr(color, "\033[1mmodels/web.yaml:22:3:\033[0m \033[1;31merror:"
			  "\033[0m [T001]"));
	ck_assert_ptr_nonnull(strstr(color, "\033[1;31m3 errors\033[0m, "));
	ck_assert_str_eq(strip_sgr(color), plain);
	free(plain);
	free(warn);
	free(err);
	free(all);
	free(color);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* The golden setup itself: what the files are meant to show. */
START_TEST(golden_setup)
{
	struct model *m = load_golden_model();
	struct finding_list l = {0};
	golden_findings(&l, m);
	uint32_t suppressed = 0, baselined = 0, no_line = 0;
	for (uint32_t i = 0; i < l.n; i++) {
		suppressed += l.v[i].suppressed != NULL;
		baselined += l.v[i].baselined;
		no_line += l.v[i].loc.line == 0;
	}
	ck_assert_uint_eq(suppressed, 1);
	ck_assert_uint_eq(baselined, 1);
	ck_assert_uint_eq(no_line, 1);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* Golden outputs are well-formed, by the checkers above. */
START_TEST(golden_well_formed)
{
	char *s = read_all("tests/golden/check.sarif");
	char *x = read_all("tests/golden/check.junit.xml");
	char *j = read_all("tests/golden/check.json");
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(j);
	bool ok_s = json_well_formed(s), ok_x = xml_well_formed(x),
	     ok_j = json_well_formed(j);
	free(s);
	free(x);
	free(j);
	ck_assert(ok_s);
	ck_assert(ok_x);
	ck_assert(ok_j);
}
END_TEST

/* The checkers reject what they should, or they prove nothing. */
START_TEST(checkers_reject)
{
	ck_assert(json_well_formed("{\"a\": [1, -2, \"x\\u00e9\"]}"));
	ck_assert(!json_well_formed("{\"a\": [1,]}"));
	ck_assert(!json_well_formed("{\"a\": \"\xFF\"}"));
	ck_assert(!json_well_formed("{\"a\": \"tab\there\"}"));
	ck_assert(!json_well_formed("{} {}"));
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	ck_assert(xml_well_formed(DECL "<a x=\"1 &amp; 2\"><b/>t&lt;</a>\n"));
	ck_assert(!xml_well_formed(DECL "<a><b></a></b>"));
	ck_assert(!xml_well_formed(DECL "<a>x & y</a>"));
	ck_assert(!xml_well_formed(DECL "<a>x \x01 y</a>"));
	ck_assert(!xml_well_formed(DECL "<a>x \xFF y</a>"));
	ck_assert(!xml_well_formed(DECL "<a x=\"1\" x=\"2\"/>"));
	ck_assert(!xml_well_formed(DECL "<a x=\"a\nb\"/>"));
	ck_assert(!xml_well_formed(DECL "<a/><b/>"));
	ck_assert(!xml_well_formed(DECL "<a>"));
#undef DECL
}
END_TEST

/* ---- details a golden file shows less plainly --------------------------- */

/* One finding of T001 on db with message msg and file set to file. */
static char *one_finding(writer_fn w, const char *file, uint32_t line,
			 const char *msg)
{
	struct model *m = load_golden_model();
	struct finding_list l = {0};
	struct finding *f =
	    add(&l, m, &test_rules[0], NULL, SEV_ERROR, "db", NULL, msg);
	f->loc.file = file;
	f->loc.line = line;
	char *out = render(w, &l, test_rules, 1);
	findings_free(&l);
	model_free(m);
	return out;
}

START_TEST(sarif_uris)
{
	static const struct {
		const char *path, *uri;
		bool relative;
	} cases[] = {
	    {"models/web.yaml", "\"uri\": \"models/web.yaml\"", true},
	    {"./././models/web.yaml", "\"uri\": \"models/web.yaml\"", true},
	    {"../up/a b#1%.yaml", "\"uri\": \"../up/a%20b%231%25.yaml\"", true},
	    {"c:x.yaml", "\"uri\": \"c%3Ax.yaml\"", true},
	    {"caf\xC3\xA9.yaml", "\"uri\": \"caf%C3%A9.yaml\"", true},
	    {"/srv/my models/web.yaml",
	     "\"uri\": \"file:///srv/my%20models/web.yaml\"", false},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *out = one_finding(sarif_w, cases[i].path, 3, "m");
		bool has_uri = strstr(out, cases[i].uri) != NULL;
		bool has_base = strstr(out, "\"uriBaseId\": \"%SRCROOT%\"");
		bool ok = json_well_formed(out);
		free(out);
		ck_assert_msg(has_uri, "%s: no %s", cases[i].path,
			      cases[i].uri);
		ck_assert_msg(has_base == cases[i].relative, "%s: uriBaseId",
			      cases[i].path);
		ck_assert(ok);
	}
}
END_TEST

/* Line 0 has no region (SARIF lines are 1-based); col 0 no column. */
START_TEST(sarif_region)
{
	char *out = one_finding(sarif_w, "a.yaml", 0, "m");
	bool region = strstr(out, "\"region\"") != NULL;
	free(out);
	ck_assert(!region);
	out = one_finding(sarif_w, "a.yaml", 7, "m");
	bool line = strstr(out, "\"startLine\": 7") != NULL;
	free(out);
	ck_assert(line);
}
END_TEST

/* No file and no resource: no locations at all, still valid. */
START_TEST(sarif_no_location)
{
	struct model *m = load_golden_model();
	struct finding_list l = {0};
	struct finding *f =
	    add(&l, m, &test_rules[0], NULL, SEV_ERROR, NULL, NULL, "m");
	f->loc.file = NULL;
	char *out = render(sarif_w, &l, test_rules, 1);
	findings_free(&l);
	model_free(m);
	bool locations = strstr(out, "\"locations\"") != NULL;
	bool ok = json_well_formed(out);
	free(out);
	ck_assert(!locations);
	ck_assert(ok);
}
END_TEST

/* Every kind of character XML cannot take as it is. */
START_TEST(junit_escaping)
{
	char *out = one_finding(
	    junit_w, "a&b.yaml", 2,
	    "q\" a' lt< gt> amp& nl\n tab\t cr\r ctl\x01\x1F "
	    "bad\xFF over\xC0\xAF sur\xED\xA0\x80 cut\xE2\x86 "
	    "nonchar\xEF\xBF\xBE ok\xC3\xA9\xE2\x86\x92\xF0\x9F\x98\x80");
	bool ok = xml_well_formed(out);
	const char *attr = strstr(out, "<failure message=\"");
	const char *body = attr ? strchr(attr, '>') : NULL;
	char want_attr[] = "q&quot; a&apos; lt&lt; gt&gt; amp&amp; nl&#10; "
			   "tab&#9; cr&#13; ctl\xEF\xBF\xBD\xEF\xBF\xBD "
			   "bad\xEF\xBF\xBD over\xEF\xBF\xBD\xEF\xBF\xBD "
			   "sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
			   "cut\xEF\xBF\xBD\xEF\xBF\xBD "
			   "nonchar\xEF\xBF\xBD "
			   "ok\xC3\xA9\xE2\x86\x92\xF0\x9F\x98\x80\"";
	char want_body[] = "nl\n tab\t cr&#13; ctl";
	bool has_attr =
	    attr && !strncmp(attr + 18, want_attr, strlen(want_attr));
	bool has_body = body && strstr(body, want_body);
	/* No file attribute (junit-10.xsd has none): the failure's text
	 * names the file, escaped. */
	bool has_file =
	    strstr(out, ">a&amp;b.yaml:2:") != NULL && !strstr(out, " file=");
	if (!ok || !has_attr || !has_body || !has_file)
		fprintf(stderr, "%s", out);
	free(out);
	ck_assert(ok);
	ck_assert(has_attr);
	ck_assert(has_body);
	ck_assert(has_file);
}
END_TEST

/* The same message in SARIF: JSON escapes, and stays valid. */
START_TEST(sarif_escaping)
{
	char *out = one_finding(sarif_w, "a.yaml", 2,
				"q\" bs\\ nl\n tab\t ctl\x01 bad\xFF "
				"ok\xC3\xA9");
	bool ok = json_well_formed(out);
	bool has = strstr(out, "\"text\": \"q\\\" bs\\\\ nl\\n tab\\t "
			       "ctl\\u0001 bad\\ufffd ok\xC3\xA9\"") != NULL;
	free(out);
	ck_assert(ok);
	ck_assert(has);
}
END_TEST

/* No findings, no rules: still a valid, complete document. */
START_TEST(empty_outputs)
{
	struct finding_list l = {0};
	char *s = render(sarif_w, &l, NULL, 0);
	char *x = render(junit_w, &l, NULL, 0);
	bool ok_s = json_well_formed(s), ok_x = xml_well_formed(x);
	bool results = strstr(s, "\"results\": []") != NULL;
	bool zero = strstr(x, "tests=\"0\" failures=\"0\"") != NULL;
	free(s);
	free(x);
	ck_assert(ok_s);
	ck_assert(ok_x);
	ck_assert(results);
	ck_assert(zero);
}
END_TEST

/* ---- the real rules ----------------------------------------------------- */

/* The plain writers list every built-in rule, whatever was found. */
START_TEST(builtin_rules_listed)
{
	struct finding_list l = {0};
	char *s = render(sarif_builtin_w, &l, NULL, 0);
	char *x = render(junit_builtin_w, &l, NULL, 0);
	uint32_t n;
	const struct rule_def *d = rules_builtin(&n);
	char *missing = NULL;
	for (uint32_t i = 0; i < n && !missing; i++) {
		char want_s[64], want_x[96];
		snprintf(want_s, sizeof(want_s), "\"id\": \"%s\"", d[i].id);
		snprintf(want_x, sizeof(want_x),
			 "classname=\"%s\" name=\"all resources\"", d[i].id);
		if (!strstr(s, want_s) || !strstr(x, want_x))
			missing = xstrdup(d[i].id);
	}
	bool ok_s = json_well_formed(s), ok_x = xml_well_formed(x);
	free(s);
	free(x);
	if (missing) {
		char id[32];
		snprintf(id, sizeof(id), "%s", missing);
		free(missing);
		ck_abort_msg("rule %s is not listed", id);
	}
	ck_assert(ok_s);
	ck_assert(ok_x);
}
END_TEST

/* Whatever the built-in rules find on the scenarios, every format stays
 * well-formed and every result names a listed rule. */
START_TEST(scenarios_well_formed)
{
	static const char *const paths[] = {
	    "scenarios/three-tier.yaml",
	    "scenarios/db-public-open.yaml",
	    "scenarios/tasks-public.yaml",
	    "scenarios/alb-sg-wide-open.yaml",
	    "scenarios/nat-in-private-subnet.yaml",
	};
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m = NULL;
		int rc = model_load_file(&m, paths[i], &d);
		diag_list_free(&d);
		ck_assert_msg(rc == 0 && m, "%s does not load", paths[i]);
		struct finding_list l = {0};
		rules_run(&l, m, NULL);
		/* findings_sort passes a NULL array to qsort when there is
		 * nothing to sort, which UBSan rejects. */
		if (l.n)
			findings_sort(&l);
		char *s = render(sarif_builtin_w, &l, NULL, 0);
		char *x = render(junit_builtin_w, &l, NULL, 0);
		char *j = render(json_w, &l, NULL, 0);
		bool ok_s = json_well_formed(s), ok_x = xml_well_formed(x),
		     ok_j = json_well_formed(j);
		bool ids = true;
		for (uint32_t k = 0; k < l.n; k++) {
			char want[96];
			snprintf(want, sizeof(want), "\"ruleId\": \"%s\"",
				 l.v[k].rule_id);
			ids = ids && strstr(s, want);
		}
		free(s);
		free(x);
		free(j);
		findings_free(&l);
		model_free(m);
		ck_assert_msg(ok_s, "%s: SARIF is not well-formed", paths[i]);
		ck_assert_msg(ok_x, "%s: JUnit is not well-formed", paths[i]);
		ck_assert_msg(ok_j, "%s: JSON is not well-formed", paths[i]);
		ck_assert_msg(ids, "%s: a finding has no result", paths[i]);
	}
}
END_TEST

Suite *sarif_suite(void)
{
	Suite *s = suite_create("sarif");
	TCase *tc = tcase_create("golden");
	tcase_add_test(tc, golden_setup);
	tcase_add_test(tc, golden_sarif);
	tcase_add_test(tc, golden_junit);
	tcase_add_test(tc, golden_json);
	tcase_add_test(tc, golden_text);
	tcase_add_test(tc, golden_well_formed);
	tcase_add_test(tc, checkers_reject);
	suite_add_tcase(s, tc);
	tc = tcase_create("details");
	tcase_add_test(tc, sarif_uris);
	tcase_add_test(tc, sarif_region);
	tcase_add_test(tc, sarif_no_location);
	tcase_add_test(tc, junit_escaping);
	tcase_add_test(tc, sarif_escaping);
	tcase_add_test(tc, empty_outputs);
	tcase_add_test(tc, text_style);
	suite_add_tcase(s, tc);
	tc = tcase_create("real rules");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, builtin_rules_listed);
	tcase_add_test(tc, scenarios_well_formed);
	suite_add_tcase(s, tc);
	return s;
}
