/* See check_support.h. */
#include "tests/check_support.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "load/load.h"

struct model *tk_load_p(const char *path, const char *const *params, size_t np)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_files(&m, &path, 1, params, np, &d);
	if (!m)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_msg(m != NULL, "%s does not load", path);
	return m;
}

struct model *tk_load(const char *path)
{
	return tk_load_p(path, NULL, 0);
}

const struct model_obj *tk_obj(const struct model *m, const char *id,
			       enum model_kind kind)
{
	const struct model_obj *o = model_find(m, id);
	ck_assert_msg(o != NULL, "no object '%s'", id);
	ck_assert_int_eq(o->kind, kind);
	return o;
}

uint32_t tk_count(const struct model *m, const char *rule, const char *resource,
		  enum severity *sev)
{
	struct finding_list l = {0};
	const char *only[1] = {rule};
	struct rule_options opt = {only, 1, NULL, 0};
	rules_run(&l, m, &opt);
	uint32_t n = 0;
	for (uint32_t i = 0; i < l.n; i++)
		if (!resource ||
		    (l.v[i].resource && !strcmp(l.v[i].resource, resource))) {
			n++;
			if (sev)
				*sev = l.v[i].severity;
		}
	findings_free(&l);
	return n;
}

void tk_answer(const struct model *m, const char *from, const char *to,
	       uint16_t port, enum sim_verdict *v, enum sim_verdict *fwd)
{
	struct sim *s = NULL;
	struct sim_sel a, b;
	char err[512];
	sim_new(&s, m);
	if (sim_sel_parse(&a, s, from, err, sizeof(err)) ||
	    sim_sel_parse(&b, s, to, err, sizeof(err)))
		ck_abort_msg("selector: %s", err);
	struct sim_answer ans;
	sim_answer(&ans, s, &a, &b, (struct sim_flow){PROTO_TCP, port}, false);
	*v = ans.verdict;
	if (fwd)
		*fwd = ans.fwd ? ans.fwd_verdict : VERDICT_ALL;
	sim_answer_free(&ans);
	sim_free(s);
}
