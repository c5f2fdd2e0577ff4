/*
 * Findings: an array the rules and policies append to, each with its
 * location, fingerprint and the traces it quotes; suppressions (the one
 * owner of what a suppression means, for every input format); baselines;
 * and what code scanning is told of each rule (security-severity, tags).
 * Shared by both rule families and the policy evaluator, so it sits
 * below them and knows none of them (policies only by their ids).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/file.h"
#include "base/util.h"
#include "rules/policy/policy_impl.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_ERROR:
		return "error";
	}
	return "error";
}

int fail_on_parse(enum fail_on *out, const char *s)
{
	static const char *const words[] = {
	    [FAIL_ON_INFO] = "info",
	    [FAIL_ON_WARNING] = "warning",
	    [FAIL_ON_ERROR] = "error",
	    [FAIL_NEVER] = "never",
	};
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(s, words[i])) {
			*out = (enum fail_on)i;
			return 0;
		}
	return -1;
}

/* ---- findings ------------------------------------------------------------ */

static struct finding *push(struct finding_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct finding *f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

struct finding *finding_new(struct finding_list *l, const struct model *m,
			    const char *rule_id, const char *rule_name,
			    enum severity sev, enum model_kind kind,
			    uint32_t index, const char *key)
{
	struct finding *f = push(l);
	f->rule_id = rule_id;
	f->rule_name = rule_name;
	f->severity = sev;
	f->kind = kind;
	f->index = index;
	if (kind < MK_KIND_COUNT) {
		const struct model_obj *o = model_object(m, kind, index);
		f->resource = o->id;
		f->loc = o->loc;
	} else {
		f->loc.file = m->file;
	}
	size_t n = strlen(rule_id) + (f->resource ? strlen(f->resource) : 1) +
		   (key ? strlen(key) : 0) + 3;
	f->fingerprint = xmalloc(n);
	snprintf(f->fingerprint, n, "%s|%s|%s", rule_id,
		 f->resource ? f->resource : "-", key ? key : "");
	return f;
}

struct finding *finding_add(struct rule_ctx *ctx, const struct rule_def *def,
			    enum severity sev, enum model_kind kind,
			    uint32_t index, const char *key, const char *fmt,
			    ...)
{
	struct finding *f = finding_new(ctx->out, ctx->m, def->id, def->name,
					sev, kind, index, key);
	f->rule = def;
	va_list ap;
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
	return f;
}

void finding_detail(struct finding *f, const char *fmt, ...)
{
	f->details =
	    xreallocarray(f->details, f->n_details + 1, sizeof(*f->details));
	va_list ap;
	va_start(ap, fmt);
	f->details[f->n_details++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void finding_trace(struct finding *f, const char *title,
		   const struct sim_trace *t)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->n; i++)
		n += t->steps[i].kind != SK_NOTE;
	if (!n)
		return;
	f->flows = xreallocarray(f->flows, f->n_flows + 1, sizeof(*f->flows));
	struct finding_flow *fl = &f->flows[f->n_flows++];
	fl->title = xstrdup(title);
	fl->steps = xcalloc(n, sizeof(*fl->steps));
	fl->n_steps = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sim_step *st = &t->steps[i];
		if (st->kind == SK_NOTE)
			continue;
		fl->steps[fl->n_steps++] = (struct finding_step){
		    xstrdup(st->text), st->loc, st->block != BLK_NONE};
	}
}

void finding_at(struct finding *f, struct src_loc loc)
{
	if (loc.line && loc.file)
		f->loc = loc;
}

void finding_sg_rule_key(char *buf, size_t size, const struct model *m,
			 const struct model_sg_rule *r, bool egress)
{
	const struct model_match *mt = &r->match;
	char what[48], peer[160];
	switch (mt->proto) {
	case PROTO_ALL:
		snprintf(what, sizeof(what), "all");
		break;
	case PROTO_TCP:
	case PROTO_UDP:
		if (mt->port_lo == mt->port_hi)
			snprintf(what, sizeof(what), "%s:%u",
				 proto_name(mt->proto), mt->port_lo);
		else
			snprintf(what, sizeof(what), "%s:%u-%u",
				 proto_name(mt->proto), mt->port_lo,
				 mt->port_hi);
		break;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		snprintf(what, sizeof(what), "%s:%d/%d", proto_name(mt->proto),
			 mt->icmp_type, mt->icmp_code);
		break;
	default:
		snprintf(what, sizeof(what), "proto-%u", mt->proto_number);
		break;
	}
	switch (r->peer_kind) {
	case PEER_GROUP:
		snprintf(peer, sizeof(peer), "sg=%s",
			 m->groups[r->peer].obj.id);
		break;
	case PEER_PREFIX_LIST:
		snprintf(peer, sizeof(peer), "pl=%s",
			 m->prefix_lists[r->peer].obj.id);
		break;
	default:
		model_sg_peer_format(peer, sizeof(peer), m, r);
		break;
	}
	snprintf(buf, size, "%s:%s:%s", egress ? "egress" : "ingress", what,
		 peer);
}

void findings_free(struct finding_list *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		free(f->message);
		free(f->fingerprint);
		for (uint32_t k = 0; k < f->n_details; k++)
			free(f->details[k]);
		free(f->details);
		for (uint32_t k = 0; k < f->n_flows; k++) {
			for (uint32_t s = 0; s < f->flows[k].n_steps; s++)
				free(f->flows[k].steps[s].text);
			free(f->flows[k].steps);
			free(f->flows[k].title);
		}
		free(f->flows);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool finding_active(const struct finding *f)
{
	return !f->suppressed && !f->baselined;
}

/* ---- suppressions ------------------------------------------------------- */

/* Whether entry e covers finding f: written on its object, or on the
 * lines of the file it is located in (a finding with no line of its own
 * only by a whole file's). */
static bool covers(const struct model_suppress *e, const struct finding *f)
{
	if (e->kind < MK_KIND_COUNT && f->kind == e->kind &&
	    f->index == e->index)
		return true;
	if (!e->last || !e->loc.file || !f->loc.file ||
	    strcmp(e->loc.file, f->loc.file))
		return false;
	if (!f->loc.line)
		return e->first <= 1 && e->last == UINT32_MAX;
	return f->loc.line >= e->first && f->loc.line <= e->last;
}

void findings_suppress_at(struct finding_list *l, const struct model *m,
			  const char *today)
{
	for (uint32_t i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		const struct model_suppress *expired = NULL;
		for (uint32_t k = 0; k < m->n_suppress && !f->suppressed; k++) {
			const struct model_suppress *e = &m->suppress[k];
			if ((strcmp(e->rule, f->rule_id) &&
			     strcmp(e->rule, f->rule_name)) ||
			    !covers(e, f))
				continue;
			/* Trivy's exp: the date itself is past it. */
			if (e->until && strcmp(today, e->until) >= 0)
				expired = expired ? expired : e;
			else
				f->suppressed = e->reason;
		}
		if (!f->suppressed && expired)
			finding_detail(f,
				       "a suppression of %s expired on %s "
				       "(%s:%u:%u: %s): active again",
				       expired->rule, expired->until,
				       expired->loc.file ? expired->loc.file
							 : "-",
				       expired->loc.line, expired->loc.col,
				       expired->reason);
	}
}

void findings_today(char *buf)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

void findings_suppress(struct finding_list *l, const struct model *m)
{
	char today[16];
	findings_today(today);
	findings_suppress_at(l, m, today);
}

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->loc.file ? x->loc.file : "",
		       y->loc.file ? y->loc.file : "");
	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	c = strcmp(x->rule_id, y->rule_id);
	if (c)
		return c;
	return strcmp(x->fingerprint, y->fingerprint);
}

void findings_sort(struct finding_list *l)
{
	if (l->n < 2)
		return; /* qsort(NULL, 0) is undefined */
	qsort(l->v, l->n, sizeof(*l->v), finding_cmp);
}

/* ---- baselines ---------------------------------------------------------- */

/* The entry of a baseline line: '#' comments and blank lines are none;
 * blanks around it (and a CRLF's CR) are not part of it. */
static char *baseline_entry(char *line)
{
	line += strspn(line, " \t");
	size_t n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		     line[n - 1] == '\r'))
		line[--n] = '\0';
	return *line && *line != '#' ? line : NULL;
}

int findings_apply_baseline_n(struct finding_list *const *l, size_t n,
			      const char *path, struct diag_list *diags)
{
	char *buf;
	size_t len;
	if (file_read_text(&buf, &len, path, diags))
		return -1;
	uint32_t lineno = 0;
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *entry = baseline_entry(line);
		bool hit = false;
		for (size_t k = 0; entry && k < n; k++)
			for (uint32_t i = 0; i < l[k]->n; i++)
				if (!strcmp(l[k]->v[i].fingerprint, entry)) {
					l[k]->v[i].baselined = true;
					hit = true;
				}
		if (entry && !hit)
			diag_add(diags, DIAG_NOTE, path, lineno,
				 (uint32_t)(entry - line) + 1,
				 "baseline entry '%s' matches no finding "
				 "(fixed, or its resource renamed): remove it, "
				 "or rewrite the baseline with "
				 "--write-baseline",
				 entry);
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	return 0;
}

int findings_apply_baseline(struct finding_list *l, const char *path,
			    struct diag_list *diags)
{
	return findings_apply_baseline_n(&l, 1, path, diags);
}

/* ---- what code scanning is told of a rule ------------------------------- */

/*
 * GitHub maps security-severity to a label: 9.0 and above critical, 7.0
 * high, 4.0 medium, below low.  The scores, and why (docs/check.md says
 * the same):
 *   critical  a database the internet reaches: the data itself is one
 *             connection away;
 *   high      a login or database port reached from the internet, a
 *             target reached around its load balancer (its TLS, WAF and
 *             logs bypassed), a change that newly exposes something;
 *   medium    exposure one change away (a database set up to be public,
 *             in the default VPC), cleartext HTTP to the internet;
 *   low       availability (what breaks a service but opens nothing),
 *             blind spots (what vpcsim could not analyse), hygiene.
 * Every rule is tagged "security" (GitHub reads security-severity only on
 * such rules), "network", and its family; exposure rules carry the CWE.
 */
struct rule_meta {
	const char *id, *score;
	const char *const *tags;
};

#define TAGS(...)                                                              \
	((const char *const[]){"security", "network", __VA_ARGS__, NULL})

static const struct rule_meta rule_meta[] = {
    {"VS001", "9.1", TAGS("exposure", "external/cwe/cwe-284")},
    {"VS002", "5.3", TAGS("exposure", "external/cwe/cwe-284")},
    {"VS003", "7.5", TAGS("exposure", "external/cwe/cwe-284")},
    {"VS004", "8.8", TAGS("exposure", "external/cwe/cwe-284")},
    {"VS005", "3.5", TAGS("availability")},
    {"VS006", "3.0", TAGS("availability")},
    {"VS007", "3.0", TAGS("availability")},
    {"VS008", "3.0", TAGS("availability")},
    {"VS009", "3.0", TAGS("availability")},
    {"VS010", "2.0", TAGS("availability")},
    {"VS011", "2.0", TAGS("availability")},
    {"VS012", "2.0", TAGS("availability")},
    {"VS013", "5.3", TAGS("exposure", "external/cwe/cwe-319")},
    {"VS014", "1.0", TAGS("hygiene")},
    {"VS015", "1.0", TAGS("hygiene")},
    {"VS016", "1.0", TAGS("hygiene")},
    {"VS017", "3.9", TAGS("exposure", "external/cwe/cwe-284")},
    {"VS018", "3.0", TAGS("completeness")},
    {"VS019", "2.0", TAGS("availability")},
    {"VS020", "3.0", TAGS("completeness")},
    {"VS024", "5.0", TAGS("exposure", "external/cwe/cwe-284")},
    {"VD001", "7.5", TAGS("exposure", "change", "external/cwe/cwe-284")},
    {"VD002", "3.5", TAGS("availability", "change")},
};

static const struct rule_meta *meta_of(const char *id)
{
	for (size_t i = 0; i < ARRAY_LEN(rule_meta); i++)
		if (!strcmp(rule_meta[i].id, id))
			return &rule_meta[i];
	return NULL;
}

const char *rule_security_severity(const char *id, enum severity sev)
{
	const struct rule_meta *r = meta_of(id);
	if (r)
		return r->score;
	return sev == SEV_ERROR ? "7.5" : sev == SEV_WARNING ? "5.0" : "2.0";
}

const char *const *rule_tags(const char *id)
{
	const struct rule_meta *r = meta_of(id);
	return r ? r->tags : NULL;
}
