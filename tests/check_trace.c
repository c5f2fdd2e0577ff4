/*
 * Traces as a student reads them (issue 17): report/trace.c's text and
 * the engine's why and fix on the steps, over every scenario.
 *
 * For each scenario the questions are those a student asks first: the
 * internet to every resource, every resource to aws:ecr, and the intended
 * flows (rules/change.c).  Their traces must
 *   - give every blocking and every degraded step a why and a fix (or the
 *     reason there is none);
 *   - fit 80 columns (a line longer than that is one word: a file name);
 *   - say none of the jargon the issue names, and explain the sample
 *     internet address where it appears;
 *   - with --explain, explain each glossary term once, at its first
 *     appearance.
 * The glossary of report/glossary.c and docs/glossary.md say the same.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "load/load.h"
#include "report/report.h"
#include "rules/change.h"
#include "sim/sim.h"

static char *files[128];
static int n_files;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect_files(void)
{
	if (n_files)
		return;
	DIR *d = opendir("scenarios");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && n_files < 128) {
		size_t len = strlen(de->d_name);
		if (len > 5 && !strcmp(de->d_name + len - 5, ".yaml"))
			files[n_files++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(files, (size_t)n_files, sizeof(files[0]), cmp_str);
}

/* The questions of a scenario, as selector pairs with a port (0: the
 * service ports, as `trace` asks without --port). */
struct question {
	char from[96], to[96];
	struct sim_flow flow;
	bool service_ports;
};

static uint32_t questions(const struct model *m, struct question *q,
			  uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->n_objects && n + 2 < max; i++) {
		const struct model_obj *o = m->by_id[i];
		if (o->kind != MK_LOAD_BALANCER && o->kind != MK_SERVICE &&
		    o->kind != MK_DATABASE && o->kind != MK_INSTANCE &&
		    o->kind != MK_FLEET)
			continue;
		q[n] = (struct question){.service_ports = true};
		snprintf(q[n].from, sizeof(q[n].from), "internet");
		snprintf(q[n].to, sizeof(q[n].to), "%s", o->id);
		n++;
		q[n] = (struct question){.service_ports = true};
		snprintf(q[n].from, sizeof(q[n].from), "%s", o->id);
		snprintf(q[n].to, sizeof(q[n].to), "aws:ecr");
		n++;
	}
	struct change_report r;
	memset(&r, 0, sizeof(r));
	change_collect(&r.flows, m);
	for (uint32_t i = 0; i < r.flows.n && n < max; i++) {
		const struct intended_flow *f = &r.flows.v[i];
		q[n] = (struct question){.flow = f->flow};
		snprintf(q[n].from, sizeof(q[n].from), "%s",
			 f->src_id ? f->src_id : "internet");
		snprintf(q[n].to, sizeof(q[n].to), "%s", f->dst_id);
		n++;
	}
	change_report_free(&r);
	return n;
}

/* Every blocking and degraded step has a why and a fix or its reason;
 * other steps have neither. */
static void check_steps(struct strbuf *bad, const char *what,
			const struct sim_answer *an)
{
	for (uint32_t i = 0; i < an->n; i++) {
		const struct sim_trace *t = &an->pairs[i].trace;
		for (uint32_t k = 0; k < t->n; k++) {
			const struct sim_step *st = &t->steps[k];
			bool needs = st->block != BLK_NONE || st->ports_total;
			bool has = st->why && st->fix &&
				   (st->fix->n ? st->fix->text != NULL
					       : st->fix->none != NULL);
			if (needs != has)
				strbuf_printf(bad,
					      "\n  %s: step '%s' %s a why and "
					      "fix",
					      what, st->text,
					      needs ? "lacks" : "has");
			if (has && !st->fix->n &&
			    strstr(st->fix->none, "has no fix to write"))
				strbuf_printf(bad,
					      "\n  %s: step '%s' has only the "
					      "generic explanation",
					      what, st->text);
		}
	}
}

/* What a student must not be left with: jargon the output no longer
 * uses, and lines wider than a terminal. */
static void check_text(struct strbuf *bad, const char *what, const char *text)
{
	static const char *const jargon[] = {
	    "equivalence class", "placement pair", "compromised",
	    "calling endpoint",	 "gone (source)",
	};
	for (size_t j = 0; j < sizeof(jargon) / sizeof(jargon[0]); j++)
		if (strstr(text, jargon[j]))
			strbuf_printf(bad, "\n  %s: says '%s'", what,
				      jargon[j]);
	if (strstr(text, "198.51.100.7") &&
	    !strstr(text, "198.51.100.7 is a sample internet address"))
		strbuf_printf(bad, "\n  %s: 198.51.100.7 unexplained", what);
	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\n");
		size_t lead = strspn(l, " ");
		bool one_word = memchr(l + lead, ' ', len - lead) == NULL;
		if (len > 80 && !one_word)
			strbuf_printf(bad,
				      "\n  %s: a line of %zu columns: %.*s",
				      what, len, (int)len, l);
		l += len + (l[len] == '\n');
	}
}

/* The text of `trace` (reach false) or `reach`. */
static char *render(const struct sim *s, const struct sim_sel *a,
		    const struct sim_sel *b, const struct sim_answer *an,
		    uint32_t n, bool explain, bool reach)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (reach)
		report_reach_text(f, s, a, b, an, n, NULL, explain);
	else
		report_trace_text(f, s, a, b, an, n, explain);
	fclose(f);
	return buf;
}

START_TEST(test_scenario_traces)
{
	collect_files();
	const char *file = files[_i];
	char path[256];
	snprintf(path, sizeof(path), "scenarios/%s", file);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(model_load_file(&m, path, &d), 0);
	diag_list_free(&d);
	struct sim *s;
	sim_new(&s, m);
	struct question *q = calloc(256, sizeof(*q));
	uint32_t nq = questions(m, q, 256);
	struct strbuf bad = {0};
	for (uint32_t i = 0; i < nq; i++) {
		struct sim_sel a, b;
		char err[256], what[256];
		if (sim_sel_parse(&a, s, q[i].from, err, sizeof(err)) ||
		    sim_sel_parse(&b, s, q[i].to, err, sizeof(err)))
			continue;
		struct sim_flow flows[8];
		uint32_t nf = 0;
		if (q[i].service_ports) {
			uint32_t ne;
			struct sim_ep *eps = sim_sel_endpoints(s, &b, &ne);
			if (ne)
				sim_service_ports(s, &eps[0], flows, 8, &nf);
			free(eps);
		} else {
			flows[nf++] = q[i].flow;
		}
		struct sim_answer an[8];
		for (uint32_t k = 0; k < nf; k++)
			sim_answer(&an[k], s, &a, &b, flows[k], true);
		snprintf(what, sizeof(what), "%s -> %s", q[i].from, q[i].to);
		for (uint32_t k = 0; k < nf; k++)
			check_steps(&bad, what, &an[k]);
		for (int reach = 0; reach < 2; reach++) {
			char *text = render(s, &a, &b, an, nf, false, reach);
			check_text(&bad, what, text);
			free(text);
			/* With --explain: no sentence twice. */
			text = render(s, &a, &b, an, nf, true, reach);
			for (size_t t = 0; t < report_glossary_n; t++) {
				const char *x =
				    strstr(text, report_glossary[t].sentence);
				if (x &&
				    strstr(x + 1, report_glossary[t].sentence))
					strbuf_printf(&bad,
						      "\n  %s: --explain says "
						      "'%s' twice",
						      what,
						      report_glossary[t].term);
			}
			free(text);
		}
		for (uint32_t k = 0; k < nf; k++)
			sim_answer_free(&an[k]);
	}
	free(q);
	sim_free(s);
	model_free(m);
	char msg[4096];
	snprintf(msg, sizeof(msg), "%s", strbuf_str(&bad));
	bool ok = !bad.n;
	strbuf_free(&bad);
	ck_assert_msg(ok, "%s:%s", file, msg);
}
END_TEST

/* The issue's own example: the step that denies is BLOCKED, names the
 * rule that lets one port through and the '*' rule that denies the rest,
 * and says why in the words a student must learn. */
START_TEST(test_nacl_replies_text)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(
	    model_load_file(&m, "scenarios/nacl-drops-alb-replies.yaml", &d),
	    0);
	diag_list_free(&d);
	struct sim *s;
	sim_new(&s, m);
	struct sim_sel a, b;
	char err[128];
	ck_assert_int_eq(sim_sel_parse(&a, s, "alb", err, sizeof(err)), 0);
	ck_assert_int_eq(sim_sel_parse(&b, s, "web", err, sizeof(err)), 0);
	struct sim_answer an;
	sim_answer(&an, s, &a, &b, (struct sim_flow){PROTO_TCP, 3000}, true);
	ck_assert_uint_eq(an.n, 4);
	const struct sim_pair *p = &an.pairs[0];
	ck_assert(!p->res.reachable);
	ck_assert_int_eq(p->res.block, BLK_NACL_REPLY_OUT);
	const struct sim_step *st = &p->trace.steps[p->res.block_step];
	/* The deciding step itself, not a summary added after it. */
	ck_assert_int_eq(st->kind, SK_NACL_REPLY_OUT);
	ck_assert_int_eq(st->block, BLK_NACL_REPLY_OUT);
	ck_assert_uint_eq(st->ports_ok, 1);
	ck_assert_uint_eq(st->rule, 32767);
	ck_assert_ptr_nonnull(strstr(st->text, "rule 110"));
	ck_assert_ptr_nonnull(strstr(st->text, "final * rule denies"));
	ck_assert_ptr_nonnull(strstr(st->why, "stateless"));
	ck_assert_ptr_nonnull(strstr(st->why, "ephemeral port"));
	ck_assert_uint_eq(st->fix->n, 1);
	ck_assert_str_eq(st->fix->ch[0].object, "private-nacl");
	ck_assert_str_eq(st->fix->ch[0].key, "outbound");
	/* No step after the blocking one but the other NACL's. */
	for (uint32_t k = (uint32_t)p->res.block_step + 1; k < p->trace.n; k++)
		ck_assert_int_eq(p->trace.steps[k].block, BLK_NONE);
	char *text = render(s, &a, &b, &an, 1, false, false);
	ck_assert_ptr_nonnull(
	    strstr(text, "  BLOCKED network ACL private-nacl"));
	ck_assert_ptr_null(strstr(text, "BLOCKED degraded"));
	ck_assert_ptr_nonnull(strstr(text, "why: Network ACLs are stateless"));
	ck_assert_ptr_nonnull(strstr(text, "fix: add an outbound rule to "
					   "network ACL private-nacl"));
	ck_assert_ptr_nonnull(strstr(text, "cidr: 10.0.1.0/24}"));
	free(text);
	sim_answer_free(&an);
	sim_free(s);
	model_free(m);
}
END_TEST

/*
 * The glossary that --explain quotes and docs/glossary.md agree: each
 * entry of one is a line "- **TERM**: SENTENCE" of the other.
 */
START_TEST(test_glossary_doc)
{
	FILE *f = fopen("docs/glossary.md", "r");
	ck_assert_ptr_nonnull(f);
	char line[1024];
	uint32_t entries = 0;
	bool *found = calloc(report_glossary_n, sizeof(bool));
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "- **", 4))
			continue;
		line[strcspn(line, "\n")] = '\0';
		entries++;
		bool known = false;
		for (size_t t = 0; t < report_glossary_n; t++) {
			char want[1024];
			snprintf(want, sizeof(want), "- **%s**: %s",
				 report_glossary[t].term,
				 report_glossary[t].sentence);
			if (!strcmp(line, want))
				known = found[t] = true;
		}
		ck_assert_msg(known,
			      "docs/glossary.md: '%s' is not in "
			      "report/glossary.c as written",
			      line);
	}
	fclose(f);
	for (size_t t = 0; t < report_glossary_n; t++)
		ck_assert_msg(found[t], "docs/glossary.md lacks '%s'",
			      report_glossary[t].term);
	free(found);
	ck_assert_uint_eq(entries, report_glossary_n);
}
END_TEST

/* Terms are found as whole words, in the order they appear. */
START_TEST(test_terms_in)
{
	uint32_t t[16];
	uint32_t n = report_terms_in("the replies of a stateless network "
				     "ACL; nacl-reply-out",
				     t, 16);
	ck_assert_uint_ge(n, 4);
	ck_assert_str_eq(report_glossary[t[0]].term, "reply");
	ck_assert_str_eq(report_glossary[t[1]].term, "stateless");
	ck_assert_str_eq(report_glossary[t[2]].term, "network ACL");
	ck_assert_str_eq(report_glossary[t[3]].term, "nacl-reply-out");
	/* "NACL" inside "nacl-reply-out" is not the word NACL, nor "node"
	 * the start of "node-to-target". */
	n = report_terms_in("nacl-reply-out", t, 16);
	ck_assert_uint_eq(n, 1);
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("text");
	collect_files();
	tcase_add_loop_test(tc, test_scenario_traces, 0, n_files);
	tcase_add_test(tc, test_nacl_replies_text);
	tcase_add_test(tc, test_glossary_doc);
	tcase_add_test(tc, test_terms_in);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
