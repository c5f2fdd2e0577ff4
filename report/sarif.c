/*
 * `vpcsim check` output for CI systems (docs/check.md): SARIF 2.1.0, for
 * code-scanning upload, and JUnit XML, for test dashboards.
 *
 * Both describe the same findings as the text and JSON writers of
 * findings.c and follow their conventions: findings come sorted by the
 * caller, baselined ones and those below --severity are left out,
 * suppressed ones are shown with their reason and never fail anything.
 * Both also list the rules that ran, so a dashboard shows what was
 * checked and not only what failed (struct report_run's rule list, every
 * built-in rule when it has none).  Policies are known only by their
 * findings, so a policy appears only when it produced one.  A run of
 * several models is one SARIF run (every model's files are artifacts)
 * and one JUnit test suite per model.
 *
 * Output depends on nothing but the run (no host, no absolute paths of
 * our own; JUnit's timestamp is the run's, given by the caller), so it
 * can be kept as a golden file.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/json.h"
#include "report/report.h"

/* Where vpcsim is documented, for SARIF's informationUri (an absolute
 * URI): `make VPCSIM_URL=...` sets the address of the copy a team uses. */
#ifndef VPCSIM_URL
#define VPCSIM_URL "https://github.com/your-org/vpcsim"
#endif

/* Written in place of a missing resource id: a finding about the model
 * as a whole still needs a test case name. */
#define NO_RESOURCE "(model)"

/* ---- the rules a report lists ------------------------------------------ */

/*
 * The given rules in their order, then every other rule id the findings
 * use (policies, in order of first appearance, which is deterministic
 * since findings are sorted).  A SARIF result's ruleIndex and the order
 * of JUnit test cases are positions in this table.
 */
struct rule_entry {
	const char *id, *name;
	const struct rule_def *def; /* NULL for a policy */
	enum severity level;	    /* the default level */
	uint32_t n_shown;	    /* findings not baselined */
	uint32_t n_baselined;
};

struct rule_table {
	struct rule_entry *v;
	uint32_t n;
};

static uint32_t table_find(const struct rule_table *t, const char *id)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].id, id))
			return i;
	return UINT32_MAX;
}

/* Whether a report shows finding f: not baselined, not below
 * --severity. */
static bool shown(const struct report_run *r, const struct finding *f)
{
	return !f->baselined && f->severity >= r->min_severity;
}

static void table_add(struct rule_table *t, const struct finding *f,
		      bool counted)
{
	uint32_t k = table_find(t, f->rule_id);
	if (k == UINT32_MAX) {
		k = t->n++;
		struct rule_entry *e = &t->v[k];
		e->id = f->rule_id;
		e->name = f->rule_name;
		e->def = f->rule;
		/* A policy has no default of its own: its first finding's
		 * severity is the one it was written with. */
		e->level = f->rule ? f->rule->severity : f->severity;
	}
	if (!counted)
		return;
	if (f->baselined)
		t->v[k].n_baselined++;
	else
		t->v[k].n_shown++;
}

/* The run's rules, then every other rule id its findings use; with l,
 * counts are of l's findings only (one model's suite). */
static void table_build(struct rule_table *t, const struct report_run *r,
			const struct finding_list *only)
{
	uint32_t n_defs = r->rules ? r->n_rules : 0;
	const struct rule_def *defs = r->rules;
	size_t total = 0;
	for (size_t k = 0; k < r->n_models; k++)
		total += r->models[k].findings->n;
	t->v = xcalloc((size_t)n_defs + total + 1, sizeof(*t->v));
	t->n = 0;
	for (uint32_t i = 0; i < n_defs; i++) {
		struct rule_entry *e = &t->v[t->n++];
		e->id = defs[i].id;
		e->name = defs[i].name;
		e->def = &defs[i];
		e->level = defs[i].severity;
	}
	for (size_t k = 0; k < r->n_models; k++) {
		const struct finding_list *l = r->models[k].findings;
		for (uint32_t i = 0; i < l->n; i++) {
			const struct finding *f = &l->v[i];
			if (f->baselined || shown(r, f))
				table_add(t, f, !only || only == l);
		}
	}
}

/* ---- SARIF -------------------------------------------------------------- */

static const char *sarif_level(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "note";
	case SEV_WARNING:
		return "warning";
	case SEV_ERROR:
		return "error";
	}
	return "error";
}

/* A multiformatMessageString; SARIF requires its text, so an absent one
 * leaves the whole property out rather than writing null. */
static void sarif_message(struct json *j, const char *key, const char *text,
			  const char *markdown)
{
	if (!text)
		return;
	json_key(j, key);
	json_begin_object(j);
	json_kv_string(j, "text", text);
	if (markdown)
		json_kv_string(j, "markdown", markdown);
	json_end_object(j);
}

/* Joins parts into a heap string (the caller frees it). */
static char *concat(const char *const *parts, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += parts[i] ? strlen(parts[i]) : 0;
	char *s = xmalloc(len), *p = s;
	for (size_t i = 0; i < n; i++) {
		size_t k = parts[i] ? strlen(parts[i]) : 0;
		memcpy(p, parts[i] ? parts[i] : "", k);
		p += k;
	}
	*p = '\0';
	return s;
}

static void sarif_rule(struct json *j, const struct rule_entry *e)
{
	json_begin_object(j);
	json_kv_string(j, "id", e->id);
	if (e->name && strcmp(e->name, e->id))
		json_kv_string(j, "name", e->name);
	const struct rule_def *d = e->def;
	if (d) {
		sarif_message(j, "shortDescription", d->title, NULL);
		sarif_message(j, "fullDescription", d->rationale, NULL);
		/* Rule texts are written to be valid Markdown as they are:
		 * `vpcsim rules --format markdown` prints them unchanged into
		 * docs/rules.md, and this follows the same convention. */
		const char *md[] = {"**",
				    d->title,
				    "**\n\n",
				    d->rationale,
				    "\n\n**How to fix:** ",
				    d->fix};
		char *markdown = d->fix ? concat(md, ARRAY_LEN(md)) : NULL;
		sarif_message(j, "help", d->fix, markdown);
		free(markdown);
	} else {
		const char *sd[] = {"Policy ", e->id};
		char *text = concat(sd, ARRAY_LEN(sd));
		sarif_message(j, "shortDescription", text, NULL);
		free(text);
		sarif_message(
		    j, "fullDescription",
		    "A user policy, from the model's policies section "
		    "or a --policy file; each result carries the "
		    "policy's message.",
		    NULL);
		sarif_message(j, "help",
			      "Change the architecture so the policy holds, or "
			      "change the policy if the flow is intended.",
			      NULL);
	}
	json_key(j, "defaultConfiguration");
	json_begin_object(j);
	json_kv_string(j, "level", sarif_level(e->level));
	json_end_object(j);
	/* Code scanning's labels: security-severity (critical from 9.0,
	 * high from 7.0, medium from 4.0) on rules tagged "security"; the
	 * scores are rules/finding.c's, documented in docs/check.md. */
	json_key(j, "properties");
	json_begin_object(j);
	json_key(j, "tags");
	json_begin_array(j);
	const char *const *tags = rule_tags(e->id);
	if (!tags) {
		json_string(j, "security");
		json_string(j, "network");
	}
	for (; tags && *tags; tags++)
		json_string(j, *tags);
	json_string(j, d ? "built-in" : "policy");
	json_end_array(j);
	json_kv_string(j, "security-severity",
		       rule_security_severity(e->id, e->level));
	json_end_object(j);
	json_end_object(j);
}

/* RFC 3986 unreserved characters and the path separator stay; every
 * other byte is percent-encoded, so spaces, '#', '%' and non-ASCII file
 * names give a valid URI, and a ':' in the first segment cannot be taken
 * for a scheme. */
static bool uri_keep(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '/';
}

/*
 * The artifact URI of a file path.  An absolute path becomes a file://
 * URI; a relative one stays relative (to %SRCROOT%, the checkout), with
 * a leading "./" dropped so the same file always has the same URI and
 * code scanning matches its alerts across runs.
 */
static char *path_uri(const char *path, bool *relative)
{
	*relative = path[0] != '/';
	if (*relative)
		while (path[0] == '.' && path[1] == '/') {
			path += 2;
			while (*path == '/')
				path++;
		}
	size_t n = strlen(path);
	char *u = xmalloc(3 * n + 8), *p = u;
	if (!*relative) {
		memcpy(p, "file://", 7);
		p += 7;
	}
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (uri_keep(*s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	return u;
}

/* The files a run's SARIF names, in order of first mention: every input
 * file of every model, then the files results point at (a Terraform
 * plan's .tf files).  A location's artifactLocation gives its index. */
struct artifacts {
	const char **v;
	uint32_t n, cap;
};

static uint32_t artifact_index(struct artifacts *a, const char *file)
{
	for (uint32_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], file))
			return i;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n] = file;
	return a->n++;
}

static void artifact_location(struct json *j, struct artifacts *a,
			      const char *file)
{
	bool relative;
	char *uri = path_uri(file, &relative);
	json_key(j, "artifactLocation");
	json_begin_object(j);
	json_kv_string(j, "uri", uri);
	if (relative)
		json_kv_string(j, "uriBaseId", "%SRCROOT%");
	if (a)
		json_kv_int(j, "index", artifact_index(a, file));
	json_end_object(j);
	free(uri);
}

/* A physicalLocation of loc (which has a file).  Line 0 means "no source
 * line" (an object the loader made): no region, which points at the file
 * as a whole. */
static void physical_location(struct json *j, struct artifacts *a,
			      struct src_loc loc)
{
	json_key(j, "physicalLocation");
	json_begin_object(j);
	artifact_location(j, a, loc.file);
	if (loc.line) {
		json_key(j, "region");
		json_begin_object(j);
		json_kv_int(j, "startLine", loc.line);
		if (loc.col)
			json_kv_int(j, "startColumn", loc.col);
		json_end_object(j);
	}
	json_end_object(j);
}

static void sarif_location(struct json *j, struct artifacts *a,
			   const struct finding *f)
{
	json_key(j, "locations");
	json_begin_array(j);
	json_begin_object(j);
	if (f->loc.file)
		physical_location(j, a, f->loc);
	if (f->resource) {
		json_key(j, "logicalLocations");
		json_begin_array(j);
		json_begin_object(j);
		json_kv_string(j, "name", f->resource);
		json_kv_string(j, "kind", "resource");
		json_end_object(j);
		json_end_array(j);
	}
	json_end_object(j);
	json_end_array(j);
}

/* The traces a finding quotes, step by step, each at the rule or
 * component that decided it: code scanning's "show paths". */
static void sarif_code_flows(struct json *j, struct artifacts *a,
			     const struct finding *f)
{
	if (!f->n_flows)
		return;
	json_key(j, "codeFlows");
	json_begin_array(j);
	for (uint32_t k = 0; k < f->n_flows; k++) {
		const struct finding_flow *fl = &f->flows[k];
		json_begin_object(j);
		sarif_message(j, "message", fl->title, NULL);
		json_key(j, "threadFlows");
		json_begin_array(j);
		json_begin_object(j);
		json_key(j, "locations");
		json_begin_array(j);
		for (uint32_t i = 0; i < fl->n_steps; i++) {
			const struct finding_step *st = &fl->steps[i];
			json_begin_object(j);
			json_key(j, "location");
			json_begin_object(j);
			if (st->loc.file)
				physical_location(j, a, st->loc);
			sarif_message(j, "message", st->text, NULL);
			json_end_object(j);
			if (st->blocked) {
				json_key(j, "kinds");
				json_begin_array(j);
				json_string(j, "unreachable");
				json_end_array(j);
			}
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

/* The message, then each detail (the path, the blocking step) on a line
 * of its own, as the text output shows them. */
static char *result_text(const struct finding *f)
{
	size_t len = (f->message ? strlen(f->message) : 0) + 1;
	for (uint32_t k = 0; k < f->n_details; k++)
		len += strlen(f->details[k]) + 1;
	char *s = xmalloc(len), *p = s;
	size_t n = f->message ? strlen(f->message) : 0;
	memcpy(p, f->message ? f->message : "", n);
	p += n;
	for (uint32_t k = 0; k < f->n_details; k++) {
		*p++ = '\n';
		n = strlen(f->details[k]);
		memcpy(p, f->details[k], n);
		p += n;
	}
	*p = '\0';
	return s;
}

static void sarif_result(struct json *j, struct artifacts *a,
			 const struct finding *f, uint32_t rule_index,
			 const char *model)
{
	json_begin_object(j);
	json_kv_string(j, "ruleId", f->rule_id);
	json_kv_int(j, "ruleIndex", rule_index);
	json_kv_string(j, "level", sarif_level(f->severity));
	char *text = result_text(f);
	sarif_message(j, "message", text, NULL);
	free(text);
	if (f->loc.file || f->resource)
		sarif_location(j, a, f);
	sarif_code_flows(j, a, f);
	json_key(j, "partialFingerprints");
	json_begin_object(j);
	json_kv_string(j, "vpcsim/v1", f->fingerprint);
	json_end_object(j);
	if (f->suppressed) {
		/* The reason was written in the model next to the resource:
		 * an in-source suppression, accepted by whoever wrote it. */
		json_key(j, "suppressions");
		json_begin_array(j);
		json_begin_object(j);
		json_kv_string(j, "kind", "inSource");
		json_kv_string(j, "status", "accepted");
		json_kv_string(j, "justification", f->suppressed);
		json_end_object(j);
		json_end_array(j);
	}
	json_key(j, "properties");
	json_begin_object(j);
	if (f->resource)
		json_kv_string(j, "resource", f->resource);
	if (f->kind < MK_KIND_COUNT)
		json_kv_string(j, "kind", model_kind_name(f->kind));
	json_kv_string(j, "severity", severity_name(f->severity));
	json_kv_string(j, "model", model);
	json_end_object(j);
	json_end_object(j);
}

void report_run_sarif(FILE *out, const struct report_run *r)
{
	struct rule_table t;
	table_build(&t, r, NULL);
	struct artifacts a = {0};
	for (size_t k = 0; k < r->n_models; k++)
		for (size_t i = 0; i < r->models[k].n_files; i++)
			artifact_index(&a, r->models[k].files[i]);
	struct json j;
	json_init(&j, out, true);
	json_begin_object(&j);
	json_kv_string(&j, "$schema",
		       "https://json.schemastore.org/sarif-2.1.0.json");
	json_kv_string(&j, "version", "2.1.0");
	json_key(&j, "runs");
	json_begin_array(&j);
	json_begin_object(&j);

	json_key(&j, "tool");
	json_begin_object(&j);
	json_key(&j, "driver");
	json_begin_object(&j);
	json_kv_string(&j, "name", "vpcsim");
	json_kv_string(&j, "version", VPCSIM_VERSION);
	json_kv_string(&j, "semanticVersion", VPCSIM_VERSION);
	json_kv_string(&j, "informationUri", VPCSIM_URL);
	json_key(&j, "rules");
	json_begin_array(&j);
	for (uint32_t i = 0; i < t.n; i++)
		sarif_rule(&j, &t.v[i]);
	json_end_array(&j);
	json_end_object(&j);
	json_end_object(&j);

	/* libyaml counts columns in characters, not UTF-16 units. */
	json_kv_string(&j, "columnKind", "unicodeCodePoints");
	json_key(&j, "results");
	json_begin_array(&j);
	for (size_t k = 0; k < r->n_models; k++) {
		const struct finding_list *l = r->models[k].findings;
		for (uint32_t i = 0; i < l->n; i++)
			if (shown(r, &l->v[i]))
				sarif_result(&j, &a, &l->v[i],
					     table_find(&t, l->v[i].rule_id),
					     r->models[k].name);
	}
	json_end_array(&j);
	/* Every file the run read or a result names (results may add
	 * some: the .tf files of a plan), after the results. */
	json_key(&j, "artifacts");
	json_begin_array(&j);
	for (uint32_t i = 0; i < a.n; i++) {
		json_begin_object(&j);
		bool relative;
		char *uri = path_uri(a.v[i], &relative);
		json_key(&j, "location");
		json_begin_object(&j);
		json_kv_string(&j, "uri", uri);
		if (relative)
			json_kv_string(&j, "uriBaseId", "%SRCROOT%");
		json_end_object(&j);
		free(uri);
		json_end_object(&j);
	}
	json_end_array(&j);

	json_end_object(&j);
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
	free(a.v);
	free(t.v);
}

/* A run of the one model of l with the rules given. */
static struct report_run one_model(struct report_model *md,
				   const struct finding_list *l,
				   const struct rule_def *defs, uint32_t n)
{
	memset(md, 0, sizeof(*md));
	md->name = l->n && l->v[0].loc.file ? l->v[0].loc.file : "model";
	md->files = &md->name;
	md->n_files = 1;
	md->findings = l;
	return (struct report_run){.models = md,
				   .n_models = 1,
				   .rules = defs,
				   .n_rules = n,
				   .min_severity = SEV_INFO,
				   .fail_on = FAIL_ON_ERROR};
}

void report_findings_sarif_rules(FILE *out, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs)
{
	struct report_model md;
	struct report_run r = one_model(&md, l, defs, n_defs);
	report_run_sarif(out, &r);
}

void report_findings_sarif(FILE *out, const struct finding_list *l)
{
	uint32_t n;
	const struct rule_def *defs = rules_builtin(&n);
	report_findings_sarif_rules(out, l, defs, n);
}

/* ---- XML ---------------------------------------------------------------- */

/*
 * Decodes one UTF-8 sequence at s into *cp; returns its length, or 0
 * when it is not valid (overlong, surrogate, past U+10FFFF, truncated).
 */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	int n;
	uint32_t c;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/*
 * Writes s as XML character data, or as an attribute value when attr.
 * The five special characters become entities; characters XML 1.0 does
 * not allow at all (controls other than tab, newline and carriage
 * return; U+FFFE, U+FFFF) and bytes that are not UTF-8 become U+FFFD,
 * so the document always parses.  In attributes, tab, newline and
 * carriage return are written as character references, since a parser
 * would otherwise turn them into spaces; a carriage return is one in
 * text too, since it would become a newline.
 */
static void xml_escape(FILE *f, const char *str, bool attr)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	while (*s) {
		uint32_t c;
		int n = utf8_decode(s, &c);
		if (n == 0) {
			fputs(replacement, f);
			s++;
			continue;
		}
		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		case '\r':
			fputs("&#13;", f);
			break;
		case '\n':
			fputs(attr ? "&#10;" : "\n", f);
			break;
		case '\t':
			fputs(attr ? "&#9;" : "\t", f);
			break;
		default:
			if (c < 0x20 || c == 0xFFFE || c == 0xFFFF)
				fputs(replacement, f);
			else
				fwrite(s, 1, (size_t)n, f);
		}
		s += n;
	}
}

/* ---- JUnit -------------------------------------------------------------- */

/*
 * What both Jenkins' junit-10.xsd and the Ant schema accept (tests/
 * schemas): <testsuites> with no attribute; in it one <testsuite> per
 * model with id, package, timestamp and hostname, its <properties>
 * first and <system-out>, <system-err> last; a <testcase> holds at most
 * one of <failure> and <skipped> and nothing else, so what a case found
 * without failing is in its suite's <system-out>, the model's text
 * report.
 *
 * A test case per (rule, resource) pair with findings shown, in rule
 * order, then by resource id.  A case fails when one of its findings is
 * active and at or above --fail-on (never with --fail-on never): the
 * dashboard fails what fails the build, and a warning under the default
 * --fail-on error is no red test in a build that passed.  A case is
 * skipped when all its findings are suppressed, and passes otherwise.
 * A rule with no finding shown gets one passing case, "all resources",
 * so a dashboard lists every check that ran.
 */
struct junit_item {
	uint32_t rule; /* in the rule table */
	const char *resource;
	uint32_t finding;
};

static int item_cmp(const void *a, const void *b)
{
	const struct junit_item *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	/* A finding about the model as a whole sorts before resources. */
	if (!x->resource != !y->resource)
		return x->resource ? 1 : -1;
	int c = x->resource ? strcmp(x->resource, y->resource) : 0;
	if (c)
		return c;
	return x->finding < y->finding ? -1 : x->finding > y->finding;
}

static bool same_case(const struct junit_item *x, const struct junit_item *y)
{
	return x->rule == y->rule && (x->resource == y->resource ||
				      (x->resource && y->resource &&
				       !strcmp(x->resource, y->resource)));
}

static bool fails(const struct report_run *r, const struct finding *f)
{
	return finding_active(f) && r->fail_on != FAIL_NEVER &&
	       (int)f->severity >= (int)r->fail_on;
}

enum case_state { CASE_PASS, CASE_FAIL, CASE_SKIP };

struct junit_case {
	uint32_t first, n; /* items */
	enum case_state state;
};

/* The compiler-style line of the text output, then the details. */
static void junit_finding_text(FILE *out, const struct finding *f)
{
	xml_escape(out, f->loc.file ? f->loc.file : "-", false);
	if (f->loc.line)
		fprintf(out, ":%u:%u", f->loc.line, f->loc.col);
	fprintf(out, ": %s: [", severity_name(f->severity));
	xml_escape(out, f->rule_id, false);
	fputs("] ", out);
	xml_escape(out, f->message, false);
	if (f->suppressed) {
		fputs(" (suppressed: ", out);
		xml_escape(out, f->suppressed, false);
		fputc(')', out);
	}
	fputc('\n', out);
	for (uint32_t k = 0; k < f->n_details; k++) {
		fputs("    ", out);
		xml_escape(out, f->details[k], false);
		fputc('\n', out);
	}
}

static void junit_case(FILE *out, const struct report_run *r,
		       const struct finding_list *l, const struct rule_table *t,
		       const struct junit_item *items,
		       const struct junit_case *c)
{
	const struct junit_item *it = &items[c->first];
	const struct finding *first = &l->v[it->finding];
	fputs("    <testcase classname=\"", out);
	xml_escape(out, t->v[it->rule].id, true);
	fputs("\" name=\"", out);
	xml_escape(out, it->resource ? it->resource : NO_RESOURCE, true);
	fputs("\" time=\"0\"", out);
	if (c->state == CASE_PASS) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n", out);
	if (c->state == CASE_FAIL) {
		/* The worst failing finding names the failure; the others
		 * are counted in its message and listed in full below. */
		const struct finding *worst = NULL;
		uint32_t n_fail = 0;
		for (uint32_t i = 0; i < c->n; i++) {
			const struct finding *f = &l->v[it[i].finding];
			if (!fails(r, f))
				continue;
			n_fail++;
			if (!worst || f->severity > worst->severity)
				worst = f;
		}
		fputs("      <failure message=\"", out);
		xml_escape(out, worst->message, true);
		if (n_fail > 1)
			fprintf(out, " (and %u more)", n_fail - 1);
		fprintf(out, "\" type=\"%s\">", severity_name(worst->severity));
		for (uint32_t i = 0; i < c->n; i++)
			junit_finding_text(out, &l->v[it[i].finding]);
		fputs("</failure>\n", out);
	} else {
		fputs("      <skipped message=\"suppressed: ", out);
		xml_escape(out, first->suppressed, true);
		fputs("\"/>\n", out);
	}
	fputs("    </testcase>\n", out);
}

/* The passing case of a rule with no finding shown. */
static void junit_clean_case(FILE *out, const struct rule_entry *e)
{
	fputs("    <testcase classname=\"", out);
	xml_escape(out, e->id, true);
	fputs("\" name=\"all resources\" time=\"0\"/>\n", out);
}

/* A property of a suite: name and value, escaped. */
static void junit_property(FILE *out, const char *name, const char *value)
{
	fputs("      <property name=\"", out);
	xml_escape(out, name, true);
	fputs("\" value=\"", out);
	xml_escape(out, value, true);
	fputs("\"/>\n", out);
}

static const char *fail_on_word(enum fail_on f)
{
	return f == FAIL_NEVER ? "never" : severity_name((enum severity)f);
}

/* One model's test suite. */
static void junit_suite(FILE *out, const struct report_run *r, size_t k)
{
	const struct report_model *md = &r->models[k];
	const struct finding_list *l = md->findings;
	struct rule_table t;
	table_build(&t, r, l);

	/* Group the findings shown into cases. */
	struct junit_item *items = xcalloc((size_t)l->n + 1, sizeof(*items));
	uint32_t n_items = 0;
	for (uint32_t i = 0; i < l->n; i++)
		if (shown(r, &l->v[i]))
			items[n_items++] =
			    (struct junit_item){table_find(&t, l->v[i].rule_id),
						l->v[i].resource, i};
	if (n_items)
		qsort(items, n_items, sizeof(*items), item_cmp);
	struct junit_case *cases = xcalloc((size_t)n_items + 1, sizeof(*cases));
	uint32_t n_cases = 0, tests = 0, failures = 0, skipped = 0;
	for (uint32_t i = 0; i < n_items;) {
		struct junit_case *c = &cases[n_cases++];
		c->first = i;
		bool any_fail = false, all_suppressed = true;
		for (; i < n_items && same_case(&items[c->first], &items[i]);
		     i++) {
			const struct finding *f = &l->v[items[i].finding];
			any_fail = any_fail || fails(r, f);
			all_suppressed = all_suppressed && f->suppressed;
		}
		c->n = i - c->first;
		c->state = any_fail	    ? CASE_FAIL
			   : all_suppressed ? CASE_SKIP
					    : CASE_PASS;
		failures += c->state == CASE_FAIL;
		skipped += c->state == CASE_SKIP;
	}
	tests = n_cases;
	for (uint32_t i = 0; i < t.n; i++)
		tests += t.v[i].n_shown == 0;

	fputs("  <testsuite name=\"", out);
	xml_escape(out, md->name, true);
	fprintf(out,
		"\" package=\"vpcsim\" id=\"%zu\" tests=\"%u\" "
		"failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"0\" "
		"timestamp=\"%s\" hostname=\"localhost\">\n",
		k, tests, failures, skipped,
		r->timestamp ? r->timestamp : "1970-01-01T00:00:00");
	fputs("    <properties>\n", out);
	junit_property(out, "vpcsim.version", VPCSIM_VERSION);
	for (size_t i = 0; i < md->n_files; i++)
		junit_property(out, "file", md->files[i]);
	junit_property(out, "fail-on", fail_on_word(r->fail_on));
	fputs("    </properties>\n", out);
	/* Cases are sorted by rule: walk the table and each rule's cases. */
	uint32_t c = 0;
	for (uint32_t i = 0; i < t.n; i++) {
		if (t.v[i].n_shown == 0)
			junit_clean_case(out, &t.v[i]);
		for (; c < n_cases && items[cases[c].first].rule == i; c++)
			junit_case(out, r, l, &t, items, &cases[c]);
	}
	/* Everything the model's text report says, in one place: what
	 * passed with findings (info, warnings under --fail-on), the
	 * suppressed and baselined counts. */
	fputs("    <system-out>", out);
	for (uint32_t i = 0; i < n_items; i++)
		junit_finding_text(out, &l->v[items[i].finding]);
	uint32_t cnt[SEV_COUNT], sup, base;
	report_findings_count(l, cnt, &sup, &base);
	fprintf(out,
		"%u error%s, %u warning%s, %u info, %u suppressed, %u in "
		"the baseline\n",
		cnt[SEV_ERROR], cnt[SEV_ERROR] == 1 ? "" : "s",
		cnt[SEV_WARNING], cnt[SEV_WARNING] == 1 ? "" : "s",
		cnt[SEV_INFO], sup, base);
	fputs("</system-out>\n", out);
	fputs("    <system-err/>\n", out);
	fputs("  </testsuite>\n", out);
	free(cases);
	free(items);
	free(t.v);
}

void report_run_junit(FILE *out, const struct report_run *r)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fputs("<testsuites>\n", out);
	for (size_t k = 0; k < r->n_models; k++)
		junit_suite(out, r, k);
	fputs("</testsuites>\n", out);
}

void report_findings_junit_rules(FILE *out, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs)
{
	struct report_model md;
	struct report_run r = one_model(&md, l, defs, n_defs);
	report_run_junit(out, &r);
}

void report_findings_junit(FILE *out, const struct finding_list *l)
{
	uint32_t n;
	const struct rule_def *defs = rules_builtin(&n);
	report_findings_junit_rules(out, l, defs, n);
}
