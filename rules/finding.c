/*
 * Findings: an array the rules and policies append to, each with its
 * location and fingerprint; suppressions from the model; baselines.
 * Shared by both rule families and the policy evaluator, so it sits
 * below them and knows none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/util.h"
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
	if (file_read_text(&buf, &len, path, diags))
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
