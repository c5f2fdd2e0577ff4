/*
 * YAML and JSON documents, read within limits: libyaml's parser under a
 * composer of our own that bounds what a hostile file can make us do
 * (docs/robustness.md), with libyaml's errors turned into diagnostics at
 * the right line and column.  Every loader and the policy loader parse
 * through here, so one file is read under one set of rules.  The
 * document is ours (base/ydoc.h): an array of 48-byte nodes and chunks
 * of text and item lists, freed at once by ydoc_free.
 */
#include "base/ydoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ---- the document's chunks -------------------------------------------
 *
 * Texts and item lists of a document live in chunks of at least
 * CHUNK_SIZE bytes, allocated one after the other and freed together:
 * a text costs its bytes and its NUL, a list 4 bytes an item, where a
 * heap block each would cost 16 to 32 more.
 */

#define CHUNK_SIZE ((size_t)1 << 20)

struct ydoc_chunk {
	struct ydoc_chunk *next;
	size_t size;
	_Alignas(8) unsigned char mem[];
};

/* n bytes aligned to 4 (items and pairs are ints), in doc's chunks. */
static void *chunk_alloc(struct ydoc *doc, size_t n)
{
	size_t at = (doc->chunk_used + 3) & ~(size_t)3;
	if (!doc->chunks || at + n > doc->chunks->size) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		struct ydoc_chunk *c = xmalloc(sizeof(*c) + size);
		c->next = doc->chunks;
		c->size = size;
		doc->chunks = c;
		at = 0;
	}
	doc->chunk_used = at + n;
	return doc->chunks->mem + at;
}

struct ydoc_node *ydoc_node(const struct ydoc *doc, int id)
{
	if (id > 0 && doc->nodes.start &&
	    id <= doc->nodes.top - doc->nodes.start)
		return doc->nodes.start + id - 1;
	return NULL;
}

struct ydoc_node *ydoc_root(const struct ydoc *doc)
{
	return ydoc_node(doc, 1);
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	free(doc->nodes.start);
	for (struct ydoc_chunk *c = doc->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(doc, 0, sizeof(*doc));
}

/* ---- composing a document within limits ------------------------------
 *
 * yaml_parser_load's work, over libyaml's events, with the limits of
 * docs/robustness.md.  libyaml's own composer finds anchors by a linear
 * search (100,000 anchors take seconds, a million hours), lets an alias
 * name a node that contains it (a cycle every walker would follow
 * forever), and has no bound on depth, node count or what aliases expand
 * to.  Walkers follow aliases, so what bounds their time and recursion is
 * the document with every alias expanded: each node's expanded size and
 * height are known when it ends, and an alias adds its anchor's.
 * Nodes get libyaml's ids, default tags and marks, so walkers see what
 * libyaml's tree would hold.  The children of open collections wait on
 * one stack (a mapping's as key, value, key, ...); when a collection
 * ends, its run of the stack is copied to the chunks as its list.
 */

#define STR_(x) #x
#define STR(x)	STR_(x)

struct anchor {
	char *name; /* owned; NULL: free slot */
	int node;
	bool done; /* the node has ended: not an ancestor of what follows */
	uint32_t height;
	uint64_t size;
	yaml_mark_t mark;
};

struct frame {
	int node;
	size_t first; /* its first child on the stack of children */
	uint32_t height;
	uint64_t size;
	const char *anchor; /* the node's anchor (the table's), or NULL */
};

struct composer {
	yaml_parser_t *p;
	struct ydoc_limits *lim;
	struct ydoc *doc;
	struct anchor *tab;
	size_t tab_cap, tab_n;
	struct frame *st;
	size_t depth, st_cap;
	int *kids; /* children of the open collections, in order */
	size_t n_kids, cap_kids;
};

static bool compose_error(struct composer *c, const char *problem,
			  yaml_mark_t mark)
{
	c->p->error = YAML_COMPOSER_ERROR;
	c->p->context = NULL;
	c->p->problem = problem;
	c->p->problem_mark = mark;
	return false;
}

static size_t anchor_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of name: its anchor, or the free slot where it would go. */
static size_t anchor_slot(const struct composer *c, const char *name)
{
	size_t j = anchor_hash(name) & (c->tab_cap - 1);
	while (c->tab[j].name && strcmp(c->tab[j].name, name))
		j = (j + 1) & (c->tab_cap - 1);
	return j;
}

/* Registers the anchor (taking it) of the node just added; false after a
 * duplicate, reported as libyaml does. */
static bool anchor_add(struct composer *c, char *name, int node,
		       yaml_mark_t mark)
{
	if (!name)
		return true;
	if (2 * (c->tab_n + 1) > c->tab_cap) {
		size_t cap = c->tab_cap ? 2 * c->tab_cap : 64;
		struct anchor *old = c->tab;
		size_t old_cap = c->tab_cap;
		c->tab = xcalloc(cap, sizeof(*c->tab));
		c->tab_cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].name)
				c->tab[anchor_slot(c, old[i].name)] = old[i];
		free(old);
	}
	size_t j = anchor_slot(c, name);
	if (c->tab[j].name) {
		c->p->error = YAML_COMPOSER_ERROR;
		c->p->context = "found duplicate anchor; first occurrence";
		c->p->context_mark = c->tab[j].mark;
		c->p->problem = "second occurrence";
		c->p->problem_mark = mark;
		free(name);
		return false;
	}
	c->tab[j] = (struct anchor){name, node, false, 0, 1, mark};
	c->tab_n++;
	return true;
}

static struct ydoc_mark mark_of(yaml_mark_t m)
{
	return (struct ydoc_mark){(uint32_t)m.index, (uint32_t)m.line,
				  (uint32_t)m.column};
}

/* A finished node (or an alias of one) of the given expanded size and
 * height goes into the open collection. */
static bool child_done(struct composer *c, int node, uint64_t size,
		       uint32_t height, yaml_mark_t mark)
{
	if (!c->depth)
		return true; /* the root: its size was checked as it grew */
	struct frame *f = &c->st[c->depth - 1];
	f->size += size;
	if (f->size > c->lim->expanded) {
		snprintf(c->lim->problem, sizeof(c->lim->problem),
			 "aliases expand the document past the limit of "
			 "%llu nodes",
			 (unsigned long long)c->lim->expanded);
		return compose_error(c, c->lim->problem, mark);
	}
	if (height > f->height)
		f->height = height;
	if (c->n_kids == c->cap_kids) {
		c->cap_kids = c->cap_kids ? 2 * c->cap_kids : 256;
		c->kids = xreallocarray(c->kids, c->cap_kids, sizeof(int));
	}
	c->kids[c->n_kids++] = node;
	return true;
}

/* The collection of frame f ends: its children become its list. */
static void collection_done(struct composer *c, const struct frame *f,
			    yaml_mark_t end)
{
	static yaml_node_pair_t none[1];
	struct ydoc_node *n = c->doc->nodes.start + f->node - 1;
	size_t k = c->n_kids - f->first;
	n->end_mark.index = (uint32_t)end.index;
	n->end_mark.line = (uint32_t)end.line;
	void *list = none;
	if (k) {
		list = chunk_alloc(c->doc, k * sizeof(int));
		memcpy(list, c->kids + f->first, k * sizeof(int));
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		n->data.sequence.items.start = list;
		n->data.sequence.items.top = (yaml_node_item_t *)list + k;
	} else {
		/* A key without its value cannot end a mapping: libyaml's
		 * parser gives an empty value. */
		n->data.mapping.pairs.start = list;
		n->data.mapping.pairs.top = (yaml_node_pair_t *)list + k / 2;
	}
	c->n_kids = f->first;
}

/* A new node: checks the node count and depth, takes the event's tag
 * (or the default one) and registers its anchor. */
static int new_node(struct composer *c, yaml_event_t *e, yaml_node_type_t t,
		    const char **anchor_out)
{
	yaml_char_t *tag, **anchorp;
	const char *deftag;
	struct ydoc *d = c->doc;
	*anchor_out = NULL;
	switch (t) {
	case YAML_SCALAR_NODE:
		tag = e->data.scalar.tag;
		anchorp = &e->data.scalar.anchor;
		deftag = YAML_DEFAULT_SCALAR_TAG;
		break;
	case YAML_SEQUENCE_NODE:
		tag = e->data.sequence_start.tag;
		anchorp = &e->data.sequence_start.anchor;
		deftag = YAML_DEFAULT_SEQUENCE_TAG;
		break;
	default:
		tag = e->data.mapping_start.tag;
		anchorp = &e->data.mapping_start.anchor;
		deftag = YAML_DEFAULT_MAPPING_TAG;
		break;
	}
	if ((uint64_t)(d->nodes.top - d->nodes.start) >= c->lim->nodes) {
		snprintf(c->lim->problem, sizeof(c->lim->problem),
			 "more than the limit of %llu nodes in one document",
			 (unsigned long long)c->lim->nodes);
		compose_error(c, c->lim->problem, e->start_mark);
		return 0;
	}
	if (t != YAML_SCALAR_NODE && c->depth >= YDOC_MAX_DEPTH) {
		compose_error(c,
			      "nesting deeper than the limit of " STR(
				  YDOC_MAX_DEPTH) " levels",
			      e->start_mark);
		return 0;
	}
	if (d->nodes.top == d->nodes.end) {
		size_t cap = (size_t)(d->nodes.end - d->nodes.start);
		size_t used = cap;
		cap = cap ? 2 * cap : 64;
		d->nodes.start =
		    xreallocarray(d->nodes.start, cap, sizeof(*d->nodes.start));
		d->nodes.top = d->nodes.start + used;
		d->nodes.end = d->nodes.start + cap;
	}
	struct ydoc_node *n = d->nodes.top++;
	memset(n, 0, sizeof(*n));
	n->type = (uint8_t)t;
	n->start_mark = mark_of(e->start_mark);
	n->end_mark.index = (uint32_t)e->end_mark.index;
	n->end_mark.line = (uint32_t)e->end_mark.line;
	if (!tag || !strcmp((char *)tag, "!")) {
		n->tag = deftag;
	} else if (!strcmp((char *)tag, deftag)) {
		n->tag = deftag;
	} else {
		size_t len = strlen((char *)tag);
		char *copy = chunk_alloc(d, len + 1);
		memcpy(copy, tag, len + 1);
		n->tag = copy;
	}
	if (t == YAML_SCALAR_NODE) {
		size_t len = e->data.scalar.length;
		char *v = chunk_alloc(d, len + 1);
		memcpy(v, e->data.scalar.value, len);
		v[len] = 0;
		n->data.scalar.value = v;
		n->data.scalar.length = (uint32_t)len;
		n->data.scalar.style = (uint8_t)e->data.scalar.style;
	}
	int id = (int)(d->nodes.top - d->nodes.start);
	char *anchor = (char *)*anchorp;
	*anchorp = NULL;
	*anchor_out = anchor;
	if (!anchor_add(c, anchor, id, e->start_mark))
		return 0;
	return id;
}

/* The body of one document, from the event after DOCUMENT-START. */
static bool compose_nodes(struct composer *c)
{
	yaml_event_t e;
	for (;;) {
		if (!yaml_parser_parse(c->p, &e))
			return false;
		bool ok = true;
		int id;
		const char *anchor;
		switch (e.type) {
		case YAML_DOCUMENT_END_EVENT:
			c->doc->end_mark = mark_of(e.end_mark);
			yaml_event_delete(&e);
			return true;
		case YAML_SCALAR_EVENT:
			if (e.data.scalar.length > YDOC_MAX_SCALAR) {
				ok = compose_error(
				    c,
				    "a scalar longer than the limit of " STR(
					YDOC_MAX_SCALAR) " bytes",
				    e.start_mark);
				break;
			}
			id = new_node(c, &e, YAML_SCALAR_NODE, &anchor);
			if (!id) {
				ok = false;
				break;
			}
			if (anchor)
				c->tab[anchor_slot(c, anchor)].done = true;
			ok = child_done(c, id, 1, 0, e.start_mark);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			id = new_node(c, &e,
				      e.type == YAML_SEQUENCE_START_EVENT
					  ? YAML_SEQUENCE_NODE
					  : YAML_MAPPING_NODE,
				      &anchor);
			if (!id) {
				ok = false;
				break;
			}
			if (c->depth == c->st_cap) {
				c->st_cap = c->st_cap ? 2 * c->st_cap : 32;
				c->st = xreallocarray(c->st, c->st_cap,
						      sizeof(*c->st));
			}
			c->st[c->depth++] =
			    (struct frame){id, c->n_kids, 0, 1, anchor};
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct frame f = c->st[--c->depth];
			collection_done(c, &f, e.end_mark);
			f.height++;
			if (f.anchor) {
				struct anchor *a =
				    &c->tab[anchor_slot(c, f.anchor)];
				a->done = true;
				a->size = f.size;
				a->height = f.height;
			}
			ok = child_done(c, f.node, f.size, f.height,
					e.start_mark);
			break;
		}
		case YAML_ALIAS_EVENT: {
			const char *name = (const char *)e.data.alias.anchor;
			struct anchor *a =
			    c->tab_cap ? &c->tab[anchor_slot(c, name)] : NULL;
			if (!a || !a->name) {
				ok = compose_error(c, "found undefined alias",
						   e.start_mark);
			} else if (!a->done) {
				ok = compose_error(
				    c,
				    "an alias inside the node it names (a "
				    "recursive alias)",
				    e.start_mark);
			} else if (c->depth + a->height > YDOC_MAX_DEPTH) {
				ok = compose_error(
				    c,
				    "an alias nests deeper than the limit "
				    "of " STR(YDOC_MAX_DEPTH) " levels",
				    e.start_mark);
			} else {
				ok = child_done(c, a->node, a->size, a->height,
						e.start_mark);
			}
			break;
		}
		default: /* the parser's state machine allows no other */
			ok = compose_error(c, "unexpected YAML event",
					   e.start_mark);
			break;
		}
		yaml_event_delete(&e);
		if (!ok)
			return false;
	}
}

void ydoc_limits_for(struct ydoc_limits *lim, size_t bytes)
{
	lim->nodes = bytes / YDOC_BYTES_PER_NODE;
	if (lim->nodes < YDOC_MAX_NODES)
		lim->nodes = YDOC_MAX_NODES;
	lim->expanded = bytes / YDOC_BYTES_PER_EXPANDED;
	if (lim->expanded < YDOC_MAX_EXPANDED)
		lim->expanded = YDOC_MAX_EXPANDED;
	lim->problem[0] = 0;
}

int ydoc_compose(yaml_parser_t *p, struct ydoc *doc, struct ydoc_limits *lim)
{
	static struct ydoc_limits least;
	yaml_event_t e;
	if (!lim) {
		ydoc_limits_for(&least, 0);
		lim = &least;
	}
	memset(doc, 0, sizeof(*doc));
	if (!p->stream_start_produced) {
		if (!yaml_parser_parse(p, &e))
			return 0;
		yaml_event_delete(&e); /* STREAM-START */
	}
	if (p->stream_end_produced)
		return 1;
	if (!yaml_parser_parse(p, &e))
		return 0;
	if (e.type != YAML_DOCUMENT_START_EVENT) {
		yaml_event_delete(&e); /* STREAM-END */
		return 1;
	}
	/* The directives only matter to the parser, which has applied
	 * them to the tags of the events. */
	doc->start_mark = mark_of(e.start_mark);
	yaml_event_delete(&e);
	doc->nodes.start = xmalloc(64 * sizeof(*doc->nodes.start));
	doc->nodes.top = doc->nodes.start;
	doc->nodes.end = doc->nodes.start + 64;

	struct composer c = {.p = p, .lim = lim, .doc = doc};
	bool ok = compose_nodes(&c);
	for (size_t i = 0; i < c.tab_cap; i++)
		free(c.tab[i].name);
	free(c.tab);
	free(c.st);
	free(c.kids);
	if (!ok) {
		if (p->error == YAML_MEMORY_ERROR)
			die_oom();
		ydoc_free(doc);
		return 0;
	}
	return 1;
}

/* Line and column (1-based) of a byte offset into buf. */
static void offset_pos(const char *buf, size_t len, size_t off, uint32_t *line,
		       uint32_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* libyaml's error as a diagnostic at the right place: reader errors
 * (bad UTF-8, control characters) carry a byte offset, composer errors
 * (anchors) a second mark. */
static void yaml_error(yaml_parser_t *p, const char *name, const char *buf,
		       size_t len, struct diag_list *diags)
{
	uint32_t line = (uint32_t)p->problem_mark.line + 1;
	uint32_t col = (uint32_t)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	if (p->error == YAML_MEMORY_ERROR)
		die_oom();
	if (p->error == YAML_READER_ERROR) {
		offset_pos(buf, len, p->problem_offset, &line, &col);
		if (p->problem_value >= 0)
			diag_add(diags, DIAG_ERROR, name, line, col,
				 "%s (byte 0x%02X)", problem,
				 (unsigned)p->problem_value & 0xFFu);
		else
			diag_add(diags, DIAG_ERROR, name, line, col, "%s",
				 problem);
		return;
	}
	if (p->error == YAML_COMPOSER_ERROR && p->context &&
	    strstr(p->context, "duplicate anchor")) {
		diag_add(diags, DIAG_ERROR, name, line, col,
			 "duplicate anchor (first defined at %u:%u)",
			 (uint32_t)p->context_mark.line + 1,
			 (uint32_t)p->context_mark.column + 1);
		return;
	}
	diag_add(diags, DIAG_ERROR, name, line, col, "%s%s%s", problem,
		 p->context ? " " : "", p->context ? p->context : "");
}

int ydoc_parse(struct ydoc *doc, const char *name, const char *buf, size_t len,
	       struct diag_list *diags)
{
	yaml_parser_t parser;
	struct ydoc_limits lim;
	int rc = -1;
	ydoc_limits_for(&lim, len);
	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!ydoc_compose(&parser, doc, &lim)) {
		yaml_error(&parser, name, buf, len, diags);
		goto out;
	}
	/* One document: a second one would be silently ignored by the
	 * one-document API. */
	struct ydoc next;
	if (!ydoc_compose(&parser, &next, &lim)) {
		yaml_error(&parser, name, buf, len, diags);
		ydoc_free(doc);
		goto out;
	}
	if (ydoc_root(&next)) {
		diag_add(diags, DIAG_ERROR, name,
			 (uint32_t)next.start_mark.line + 1,
			 (uint32_t)next.start_mark.column + 1,
			 "a second YAML document; a file holds one");
		ydoc_free(&next);
		ydoc_free(doc);
		goto out;
	}
	ydoc_free(&next);
	rc = 0;
out:
	yaml_parser_delete(&parser);
	return rc;
}
