/*
 * Where a plan's resources are written: the .tf files beside the plan (or
 * in --tf-source DIR) and in the directories of its local modules
 * (configuration.module_calls[*].source "./..." or "../..."), scanned for
 * `resource "TYPE" "NAME"` and `data "TYPE" "NAME"` blocks (tf_hcl.c).
 * Every instance of a resource (count, for_each, module instances) is
 * written in its resource's block; an element of a block list (an ingress
 * rule, a route, a listener's action) in the nested block it came from
 * when that is decided, else in its resource's block.
 *
 * The result is a map from positions in the plan (its resources' objects
 * and their blocks' elements, as the loader put them in the model's
 * locations) to .tf locations, sorted by (line, column) for lookup, with
 * its file names in the model's arena.  It is applied after model_finish,
 * so that what finish orders by location (addresses) keeps the plan's
 * order, and finish's diagnostics the plan's positions.  Where the .tf
 * files do not tell (a registry module, a dynamic block, no .tf file),
 * the location stays the plan's.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/util.h"
#include "load/load_impl.h"
#include "load/tf/tf_hcl.h"
#include "load/tf/tf_plan.h"

struct src_entry {
	uint32_t line, col; /* in the plan */
	struct src_loc to;
};

struct tf_srcmap {
	const char *plan; /* the plan's file name, as locations give it */
	struct src_entry *v;
	uint32_t n, cap;
};

/* The .tf files of one directory, scanned, and their blocks sorted by
 * (data, type, name) for lookup; the first written of equal ones first. */
struct src_dir {
	char *dir;
	struct src_file {
		const char *path; /* the model's arena */
		struct hcl_file hcl;
	} * files;
	uint32_t n;
	struct src_block {
		const struct hcl_block *b;
		const char *path;
		const struct hcl_file *file; /* b's, for its comments */
		uint32_t order;
		bool suppress_read; /* its vpcsim:ignore comments are */
	} * blocks;
	uint32_t n_blocks;
};

struct locator {
	struct tf_loader *L;
	struct tf_srcmap *map;
	struct src_dir *dirs;
	uint32_t n_dirs;
	char **mod_dir; /* per module instance, or NULL: not local */
};

/* ---- paths --------------------------------------------------------------- */

/* dir/rel with "." and ".." resolved as far as the text allows, "./"
 * dropped: "tests/x" + "./modules/a" is "tests/x/modules/a", "." +
 * "main.tf" is "main.tf".  Heap. */
static char *path_join(const char *dir, const char *rel)
{
	char *s = xasprintf("%s/%s", dir, rel);
	bool abs = s[0] == '/';
	char **seg = xcalloc(strlen(s) + 1, sizeof(*seg));
	size_t n = 0, ups = 0;
	for (char *tok = strtok(s, "/"); tok; tok = strtok(NULL, "/")) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..") && n > ups) {
			n--;
			continue;
		}
		if (!strcmp(tok, "..") && abs)
			continue;
		if (!strcmp(tok, ".."))
			ups++;
		seg[n++] = tok;
	}
	size_t len = 2;
	for (size_t i = 0; i < n; i++)
		len += strlen(seg[i]) + 1;
	char *out = xmalloc(len), *p = out;
	if (abs)
		*p++ = '/';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "/" : "", seg[i]);
	if (!n && !abs)
		*p++ = '.';
	*p = '\0';
	free(seg);
	free(s);
	return out;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int block_key_cmp(bool data, const char *type, const char *name,
			 const struct hcl_block *b)
{
	if (data != b->data)
		return data ? 1 : -1;
	int c = strcmp(type, b->type);
	return c ? c : strcmp(name, b->name);
}

static int src_block_cmp(const void *a, const void *b)
{
	const struct src_block *x = a, *y = b;
	int c = block_key_cmp(x->b->data, x->b->type, x->b->name, y->b);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* The blocks of d's files, sorted. */
static void index_blocks(struct src_dir *d)
{
	uint32_t n = 0;
	for (uint32_t f = 0; f < d->n; f++)
		n += d->files[f].hcl.n;
	d->blocks = xcalloc(n + 1, sizeof(*d->blocks));
	for (uint32_t f = 0; f < d->n; f++)
		for (uint32_t b = 0; b < d->files[f].hcl.n; b++) {
			struct src_block *x = &d->blocks[d->n_blocks];
			x->b = &d->files[f].hcl.blocks[b];
			x->path = d->files[f].path;
			x->file = &d->files[f].hcl;
			x->order = d->n_blocks++;
		}
	if (d->n_blocks)
		qsort(d->blocks, d->n_blocks, sizeof(*d->blocks),
		      src_block_cmp);
}

/* Reads and scans the .tf files of dir, in name order (once per dir). */
static struct src_dir *scan_dir(struct locator *Q, const char *dir)
{
	for (uint32_t i = 0; i < Q->n_dirs; i++)
		if (!strcmp(Q->dirs[i].dir, dir))
			return &Q->dirs[i];
	Q->dirs = xreallocarray(Q->dirs, Q->n_dirs + 1, sizeof(*Q->dirs));
	struct src_dir *d = &Q->dirs[Q->n_dirs++];
	memset(d, 0, sizeof(*d));
	d->dir = xstrdup(dir);
	DIR *h = opendir(dir);
	if (!h)
		return d;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(h));) {
		size_t len = strlen(e->d_name);
		if (len > 3 && !strcmp(e->d_name + len - 3, ".tf")) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(h);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	d->files = xcalloc(n + 1, sizeof(*d->files));
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]), *text = NULL;
		size_t len;
		/* A file that cannot be read (a directory named x.tf, a
		 * dangling link) tells nothing: its resources keep the plan's
		 * positions. */
		struct diag_list ignored = DIAG_LIST_INIT;
		if (!file_read_text(&text, &len, path, &ignored)) {
			struct src_file *f = &d->files[d->n++];
			f->path = arena_strdup(&Q->L->m->arena, path);
			hcl_scan(&f->hcl, text, len);
		}
		diag_list_free(&ignored);
		free(text);
		free(path);
		free(names[i]);
	}
	free(names);
	index_blocks(d);
	return d;
}

/* The directory of each module instance: the root's, then each local
 * module's source relative to its caller's; NULL for a module from a
 * registry or a repository (its files are not here). */
static void module_dirs(struct locator *Q, const char *root)
{
	struct tf_loader *L = Q->L;
	Q->mod_dir = xcalloc(L->n_mods + 1, sizeof(*Q->mod_dir));
	Q->mod_dir[0] = xstrdup(root);
	/* A module instance comes after its parent (module_get). */
	for (uint32_t i = 1; i < L->n_mods; i++) {
		const struct tf_module *M = &L->mods[i];
		const char *parent =
		    M->parent < i ? Q->mod_dir[M->parent] : NULL;
		struct ydoc_node *call = tf_map_get(
		    L, tf_map_get(L, L->mods[M->parent].config, "module_calls"),
		    M->call);
		const char *src = tf_text(tf_map_get(L, call, "source"));
		if (parent && src &&
		    (!strncmp(src, "./", 2) || !strncmp(src, "../", 3)))
			Q->mod_dir[i] = path_join(parent, src);
	}
}

/* ---- blocks -------------------------------------------------------------- */

static struct src_block *find_block(struct locator *Q, uint32_t mod,
				    const struct tf_res *r)
{
	if (mod >= Q->L->n_mods || !Q->mod_dir[mod])
		return NULL;
	struct src_dir *d = scan_dir(Q, Q->mod_dir[mod]);
	uint32_t lo = 0, hi = d->n_blocks;
	while (lo < hi) { /* the first block not below r's key */
		uint32_t mid = lo + (hi - lo) / 2;
		if (block_key_cmp(r->data, r->type, r->name, d->blocks[mid].b) >
		    0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == d->n_blocks ||
	    block_key_cmp(r->data, r->type, r->name, d->blocks[lo].b))
		return NULL;
	return &d->blocks[lo];
}

/*
 * The `vpcsim:ignore` comments of a resource block, read once: those in
 * the block and those in the comment lines just above it (each on a line
 * of its own, with no blank line between).  They cover the block's lines,
 * where every object of the resource and each of its nested blocks is
 * located once the map is applied (load/suppress.c reads them).
 */
static void block_suppressions(struct locator *Q, struct src_block *x)
{
	if (x->suppress_read)
		return;
	x->suppress_read = true;
	const struct hcl_file *f = x->file;
	const struct hcl_block *b = x->b;
	/* The comment block above: walk up while each line above is a
	 * comment's last. */
	uint32_t top = b->line;
	for (uint32_t i = f->n_comments; i-- > 0;) {
		const struct hcl_comment *c = &f->comments[i];
		if (c->line >= b->line)
			continue;
		if (!c->own_line || c->end_line + 1 != top)
			break;
		top = c->line;
	}
	struct model_suppress scope = {
	    .kind = MK_KIND_COUNT, .first = b->line, .last = b->end_line};
	for (uint32_t i = 0; i < f->n_comments; i++) {
		const struct hcl_comment *c = &f->comments[i];
		if (c->text && c->line >= top && c->line <= b->end_line)
			load_suppress_comment(Q->L->m, c->text, c->len, x->path,
					      c->line, c->col, &scope,
					      Q->L->diags);
	}
}

static void add_entry(struct tf_srcmap *map, struct ydoc_node *at,
		      const char *path, uint32_t line, uint32_t col)
{
	if (!at)
		return;
	if (map->n == map->cap) {
		map->cap = map->cap ? 2 * map->cap : 64;
		map->v = xreallocarray(map->v, map->cap, sizeof(*map->v));
	}
	map->v[map->n++] = (struct src_entry){
	    (uint32_t)at->start_mark.line + 1,
	    (uint32_t)at->start_mark.column + 1,
	    {path, line, col},
	};
}

/* Lists of blocks whose elements Terraform orders by value, not as
 * written: matched to their blocks by value, never by position. */
static bool set_of_blocks(const char *key)
{
	static const char *const sets[] = {"ingress",	     "egress",
					   "route",	     "entry",
					   "subnet_mapping", "load_balancer"};
	for (size_t i = 0; i < ARRAY_LEN(sets); i++)
		if (!strcmp(key, sets[i]))
			return true;
	return false;
}

/* Whether planned element e agrees with written block c, a mapping of
 * constant values: every scalar or list it gives is e's. */
static bool agrees(struct tf_loader *L, struct ydoc_node *e,
		   struct ydoc_node *c)
{
	for (yaml_node_pair_t *p = c->data.mapping.pairs.start;
	     p < c->data.mapping.pairs.top; p++) {
		const char *key = tf_text(tf_node(L, p->key));
		struct ydoc_node *cv = tf_node(L, p->value), *ev;
		if (!key || !(ev = tf_map_get(L, e, key)) || tf_is_null(ev) ||
		    tf_is_null(cv))
			continue;
		if (!tf_same_value(L, ev, cv, !strcmp(key, "protocol")))
			return false;
	}
	return true;
}

/*
 * Which written block each element of the planned list of key came from
 * (out[i], or -1): the configuration's block for the element when it is
 * given block by block; else, when one expression gives them all as
 * constants, the first block not yet taken that agrees with the element;
 * else by position for lists written as many blocks as they have.
 */
static void blocks_of(struct tf_loader *L, struct tf_res *r, const char *key,
		      struct ydoc_node *list, uint32_t n_written, long *out)
{
	size_t n = tf_seq_len(list);
	bool set = set_of_blocks(key);
	for (size_t i = 0; i < n; i++)
		out[i] = -1;
	struct ydoc_node *cfg = tf_map_get(L, r->config, key);
	struct ydoc_node *cst = tf_map_get(L, cfg, "constant_value");
	if (cfg && cfg->type == YAML_SEQUENCE_NODE) {
		struct tf_val v, e;
		tf_val_top(&v, r);
		for (size_t i = 0; i < n; i++) {
			if (!tf_val_block(L, &v, key, i, set, &e) || !e.cfg)
				continue;
			for (size_t b = 0; b < tf_seq_len(cfg); b++)
				if (tf_seq_at(L, cfg, b) == e.cfg)
					out[i] = (long)b;
		}
	} else if (cst && cst->type == YAML_SEQUENCE_NODE) {
		size_t nc = tf_seq_len(cst);
		bool *taken = xcalloc(nc + 1, sizeof(*taken));
		for (size_t i = 0; i < n; i++) {
			struct ydoc_node *e = tf_seq_at(L, list, i);
			for (size_t b = 0; b < nc && e; b++) {
				struct ydoc_node *c = tf_seq_at(L, cst, b);
				if (taken[b] || !c ||
				    c->type != YAML_MAPPING_NODE ||
				    e->type != YAML_MAPPING_NODE ||
				    !agrees(L, e, c))
					continue;
				taken[b] = true;
				out[i] = (long)b;
				break;
			}
		}
		free(taken);
	} else if (!set && n == n_written) {
		for (size_t i = 0; i < n; i++)
			out[i] = (long)i;
	}
	if (n == 1 && n_written == 1 && out[0] < 0)
		out[0] = 0; /* one of each: that one */
}

/* The elements of r's lists of blocks: each to its nested block, or to
 * the resource's. */
static void map_nested(struct locator *Q, struct tf_res *r,
		       const struct hcl_block *b, const char *path)
{
	struct tf_loader *L = Q->L;
	struct ydoc_node *vals = r->values ? r->values : r->prior;
	if (!vals || vals->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = vals->data.mapping.pairs.start;
	     p < vals->data.mapping.pairs.top; p++) {
		const char *key = tf_text(tf_node(L, p->key));
		struct ydoc_node *list = tf_node(L, p->value);
		size_t n = tf_seq_len(list);
		struct ydoc_node *first = tf_seq_at(L, list, 0);
		if (!key || !first || first->type != YAML_MAPPING_NODE)
			continue; /* not a list of blocks */
		/* The written blocks of that name, unless a dynamic one
		 * makes more at plan, in no order the text shows. */
		const struct hcl_nested **w =
		    xcalloc(b->n_nested + 1, sizeof(*w));
		uint32_t nw = 0;
		bool dynamic = false;
		for (uint32_t k = 0; k < b->n_nested; k++)
			if (!strcmp(b->nested[k].name, key)) {
				dynamic |= b->nested[k].dynamic;
				w[nw++] = &b->nested[k];
			}
		long *which = xcalloc(n, sizeof(*which));
		blocks_of(L, r, key, list, dynamic ? UINT32_MAX : nw, which);
		for (size_t i = 0; i < n; i++) {
			struct ydoc_node *e = tf_seq_at(L, list, i);
			if (!e || e->type != YAML_MAPPING_NODE)
				continue;
			bool found = !dynamic && which[i] >= 0 &&
				     (uint32_t)which[i] < nw;
			const struct hcl_nested *x = found ? w[which[i]] : NULL;
			add_entry(Q->map, e, path, x ? x->line : b->line,
				  x ? x->col : b->col);
		}
		free(which);
		free(w);
	}
}

/* ---- the map ------------------------------------------------------------- */

static int entry_cmp(const void *a, const void *b)
{
	const struct src_entry *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

static bool has_tf(struct locator *Q, const char *dir)
{
	return scan_dir(Q, dir)->n > 0;
}

/* The directory of the plan's file: "." for a bare name.  Heap. */
static char *plan_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == file)
		return xstrdup("/");
	char *d = xmalloc((size_t)(slash - file) + 1);
	memcpy(d, file, (size_t)(slash - file));
	d[slash - file] = '\0';
	return d;
}

struct tf_srcmap *tf_source_map(struct tf_loader *L, const char *dir)
{
	struct locator Q = {.L = L};
	char *root = dir ? xstrdup(dir) : plan_dir(L->file ? L->file : "");
	struct tf_srcmap *map = NULL;
	if (!has_tf(&Q, root)) {
		if (dir)
			diag_add(L->diags, DIAG_WARNING, dir, 0, 0,
				 "--tf-source: no .tf file here; findings "
				 "point at the plan");
		goto out;
	}
	map = xcalloc(1, sizeof(*map));
	map->plan = L->m->file;
	Q.map = map;
	module_dirs(&Q, root);
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		/* Instances in planned_values, data sources in prior_state
		 * (what else has at is named by another resource). */
		struct ydoc_node *at = r->node	 ? r->node
				       : r->data ? r->at
						 : NULL;
		struct src_block *x = at ? find_block(&Q, r->mod, r) : NULL;
		if (!x)
			continue;
		add_entry(map, at, x->path, x->b->line, x->b->col);
		map_nested(&Q, r, x->b, x->path);
		block_suppressions(&Q, x);
	}
	if (map->n)
		qsort(map->v, map->n, sizeof(*map->v), entry_cmp);
out:
	for (uint32_t i = 0; Q.mod_dir && i < L->n_mods; i++)
		free(Q.mod_dir[i]);
	free(Q.mod_dir);
	for (uint32_t i = 0; i < Q.n_dirs; i++) {
		for (uint32_t f = 0; f < Q.dirs[i].n; f++)
			hcl_file_free(&Q.dirs[i].files[f].hcl);
		free(Q.dirs[i].files);
		free(Q.dirs[i].blocks);
		free(Q.dirs[i].dir);
	}
	free(Q.dirs);
	free(root);
	return map;
}

/* ---- applying it -------------------------------------------------------- */

static void remap(const struct tf_srcmap *map, struct src_loc *l)
{
	if (!l->file || !l->line || strcmp(l->file, map->plan))
		return;
	struct src_entry key = {l->line, l->col, {NULL, 0, 0}};
	const struct src_entry *e =
	    bsearch(&key, map->v, map->n, sizeof(*map->v), entry_cmp);
	if (e)
		*l = e->to;
}

static void remap_action(const struct tf_srcmap *map, struct model_lb_action *a)
{
	remap(map, &a->loc);
}

void tf_srcmap_apply(const struct tf_srcmap *map, struct model *m)
{
	if (!map || !map->n)
		return;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++)
			remap(map,
			      &model_object(m, (enum model_kind)k, i)->loc);
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		remap(map, &m->subnets[i].cidr_loc);
	for (uint32_t i = 0; i < m->n[MK_ROUTE_TABLE]; i++)
		for (uint32_t r = 0; r < m->route_tables[i].n_routes; r++)
			remap(map, &m->route_tables[i].routes[r].loc);
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
		struct model_security_group *g = &m->groups[i];
		for (uint32_t r = 0; r < g->n_ingress; r++)
			remap(map, &g->ingress[r].loc);
		for (uint32_t r = 0; r < g->n_egress; r++)
			remap(map, &g->egress[r].loc);
	}
	for (uint32_t i = 0; i < m->n[MK_NETWORK_ACL]; i++) {
		struct model_network_acl *a = &m->nacls[i];
		for (uint32_t r = 0; r < a->n_inbound; r++)
			remap(map, &a->inbound[r].loc);
		for (uint32_t r = 0; r < a->n_outbound; r++)
			remap(map, &a->outbound[r].loc);
	}
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++)
		for (uint32_t l = 0; l < m->lbs[i].n_listeners; l++) {
			struct model_listener *x = &m->lbs[i].listeners[l];
			remap(map, &x->loc);
			remap_action(map, &x->default_action);
			for (uint32_t r = 0; r < x->n_rules; r++) {
				remap(map, &x->rules[r].loc);
				remap_action(map, &x->rules[r].action);
			}
		}
	for (uint32_t i = 0; i < m->n[MK_TARGET_GROUP]; i++)
		for (uint32_t t = 0; t < m->target_groups[i].n_targets; t++)
			remap(map, &m->target_groups[i].targets[t].loc);
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++)
		for (uint32_t b = 0; b < m->services[i].n_bindings; b++)
			remap(map, &m->services[i].bindings[b].loc);
}

void tf_srcmap_free(struct tf_srcmap *map)
{
	if (!map)
		return;
	free(map->v);
	free(map);
}
