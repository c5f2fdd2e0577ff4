/*
 * Fixes that work (issue 17): the fix a trace gives for a blocked flow,
 * pasted into the model as the trace prints it, makes the same flow pass.
 *
 * apply_fixes is the paste: it renders the fixes' YAML snippet
 * (report_fix_yaml, what the text output prints), parses it, and merges
 * it into the scenario's YAML document the way a reader edits the file:
 * a new section or object is added, a key's value is set, a list item is
 * appended, or, for a change that replaces an item (a blackhole route, a
 * subnet of a load balancer), put in place of the item it names.  The
 * result is loaded again and the flow traced again.
 *
 * The scenarios test takes every intended flow of every scenario
 * (rules/change.c change_collect: the flows the design says must work)
 * that does not work, applies the fixes of its failing pairs together and
 * asks again: every one must pass but those listed in no_fix[] with the
 * reason vpcsim writes no fix for them.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/strbuf.h"
#include "load/load.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/change.h"
#include "sim/sim.h"

/* ---- the paste -------------------------------------------------------- */

static yaml_node_t *node(yaml_document_t *d, int id)
{
	return yaml_document_get_node(d, id);
}

/* A copy of node id of document s as a node of document d. */
static int copy_node(yaml_document_t *d, yaml_document_t *s, int id)
{
	yaml_node_t *n = node(s, id);
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return yaml_document_add_scalar(d, n->tag, n->data.scalar.value,
						(int)n->data.scalar.length,
						n->data.scalar.style);
	case YAML_SEQUENCE_NODE: {
		int seq = yaml_document_add_sequence(d, n->tag,
						     YAML_BLOCK_SEQUENCE_STYLE);
		int k = (int)(n->data.sequence.items.top -
			      n->data.sequence.items.start);
		for (int i = 0; i < k; i++) {
			int item = copy_node(
			    d, s, node(s, id)->data.sequence.items.start[i]);
			yaml_document_append_sequence_item(d, seq, item);
		}
		return seq;
	}
	case YAML_MAPPING_NODE: {
		int map = yaml_document_add_mapping(d, n->tag,
						    YAML_BLOCK_MAPPING_STYLE);
		int k = (int)(n->data.mapping.pairs.top -
			      n->data.mapping.pairs.start);
		for (int i = 0; i < k; i++) {
			yaml_node_pair_t p =
			    node(s, id)->data.mapping.pairs.start[i];
			int key = copy_node(d, s, p.key);
			int val = copy_node(d, s, p.value);
			yaml_document_append_mapping_pair(d, map, key, val);
		}
		return map;
	}
	default:
		return 0;
	}
}

static bool scalar_is(yaml_document_t *d, int id, const char *s)
{
	yaml_node_t *n = node(d, id);
	return n && n->type == YAML_SCALAR_NODE &&
	       !strcmp((const char *)n->data.scalar.value, s);
}

/* The index of the pair of mapping map whose key is s, or -1. */
static int pair_of(yaml_document_t *d, int map, const char *s)
{
	yaml_node_t *n = node(d, map);
	if (!n || n->type != YAML_MAPPING_NODE)
		return -1;
	int k = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	for (int i = 0; i < k; i++)
		if (scalar_is(d, n->data.mapping.pairs.start[i].key, s))
			return i;
	return -1;
}

/* The change of fixes that the item-th list item of (section, object,
 * key) in the snippet stands for. */
static const struct sim_fix_change *item_change(const struct sim_fix_list *l,
						const char *section,
						const char *object,
						const char *key, int item)
{
	for (uint32_t i = 0; i < l->n; i++)
		for (uint32_t k = 0; k < l->v[i].n; k++) {
			const struct sim_fix_change *c = &l->v[i].ch[k];
			if (c->op == FIX_SET || c->op == FIX_NEW ||
			    strcmp(c->section, section) ||
			    strcmp(c->object, object) || strcmp(c->key, key))
				continue;
			if (item-- == 0)
				return c;
		}
	return NULL;
}

/* Whether the fixes set key of (section, object) as a whole. */
static bool is_set(const struct sim_fix_list *l, const char *section,
		   const char *object, const char *key)
{
	for (uint32_t i = 0; i < l->n; i++)
		for (uint32_t k = 0; k < l->v[i].n; k++) {
			const struct sim_fix_change *c = &l->v[i].ch[k];
			if (c->op == FIX_SET && !strcmp(c->section, section) &&
			    !strcmp(c->object, object) && !strcmp(c->key, key))
				return true;
		}
	return false;
}

/* Whether list item id of d is what change c replaces. */
static bool replaced_item(yaml_document_t *d, int id,
			  const struct sim_fix_change *c)
{
	if (!c->match_key)
		return scalar_is(d, id, c->match);
	int p = pair_of(d, id, c->match_key);
	return p >= 0 &&
	       scalar_is(d, node(d, id)->data.mapping.pairs.start[p].value,
			 c->match);
}

/* Merges the value v (of snippet s) of key k of object obj of section sec
 * into the object node o of d. */
static void merge_key(yaml_document_t *d, int o, yaml_document_t *s, int kid,
		      int v, const char *sec, const char *obj,
		      const struct sim_fix_list *l)
{
	const char *key = (const char *)node(s, kid)->data.scalar.value;
	int p = pair_of(d, o, key);
	if (p < 0) {
		int nk = copy_node(d, s, kid), nv = copy_node(d, s, v);
		yaml_document_append_mapping_pair(d, o, nk, nv);
		return;
	}
	if (node(s, v)->type != YAML_SEQUENCE_NODE ||
	    is_set(l, sec, obj, key)) {
		int nv = copy_node(d, s, v);
		node(d, o)->data.mapping.pairs.start[p].value = nv;
		return;
	}
	int k = (int)(node(s, v)->data.sequence.items.top -
		      node(s, v)->data.sequence.items.start);
	for (int i = 0; i < k; i++) {
		int item = node(s, v)->data.sequence.items.start[i];
		const struct sim_fix_change *c =
		    item_change(l, sec, obj, key, i);
		int list = node(d, o)->data.mapping.pairs.start[p].value;
		int ni = copy_node(d, s, item);
		yaml_node_t *ln = node(d, list);
		if (c && c->op == FIX_REPLACE && ln->type == YAML_SCALAR_NODE) {
			if (replaced_item(d, list, c))
				node(d, o)->data.mapping.pairs.start[p].value =
				    ni;
			continue;
		}
		if (c && c->op == FIX_REPLACE) {
			int n = (int)(ln->data.sequence.items.top -
				      ln->data.sequence.items.start);
			for (int j = 0; j < n; j++)
				if (replaced_item(
					d,
					node(d, list)
					    ->data.sequence.items.start[j],
					c))
					node(d, list)
					    ->data.sequence.items.start[j] = ni;
			continue;
		}
		if (ln->type == YAML_SCALAR_NODE &&
		    !*(const char *)ln->data.scalar.value) {
			/* "key:" with nothing: the list begins here */
			int seq = yaml_document_add_sequence(
			    d, NULL, YAML_BLOCK_SEQUENCE_STYLE);
			node(d, o)->data.mapping.pairs.start[p].value = seq;
			list = seq;
		}
		yaml_document_append_sequence_item(d, list, ni);
	}
}

static int write_out(void *data, unsigned char *buf, size_t size)
{
	strbuf_add(data, (const char *)buf, size);
	return 1;
}

/*
 * The model text with the fixes of l pasted in, as report_fix_yaml prints
 * them; NULL when the snippet does not parse.  The caller frees it.
 */
static char *apply_fixes(const char *text, const struct sim_fix_list *l)
{
	char *snippet = report_fix_yaml(l->v, l->n, 60);
	yaml_parser_t p;
	yaml_document_t d, s;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text,
				     strlen(text));
	int ok = yaml_parser_load(&p, &d);
	yaml_parser_delete(&p);
	ck_assert_msg(ok, "the model does not parse");
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)snippet,
				     strlen(snippet));
	ok = yaml_parser_load(&p, &s);
	yaml_parser_delete(&p);
	if (!ok || !yaml_document_get_root_node(&s)) {
		fprintf(stderr, "the snippet does not parse:\n%s", snippet);
		free(snippet);
		yaml_document_delete(&d);
		if (ok)
			yaml_document_delete(&s);
		return NULL;
	}
	free(snippet);
	int root = 1, sroot = 1;
	yaml_node_t *sr = node(&s, sroot);
	int ns =
	    (int)(sr->data.mapping.pairs.top - sr->data.mapping.pairs.start);
	for (int i = 0; i < ns; i++) {
		yaml_node_pair_t sp =
		    node(&s, sroot)->data.mapping.pairs.start[i];
		const char *sec =
		    (const char *)node(&s, sp.key)->data.scalar.value;
		int pi = pair_of(&d, root, sec);
		if (pi < 0 ||
		    node(&d, node(&d, root)->data.mapping.pairs.start[pi].value)
			    ->type != YAML_MAPPING_NODE) {
			int nk = copy_node(&d, &s, sp.key);
			int nv = yaml_document_add_mapping(
			    &d, NULL, YAML_BLOCK_MAPPING_STYLE);
			if (pi < 0)
				yaml_document_append_mapping_pair(&d, root, nk,
								  nv);
			else
				node(&d, root)
				    ->data.mapping.pairs.start[pi]
				    .value = nv;
			pi = pair_of(&d, root, sec);
		}
		int dsec = node(&d, root)->data.mapping.pairs.start[pi].value;
		int no = (int)(node(&s, sp.value)->data.mapping.pairs.top -
			       node(&s, sp.value)->data.mapping.pairs.start);
		for (int j = 0; j < no; j++) {
			yaml_node_pair_t op =
			    node(&s, sp.value)->data.mapping.pairs.start[j];
			const char *obj =
			    (const char *)node(&s, op.key)->data.scalar.value;
			int oi = pair_of(&d, dsec, obj);
			if (oi < 0) {
				int nk = copy_node(&d, &s, op.key);
				int nv = copy_node(&d, &s, op.value);
				yaml_document_append_mapping_pair(&d, dsec, nk,
								  nv);
				continue;
			}
			int dobj =
			    node(&d, dsec)->data.mapping.pairs.start[oi].value;
			int nkeys =
			    (int)(node(&s, op.value)->data.mapping.pairs.top -
				  node(&s, op.value)->data.mapping.pairs.start);
			for (int k = 0; k < nkeys; k++) {
				yaml_node_pair_t kp =
				    node(&s, op.value)
					->data.mapping.pairs.start[k];
				merge_key(&d, dobj, &s, kp.key, kp.value, sec,
					  obj, l);
			}
		}
	}
	yaml_document_delete(&s);
	struct strbuf out = {0};
	yaml_emitter_t e;
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, write_out, &out);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_open(&e);
	yaml_emitter_dump(&e, &d); /* deletes d */
	yaml_emitter_close(&e);
	yaml_emitter_delete(&e);
	return out.s;
}

/* ---- asking ----------------------------------------------------------- */

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	struct strbuf b = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&b, buf, n);
	fclose(f);
	return b.s;
}

static struct model *load_text(const char *name, const char *text)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, name, text, strlen(text), &d);
	if (rc || !m) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s:%u: %s\n", name, d.v[i].line,
				d.v[i].message);
	}
	diag_list_free(&d);
	return rc ? NULL : m;
}

/*
 * One intended flow as rules/change.c asks it: a load balancer's forward
 * to a resource as the pairs of its forwards (for the load balancer's
 * default client), else src -> dst.  false when an end is not in m.
 */
static bool ask(struct sim_answer *an, const struct sim *s,
		const struct intended_flow *f)
{
	const struct model *m = sim_model(s);
	struct sim_sel a, b;
	char err[256];
	if (f->src_id ? sim_sel_parse(&a, s, f->src_id, err, sizeof(err))
		      : sim_sel_parse(&a, s, "internet", err, sizeof(err)))
		return false;
	if (sim_sel_parse(&b, s, f->dst_id, err, sizeof(err)))
		return false;
	if (!f->forward || a.kind != SEL_RESOURCE ||
	    a.rkind != MK_LOAD_BALANCER || b.kind != SEL_RESOURCE) {
		sim_answer(an, s, &a, &b, f->flow, true);
		return true;
	}
	uint32_t lb = a.rindex, nn;
	struct sim_fwds fw = {0};
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, lb, &nn);
	for (uint32_t li = 0; li < m->lbs[lb].n_listeners; li++)
		for (uint32_t k = 0; k < nn; k++)
			sim_lb_forwards(m, lb, li,
					(uint32_t)(&nodes[k] - m->placements),
					&fw);
	memset(an, 0, sizeof(*an));
	an->flow = f->flow;
	an->pairs = calloc(fw.n + 1, sizeof(*an->pairs));
	for (uint32_t i = 0; i < fw.n; i++) {
		const struct sim_fwd *x = &fw.v[i];
		if (x->target.placement == MODEL_NONE)
			continue;
		const struct model_placement *q =
		    &m->placements[x->target.placement];
		if (q->kind != b.rkind || q->index != b.rindex ||
		    x->traffic.port != f->flow.port)
			continue;
		bool dup = false;
		for (uint32_t j = 0; j < i && !dup; j++)
			dup = fw.v[j].node == x->node &&
			      fw.v[j].target.placement == x->target.placement &&
			      fw.v[j].traffic.port == f->flow.port;
		if (dup)
			continue;
		struct sim_pair *p = &an->pairs[an->n++];
		struct sim_fwd_check ck;
		p->src =
		    (struct sim_ep){.kind = EP_PLACEMENT, .placement = x->node};
		p->dst = (struct sim_ep){.kind = EP_PLACEMENT,
					 .placement = x->target.placement};
		sim_trace_init(&p->trace);
		sim_forward_check(s, x, sim_lb_default_client(m, lb), &ck,
				  &p->trace);
		p->res = ck.res;
		p->res.reachable = ck.works;
		an->n_ok += ck.works;
	}
	an->verdict = an->n && an->n_ok == an->n ? VERDICT_ALL
		      : an->n_ok		 ? VERDICT_SOME
						 : VERDICT_NONE;
	sim_fwds_free(&fw);
	return true;
}

/* Whether every pair works (a degraded pair that counts as reachable
 * does, §5). */
static bool all_work(const struct sim_answer *an)
{
	return an->n && an->verdict == VERDICT_ALL;
}

/* ---- the flows vpcsim writes no fix for -------------------------------- */

static const struct {
	const char *file, *from, *to;
	uint16_t port;
	const char *why;
} no_fix[] = {
    /* data-sg admits the workers on 6379 and 2049 for the cache and the
     * file system together: change_collect makes each port a flow to
     * both, but each store listens on its own port only.  Nothing in the
     * network is wrong. */
    {"data-stores.yaml", "worker", "files-a", 6379,
     "the EFS mount target listens on 2049, not 6379"},
    {"data-stores.yaml", "worker", "sessions", 2049,
     "the cache listens on 6379, not 2049"},
};

static const char *no_fix_reason(const char *file,
				 const struct intended_flow *f)
{
	for (size_t i = 0; i < sizeof(no_fix) / sizeof(no_fix[0]); i++)
		if (!strcmp(no_fix[i].file, file) &&
		    !strcmp(no_fix[i].from,
			    f->src_id ? f->src_id : "internet") &&
		    !strcmp(no_fix[i].to, f->dst_id) &&
		    no_fix[i].port == f->flow.port)
			return no_fix[i].why;
	return NULL;
}

/* ---- tests ------------------------------------------------------------ */

/* Broken variants whose lesson is a blocked intended flow: each must have
 * at least one that its fix repairs, so the test cannot pass by finding
 * nothing to fix. */
static const char *const broken[] = {
    "nacl-drops-alb-replies.yaml",
    "nacl-service-port-only.yaml",
    "nacl-partial-ephemeral.yaml",
    "nacl-deny-before-allow.yaml",
    "nacl-deny-port-hits-replies.yaml",
    "targets-sg-wrong.yaml",
    "no-egress.yaml",
    "nat-in-private-subnet.yaml",
    "nat-removed-blackhole.yaml",
    "rules-cfg-lb-private-subnet.yaml",
    "endpoints.yaml",
    "ecs-bridge-dynamic.yaml",
    "nlb-client-ip.yaml",
    "default-security-group.yaml",
    "tutorial/02-igw-route-broken.yaml",
    "tutorial/06-health-check-broken.yaml",
    "tutorial/10-gate-broken.yaml",
};

static char *files[128];
static int n_files;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenarios and the tutorial's exercises (scenarios/tutorial/). */
static void collect_dir(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && n_files < 128) {
		size_t len = strlen(de->d_name);
		if (len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) {
			char name[300];
			snprintf(name, sizeof(name), "%s%s", prefix,
				 de->d_name);
			files[n_files++] = strdup(name);
		}
	}
	closedir(d);
}

static void collect_files(void)
{
	if (n_files)
		return;
	collect_dir("scenarios", "");
	collect_dir("scenarios/tutorial", "tutorial/");
	qsort(files, (size_t)n_files, sizeof(files[0]), cmp_str);
}

/*
 * Every blocked intended flow of one scenario: its fixes, pasted, make it
 * pass; or it is in no_fix[] and has no fix.
 */
START_TEST(test_scenario_fixes)
{
	collect_files();
	const char *file = files[_i];
	char path[256];
	snprintf(path, sizeof(path), "scenarios/%s", file);
	char *text = read_text(path);
	struct model *m = load_text(path, text);
	ck_assert_ptr_nonnull(m);
	struct sim *s;
	sim_new(&s, m);
	struct change_report r;
	memset(&r, 0, sizeof(r));
	change_collect(&r.flows, m);
	struct strbuf bad = {0};
	uint32_t repaired = 0;
	for (uint32_t i = 0; i < r.flows.n; i++) {
		const struct intended_flow *f = &r.flows.v[i];
		struct sim_answer an;
		if (!ask(&an, s, f))
			continue; /* an end that is not there: gone */
		if (!an.n || all_work(&an)) {
			sim_answer_free(&an);
			continue;
		}
		char name[256];
		snprintf(name, sizeof(name), "%s -> %s %s %u",
			 f->src_id ? f->src_id : "internet", f->dst_id,
			 proto_name(f->flow.proto), f->flow.port);
		struct sim_fix_list l = {0};
		uint32_t none = sim_answer_fixes(&l, m, &an);
		sim_answer_free(&an);
		const char *reason = no_fix_reason(file, f);
		if (reason) {
			if (l.n)
				strbuf_printf(&bad,
					      "\n  %s: listed as without a fix "
					      "(%s), but has one",
					      name, reason);
			sim_fix_list_free(&l);
			continue;
		}
		if (none || !l.n) {
			strbuf_printf(&bad,
				      "\n  %s: %u failing pairs without a fix",
				      name, none);
			sim_fix_list_free(&l);
			continue;
		}
		char *fixed = apply_fixes(text, &l);
		sim_fix_list_free(&l);
		struct model *m2 = fixed ? load_text(path, fixed) : NULL;
		if (!m2) {
			strbuf_printf(&bad,
				      "\n  %s: the fixed model does not %s",
				      name, fixed ? "load" : "parse");
			free(fixed);
			continue;
		}
		struct sim *s2;
		sim_new(&s2, m2);
		struct sim_answer an2;
		bool asked = ask(&an2, s2, f);
		if (!asked || !all_work(&an2))
			strbuf_printf(&bad,
				      "\n  %s: still fails after its fixes "
				      "(%u of %u pairs work)",
				      name, asked ? an2.n_ok : 0,
				      asked ? an2.n : 0);
		else
			repaired++;
		if (asked)
			sim_answer_free(&an2);
		sim_free(s2);
		model_free(m2);
		free(fixed);
	}
	change_report_free(&r);
	sim_free(s);
	model_free(m);
	free(text);
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		if (!strcmp(broken[i], file) && !repaired)
			strbuf_printf(&bad,
				      "\n  no blocked intended flow fixed");
	char msg[4096];
	snprintf(msg, sizeof(msg), "%s", strbuf_str(&bad));
	bool ok = !bad.n;
	strbuf_free(&bad);
	ck_assert_msg(ok, "%s:%s", file, msg);
}
END_TEST

/* The flows listed without a fix are still blocked intended flows: a
 * list entry that no longer applies is an error too. */
START_TEST(test_no_fix_list_current)
{
	for (size_t i = 0; i < sizeof(no_fix) / sizeof(no_fix[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "scenarios/%s", no_fix[i].file);
		char *text = read_text(path);
		struct model *m = load_text(path, text);
		ck_assert_ptr_nonnull(m);
		struct sim *s;
		sim_new(&s, m);
		struct change_report r;
		memset(&r, 0, sizeof(r));
		change_collect(&r.flows, m);
		bool found = false;
		for (uint32_t k = 0; k < r.flows.n; k++) {
			const struct intended_flow *f = &r.flows.v[k];
			if (no_fix_reason(no_fix[i].file, f) != no_fix[i].why)
				continue;
			struct sim_answer an;
			ck_assert(ask(&an, s, f));
			found = !all_work(&an);
			sim_answer_free(&an);
		}
		change_report_free(&r);
		sim_free(s);
		model_free(m);
		free(text);
		ck_assert_msg(found, "%s %s -> %s: not a blocked intended flow",
			      no_fix[i].file, no_fix[i].from, no_fix[i].to);
	}
}
END_TEST

/*
 * Beyond the intended flows: the first questions a student asks, the
 * internet to every resource and every compute resource to aws:ecr
 * (its image).  Each one blocked with a fix (not a refusal) passes once
 * the fix is pasted in.  Load balancers and databases are left out as
 * sources: they never pull an image.
 */
START_TEST(test_question_fixes)
{
	collect_files();
	const char *file = files[_i];
	char path[256];
	snprintf(path, sizeof(path), "scenarios/%s", file);
	char *text = read_text(path);
	struct model *m = load_text(path, text);
	ck_assert_ptr_nonnull(m);
	struct sim *s;
	sim_new(&s, m);
	struct strbuf bad = {0};
	for (uint32_t i = 0; i < m->n_objects; i++) {
		const struct model_obj *o = m->by_id[i];
		bool compute = o->kind == MK_SERVICE ||
			       o->kind == MK_INSTANCE || o->kind == MK_FLEET;
		if (!compute && o->kind != MK_LOAD_BALANCER &&
		    o->kind != MK_DATABASE)
			continue;
		for (int out = 0; out < 1 + compute; out++) {
			struct intended_flow f;
			memset(&f, 0, sizeof(f));
			f.src_id = out ? (char *)o->id : NULL;
			f.dst_id = out ? (char *)"aws:ecr" : (char *)o->id;
			struct sim_sel b;
			char err[128];
			if (sim_sel_parse(&b, s, f.dst_id, err, sizeof(err)))
				continue;
			uint32_t ne, nf = 0;
			struct sim_ep *eps = sim_sel_endpoints(s, &b, &ne);
			struct sim_flow fl[4];
			if (ne)
				sim_service_ports(s, &eps[0], fl, 4, &nf);
			free(eps);
			for (uint32_t k = 0; k < nf; k++) {
				f.flow = fl[k];
				struct sim_answer an;
				if (!ask(&an, s, &f))
					continue;
				struct sim_fix_list l = {0};
				uint32_t none =
				    all_work(&an)
					? 1
					: sim_answer_fixes(&l, m, &an);
				sim_answer_free(&an);
				if (none || !l.n) {
					sim_fix_list_free(&l);
					continue;
				}
				char *fixed = apply_fixes(text, &l);
				sim_fix_list_free(&l);
				struct model *m2 =
				    fixed ? load_text(path, fixed) : NULL;
				struct sim *s2 = NULL;
				struct sim_answer an2;
				bool ok = false;
				if (m2) {
					sim_new(&s2, m2);
					if (ask(&an2, s2, &f)) {
						ok = all_work(&an2);
						sim_answer_free(&an2);
					}
				}
				if (!ok)
					strbuf_printf(&bad,
						      "\n  %s -> %s %u: still "
						      "fails after its fixes",
						      out ? o->id : "internet",
						      f.dst_id, f.flow.port);
				sim_free(s2);
				model_free(m2);
				free(fixed);
			}
		}
	}
	sim_free(s);
	model_free(m);
	free(text);
	char msg[4096];
	snprintf(msg, sizeof(msg), "%s", strbuf_str(&bad));
	bool ok = !bad.n;
	strbuf_free(&bad);
	ck_assert_msg(ok, "%s:%s", file, msg);
}
END_TEST

/* A model of one VPC: a client subnet a and a server subnet b whose NACL
 * has the inbound rules given, and an instance in each. */
static struct model *nacl_model(const char *inbound)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fprintf(
	    f,
	    "vpcs: {v: {cidr: 10.0.0.0/16}}\n"
	    "subnets:\n"
	    "  a: {vpc: v, cidr: 10.0.1.0/24, az: us-east-1a}\n"
	    "  b: {vpc: v, cidr: 10.0.2.0/24, az: us-east-1a, "
	    "network_acl: acl}\n"
	    "network_acls:\n"
	    "  acl:\n"
	    "    vpc: v\n"
	    "    inbound:\n%s"
	    "    outbound:\n"
	    "      - {rule: 100, action: allow, protocol: all, "
	    "cidr: 0.0.0.0/0}\n"
	    "security_groups:\n"
	    "  sg: {vpc: v, ingress: [{protocol: all, from: 10.0.0.0/16}]}\n"
	    "instances:\n"
	    "  c: {subnet: a, security_groups: [sg]}\n"
	    "  s: {subnet: b, security_groups: [sg]}\n",
	    inbound);
	fclose(f);
	struct model *m = load_text("nacl.yaml", text);
	free(text);
	return m;
}

/* The fix of the first pair of c -> s tcp 443 (its blocking step). */
static const struct sim_fix *first_fix(const struct sim_answer *an)
{
	const struct sim_pair *p = &an->pairs[0];
	ck_assert(!p->res.reachable);
	ck_assert_ptr_nonnull(p->trace.steps[p->res.block_step].fix);
	return p->trace.steps[p->res.block_step].fix;
}

/* A NACL's allow must decide before the deny that blocked: numbered just
 * below it, a round ten when one is free; with no number free below it,
 * no fix, and the reason. */
START_TEST(test_nacl_rule_numbers)
{
	static const struct {
		const char *rules, *want;
	} cases[] = {
	    {"      - {rule: 100, action: deny, protocol: tcp, ports: 443, "
	     "cidr: 0.0.0.0/0}\n",
	     "90"},
	    {"      - {rule: 40, action: allow, protocol: tcp, ports: 22, "
	     "cidr: 0.0.0.0/0}\n"
	     "      - {rule: 50, action: deny, protocol: tcp, ports: 443, "
	     "cidr: 0.0.0.0/0}\n",
	     "49"},
	    {"      - {rule: 120, action: allow, protocol: tcp, ports: 22, "
	     "cidr: 0.0.0.0/0}\n",
	     "130"},
	    {"      - {rule: 1, action: deny, protocol: tcp, ports: 443, "
	     "cidr: 0.0.0.0/0}\n",
	     NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model *m = nacl_model(cases[i].rules);
		ck_assert_ptr_nonnull(m);
		struct sim *s;
		sim_new(&s, m);
		struct sim_sel a, b;
		char err[128];
		ck_assert_int_eq(sim_sel_parse(&a, s, "c", err, sizeof(err)),
				 0);
		ck_assert_int_eq(sim_sel_parse(&b, s, "s", err, sizeof(err)),
				 0);
		struct sim_answer an;
		sim_answer(&an, s, &a, &b, (struct sim_flow){PROTO_TCP, 443},
			   true);
		const struct sim_fix *fx = first_fix(&an);
		if (!cases[i].want) {
			ck_assert_uint_eq(fx->n, 0);
			ck_assert_ptr_nonnull(
			    strstr(fx->none, "no rule number is free"));
		} else {
			ck_assert_uint_ge(fx->n, 1);
			ck_assert_str_eq(fx->ch[0].key, "inbound");
			ck_assert_str_eq(fx->ch[0].f[0].key, "rule");
			ck_assert_str_eq(fx->ch[0].f[0].val, cases[i].want);
			ck_assert_str_eq(fx->ch[0].f[fx->ch[0].n - 1].val,
					 "10.0.1.0/24");
		}
		sim_answer_free(&an);
		sim_free(s);
		model_free(m);
	}
}
END_TEST

/* Fixes of several pairs together: equal ones once, and NACL rules that
 * the pairs numbered alike renumbered apart, so the snippet loads. */
START_TEST(test_fix_list_numbers)
{
	const char *path = "scenarios/nacl-drops-alb-replies.yaml";
	char *text = read_text(path);
	struct model *m = load_text(path, text);
	struct sim *s;
	sim_new(&s, m);
	struct sim_sel a, b;
	char err[128];
	ck_assert_int_eq(sim_sel_parse(&a, s, "alb", err, sizeof(err)), 0);
	ck_assert_int_eq(sim_sel_parse(&b, s, "web", err, sizeof(err)), 0);
	struct sim_answer an;
	sim_answer(&an, s, &a, &b, (struct sim_flow){PROTO_TCP, 3000}, true);
	/* Each pair alone numbers its rule 140. */
	for (uint32_t i = 0; i < an.n; i++) {
		const struct sim_pair *p = &an.pairs[i];
		const struct sim_step *st = &p->trace.steps[p->res.block_step];
		ck_assert_str_eq(st->fix->ch[0].f[0].val, "140");
	}
	struct sim_fix_list l = {0};
	ck_assert_uint_eq(sim_answer_fixes(&l, m, &an), 0);
	ck_assert_uint_eq(l.n, 2); /* one per ALB subnet, of four pairs */
	ck_assert_str_eq(l.v[0].ch[0].f[0].val, "140");
	ck_assert_str_eq(l.v[1].ch[0].f[0].val, "150");
	char *fixed = apply_fixes(text, &l);
	ck_assert_ptr_nonnull(fixed);
	struct model *m2 = load_text(path, fixed);
	ck_assert_ptr_nonnull(m2);
	struct sim *s2;
	sim_new(&s2, m2);
	struct sim_answer an2;
	ck_assert_int_eq(sim_sel_parse(&a, s2, "alb", err, sizeof(err)), 0);
	ck_assert_int_eq(sim_sel_parse(&b, s2, "web", err, sizeof(err)), 0);
	sim_answer(&an2, s2, &a, &b, (struct sim_flow){PROTO_TCP, 3000}, true);
	ck_assert_int_eq(an2.verdict, VERDICT_ALL);
	for (uint32_t i = 0; i < an2.n; i++)
		ck_assert(!an2.pairs[i].res.degraded);
	sim_answer_free(&an2);
	sim_free(s2);
	model_free(m2);
	free(fixed);
	sim_fix_list_free(&l);
	sim_answer_free(&an);
	sim_free(s);
	model_free(m);
	free(text);
}
END_TEST

Suite *fix_suite(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("fixes");
	collect_files();
	tcase_add_loop_test(tc, test_scenario_fixes, 0, n_files);
	tcase_add_loop_test(tc, test_question_fixes, 0, n_files);
	tcase_add_test(tc, test_no_fix_list_current);
	tcase_add_test(tc, test_nacl_rule_numbers);
	tcase_add_test(tc, test_fix_list_numbers);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
