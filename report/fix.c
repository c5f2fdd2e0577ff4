/*
 * Fixes as text: the YAML snippet one pastes into a native model
 * (docs/model.md).  The changes of all the fixes given are grouped by
 * section, then object, then key, in the order they first come, so that
 * no key is written twice and the snippet is one valid document; a list
 * item is a flow mapping wrapped at item boundaries, which YAML reads the
 * same on one line or several.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "report/report.h"

/* Whether a value needs quotes to stay one plain scalar in a flow
 * mapping: IPv6 blocks (::/0), anything with YAML's indicators. */
static bool needs_quotes(const char *v)
{
	if (!*v || v[0] == ' ' || v[strlen(v) - 1] == ' ')
		return true;
	return strpbrk(v, ":#{}[],&*!|>'\"%@`") != NULL;
}

static void put_value(struct strbuf *b, const char *v)
{
	if (!needs_quotes(v)) {
		strbuf_printf(b, "%s", v);
		return;
	}
	strbuf_add(b, "\"", 1);
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_add(b, "\\", 1);
		strbuf_add(b, p, 1);
	}
	strbuf_add(b, "\"", 1);
}

/* A FIX_SET's value: its scalar, a whole list "[a, b]", or a whole
 * mapping "{a: b, c: d}" (a target group's health check). */
static void put_set(struct strbuf *b, const struct sim_fix_change *c)
{
	if (!c->list && c->n) {
		strbuf_add(b, "{", 1);
		for (uint32_t i = 0; i < c->n; i++) {
			strbuf_printf(b, "%s%s: ", i ? ", " : "", c->f[i].key);
			put_value(b, c->f[i].val);
		}
		strbuf_add(b, "}", 1);
		return;
	}
	if (!c->list) {
		put_value(b, c->scalar);
		return;
	}
	strbuf_add(b, "[", 1);
	for (uint32_t i = 0; i < c->n; i++) {
		if (i)
			strbuf_add(b, ", ", 2);
		put_value(b, c->f[i].val);
	}
	strbuf_add(b, "]", 1);
}

/* "- {a: b, c: d}" at indent, wrapped after a comma where a line would
 * pass width; continuation lines line up with the first key. */
static void put_item(struct strbuf *b, const struct sim_fix_change *c,
		     int indent, int width)
{
	strbuf_printf(b, "%*s- ", indent, "");
	if (!c->n) {
		put_value(b, c->scalar);
		if (c->op == FIX_REPLACE)
			strbuf_printf(b, "  # in place of %s", c->match);
		strbuf_add(b, "\n", 1);
		return;
	}
	int col = indent + 3;
	strbuf_add(b, "{", 1);
	for (uint32_t i = 0; i < c->n; i++) {
		struct strbuf one = {0};
		strbuf_printf(&one, "%s: ", c->f[i].key);
		put_value(&one, c->f[i].val);
		int len = (int)one.n + (i + 1 < c->n ? 1 : 1); /* , or } */
		if (i && col + 1 + len > width) {
			strbuf_printf(b, "\n%*s", indent + 3, "");
			col = indent + 3;
		} else if (i) {
			strbuf_add(b, " ", 1);
			col++;
		}
		strbuf_add(b, one.s, one.n);
		col += (int)one.n;
		strbuf_add(b, i + 1 < c->n ? "," : "}", 1);
		col++;
		strbuf_free(&one);
	}
	if (c->op == FIX_REPLACE) {
		/* YAML comments paste as they are: the reader knows which
		 * item goes. */
		char note[160];
		snprintf(note, sizeof(note), "# in place of the one for %s",
			 c->match);
		if (col + 2 + (int)strlen(note) > width)
			strbuf_printf(b, "\n%*s%s", indent + 2, "", note);
		else
			strbuf_printf(b, "  %s", note);
	}
	strbuf_add(b, "\n", 1);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

char *report_fix_yaml(const struct sim_fix *fixes, uint32_t n, int width)
{
	/* Every change, in order. */
	uint32_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += fixes[i].n;
	const struct sim_fix_change **ch =
	    xcalloc(total ? total : 1, sizeof(*ch));
	bool *done = xcalloc(total ? total : 1, sizeof(*done));
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < fixes[i].n; j++)
			ch[k++] = &fixes[i].ch[j];
	struct strbuf b = {0};
	/* Sections in order of first use; in each, objects; in each
	 * object, a new one's fields, then keys. */
	for (uint32_t s = 0; s < total; s++) {
		if (done[s])
			continue;
		const char *section = ch[s]->section;
		bool first_sec = true;
		for (uint32_t o = s; o < total; o++) {
			if (done[o] || !same(ch[o]->section, section))
				continue;
			const char *obj = ch[o]->object;
			if (first_sec)
				strbuf_printf(&b, "%s:\n", section);
			first_sec = false;
			strbuf_printf(&b, "  ");
			put_value(&b, obj);
			strbuf_printf(&b, ":\n");
			for (uint32_t x = o; x < total; x++) {
				if (done[x] || ch[x]->op != FIX_NEW ||
				    !same(ch[x]->section, section) ||
				    strcmp(ch[x]->object, obj))
					continue;
				done[x] = true;
				for (uint32_t i = 0; i < ch[x]->n; i++) {
					strbuf_printf(
					    &b, "    %s: ", ch[x]->f[i].key);
					put_value(&b, ch[x]->f[i].val);
					strbuf_add(&b, "\n", 1);
				}
			}
			for (uint32_t x = o; x < total; x++) {
				if (done[x] || !same(ch[x]->section, section) ||
				    strcmp(ch[x]->object, obj))
					continue;
				const char *key = ch[x]->key;
				if (ch[x]->op == FIX_SET) {
					done[x] = true;
					strbuf_printf(&b, "    %s: ", key);
					put_set(&b, ch[x]);
					strbuf_add(&b, "\n", 1);
					continue;
				}
				strbuf_printf(&b, "    %s:\n", key);
				for (uint32_t y = x; y < total; y++) {
					if (done[y] ||
					    !same(ch[y]->section, section) ||
					    strcmp(ch[y]->object, obj) ||
					    !same(ch[y]->key, key) ||
					    ch[y]->op == FIX_SET)
						continue;
					done[y] = true;
					put_item(&b, ch[y], 6, width);
				}
			}
		}
	}
	free(ch);
	free(done);
	return b.s ? b.s : xstrdup("");
}
