/*
 * Reading a composed YAML document under one set of rules (base/ykit.h):
 * scalars, mappings with a fixed set of keys and merge keys, and
 * diagnostics at the node they are about.
 *
 * A reader keeps two open-addressing tables, both sized to a power of
 * two and at most half full: the diagnostics it reported (indexes into
 * diags->v, plus one, hashed by position and text), so that a node
 * reached again through an alias or a merge key reports nothing new; and
 * the keys it took an unknown key for (hashed by mapping and key), so
 * that a misspelt key is not reported a second time as a missing one.
 * Both are linear in what is reported, however many objects a file has.
 */
#include "base/ykit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ---- looking at nodes ---------------------------------------------------- */

struct ydoc_node *ykit_node(const struct ydoc *doc, int id)
{
	return ydoc_node(doc, id);
}

void ykit_pos(const struct ydoc_node *n, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)n->start_mark.line + 1;
	*col = (uint32_t)n->start_mark.column + 1;
}

bool ykit_is_null(const struct ydoc_node *n)
{
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null");
}

bool ykit_is_empty(const struct ydoc_node *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       (ykit_is_null(n) || !n->data.scalar.length);
}

const char *ykit_type_name(const struct ydoc_node *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return ykit_is_null(n) ? "an empty value" : "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

const char *ykit_value_name(const struct ydoc_node *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a string";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

const char *ykit_text(const struct ydoc_node *n)
{
	return n && n->type == YAML_SCALAR_NODE
		   ? (const char *)n->data.scalar.value
		   : NULL;
}

size_t ykit_seq_len(const struct ydoc_node *n)
{
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

struct ydoc_node *ykit_seq_item(const struct ydoc *doc,
				const struct ydoc_node *n, size_t i)
{
	return ykit_node(doc, n->data.sequence.items.start[i]);
}

struct ydoc_node *ykit_map_get(const struct ydoc *doc,
			       const struct ydoc_node *map, const char *key,
			       struct ydoc_node **keynode)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = ykit_node(doc, p->key);
		const char *s = ykit_text(k);
		if (s && !strcmp(s, key)) {
			if (keynode)
				*keynode = k;
			return ykit_node(doc, p->value);
		}
	}
	return NULL;
}

/* ---- a reader: diagnostics ----------------------------------------------- */

struct ykit_suggestion {
	const struct ydoc_node *map;
	const char *key; /* NULL: a free slot */
};

void ykit_init(struct ykit *R, const struct ydoc *doc, const char *file,
	       struct diag_list *diags)
{
	memset(R, 0, sizeof(*R));
	R->doc = doc;
	R->file = file;
	R->diags = diags;
}

void ykit_fini(struct ykit *R)
{
	if (!R)
		return;
	free(R->seen);
	free(R->sugg);
	R->seen = NULL;
	R->sugg = NULL;
	R->seen_cap = R->seen_n = R->sugg_cap = R->sugg_n = 0;
}

static uint64_t diag_hash(uint32_t line, uint32_t col, const char *msg)
{
	/* FNV-1a over the line, column and text; the final fold brings
	 * high bits down, which a table index needs (the line sat there
	 * unmixed once, and a hundred thousand errors in one column took
	 * a minute). */
	uint64_t h = 1469598103934665603u;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((line >> (8 * i)) & 0xFF)) * 1099511628211u;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((col >> (8 * i)) & 0xFF)) * 1099511628211u;
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h ^ (h >> 29);
}

static void seen_grow(struct ykit *R)
{
	size_t cap = R->seen_cap ? 2 * R->seen_cap : 64;
	size_t *fresh = xcalloc(cap, sizeof(*fresh));
	for (size_t i = 0; i < R->seen_cap; i++) {
		if (!R->seen[i])
			continue;
		const struct diag *d = &R->diags->v[R->seen[i] - 1];
		size_t j = diag_hash(d->line, d->col, d->message) & (cap - 1);
		while (fresh[j])
			j = (j + 1) & (cap - 1);
		fresh[j] = R->seen[i];
	}
	free(R->seen);
	R->seen = fresh;
	R->seen_cap = cap;
}

/* Whether the same message at the same position was reported already;
 * records it, as the diagnostic about to be added, if not. */
static bool seen_before(struct ykit *R, uint32_t line, uint32_t col,
			const char *msg)
{
	if (2 * (R->seen_n + 1) > R->seen_cap)
		seen_grow(R);
	size_t j = diag_hash(line, col, msg) & (R->seen_cap - 1);
	for (; R->seen[j]; j = (j + 1) & (R->seen_cap - 1)) {
		const struct diag *d = &R->diags->v[R->seen[j] - 1];
		if (d->line == line && d->col == col &&
		    !strcmp(d->message, msg))
			return true;
	}
	R->seen[j] = R->diags->n + 1;
	R->seen_n++;
	return false;
}

__attribute__((format(printf, 4, 0))) static void
report(struct ykit *R, enum diag_severity sev, const struct ydoc_node *n,
       const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	uint32_t line = 0, col = 0;
	if (n)
		ykit_pos(n, &line, &col);
	if (seen_before(R, line, col, buf))
		return;
	diag_add(R->diags, sev, R->file, line, col, "%s", buf);
}

void ykit_err(struct ykit *R, const struct ydoc_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(R, DIAG_ERROR, n, fmt, ap);
	va_end(ap);
}

void ykit_warn(struct ykit *R, const struct ydoc_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(R, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

/* ---- a reader: scalars --------------------------------------------------- */

/* Whether tag is one of YAML's core tags other than !!binary: text. */
static bool core_tag(const char *tag)
{
	return !tag || (strncmp(tag, "tag:yaml.org,2002:", 18) == 0 &&
			strcmp(tag + 18, "binary") != 0);
}

const char *ykit_clean_text(const struct ydoc_node *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || !core_tag(n->tag) ||
	    strlen(n->data.scalar.value) != n->data.scalar.length)
		return NULL;
	return n->data.scalar.value;
}

const char *ykit_scalar(struct ykit *R, const struct ydoc_node *n,
			const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		ykit_err(R, n, "%s must be a scalar, not %s", what,
			 ykit_type_name(n));
		return NULL;
	}
	/* libyaml NUL-terminates scalars; a shorter strlen means the text
	 * holds a NUL byte. */
	const char *s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		ykit_err(R, n, "%s contains a NUL byte", what);
		return NULL;
	}
	/* A tag of its own (!Ref, !!binary) would change what the value
	 * means; read as plain text it would mean something else, so it is
	 * refused rather than ignored.  YAML's core tags (!!str) are text. */
	const char *tag = n->tag;
	if (!core_tag(tag)) {
		ykit_err(R, n,
			 "%s has the tag '%s', which a vpcsim model does not "
			 "support",
			 what, tag);
		return NULL;
	}
	return s;
}

/* ---- a reader: mappings with a fixed set of keys ------------------------- */

/* What ykit_take_keys was asked for. */
struct keyset {
	const char *what;
	const char *const *keys;
	size_t n;
	const struct ykit_misplaced *mis;
	size_t n_mis;
};

static size_t sugg_slot(const struct ykit *R, const struct ydoc_node *map,
			const char *key)
{
	uint64_t h = (uint64_t)(uintptr_t)map * 0x9E3779B97F4A7C15u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	size_t j = (size_t)(h ^ h >> 32) & (R->sugg_cap - 1);
	while (R->sugg[j].key &&
	       (R->sugg[j].map != map || strcmp(R->sugg[j].key, key)))
		j = (j + 1) & (R->sugg_cap - 1);
	return j;
}

static void suggest(struct ykit *R, const struct ydoc_node *map,
		    const char *key)
{
	if (2 * (R->sugg_n + 1) > R->sugg_cap) {
		struct ykit_suggestion *old = R->sugg;
		size_t old_cap = R->sugg_cap;
		R->sugg_cap = old_cap ? 2 * old_cap : 64;
		R->sugg = xcalloc(R->sugg_cap, sizeof(*R->sugg));
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				R->sugg[sugg_slot(R, old[i].map, old[i].key)] =
				    old[i];
		free(old);
	}
	size_t j = sugg_slot(R, map, key);
	if (!R->sugg[j].key) {
		R->sugg[j] = (struct ykit_suggestion){map, key};
		R->sugg_n++;
	}
}

bool ykit_suggested(const struct ykit *R, const struct ydoc_node *map,
		    const char *key)
{
	return R->sugg_cap && R->sugg[sugg_slot(R, map, key)].key;
}

void ykit_need(struct ykit *R, const struct ydoc_node *map,
	       const struct ydoc_node *val, const char *key, const char *what)
{
	if (!val && !ykit_suggested(R, map, key))
		ykit_err(R, map, "missing required key '%s' in %s", key, what);
}

static size_t key_index(const struct keyset *ks, const char *key)
{
	size_t i;
	for (i = 0; i < ks->n; i++)
		if (!strcmp(key, ks->keys[i]))
			break;
	return i;
}

/* An unknown key k (text s) of map: misplaced, misspelt, or neither. */
static void unknown_key(struct ykit *R, const struct ydoc_node *map,
			const struct ydoc_node *k, const char *s,
			const struct keyset *ks)
{
	for (size_t j = 0; j < ks->n_mis; j++)
		if (!strcmp(s, ks->mis[j].key)) {
			ykit_err(R, k, "'%s' %s", s, ks->mis[j].note);
			return;
		}
	const char *near = util_closest(s, ks->keys, ks->n);
	if (near) {
		ykit_err(R, k, "unknown key '%s' in %s (did you mean '%s'?)", s,
			 ks->what, near);
		suggest(R, map, near);
	} else {
		ykit_err(R, k, "unknown key '%s' in %s", s, ks->what);
	}
}

/* The first pass: map's own keys, merge keys left for the second. */
static void take_own(struct ykit *R, const struct ydoc_node *map,
		     const struct keyset *ks, struct ydoc_node **vals,
		     struct ydoc_node **keynodes)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = ykit_node(R->doc, p->key);
		const char *s = ykit_scalar(R, k, "a key");
		if (!s || !strcmp(s, "<<"))
			continue;
		size_t i = key_index(ks, s);
		if (i == ks->n) {
			unknown_key(R, map, k, s, ks);
		} else if (vals[i]) {
			uint32_t line, col;
			ykit_pos(keynodes[i], &line, &col);
			ykit_err(R, k,
				 "key '%s' repeated in %s (first at %u:%u)", s,
				 ks->what, line, col);
		} else {
			vals[i] = ykit_node(R->doc, p->value);
			keynodes[i] = k;
		}
	}
}

/* The mappings a merge key's value v names: v, or the items of a list
 * of them (at most max; more is an error, not silently fewer). */
static size_t merge_sources(struct ykit *R, struct ydoc_node *v,
			    struct ydoc_node **srcs, size_t max)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		srcs[0] = v;
		return 1;
	}
	size_t n = 0;
	struct ydoc_node *e;
	YKIT_SEQ_EACH(R->doc, v, e)
	{
		if (n == max)
			break;
		srcs[n++] = e;
	}
	if (ykit_seq_len(v) > max)
		ykit_err(R, v, "a merge key (<<) takes at most %zu mappings",
			 max);
	return n;
}

/* The keys of one merge source that the mapping has not set. */
static void take_from_source(struct ykit *R, const struct ydoc_node *src,
			     const struct keyset *ks, struct ydoc_node **vals,
			     struct ydoc_node **keynodes)
{
	if (src->type != YAML_MAPPING_NODE) {
		ykit_err(R, src, "a merge key (<<) needs a mapping, not %s",
			 ykit_type_name(src));
		return;
	}
	for (yaml_node_pair_t *q = src->data.mapping.pairs.start;
	     q < src->data.mapping.pairs.top; q++) {
		struct ydoc_node *qk = ykit_node(R->doc, q->key);
		const char *s = ykit_scalar(R, qk, "a key");
		if (!s)
			continue;
		size_t i = key_index(ks, s);
		if (i < ks->n && !vals[i]) {
			vals[i] = ykit_node(R->doc, q->value);
			keynodes[i] = qk;
		}
	}
}

/* The second pass: each merge key of map, in order. */
static void take_merged(struct ykit *R, const struct ydoc_node *map,
			const struct keyset *ks, struct ydoc_node **vals,
			struct ydoc_node **keynodes)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = ykit_node(R->doc, p->key);
		const char *s = ykit_scalar(R, k, "a key");
		if (!s || strcmp(s, "<<"))
			continue;
		struct ydoc_node *srcs[64];
		size_t n = merge_sources(R, ykit_node(R->doc, p->value), srcs,
					 ARRAY_LEN(srcs));
		for (size_t i = 0; i < n; i++)
			take_from_source(R, srcs[i], ks, vals, keynodes);
	}
}

bool ykit_take_keys_mis(struct ykit *R, const struct ydoc_node *map,
			const char *what, const char *const *keys, size_t nkeys,
			const struct ykit_misplaced *mis, size_t n_mis,
			struct ydoc_node **vals, struct ydoc_node **keynodes)
{
	struct ydoc_node *own_keynodes[YKIT_MAX_KEYS];
	const struct keyset ks = {what, keys, nkeys, mis, n_mis};
	if (nkeys > YKIT_MAX_KEYS)
		abort();
	if (!keynodes)
		keynodes = own_keynodes;
	for (size_t i = 0; i < nkeys; i++)
		vals[i] = keynodes[i] = NULL;
	if (map->type != YAML_MAPPING_NODE) {
		ykit_err(R, map, "%s must be a mapping, not %s", what,
			 ykit_type_name(map));
		return false;
	}
	take_own(R, map, &ks, vals, keynodes);
	take_merged(R, map, &ks, vals, keynodes);
	return true;
}

bool ykit_take_keys(struct ykit *R, const struct ydoc_node *map,
		    const char *what, const char *const *keys, size_t nkeys,
		    struct ydoc_node **vals, struct ydoc_node **keynodes)
{
	return ykit_take_keys_mis(R, map, what, keys, nkeys, NULL, 0, vals,
				  keynodes);
}

struct ydoc_node *ykit_peek(const struct ydoc *doc, const struct ydoc_node *map,
			    const char *key)
{
	struct ydoc_node *v = ykit_map_get(doc, map, key, NULL);
	if (v || !map || map->type != YAML_MAPPING_NODE)
		return v;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *s = ykit_text(ykit_node(doc, p->key));
		if (!s || strcmp(s, "<<"))
			continue;
		struct ydoc_node *m = ykit_node(doc, p->value);
		size_t n = m->type == YAML_SEQUENCE_NODE ? ykit_seq_len(m) : 1;
		for (size_t i = 0; i < n && i < 64; i++) {
			struct ydoc_node *src = m->type == YAML_SEQUENCE_NODE
						    ? ykit_seq_item(doc, m, i)
						    : m;
			if ((v = ykit_map_get(doc, src, key, NULL)))
				return v;
		}
	}
	return NULL;
}

/* ---- handing a part of a document on ------------------------------------- */

void ykit_section_free(struct ykit_section *s)
{
	if (!s)
		return;
	ydoc_free(&s->doc);
	free(s->file);
	free(s);
}
