/*
 * The YAML reading kit (base/ykit.c): scalars, mappings with a fixed set
 * of keys, merge keys, tags, positions and diagnostics, on documents
 * composed by base/ydoc.c.
 *
 * Then one table of YAML features read by both of its users: each case is
 * one mapping written once, with placeholders, and read as an instance of
 * a model (the native loader), as a policy in a policy file, and as a
 * policy in a model's own `policies:` section.  All three must accept it
 * or all three refuse it, with the same problem on the same line of the
 * mapping: a reader that drifted from the others fails here.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "base/ydoc.h"
#include "base/ykit.h"
#include "load/load.h"
#include "rules/rules.h"

/* ---- the kit ------------------------------------------------------------ */

struct doc {
	struct ydoc doc;
	struct diag_list d;
	struct ykit R;
	struct ydoc_node *root;
};

static void doc_open(struct doc *x, const char *text)
{
	memset(x, 0, sizeof(*x));
	x->d = (struct diag_list)DIAG_LIST_INIT;
	ck_assert_msg(
	    ydoc_parse(&x->doc, "t.yaml", text, strlen(text), &x->d) == 0,
	    "does not parse: %s", text);
	ykit_init(&x->R, &x->doc, "t.yaml", &x->d);
	x->root = ykit_node(&x->doc, 1);
}

static void doc_close(struct doc *x)
{
	ykit_fini(&x->R);
	ydoc_free(&x->doc);
	diag_list_free(&x->d);
}

/* The value of key in the root mapping (raw). */
static struct ydoc_node *at(struct doc *x, const char *key)
{
	struct ydoc_node *v = ykit_map_get(&x->doc, x->root, key, NULL);
	ck_assert_ptr_nonnull(v);
	return v;
}

static void assert_diag(const struct doc *x, size_t i, uint32_t line,
			uint32_t col, const char *message)
{
	ck_assert_uint_gt(x->d.n, i);
	ck_assert_str_eq(x->d.v[i].message, message);
	ck_assert_str_eq(x->d.v[i].file, "t.yaml");
	ck_assert_msg(x->d.v[i].line == line && x->d.v[i].col == col,
		      "'%s' at %u:%u, expected %u:%u", message, x->d.v[i].line,
		      x->d.v[i].col, line, col);
}

static const char *const abc[] = {"alpha", "beta", "gamma"};

START_TEST(test_take_keys)
{
	struct doc x;
	struct ydoc_node *v[3], *kn[3];
	doc_open(&x, "m: {alpha: 1, gamma: 3}\n");
	ck_assert(ykit_take_keys(&x.R, at(&x, "m"), "thing", abc, 3, v, kn));
	ck_assert_uint_eq(x.d.n, 0);
	ck_assert_str_eq(ykit_text(v[0]), "1");
	ck_assert_ptr_null(v[1]);
	ck_assert_str_eq(ykit_text(v[2]), "3");
	ck_assert_str_eq(ykit_text(kn[2]), "gamma");
	uint32_t line, col;
	ykit_pos(kn[2], &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 15);
	doc_close(&x);
}
END_TEST

/* An unknown key: did-you-mean, and the key it was taken for is then not
 * reported missing; a repeated key says where it first was. */
START_TEST(test_unknown_and_repeated)
{
	struct doc x;
	struct ydoc_node *v[3];
	doc_open(&x, "m:\n  alhpa: 1\n  beta: 2\n  beta: 3\n  zzz: 4\n");
	struct ydoc_node *m = at(&x, "m");
	ck_assert(ykit_take_keys(&x.R, m, "thing", abc, 3, v, NULL));
	ck_assert_uint_eq(x.d.n, 3);
	assert_diag(&x, 0, 2, 3,
		    "unknown key 'alhpa' in thing (did you mean 'alpha'?)");
	assert_diag(&x, 1, 4, 3, "key 'beta' repeated in thing (first at 3:3)");
	assert_diag(&x, 2, 5, 3, "unknown key 'zzz' in thing");
	ck_assert_str_eq(ykit_text(v[1]), "2");
	ck_assert(ykit_suggested(&x.R, m, "alpha"));
	ck_assert(!ykit_suggested(&x.R, m, "gamma"));
	ykit_need(&x.R, m, v[0], "alpha", "thing");
	ck_assert_uint_eq(x.d.n, 3);
	ykit_need(&x.R, m, v[2], "gamma", "thing");
	assert_diag(&x, 3, 2, 3, "missing required key 'gamma' in thing");
	doc_close(&x);
}
END_TEST

/* Merge keys: own keys win, then the merged mappings in order; unknown
 * keys of a merged mapping are not the mapping's. */
START_TEST(test_merge)
{
	struct doc x;
	struct ydoc_node *v[3], *kn[3];
	doc_open(&x, "p: &p {alpha: p1, beta: p2, other: 9}\n"
		     "q: &q {beta: q2, gamma: q3}\n"
		     "m: {<<: [*p, *q], gamma: own}\n"
		     "n: {<<: *q}\n");
	ck_assert(ykit_take_keys(&x.R, at(&x, "m"), "m", abc, 3, v, kn));
	ck_assert_uint_eq(x.d.n, 0);
	ck_assert_str_eq(ykit_text(v[0]), "p1");
	ck_assert_str_eq(ykit_text(v[1]), "p2");
	ck_assert_str_eq(ykit_text(v[2]), "own");
	uint32_t line, col;
	ykit_pos(kn[0], &line, &col); /* where the merged key is written */
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 8);
	ck_assert(ykit_take_keys(&x.R, at(&x, "n"), "n", abc, 3, v, NULL));
	ck_assert_ptr_null(v[0]);
	ck_assert_str_eq(ykit_text(v[1]), "q2");
	/* peek sees the same; map_get sees only what is written. */
	ck_assert_str_eq(ykit_text(ykit_peek(&x.doc, at(&x, "m"), "alpha")),
			 "p1");
	ck_assert_str_eq(ykit_text(ykit_peek(&x.doc, at(&x, "m"), "gamma")),
			 "own");
	ck_assert_ptr_null(ykit_peek(&x.doc, at(&x, "m"), "delta"));
	ck_assert_ptr_null(ykit_map_get(&x.doc, at(&x, "m"), "alpha", NULL));
	doc_close(&x);
}
END_TEST

START_TEST(test_merge_errors)
{
	struct doc x;
	struct ydoc_node *v[3];
	char text[1024] = "m: {<<: [";
	for (int i = 0; i < 65; i++)
		strcat(text, i ? ", {}" : "{}");
	strcat(text, "]}\nn: {<<: 5, <<: [{}, ~]}\n");
	doc_open(&x, text);
	ykit_take_keys(&x.R, at(&x, "m"), "m", abc, 3, v, NULL);
	ck_assert_uint_eq(x.d.n, 1);
	assert_diag(&x, 0, 1, 9, "a merge key (<<) takes at most 64 mappings");
	ykit_take_keys(&x.R, at(&x, "n"), "n", abc, 3, v, NULL);
	ck_assert_uint_eq(x.d.n, 3);
	assert_diag(&x, 1, 2, 9,
		    "a merge key (<<) needs a mapping, not a "
		    "scalar");
	assert_diag(&x, 2, 2, 21,
		    "a merge key (<<) needs a mapping, not an empty value");
	doc_close(&x);
}
END_TEST

/* Scalars: text, core tags as text; other tags, NUL bytes and
 * collections refused. */
START_TEST(test_scalar)
{
	struct doc x;
	doc_open(&x, "a: !!str 10\n"
		     "b: !Ref web\n"
		     "c: !!binary aGk=\n"
		     "d: \"x\\0y\"\n"
		     "e: [1]\n"
		     "f: !!int 7\n");
	ck_assert_str_eq(ykit_scalar(&x.R, at(&x, "a"), "a"), "10");
	ck_assert_str_eq(ykit_scalar(&x.R, at(&x, "f"), "f"), "7");
	ck_assert_uint_eq(x.d.n, 0);
	ck_assert_ptr_null(ykit_scalar(&x.R, at(&x, "b"), "b"));
	ck_assert_ptr_null(ykit_scalar(&x.R, at(&x, "c"), "c"));
	ck_assert_ptr_null(ykit_scalar(&x.R, at(&x, "d"), "d"));
	ck_assert_ptr_null(ykit_scalar(&x.R, at(&x, "e"), "e"));
	assert_diag(&x, 0, 2, 4,
		    "b has the tag '!Ref', which a vpcsim model does not "
		    "support");
	assert_diag(&x, 1, 3, 4,
		    "c has the tag 'tag:yaml.org,2002:binary', which a vpcsim "
		    "model does not support");
	assert_diag(&x, 2, 4, 4, "d contains a NUL byte");
	assert_diag(&x, 3, 5, 4, "e must be a scalar, not a list");
	doc_close(&x);
}
END_TEST

/* A node reached twice (an alias) reports each problem once. */
START_TEST(test_once)
{
	struct doc x;
	struct ydoc_node *v[3];
	doc_open(&x, "a: &a {alpha: 1, bogus: 2}\nb: *a\n");
	ykit_take_keys(&x.R, at(&x, "a"), "thing", abc, 3, v, NULL);
	ykit_take_keys(&x.R, at(&x, "b"), "thing", abc, 3, v, NULL);
	ck_assert_uint_eq(x.d.n, 1);
	ykit_take_keys(&x.R, at(&x, "b"), "other", abc, 3, v, NULL);
	ck_assert_uint_eq(x.d.n, 2);
	ykit_warn(&x.R, NULL, "no place");
	ykit_warn(&x.R, NULL, "no place");
	ck_assert_uint_eq(x.d.n, 3);
	ck_assert_int_eq(x.d.v[2].severity, DIAG_WARNING);
	ck_assert_uint_eq(x.d.v[2].line, 0);
	doc_close(&x);
}
END_TEST

START_TEST(test_misplaced)
{
	static const struct ykit_misplaced mis[] = {{"gama", "is elsewhere"}};
	struct doc x;
	struct ydoc_node *v[3];
	doc_open(&x, "m: {gama: 1, betta: 2}\n");
	ykit_take_keys_mis(&x.R, at(&x, "m"), "m", abc, 3, mis, 1, v, NULL);
	assert_diag(&x, 0, 1, 5, "'gama' is elsewhere");
	assert_diag(&x, 1, 1, 14,
		    "unknown key 'betta' in m (did you mean 'beta'?)");
	/* A misplaced key is no misspelling of gamma. */
	ck_assert(!ykit_suggested(&x.R, at(&x, "m"), "gamma"));
	ck_assert(ykit_suggested(&x.R, at(&x, "m"), "beta"));
	struct ydoc_node *one = ykit_map_get(&x.doc, at(&x, "m"), "gama", NULL);
	ck_assert(!ykit_take_keys(&x.R, one, "gama", abc, 3, v, NULL));
	assert_diag(&x, 2, 1, 11, "gama must be a mapping, not a scalar");
	doc_close(&x);
}
END_TEST

START_TEST(test_words)
{
	struct doc x;
	doc_open(&x,
		 "a: ~\nb: null\nc:\nd: ''\ne: x\nf: [1]\ng: {}\nh: 'null'\n");
	ck_assert(ykit_is_null(at(&x, "a")));
	ck_assert(ykit_is_null(at(&x, "b")));
	ck_assert(ykit_is_null(at(&x, "c")));
	ck_assert(!ykit_is_null(at(&x, "d")));
	ck_assert(ykit_is_empty(at(&x, "d")));
	ck_assert(!ykit_is_null(at(&x, "h")));
	ck_assert(!ykit_is_empty(at(&x, "e")));
	ck_assert_str_eq(ykit_type_name(at(&x, "a")), "an empty value");
	ck_assert_str_eq(ykit_type_name(at(&x, "e")), "a scalar");
	ck_assert_str_eq(ykit_type_name(at(&x, "f")), "a list");
	ck_assert_str_eq(ykit_type_name(at(&x, "g")), "a mapping");
	ck_assert_str_eq(ykit_value_name(at(&x, "a")), "a string");
	ck_assert_str_eq(ykit_value_name(at(&x, "f")), "a list");
	ck_assert_ptr_null(ykit_text(at(&x, "f")));
	ck_assert_ptr_null(ykit_text(NULL));
	ck_assert_uint_eq(ykit_seq_len(at(&x, "f")), 1);
	ck_assert_str_eq(ykit_text(ykit_seq_item(&x.doc, at(&x, "f"), 0)), "1");
	ck_assert_ptr_null(ykit_node(&x.doc, 0));
	ck_assert_ptr_null(ykit_node(&x.doc, 10000));
	doc_close(&x);
	/* An empty document has no node, not even a root. */
	doc_open(&x, "");
	ck_assert_ptr_null(x.root);
	ck_assert_ptr_null(ykit_node(&x.doc, 1));
	doc_close(&x);
}
END_TEST

/* ---- one set of rules: a model and a policy read alike ---------------------
 *
 * A case is the lines of one mapping.  $A, $C and $KB: {$B1, $B2} stand
 * for its three keys: an instance's subnet, private_ip and suppress:
 * {rules, reason} in a model; a policy's id, message and forbid: {from,
 * to} in a policy.  $KA/$VA are $A's key and value, $KB1/$VB1 $B1's.
 */

struct side {
	const char *a, *ka, *va, *c, *kb, *b1, *kb1, *vb1, *b2;
};

static const struct side as_instance = {
    "subnet: a", "subnet",	 "a",	  "private_ip: 10.0.1.10",
    "suppress",	 "rules: VS001", "rules", "VS001",
    "reason: r"};
static const struct side as_policy = {
    "id: p1",	      "id",   "p1",	  "message: m", "forbid",
    "from: internet", "from", "internet", "to: box"};

#define BASE                                                                   \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"subnets:\n"                                                           \
	"  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"

struct same_case {
	const char *lines;   /* one mapping; lines end with \n */
	const char *problem; /* NULL: accepted; else in the first error */
	uint32_t line;	     /* of the first error, 0 the mapping's first */
};

static const struct same_case same_cases[] = {
    {"$A\n$C\n$KB: {$B1, $B2}\n", NULL, 0},
    {"$A\n$C\n$KB:\n  $B1\n  $B2\n", NULL, 0},
    /* merge keys */
    {"<<: {$A}\n$C\n$KB: {$B1, $B2}\n", NULL, 0},
    {"<<: [{$A}, {$C}]\n$KB: {$B1, $B2}\n", NULL, 0},
    {"<<: {$KA: nothing}\n$A\n$C\n$KB: {$B1, $B2}\n", NULL, 0},
    {"<<: [{$A}, {$KA: nothing}]\n$C\n$KB: {$B1, $B2}\n", NULL, 0},
    {"$A\n$C\n$KB:\n  <<: {$B1}\n  $B2\n", NULL, 0},
    {"<<: {$A}\n<<: {$C}\n$KB: {$B1, $B2}\n", NULL, 0},
    {"<<: $VA\n$A\n$C\n$KB: {$B1, $B2}\n",
     "a merge key (<<) needs a mapping, not a scalar", 0},
    {"<<: [{$A}, 5]\n$C\n$KB: {$B1, $B2}\n",
     "a merge key (<<) needs a mapping, not a scalar", 0},
    {"$A\n$C\n$KB: {<<: ~, $B1, $B2}\n",
     "a merge key (<<) needs a mapping, not an empty value", 2},
    /* anchors and aliases */
    {"<<: &top {$A}\n$C\n$KB: {<<: *top, $B1, $B2}\n", NULL, 0},
    {"$KA: &v $VA\n$C\n$KB: &m {$B1, $B2}\n", NULL, 0},
    {"$A\n$C\n$KB: *nope\n", "found undefined alias", 2},
    {"$A\n$C\n$KB: &r {$B1, $B2, x: *r}\n", "recursive alias", 2},
    {"$KA: &d $VA\n$C\n$KB: &d {$B1, $B2}\n", "duplicate anchor", 2},
    /* duplicate and unknown keys */
    {"$A\n$A\n$C\n$KB: {$B1, $B2}\n", "repeated in", 1},
    {"$A\n$C\n$KB: {$B1, $B1, $B2}\n", "repeated in", 2},
    {"$A\n$C\n$KB: {$B1, $B2}\ncolour: blue\n", "unknown key 'colour'", 3},
    {"$A\n$C\n$KB: {$B1, $B2}\n[1]: x\n", "a key must be a scalar, not a list",
     3},
    /* tags */
    {"$KA: !Ref $VA\n$C\n$KB: {$B1, $B2}\n", "has the tag '!Ref'", 0},
    {"$A\n$C\n$KB: {$KB1: !Sub $VB1, $B2}\n", "has the tag '!Sub'", 2},
    {"$KA: !!binary $VA\n$C\n$KB: {$B1, $B2}\n",
     "has the tag 'tag:yaml.org,2002:binary'", 0},
    {"!k $KA: $VA\n$C\n$KB: {$B1, $B2}\n", "a key has the tag '!k'", 0},
    {"$KA: !!str $VA\n$C\n$KB: {$B1, $B2}\n", NULL, 0},
    {"$A\n$C\n$KB: !Foo {$B1, $B2}\n", NULL, 0},
    /* text */
    {"$KA: \"$VA\\0\"\n$C\n$KB: {$B1, $B2}\n", "contains a NUL byte", 0},
};

/* The case's lines for one side, each indented by four spaces. */
static void expand(char *out, size_t size, const char *lines,
		   const struct side *s)
{
	const struct {
		const char *name, *text;
	} words[] = {{"$KB1", s->kb1}, {"$VB1", s->vb1}, {"$KA", s->ka},
		     {"$VA", s->va},   {"$KB", s->kb},	 {"$B1", s->b1},
		     {"$B2", s->b2},   {"$A", s->a},	 {"$C", s->c}};
	size_t o = 0;
	bool line_start = true;
	for (const char *p = lines; *p && o + 64 < size;) {
		if (line_start) {
			memcpy(out + o, "    ", 4);
			o += 4;
			line_start = false;
		}
		size_t w;
		for (w = 0; w < ARRAY_LEN(words); w++)
			if (!strncmp(p, words[w].name, strlen(words[w].name)))
				break;
		if (w < ARRAY_LEN(words)) {
			o += (size_t)snprintf(out + o, size - o, "%s",
					      words[w].text);
			p += strlen(words[w].name);
			continue;
		}
		line_start = *p == '\n';
		out[o++] = *p++;
	}
	out[o] = '\0';
}

/* What one reading made of a case. */
struct verdict {
	bool ok;
	char problem[512]; /* the first error, by position */
	uint32_t line;	   /* its line, counted from the mapping's first */
};

static void verdict_of(struct verdict *v, int rc, struct diag_list *d,
		       uint32_t first_line)
{
	v->ok = rc == 0 && !d->n_errors;
	v->problem[0] = '\0';
	v->line = 0;
	diag_sort(d);
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].severity == DIAG_ERROR) {
			snprintf(v->problem, sizeof(v->problem), "%s",
				 d->v[i].message);
			v->line = d->v[i].line - first_line;
			break;
		}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	fclose(f);
}

/* The case as an instance of a model. */
static void read_as_model(struct verdict *v, const char *mapping,
			  const char *path)
{
	char text[4096];
	snprintf(text, sizeof(text), BASE "instances:\n  box:\n%s", mapping);
	write_file(path, text);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, path, &d);
	verdict_of(v, rc, &d, 7);
	model_free(m);
	diag_list_free(&d);
}

/* The case as a policy of a policy file, or of the model's own section. */
static void read_as_policy(struct verdict *v, const char *mapping,
			   const char *path, bool in_model)
{
	char text[4096];
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	struct ykit_section *own = NULL;
	struct policy_set *ps = NULL;
	int rc;
	if (in_model) {
		snprintf(text, sizeof(text),
			 BASE "instances:\n  box: {subnet: a}\npolicies:\n  "
			      "-\n%s",
			 mapping);
		write_file(path, text);
		rc = model_load_files_section(&m, &own, &path, 1, NULL, 0, &d);
		if (rc == 0) {
			ck_assert_ptr_nonnull(own);
			rc = policy_load_section(&ps, own, m, &d);
		}
		verdict_of(v, rc, &d, 9);
	} else {
		write_file(path, BASE "instances:\n  box: {subnet: a}\n");
		ck_assert_int_eq(model_load_file(&m, path, &d), 0);
		snprintf(text, sizeof(text), "policies:\n  -\n%s", mapping);
		write_file(path, text);
		rc = policy_load_file(&ps, path, m, &d);
		verdict_of(v, rc, &d, 3);
	}
	policy_set_free(ps);
	ykit_section_free(own);
	model_free(m);
	diag_list_free(&d);
}

START_TEST(test_read_alike)
{
	const struct same_case *c = &same_cases[_i];
	char path[64], model_map[2048], policy_map[2048];
	snprintf(path, sizeof(path), "/tmp/vpcsim-ykit-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	expand(model_map, sizeof(model_map), c->lines, &as_instance);
	expand(policy_map, sizeof(policy_map), c->lines, &as_policy);
	struct verdict v[3];
	read_as_model(&v[0], model_map, path);
	read_as_policy(&v[1], policy_map, path, false);
	read_as_policy(&v[2], policy_map, path, true);
	unlink(path);
	static const char *const how[] = {"a model", "a policy file",
					  "a model's policies"};
	for (int k = 0; k < 3; k++) {
		ck_assert_msg(v[k].ok == !c->problem,
			      "case %d as %s: %s, expected %s (%s)", _i, how[k],
			      v[k].ok ? "accepted" : "refused",
			      c->problem ? "refused" : "accepted",
			      v[k].problem);
		if (v[k].ok)
			continue;
		ck_assert_msg(
		    strstr(v[k].problem, c->problem) && v[k].line == c->line,
		    "case %d as %s: '%s' on line %u, expected '%s' "
		    "on line %u",
		    _i, how[k], v[k].problem, v[k].line, c->problem, c->line);
	}
}
END_TEST

Suite *ykit_suite(void)
{
	Suite *s = suite_create("ykit");
	TCase *tc = tcase_create("ykit");
	tcase_add_test(tc, test_take_keys);
	tcase_add_test(tc, test_unknown_and_repeated);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_merge_errors);
	tcase_add_test(tc, test_scalar);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_misplaced);
	tcase_add_test(tc, test_words);
	tcase_add_loop_test(tc, test_read_alike, 0, ARRAY_LEN(same_cases));
	suite_add_tcase(s, tc);
	return s;
}
