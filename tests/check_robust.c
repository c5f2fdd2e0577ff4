/*
 * Hostile and broken input (docs/robustness.md): the corpus of
 * tests/robust/MANIFEST through the loaders, the limits with inputs made
 * here (a 1 GiB sparse file, 100,000 levels of nesting, a scalar over
 * 1 MiB, a million objects, an endless device), and model_yaml_load
 * against libyaml's own composer.  Every model and diagnostic list is
 * freed: the suite runs under LeakSanitizer with CK_FORK=no.  Run from
 * the repository root (paths are relative to it).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "base/file.h"
#include "base/ydoc.h"
#include "load/load.h"
#include "model/model.h"
#include "model/model_impl.h"
#include "rules/rules.h"

/* ---- helpers --------------------------------------------------------- */

static long max_rss_kb(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/* Every diagnostic, sorted and printed as the command line prints them,
 * in a heap string. */
static char *printed(struct diag_list *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	diag_sort(d);
	diag_print(f, d);
	fclose(f);
	return text;
}

/* The first line of text holding ": error: " (or the first line at all
 * when errors_only is false), "-" for none, in buf. */
static const char *first_line(const char *text, bool errors_only, char *buf,
			      size_t size)
{
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char line[4096];
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!errors_only || strstr(line, ": error: ")) {
			snprintf(buf, size, "%s", line);
			return buf;
		}
		p += n + (end != NULL);
	}
	snprintf(buf, size, "-");
	return buf;
}

/* Loads a buffer that must fail; checks that the first error (in print
 * order) is want.  How long it takes is the benchmarks' business
 * (docs/benchmarks.md), not a test's: a timed test fails on a busy
 * machine, not on slow code. */
static void refused(const char *name, const char *buf, size_t len,
		    const char *want)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, name, buf, len, &d);
	char *text = printed(&d);
	char line[4096];
	first_line(text, true, line, sizeof(line));
	bool ok = rc < 0 && !m && !strcmp(line, want);
	model_free(m);
	diag_list_free(&d);
	free(text);
	ck_assert_msg(ok, "%s: expected '%s', got '%s' (rc %d)", name, want,
		      line, rc);
}

/* A buffer of prefix, then unit n times, then suffix. */
static char *repeat(const char *prefix, const char *unit, size_t n,
		    const char *suffix, size_t *len)
{
	size_t lp = strlen(prefix), lu = strlen(unit), ls = strlen(suffix);
	char *b = malloc(lp + lu * n + ls + 1);
	ck_assert_ptr_nonnull(b);
	memcpy(b, prefix, lp);
	for (size_t i = 0; i < n; i++)
		memcpy(b + lp + i * lu, unit, lu);
	memcpy(b + lp + lu * n, suffix, ls + 1);
	*len = lp + lu * n + ls;
	return b;
}

/* ---- the corpus ------------------------------------------------------ */

#define MANIFEST    "tests/robust/MANIFEST"
#define MAX_ENTRIES 1024

struct entry {
	char file[256];
	int status;
	char first[4096];
};

static struct entry *entries;
static int n_entries;

/* Reads the manifest once, when the suite is built. */
static void read_manifest(void)
{
	FILE *f = fopen(MANIFEST, "r");
	if (!f)
		return; /* test_manifest_read reports it */
	entries = calloc(MAX_ENTRIES, sizeof(*entries));
	char line[8192];
	while (entries && n_entries < MAX_ENTRIES &&
	       fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		char *t1 = strchr(line, '\t');
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		struct entry *e = &entries[n_entries++];
		snprintf(e->file, sizeof(e->file), "%.*s", (int)(t1 - line),
			 line);
		e->status = atoi(t1 + 1);
		snprintf(e->first, sizeof(e->first), "%s", t2 + 1);
	}
	fclose(f);
}

START_TEST(test_manifest_read)
{
	ck_assert_msg(n_entries >= 80,
		      "%s lists %d inputs, expected 80 or more", MANIFEST,
		      n_entries);
	/* every file of the corpus is listed */
	static const char *const dirs[] = {"native", "cfn", "tfplan", "policy"};
	for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		char dir[64];
		snprintf(dir, sizeof(dir), "tests/robust/%s", dirs[k]);
		DIR *dp = opendir(dir);
		if (!dp)
			continue;
		struct dirent *de;
		while ((de = readdir(dp))) {
			if (de->d_name[0] == '.')
				continue;
			char rel[300];
			snprintf(rel, sizeof(rel), "%s/%s", dirs[k],
				 de->d_name);
			bool found = false;
			for (int i = 0; i < n_entries && !found; i++)
				found = !strcmp(entries[i].file, rel);
			if (!found)
				closedir(dp);
			ck_assert_msg(found, "tests/robust/%s is not in %s",
				      rel, MANIFEST);
		}
		closedir(dp);
	}
}
END_TEST

/* Loads a policy file against the canonical scenario, as `vpcsim check
 * scenarios/three-tier.yaml --policy FILE` does. */
static int load_policy(const char *path, struct diag_list *d)
{
	struct diag_list md = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, "scenarios/three-tier.yaml", &md);
	diag_list_free(&md);
	ck_assert_int_eq(rc, 0);
	struct policy_set *set = NULL;
	rc = policy_load_file(&set, path, m, d);
	policy_set_free(set);
	model_free(m);
	return rc < 0 || d->n_errors ? -1 : 0;
}

START_TEST(test_manifest_entry)
{
	ck_assert_int_lt(_i, n_entries);
	const struct entry *e = &entries[_i];
	char path[300];
	snprintf(path, sizeof(path), "tests/robust/%s", e->file);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = strncmp(e->file, "policy/", 7) ? model_load_file(&m, path, &d)
						: load_policy(path, &d);
	int status = rc == 0 ? 0 : 2;
	char *text = printed(&d);
	char line[4096];
	first_line(text, status == 2, line, sizeof(line));
	bool policy = !strncmp(e->file, "policy/", 7);
	bool ok = status == e->status && !strcmp(line, e->first) &&
		  (policy || (rc == 0) == (m != NULL));
	model_free(m);
	diag_list_free(&d);
	free(text);
	ck_assert_msg(
	    ok, "%s: expected status %d and\n  %s\ngot status %d and\n  %s",
	    path, e->status, e->first, status, line);
}
END_TEST

/* ---- files ----------------------------------------------------------- */

/* A 1 GiB file of one scalar, made sparse: refused by its size before a
 * byte is read, with memory bounded. */
START_TEST(test_sparse_1gib)
{
	char dir[] = "/tmp/vpcsim-robust.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/huge.yaml", dir);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("region: ", f);
	fclose(f);
	if (truncate(path, 1L << 30) != 0) {
		unlink(path);
		rmdir(dir);
		ck_abort_msg("cannot make a sparse file in /tmp");
	}
	long rss0 = max_rss_kb();
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, path, &d);
	long grew = max_rss_kb() - rss0;
	unlink(path);
	rmdir(dir);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].message,
			 "file is larger than the 128 MiB limit (1073741824 "
			 "bytes)");
	diag_list_free(&d);
	ck_assert_msg(grew < 16 * 1024, "memory grew by %ld KiB", grew);
}
END_TEST

/* A device that never ends: read up to the limit, then refused. */
START_TEST(test_endless_device)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, "/dev/zero", &d);
	ck_assert_int_lt(rc, 0);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].message,
			 "file is larger than the 128 MiB limit");
	diag_list_free(&d);
}
END_TEST

START_TEST(test_directory_missing_empty)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_lt(model_load_file(&m, "tests/robust", &d), 0);
	ck_assert_str_eq(d.v[0].message, "is a directory, not a model file");
	diag_list_free(&d);
	ck_assert_int_lt(model_load_file(&m, "tests/robust/no-such-file", &d),
			 0);
	ck_assert_str_eq(d.v[0].message,
			 "cannot open: No such file or directory");
	diag_list_free(&d);
	refused("empty", "", 0,
		"empty:1:1: error: the model is empty: expected a mapping with "
		"vpcs, subnets, ...");
	ck_assert_ptr_null(m);
}
END_TEST

/* ---- limits ---------------------------------------------------------- */

START_TEST(test_nesting_100000)
{
	size_t len;
	char *b = repeat("vpcs: ", "[", 100000, "\n", &len);
	refused("flow.yaml", b, len,
		"flow.yaml:1:262: error: nesting deeper than the limit of 256 "
		"levels");
	free(b);
	b = repeat("", "- ", 100000, "x\n", &len);
	refused("block.yaml", b, len,
		"block.yaml:1:513: error: nesting deeper than the limit of 256 "
		"levels");
	free(b);
	b = repeat("{\"format_version\": \"1.2\", \"planned_values\": ",
		   "{\"a\": ", 100000, "1", &len);
	refused("deep.json", b, len,
		"deep.json:1:1575: error: nesting deeper than the limit of 256 "
		"levels");
	free(b);
	/* 256 levels are allowed: the error is another one */
	b = repeat("vpcs: ", "[", 255, "", &len);
	char *c = repeat(b, "]", 255, "\n", &len);
	refused(
	    "ok.yaml", c, len,
	    "ok.yaml:1:7: error: 'vpcs' must be a mapping of id: {...}, not "
	    "a list");
	free(b);
	free(c);
}
END_TEST

START_TEST(test_scalar_limit)
{
	size_t len;
	char *b = repeat("region: ", "x", YDOC_MAX_SCALAR + 1, "\n", &len);
	refused(
	    "long.yaml", b, len,
	    "long.yaml:1:9: error: a scalar longer than the limit of 1048576 "
	    "bytes");
	free(b);
	/* exactly at the limit: no such error */
	b = repeat("region: ", "x", YDOC_MAX_SCALAR, "\nvpcs: []\n", &len);
	refused("limit.yaml", b, len,
		"limit.yaml:2:7: error: 'vpcs' must be a mapping of id: {...}, "
		"not a list");
	free(b);
}
END_TEST

/* Over MODEL_MAX_RESOURCES objects, and one under. */
START_TEST(test_resources_native)
{
	size_t len, n = MODEL_MAX_RESOURCES + 1;
	char *b = malloc(n * 16 + 64);
	ck_assert_ptr_nonnull(b);
	len = (size_t)sprintf(b, "internet_gateways:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len, "  g%zu:\n", i);
	refused("many.yaml", b, len,
		"many.yaml:1:1: error: 1000001 objects: more than the limit of "
		"1000000 in one model");
	free(b);
}
END_TEST

START_TEST(test_resources_cfn)
{
	size_t n = 10001, len;
	char *b = malloc(n * 48 + 128);
	ck_assert_ptr_nonnull(b);
	len = (size_t)sprintf(b, "AWSTemplateFormatVersion: \"2010-09-09\"\n"
				 "Resources:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(
		    b + len, "  G%zu: {Type: AWS::EC2::InternetGateway}\n", i);
	refused(
	    "many.template", b, len,
	    "many.template:1:1: error: 10001 resources: more than the limit "
	    "of 10000 in the templates of one model (CloudFormation's own "
	    "is 500 a template)");
	free(b);
}
END_TEST

/* A DependsOn chain through every resource CloudFormation allows and
 * more: the cycle check keeps its own stack. */
START_TEST(test_cfn_dependson_chain)
{
	size_t n = 10000, len;
	char *b = malloc(n * 80 + 128);
	ck_assert_ptr_nonnull(b);
	len = (size_t)sprintf(b, "AWSTemplateFormatVersion: \"2010-09-09\"\n"
				 "Resources:\n");
	for (size_t i = 0; i < n; i++)
		len +=
		    (size_t)sprintf(b + len,
				    "  G%zu: {Type: AWS::EC2::InternetGateway, "
				    "DependsOn: G%zu}\n",
				    i, (i + 1) % n);
	refused(
	    "chain.template", b, len,
	    "chain.template:3:3: error: circular dependency between "
	    "resources: G0 -> G1 -> G2 -> G3 -> G4 -> G5 -> G6 -> G7 -> G8 "
	    "-> G9 -> G10 -> G11 -> G12 -> G13 -> G14 -> G15 -> G16 -> G17 "
	    "-> G18 -> G19 -> G20 -> G21 -> G22 -> G23 -> G24 -> G25 -> G26 "
	    "-> G27 -> G28 -> G29 -> ... -> G0");
	free(b);
}
END_TEST

/* A hundred thousand errors, each placed before all the others so far:
 * they took 48 s to record and sort (a hash that left the line out of
 * the table index, an insertion sort). */
START_TEST(test_many_errors)
{
	size_t n = 50000;
	char *b = malloc(n * 80 + 64);
	ck_assert_ptr_nonnull(b);
	size_t len = (size_t)sprintf(b, "subnets:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len,
				       "  s%zu: {vpc: v%zu, cidr: bad, az: "
				       "us-east-1a}\n",
				       i, i);
	len += (size_t)sprintf(b + len, "vpcs:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len, "  v%zu: {cidr: bad}\n", i);
	refused("errors.yaml", b, len,
		"errors.yaml:2:23: error: invalid CIDR 'bad': expected a "
		"dotted address like 10.0.0.0/16");
	free(b);
}
END_TEST

/* 50,000 conditions and as many Fn::If: conditions were found by a
 * linear search (10 s). */
START_TEST(test_many_conditions)
{
	size_t n = 50000;
	char *b = malloc(n * 90 + 256);
	ck_assert_ptr_nonnull(b);
	size_t len = (size_t)sprintf(b, "AWSTemplateFormatVersion: "
					"\"2010-09-09\"\nConditions:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len, "  C%zu: !Equals [a, a]\n", i);
	len += (size_t)sprintf(b + len, "Resources:\n  Vpc:\n    Type: "
					"AWS::EC2::VPC\n    Properties:\n"
					"      CidrBlock: 10.0.0.0/8\n"
					"      Tags:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len,
				       "        - {Key: k, Value: !If [C%zu, "
				       "a, b]}\n",
				       n - 1 - i);
	refused("conds.template", b, len,
		"conds.template:50004:3: error: VPC 'Vpc' CIDR 10.0.0.0/8: "
		"a VPC block must be /16 to /28");
	free(b);
}
END_TEST

/* A prefix list of 1,000 blocks named by 5,000 routes is 5,000,000
 * routes: bounded as aliases are. */
START_TEST(test_routes_amplified)
{
	size_t len, n = 5000;
	char *b = malloc(n * 100 + 1000 * 32 + 256);
	ck_assert_ptr_nonnull(b);
	len = (size_t)sprintf(b, "vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
				 "prefix_lists:\n  corp:\n    cidrs:\n");
	for (size_t i = 0; i < 1000; i++)
		len += (size_t)sprintf(b + len, "      - 172.%zu.%zu.0/24\n",
				       16 + i / 256, i % 256);
	len += (size_t)sprintf(b + len, "route_tables:\n");
	for (size_t t = 0; t < n; t++)
		len += (size_t)sprintf(b + len,
				       "  rt%zu: {vpc: main, routes: "
				       "[{destination: corp, target: "
				       "blackhole}]}\n",
				       t);
	refused("routes.yaml", b, len,
		"routes.yaml:5003:3: error: route tables hold more than "
		"4000000 routes once prefix lists are expanded (the limit)");
	free(b);
}
END_TEST

/* ---- aliases --------------------------------------------------------- */

/* libyaml's composer finds anchors by a linear search: 200,000 anchors
 * took it minutes.  Ours: a hash. */
START_TEST(test_many_anchors)
{
	size_t n = 200000;
	char *b = malloc(n * 32 + 128);
	ck_assert_ptr_nonnull(b);
	size_t len = (size_t)sprintf(b, "vpcs:\n  main:\n    cidr: "
					"10.0.0.0/16\n    tags:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(b + len, "      k%zu: &a%zu v\n", i, i);
	len += (size_t)sprintf(b + len, "    bad: *a%zu\n", n - 1);
	refused(
	    "anchors.yaml", b, len,
	    "anchors.yaml:200005:5: error: unknown key 'bad' in VPC 'main'");
	free(b);
}
END_TEST

/* An alias is its anchor's node, as in libyaml's composer. */
START_TEST(test_alias_is_anchor_node)
{
	const char *s = "a: &x [1, 2]\nb: *x\nc: *x\n";
	yaml_parser_t p;
	struct ydoc doc;
	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)s, strlen(s));
	ck_assert_int_eq(ydoc_compose(&p, &doc, NULL), 1);
	struct ydoc_node *root = ydoc_root(&doc);
	ck_assert_ptr_nonnull(root);
	yaml_node_pair_t *pairs = root->data.mapping.pairs.start;
	ck_assert_int_eq(root->data.mapping.pairs.top - pairs, 3);
	ck_assert_int_eq(pairs[1].value, pairs[0].value);
	ck_assert_int_eq(pairs[2].value, pairs[0].value);
	ydoc_free(&doc);
	yaml_parser_delete(&p);
}
END_TEST

/* The node limits follow the input's size and never fall below the
 * fixed ones; a composer's limits are what it refuses at, with the
 * number in the message. */
START_TEST(test_limits_follow_size)
{
	struct ydoc_limits lim;
	ydoc_limits_for(&lim, 0);
	ck_assert_uint_eq(lim.nodes, YDOC_MAX_NODES);
	ck_assert_uint_eq(lim.expanded, YDOC_MAX_EXPANDED);
	ydoc_limits_for(&lim, 16u << 20);
	ck_assert_uint_eq(lim.nodes, YDOC_MAX_NODES);
	ck_assert_uint_eq(lim.expanded, YDOC_MAX_EXPANDED);
	ydoc_limits_for(&lim, 128u << 20);
	ck_assert_uint_eq(lim.nodes, 22369621);
	ck_assert_uint_eq(lim.expanded, 67108864);
	ck_assert_uint_eq(model_max_resources(0), MODEL_MAX_RESOURCES);
	ck_assert_uint_eq(model_max_resources(90u << 20), 5898240);

	const char *texts[] = {"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
			       "{a: &a [1, 2, 3], b: [*a, *a, *a, *a]}"};
	const char *want[] = {"more than the limit of 10 nodes in one document",
			      "aliases expand the document past the limit "
			      "of 12 nodes"};
	for (int i = 0; i < 2; i++) {
		yaml_parser_t p;
		struct ydoc doc;
		lim = (struct ydoc_limits){.nodes = 10, .expanded = 12};
		ck_assert(yaml_parser_initialize(&p));
		yaml_parser_set_input_string(
		    &p, (const unsigned char *)texts[i], strlen(texts[i]));
		ck_assert_int_eq(ydoc_compose(&p, &doc, &lim), 0);
		ck_assert_ptr_nonnull(p.problem);
		ck_assert_str_eq(p.problem, want[i]);
		yaml_parser_delete(&p);
	}
}
END_TEST

/* Aliases that expand to just under the limit load; the same document
 * doubled goes over. */
START_TEST(test_expansion_limit)
{
	/* x: 1,000 items (1,001 nodes); y: 1,000 aliases of x (1,001,001);
	 * z: 14 aliases of y: 15,016,021 nodes in all, under 16,000,000;
	 * with 15, 16,017,022 */
	size_t len;
	char *a = repeat("x: &a [", "1,", 999, "1]\n", &len);
	char *b = repeat("y: &b [", "*a,", 999, "*a]\n", &len);
	char *c = repeat("z: [", "*b,", 13, "*b]\n", &len);
	char *d = repeat("z: [", "*b,", 14, "*b]\n", &len);
	size_t la = strlen(a), lb = strlen(b);
	char *ok = malloc(la + lb + strlen(c) + 1);
	char *over = malloc(la + lb + strlen(d) + 1);
	sprintf(ok, "%s%s%s", a, b, c);
	sprintf(over, "%s%s%s", a, b, d);
	refused("ok.yaml", ok, strlen(ok),
		"ok.yaml:1:1: error: unknown key 'x' in the model");
	refused("over.yaml", over, strlen(over),
		"over.yaml:3:49: error: aliases expand the document past the "
		"limit of 16000000 nodes");
	free(a);
	free(b);
	free(c);
	free(d);
	free(ok);
	free(over);
}
END_TEST

/* ---- model_yaml_load is libyaml's composer within limits ------------- */

static void same_document(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_int_eq(file_read_text(&buf, &len, path, &d), 0);
	diag_list_free(&d);
	yaml_parser_t p1, p2;
	yaml_document_t a;
	struct ydoc b;
	ck_assert(yaml_parser_initialize(&p1));
	ck_assert(yaml_parser_initialize(&p2));
	yaml_parser_set_input_string(&p1, (const unsigned char *)buf, len);
	yaml_parser_set_input_string(&p2, (const unsigned char *)buf, len);
	int r1 = yaml_parser_load(&p1, &a);
	int r2 = ydoc_compose(&p2, &b, NULL);
	ck_assert_msg(r1 == 1 && r2 == 1, "%s: loads %d and %d", path, r1, r2);
	long na = a.nodes.top - a.nodes.start, nb = b.nodes.top - b.nodes.start;
	ck_assert_msg(na == nb, "%s: %ld and %ld nodes", path, na, nb);
	ck_assert_int_eq(a.start_mark.line, b.start_mark.line);
	for (long i = 0; i < na; i++) {
		yaml_node_t *x = &a.nodes.start[i];
		struct ydoc_node *y = &b.nodes.start[i];
		bool same = x->type == y->type &&
			    !strcmp((char *)x->tag, y->tag) &&
			    x->start_mark.index == y->start_mark.index &&
			    x->start_mark.line == y->start_mark.line &&
			    x->start_mark.column == y->start_mark.column &&
			    x->end_mark.index == y->end_mark.index &&
			    x->end_mark.line == y->end_mark.line;
		if (same && x->type == YAML_SCALAR_NODE)
			same =
			    x->data.scalar.length == y->data.scalar.length &&
			    !memcmp(x->data.scalar.value, y->data.scalar.value,
				    x->data.scalar.length) &&
			    x->data.scalar.style == y->data.scalar.style;
		if (same && x->type == YAML_SEQUENCE_NODE) {
			long n = x->data.sequence.items.top -
				 x->data.sequence.items.start;
			same = n == y->data.sequence.items.top -
					y->data.sequence.items.start &&
			       !memcmp(x->data.sequence.items.start,
				       y->data.sequence.items.start,
				       (size_t)n * sizeof(yaml_node_item_t));
		}
		if (same && x->type == YAML_MAPPING_NODE) {
			long n = x->data.mapping.pairs.top -
				 x->data.mapping.pairs.start;
			same = n == y->data.mapping.pairs.top -
					y->data.mapping.pairs.start &&
			       !memcmp(x->data.mapping.pairs.start,
				       y->data.mapping.pairs.start,
				       (size_t)n * sizeof(yaml_node_pair_t));
		}
		ck_assert_msg(same, "%s: node %ld differs", path, i + 1);
	}
	yaml_document_delete(&a);
	ydoc_free(&b);
	yaml_parser_delete(&p1);
	yaml_parser_delete(&p2);
	free(buf);
}

static int compare_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	int n = 0;
	if (!dp)
		return 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			n += compare_dir(path);
			continue;
		}
		size_t l = strlen(path);
		if ((l > 5 && !strcmp(path + l - 5, ".yaml")) ||
		    (l > 5 && !strcmp(path + l - 5, ".json"))) {
			same_document(path);
			n++;
		}
	}
	closedir(dp);
	return n;
}

START_TEST(test_same_as_libyaml)
{
	int n = compare_dir("scenarios") + compare_dir("tests/cfn") +
		compare_dir("tests/tfplan") + compare_dir("tests/policy");
	ck_assert_int_ge(n, 20);
	same_document("tests/robust/native/merge-keys-ok.yaml");
}
END_TEST

/* ---- suite ----------------------------------------------------------- */

Suite *robust_suite(void)
{
	Suite *s = suite_create("robust");
	read_manifest();

	TCase *tc = tcase_create("corpus");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_manifest_read);
	tcase_add_loop_test(tc, test_manifest_entry, 0, n_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sparse_1gib);
	tcase_add_test(tc, test_endless_device);
	tcase_add_test(tc, test_directory_missing_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_nesting_100000);
	tcase_add_test(tc, test_scalar_limit);
	tcase_add_test(tc, test_resources_native);
	tcase_add_test(tc, test_resources_cfn);
	tcase_add_test(tc, test_cfn_dependson_chain);
	tcase_add_test(tc, test_many_errors);
	tcase_add_test(tc, test_many_conditions);
	tcase_add_test(tc, test_routes_amplified);
	suite_add_tcase(s, tc);

	tc = tcase_create("aliases");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_anchors);
	tcase_add_test(tc, test_alias_is_anchor_node);
	tcase_add_test(tc, test_expansion_limit);
	tcase_add_test(tc, test_limits_follow_size);
	tcase_add_test(tc, test_same_as_libyaml);
	suite_add_tcase(s, tc);
	return s;
}
