/*
 * Nested stacks (AWS::CloudFormation::Stack): which template each stack
 * resource names, and which template instances a load evaluates.
 *
 * A stack resource's child is known only once its TemplateURL is
 * evaluated, and a child's own stack resources once the child is, so the
 * loader works in rounds (load_cfn.c): evaluate the plan's instances,
 * add the children their stack resources name, and again until nothing
 * is added; the last evaluation is the one that reports.  The plan keeps
 * what the rounds found as links from an instance's path (its root input
 * and the logical ids of the stack resources down to it) to a document,
 * so that instances can be renumbered from round to round.  An input
 * that some stack takes as its child is no root of its own: given
 * together with its parent, it is loaded once, as the child.
 *
 * Invariants: instances are listed parents first; no instance is its own
 * ancestor's document, and none is nested deeper than CFN_MAX_NESTING,
 * so the rounds end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "load/cfn/cfn.h"

#define CFN_MAX_NESTING 8 /* stacks inside stacks */

struct cfn_link {
	char *parent; /* the parent instance's path */
	char *logical;
	size_t doc;
};

struct cfn_plan {
	struct load_docs *docs;
	bool *consumed; /* per given entry: the child of some stack */
	size_t n_given;
	struct cfn_link *links;
	size_t n_links;
	struct cfn_inst *inst; /* the last cfn_plan_instances */
	char **paths;	       /* and their paths */
	size_t n_inst, cap_inst;
};

struct cfn_plan *cfn_plan_new(struct load_docs *docs)
{
	struct cfn_plan *p = xcalloc(1, sizeof(*p));
	p->docs = docs;
	for (size_t i = 0; i < docs->n && docs->v[i].given; i++)
		p->n_given++;
	p->consumed = xcalloc(p->n_given + 1, sizeof(*p->consumed));
	return p;
}

static void clear_instances(struct cfn_plan *p)
{
	for (size_t i = 0; i < p->n_inst; i++) {
		free(p->paths[i]);
		free((char *)p->inst[i].stack);
	}
	p->n_inst = 0;
}

void cfn_plan_free(struct cfn_plan *p)
{
	if (!p)
		return;
	clear_instances(p);
	for (size_t i = 0; i < p->n_links; i++) {
		free(p->links[i].parent);
		free(p->links[i].logical);
	}
	free(p->links);
	free(p->inst);
	free(p->paths);
	free(p->consumed);
	free(p);
}

static void add_instance(struct cfn_plan *p, size_t doc, uint32_t parent,
			 const char *logical, char *path)
{
	if (p->n_inst == p->cap_inst) {
		p->cap_inst = p->cap_inst ? 2 * p->cap_inst : 8;
		p->inst = xreallocarray(p->inst, p->cap_inst, sizeof(*p->inst));
		p->paths =
		    xreallocarray(p->paths, p->cap_inst, sizeof(*p->paths));
	}
	p->inst[p->n_inst] =
	    (struct cfn_inst){doc, parent, logical ? xstrdup(logical) : NULL};
	p->paths[p->n_inst++] = path;
}

/* Whether doc is instance k's or one of its parents'; *depth receives
 * how many stacks deep k is. */
static bool in_chain(const struct cfn_plan *p, size_t k, size_t doc,
		     unsigned *depth)
{
	bool found = false;
	*depth = 0;
	for (uint32_t i = (uint32_t)k; i != CFN_NONE; i = p->inst[i].parent) {
		found |= p->inst[i].doc == doc;
		++*depth;
	}
	return found;
}

const struct cfn_inst *cfn_plan_instances(struct cfn_plan *p, size_t *n)
{
	clear_instances(p);
	for (size_t i = 0; i < p->n_given; i++)
		if (!p->consumed[i])
			add_instance(p, i, CFN_NONE, NULL,
				     xasprintf("#%zu", i));
	/* Breadth first: the array grows as it is walked. */
	for (size_t k = 0; k < p->n_inst; k++)
		for (size_t l = 0; l < p->n_links; l++) {
			struct cfn_link *x = &p->links[l];
			unsigned depth;
			if (strcmp(x->parent, p->paths[k]) ||
			    in_chain(p, k, x->doc, &depth) ||
			    depth > CFN_MAX_NESTING)
				continue;
			add_instance(
			    p, x->doc, (uint32_t)k, x->logical,
			    xasprintf("%s/%s", p->paths[k], x->logical));
		}
	*n = p->n_inst;
	return p->inst;
}

static bool has_link(const struct cfn_plan *p, const char *parent,
		     const char *logical)
{
	for (size_t l = 0; l < p->n_links; l++)
		if (!strcmp(p->links[l].parent, parent) &&
		    !strcmp(p->links[l].logical, logical))
			return true;
	return false;
}

/* Marks a given document as some stack's child; one input always stays
 * a root, however the inputs nest each other. */
static void consume(struct cfn_plan *p, size_t doc)
{
	if (doc >= p->n_given || p->consumed[doc])
		return;
	size_t roots = 0;
	for (size_t i = 0; i < p->n_given; i++)
		roots += !p->consumed[i];
	if (roots > 1)
		p->consumed[doc] = true;
}

bool cfn_plan_grow(struct cfn_plan *p, struct cfn *C)
{
	bool grew = false;
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		size_t doc;
		const char *why;
		if (R->included != 1 || R->child != CFN_NONE ||
		    strcmp(R->type, "AWS::CloudFormation::Stack") ||
		    !cfn_stack_template(C, r, &doc, &why))
			continue;
		const char *parent = p->paths[R->tpl];
		if (!has_link(p, parent, R->logical)) {
			p->links = xreallocarray(p->links, p->n_links + 1,
						 sizeof(*p->links));
			p->links[p->n_links++] = (struct cfn_link){
			    xstrdup(parent), xstrdup(R->logical), doc};
			grew = true;
		}
		if (doc < p->n_given && !p->consumed[doc]) {
			consume(p, doc);
			grew |= p->consumed[doc];
		}
	}
	return grew;
}

/* ---- finding a stack's template ----------------------------------------- */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* Whether entry e of the load's documents is template t's or one of its
 * parents' (a stack cannot hold itself). */
static bool is_ancestor(struct cfn *C, uint32_t t, size_t e)
{
	for (; t != CFN_NONE; t = C->tpls[t].parent)
		if (C->tpls[t].entry == e)
			return true;
	return false;
}

/*
 * The entries whose file name is base (exact) or ends with it after '_',
 * '-' or '.' (a copy that keeps its path or a prefix in its name, such as
 * templates__vpc.yaml); given inputs are preferred to --templates files,
 * exact names to endings.  Returns how many of the best kind there are,
 * the first in *out, and their names in list.
 */
static size_t candidates(struct cfn *C, uint32_t t, const char *base,
			 size_t *out, struct strbuf *list)
{
	struct load_docs *d = C->docs;
	size_t bl = strlen(base);
	for (int pass = 0; pass < 4; pass++) {
		bool exact = pass < 2, given = pass % 2 == 0;
		size_t n = 0;
		for (size_t i = 0; i < d->n; i++) {
			if (d->v[i].given != given || is_ancestor(C, t, i))
				continue;
			const char *b = base_name(d->v[i].path);
			size_t l = strlen(b);
			bool match = exact ? !strcmp(b, base)
					   : l > bl &&
						 !strcmp(b + l - bl, base) &&
						 strchr("_-.", b[l - bl - 1]);
			if (!match)
				continue;
			if (!n++)
				*out = i;
			if (n <= 3) {
				if (list->n)
					strbuf_add(list, ", ", 2);
				strbuf_printf(list, "'%s'", d->v[i].path);
			}
		}
		if (n)
			return n;
	}
	return 0;
}

/* A TemplateURL without a scheme is a local file, relative to the
 * parent's directory (as `aws cloudformation package` reads it). */
static long local_file(struct cfn *C, uint32_t t, const char *url)
{
	if (strstr(url, "://"))
		return -1;
	const char *file = C->tpls[t].file;
	const char *slash = strrchr(file, '/');
	char *path = url[0] == '/' || !slash
			 ? xstrdup(url)
			 : xasprintf("%.*s/%s", (int)(slash - file), file, url);
	long k = load_docs_file(C->docs, path);
	free(path);
	return k;
}

int cfn_stack_template(struct cfn *C, uint32_t r, size_t *doc, const char **why)
{
	struct cfn_res *R = &C->res[r];
	struct cv *u = cv_get(R->props, "TemplateURL");
	const char *w;
	const char *url = u ? cfn_text(C, u, &w) : NULL;
	if (!url) {
		*why = !u  ? "it has no TemplateURL"
		       : w ? arena_printf(&C->a,
					  "its TemplateURL is unknown (%s)", w)
			   : "its TemplateURL is invalid";
		return 0;
	}
	/* The file name: no query or fragment. */
	size_t len = strcspn(url, "?#");
	char *path = xasprintf("%.*s", (int)len, url);
	const char *base = base_name(path);
	long local = local_file(C, R->tpl, path);
	struct strbuf list = {0};
	size_t n = local >= 0 && !is_ancestor(C, R->tpl, (size_t)local) ? 1 : 0;
	if (n)
		*doc = (size_t)local;
	else if (*base)
		n = candidates(C, R->tpl, base, doc, &list);
	if (n == 1 && !load_docs_open(C->docs, *doc))
		*why = arena_printf(&C->a,
				    "its template '%s' cannot be read (see the "
				    "error about it)",
				    C->docs->v[*doc].path);
	else if (n > 1)
		*why = arena_printf(&C->a,
				    "%zu templates could be its template '%s' "
				    "(%s%s): give one only",
				    n, base, strbuf_str(&list),
				    n > 3 ? ", ..." : "");
	else if (!n)
		*why = arena_printf(&C->a,
				    "its template '%s' was not given (name it "
				    "on the command line or put it in a "
				    "--templates directory)",
				    *base ? base : url);
	int found = n == 1 && C->docs->v[*doc].state > 0;
	strbuf_free(&list);
	free(path);
	return found;
}
