/*
 * The rule framework: the registry of built-in rules, the shared context,
 * findings (an array the rules append to), suppressions and baselines.
 *
 * Built-in rules live in two tables, one per family (reach_rules.c:
 * rules that read reachability; config_rules.c: rules that read the
 * model's structure), each sorted by id; rules_builtin merges them once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/util.h"
#include "rules.h"
#include "rules_impl.h"

/* ---- registry ----------------------------------------------------------- */

static const struct rule_def *all_rules[64];
static uint32_t n_all;

static int def_cmp(const void *a, const void *b)
{
	const struct rule_def *x = *(const struct rule_def *const *)a;
	const struct rule_def *y = *(const struct rule_def *const *)b;
	return strcmp(x->id, y->id);
}

static void registry_init(void)
{
	if (n_all)
		return;
	uint32_t na, nb;
	const struct rule_def *a = rules_reach_defs(&na);
	const struct rule_def *b = rules_config_defs(&nb);
	for (uint32_t i = 0; i < na && n_all < ARRAY_LEN(all_rules); i++)
		all_rules[n_all++] = &a[i];
	for (uint32_t i = 0; i < nb && n_all < ARRAY_LEN(all_rules); i++)
		all_rules[n_all++] = &b[i];
	qsort(all_rules, n_all, sizeof(*all_rules), def_cmp);
}

const struct rule_def *rules_builtin(uint32_t *n)
{
	registry_init();
	*n = n_all;
	/* The caller walks an array of defs: hand out pointers in order by
	 * copying into a static array of structs once. */
	static struct rule_def sorted[ARRAY_LEN(all_rules)];
	static bool copied;
	if (!copied) {
		for (uint32_t i = 0; i < n_all; i++)
			sorted[i] = *all_rules[i];
		copied = true;
	}
	return sorted;
}

const struct rule_def *rules_find(const char *id_or_name)
{
	registry_init();
	for (uint32_t i = 0; i < n_all; i++)
		if (!strcmp(all_rules[i]->id, id_or_name) ||
		    !strcmp(all_rules[i]->name, id_or_name))
			return all_rules[i];
	return NULL;
}

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

int severity_parse(const char *s)
{
	if (!strcmp(s, "info"))
		return SEV_INFO;
	if (!strcmp(s, "warning"))
		return SEV_WARNING;
	if (!strcmp(s, "error"))
		return SEV_ERROR;
	if (!strcmp(s, "never"))
		return 3;
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

void findings_free(struct finding_list *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->n; i++) {
		free(l->v[i].message);
		free(l->v[i].fingerprint);
		for (uint32_t k = 0; k < l->v[i].n_details; k++)
			free(l->v[i].details[k]);
		free(l->v[i].details);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool finding_active(const struct finding *f)
{
	return !f->suppressed && !f->baselined;
}

void findings_suppress(struct finding_list *l, const struct model *m)
{
	for (uint32_t i = 0; i < l->n; i++) {
		struct finding *f = &l->v[i];
		if (f->kind >= MK_KIND_COUNT)
			continue;
		const struct model_obj *o = model_object(m, f->kind, f->index);
		for (uint32_t k = 0; k < o->n_suppress_rules; k++)
			if (!strcmp(o->suppress_rules[k], f->rule_id) ||
			    !strcmp(o->suppress_rules[k], f->rule_name))
				f->suppressed = o->suppress_reason;
	}
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

/* ---- baselines -------------------------------------------------------------
 */

int findings_apply_baseline(struct finding_list *l, const char *path,
			    struct diag_list *diags)
{
	char *buf;
	size_t len;
	if (model_read_text(&buf, &len, path, diags))
		return -1;
	/* One fingerprint a line; '#' starts a comment line. */
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[ll - 1] = '\0'; /* a baseline saved with CRLF */
		if (*line && *line != '#')
			for (uint32_t i = 0; i < l->n; i++)
				if (!strcmp(l->v[i].fingerprint, line))
					l->v[i].baselined = true;
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	return 0;
}

int findings_write_baseline(const struct finding_list *l, const char *path,
			    struct diag_list *diags)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "cannot write the "
			 "baseline");
		return -1;
	}
	fputs("# vpcsim baseline: one finding a line (rule|resource|key); "
	      "findings listed here are not reported.\n",
	      f);
	for (uint32_t i = 0; i < l->n; i++)
		if (!l->v[i].suppressed)
			fprintf(f, "%s\n", l->v[i].fingerprint);
	int rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "cannot write the "
			 "baseline");
	return rc;
}

/* ---- running ----------------------------------------------------------------
 */

void rule_ctx_init(struct rule_ctx *ctx, const struct model *m,
		   struct finding_list *out)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->m = m;
	ctx->out = out;
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ctx->s = s;
	ctx->ix = ix;
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	snprintf(inet.name, sizeof(inet.name), "internet");
	reach_from(&ctx->exposure_tcp, ix, &inet, PROTO_TCP, false);
	reach_from(&ctx->exposure_udp, ix, &inet, PROTO_UDP, false);
}

void rule_ctx_free(struct rule_ctx *ctx)
{
	reach_table_free(&ctx->exposure_tcp);
	reach_table_free(&ctx->exposure_udp);
	reach_index_free((struct reach_index *)ctx->ix);
	sim_free((struct sim *)ctx->s);
	memset(ctx, 0, sizeof(*ctx));
}

static bool listed(const char *const *v, uint32_t n, const struct rule_def *d)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(v[i], d->id) || !strcmp(v[i], d->name))
			return true;
	return false;
}

bool rules_selected(const struct rule_options *opt, const struct rule_def *d)
{
	if (opt && opt->n_only && !listed(opt->only, opt->n_only, d))
		return false;
	return !(opt && listed(opt->skip, opt->n_skip, d));
}

void rules_run_ctx(struct rule_ctx *ctx, const struct rule_options *opt)
{
	registry_init();
	for (uint32_t i = 0; i < n_all; i++) {
		const struct rule_def *d = all_rules[i];
		if (rules_selected(opt, d))
			d->run(ctx, d);
	}
}

void rules_run(struct finding_list *out, const struct model *m,
	       const struct rule_options *opt)
{
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, out);
	rules_run_ctx(&ctx, opt);
	rule_ctx_free(&ctx);
	findings_suppress(out, m);
}
