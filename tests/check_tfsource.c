/*
 * Tests for where a Terraform plan's objects are written (load/tf/tf_hcl.c,
 * load/tf/tf_source.c).
 *
 * - The HCL scanner finds resource and data blocks and their nested
 *   blocks, and nothing that only looks like one: the word `resource` in
 *   a string, a template, a comment or a heredoc is no block, nor is a
 *   `{` in an expression.  What it cannot read ends the scan where it
 *   starts, keeping what came before.
 * - A plan beside its .tf files (tests/tfplan/srcmap: two local modules
 *   and a counted resource) gives every object the .tf file and line of
 *   its block, an inline rule that of its own nested block, matched by
 *   value where Terraform reorders the blocks; --tf-source moves the
 *   root; without .tf files the plan's positions stay.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "load/tf/tf_hcl.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"

/* ---- the scanner -------------------------------------------------------- */

static struct hcl_file scan(const char *text, int want_rc)
{
	struct hcl_file f;
	int rc = hcl_scan(&f, text, strlen(text));
	ck_assert_int_eq(rc, want_rc);
	return f;
}

/* Block i is KIND "TYPE" "NAME" at line:col. */
static void assert_block(const struct hcl_file *f, uint32_t i, bool data,
			 const char *type, const char *name, uint32_t line,
			 uint32_t col)
{
	ck_assert_msg(i < f->n, "no block %u (%u found)", i, f->n);
	const struct hcl_block *b = &f->blocks[i];
	ck_assert(b->data == data);
	ck_assert_str_eq(b->type, type);
	ck_assert_str_eq(b->name, name);
	ck_assert_uint_eq(b->line, line);
	ck_assert_uint_eq(b->col, col);
}

START_TEST(hcl_blocks)
{
	struct hcl_file f = scan("terraform {\n"
				 "  required_version = \">= 1.0\"\n"
				 "}\n"
				 "\n"
				 "resource \"aws_vpc\" \"main\" {\n"
				 "  cidr_block = \"10.0.0.0/16\"\n"
				 "}\n"
				 "data \"aws_vpc\" \"shared\" {}\n"
				 "  resource aws_subnet a {\n"
				 "}\n",
				 0);
	ck_assert_uint_eq(f.n, 3);
	assert_block(&f, 0, false, "aws_vpc", "main", 5, 1);
	assert_block(&f, 1, true, "aws_vpc", "shared", 8, 1);
	/* labels may be names; indentation is allowed */
	assert_block(&f, 2, false, "aws_subnet", "a", 9, 3);
	hcl_file_free(&f);
}
END_TEST

/* `resource` in a string, a template, a comment or a heredoc, and a brace
 * in an expression, open no block. */
START_TEST(hcl_not_blocks)
{
	struct hcl_file f =
	    scan("# resource \"aws_vpc\" \"a\" {\n"
		 "// resource \"aws_vpc\" \"b\" {\n"
		 "/* resource \"aws_vpc\" \"c\" {\n"
		 "   } */\n"
		 "locals {\n"
		 "  s = \"resource \\\"aws_vpc\\\" \\\"d\\\" {\"\n"
		 "  t = \"${jsonencode({a = \"}\"})} resource \\\"x\\\" "
		 "\\\"y\\\" {\"\n"
		 "  u = \"$${literal} %%{also} {\"\n"
		 "  h = <<EOT\n"
		 "resource \"aws_vpc\" \"e\" {\n"
		 "EOT\n"
		 "  i = <<-EOT\n"
		 "    resource \"aws_vpc\" \"f\" {\n"
		 "    }\n"
		 "    EOT\n"
		 "  o = { resource = \"x\" }\n"
		 "  p = [for r in [\"resource\"] : { r = r }]\n"
		 "}\n"
		 "resource \"aws_vpc\" \"real\" {\n"
		 "  tags = {\n"
		 "    Name = \"}\"\n"
		 "  }\n"
		 "}\n",
		 0);
	ck_assert_uint_eq(f.n, 1);
	assert_block(&f, 0, false, "aws_vpc", "real", 19, 1);
	ck_assert_uint_eq(f.blocks[0].n_nested, 0); /* tags = {...} */
	hcl_file_free(&f);
}
END_TEST

/* Nested blocks of a resource, in order, dynamic ones marked; blocks
 * deeper down (content of a dynamic block, a block in a block) are not
 * the resource's. */
START_TEST(hcl_nested)
{
	struct hcl_file f = scan("resource \"aws_security_group\" \"g\" {\n"
				 "  ingress {\n"
				 "    from_port = 22\n"
				 "    to_port   = 22\n"
				 "  }\n"
				 "  ingress { from_port = 80 }\n"
				 "  dynamic \"egress\" {\n"
				 "    for_each = var.rules\n"
				 "    content {\n"
				 "      from_port = egress.value\n"
				 "    }\n"
				 "  }\n"
				 "  lifecycle {\n"
				 "    ignore_changes = [tags]\n"
				 "  }\n"
				 "}\n"
				 "resource \"aws_route_table\" \"r\" {\n"
				 "\troute {\r\n"
				 "\t}\r\n"
				 "}\n",
				 0);
	ck_assert_uint_eq(f.n, 2);
	const struct hcl_block *g = &f.blocks[0];
	ck_assert_uint_eq(g->n_nested, 4);
	ck_assert_str_eq(g->nested[0].name, "ingress");
	ck_assert_uint_eq(g->nested[0].line, 2);
	ck_assert_uint_eq(g->nested[0].col, 3);
	ck_assert_str_eq(g->nested[1].name, "ingress");
	ck_assert_uint_eq(g->nested[1].line, 6);
	ck_assert_str_eq(g->nested[2].name, "egress");
	ck_assert(g->nested[2].dynamic && !g->nested[1].dynamic);
	ck_assert_str_eq(g->nested[3].name, "lifecycle");
	/* CRLF line ends, tabs */
	assert_block(&f, 1, false, "aws_route_table", "r", 17, 1);
	ck_assert_uint_eq(f.blocks[1].n_nested, 1);
	ck_assert_uint_eq(f.blocks[1].nested[0].line, 18);
	ck_assert_uint_eq(f.blocks[1].nested[0].col, 2);
	hcl_file_free(&f);
}
END_TEST

/* What does not end stops the scan where it starts; the blocks before it
 * are kept, nothing after it is taken for one. */
START_TEST(hcl_unterminated)
{
	static const struct {
		const char *tail;
		uint32_t line, col;
	} cases[] = {
	    {"x = \"open\nresource \"aws_vpc\" \"b\" {}\n", 3, 5},
	    {"x = \"${var.a\nresource \"aws_vpc\" \"b\" {}\n", 3, 6},
	    {"/* open\nresource \"aws_vpc\" \"b\" {}\n", 3, 1},
	    {"x = <<EOT\nresource \"aws_vpc\" \"b\" {}\n", 3, 5},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "resource \"aws_vpc\" \"a\" {\n}\n%s", cases[i].tail);
		struct hcl_file f = scan(text, -1);
		ck_assert_uint_eq(f.n, 1);
		assert_block(&f, 0, false, "aws_vpc", "a", 1, 1);
		ck_assert_uint_eq(f.bad_line, cases[i].line);
		ck_assert_uint_eq(f.bad_col, cases[i].col);
		hcl_file_free(&f);
	}
	/* An empty file, a byte-order mark, a file of comments. */
	struct hcl_file f = scan("", 0);
	ck_assert_uint_eq(f.n, 0);
	hcl_file_free(&f);
	f = scan("\xEF\xBB\xBFresource \"a\" \"b\" {}", 0);
	assert_block(&f, 0, false, "a", "b", 1, 1);
	hcl_file_free(&f);
	hcl_file_free(NULL);
	/* Blocks nested 200,000 deep: skipped, not recursed into. */
	size_t deep = 200000, len = 0;
	char *text = malloc(deep * 5 + 64);
	len += (size_t)sprintf(text, "resource \"a\" \"b\" {\n");
	for (size_t i = 0; i < deep; i++)
		len += (size_t)sprintf(text + len, "x {\n");
	for (size_t i = 0; i < deep; i++)
		text[len++] = '}';
	len += (size_t)sprintf(text + len, "\n}\nresource \"c\" \"d\" {}\n");
	ck_assert_int_eq(hcl_scan(&f, text, len), 0);
	ck_assert_uint_eq(f.n, 2);
	assert_block(&f, 1, false, "c", "d", 200004, 1);
	ck_assert_uint_eq(f.blocks[0].n_nested, 1);
	hcl_file_free(&f);
	free(text);
}
END_TEST

/* ---- the plan's locations ------------------------------------------------ */

#define SRCMAP "tests/tfplan/srcmap/plan.json"

static const struct model_obj *find(const struct model *m, const char *id)
{
	const struct model_obj *o = model_find(m, id);
	ck_assert_msg(o, "no object '%s'", id);
	return o;
}

static void assert_loc(struct src_loc l, const char *file, uint32_t line,
		       uint32_t col)
{
	ck_assert_msg(l.file && !strcmp(l.file, file) && l.line == line &&
			  l.col == col,
		      "at %s:%u:%u, not %s:%u:%u", l.file ? l.file : "-",
		      l.line, l.col, file, line, col);
}

static struct model *load(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, path, &d);
	diag_print(stderr, &d);
	ck_assert_int_eq(rc, 0);
	diag_list_free(&d);
	return m;
}

START_TEST(plan_locations)
{
	struct model *m = load(SRCMAP);
	/* Each instance of a counted resource, at its block. */
	assert_loc(find(m, "aws_instance.admin[0]")->loc,
		   "tests/tfplan/srcmap/main.tf", 15, 1);
	assert_loc(find(m, "aws_instance.admin[1]")->loc,
		   "tests/tfplan/srcmap/main.tf", 15, 1);
	/* In each local module's own files, past the look-alikes. */
	assert_loc(find(m, "module.net.aws_vpc.this")->loc,
		   "tests/tfplan/srcmap/modules/net/main.tf", 21, 1);
	assert_loc(find(m, "module.web.aws_security_group.web")->loc,
		   "tests/tfplan/srcmap/modules/web/main.tf", 5, 1);
	/* What vpcsim adds for a VPC is where the VPC is. */
	assert_loc(find(m, "module.net.aws_vpc.this-main-rt")->loc,
		   "tests/tfplan/srcmap/modules/net/main.tf", 21, 1);
	/* Inline rules at their own blocks: the plan lists the http rule
	 * first (a set, ordered by value); the source, ssh first. */
	const struct model_security_group *g =
	    &m->groups[find(m, "module.web.aws_security_group.web")->index];
	ck_assert_uint_eq(g->n_ingress, 3);
	ck_assert_uint_eq(g->ingress[0].match.port_lo, 80);
	assert_loc(g->ingress[0].loc, "tests/tfplan/srcmap/modules/web/main.tf",
		   17, 3);
	assert_loc(g->ingress[1].loc, "tests/tfplan/srcmap/modules/web/main.tf",
		   9, 3);
	assert_loc(g->ingress[2].loc, "tests/tfplan/srcmap/modules/web/main.tf",
		   25, 3);
	assert_loc(g->egress[0].loc, "tests/tfplan/srcmap/modules/web/main.tf",
		   33, 3);
	/* A route at its route block. */
	const struct model_route_table *t =
	    &m->route_tables[find(m, "module.net.aws_route_table.public")
				 ->index];
	bool found = false;
	for (uint32_t i = 0; i < t->n_routes; i++)
		if (t->routes[i].target != RT_LOCAL) {
			assert_loc(t->routes[i].loc,
				   "tests/tfplan/srcmap/modules/net/main.tf",
				   38, 3);
			found = true;
		}
	ck_assert(found);
	model_free(m);
}
END_TEST

/* SARIF's results point at the .tf lines, in every file. */
START_TEST(plan_sarif)
{
	struct model *m = load(SRCMAP);
	struct finding_list out = {0};
	rules_run(&out, m, NULL);
	findings_sort(&out);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	report_findings_sarif(f, &out);
	fclose(f);
	static const char *const want[] = {
	    "\"uri\": \"tests/tfplan/srcmap/main.tf\"",
	    "\"uri\": \"tests/tfplan/srcmap/modules/net/main.tf\"",
	    "\"uri\": \"tests/tfplan/srcmap/modules/web/main.tf\"",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(buf, want[i]), "no %s", want[i]);
	ck_assert_ptr_null(strstr(buf, "plan.json"));
	/* Every result: the admin hosts' block (15), the spare group's
	 * (50), the web group's (5). */
	uint32_t n15 = 0;
	for (uint32_t i = 0; i < out.n; i++) {
		const struct finding *x = &out.v[i];
		ck_assert_msg(strstr(x->loc.file, ".tf"), "%s at %s",
			      x->rule_id, x->loc.file);
		n15 += x->loc.line == 15;
	}
	ck_assert_uint_eq(n15, 2); /* VS004, once a host */
	free(buf);
	findings_free(&out);
	model_free(m);
}
END_TEST

/* --tf-source moves the root; a directory without .tf files changes
 * nothing but warns. */
START_TEST(plan_tf_source)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	const char *plan = SRCMAP;
	struct load_opts o = {.tf_source = "tests/tfplan/srcmap/modules/../"};
	ck_assert_int_eq(model_load_files_opts(&m, NULL, &plan, 1, &o, &d), 0);
	assert_loc(find(m, "aws_instance.admin[0]")->loc,
		   "tests/tfplan/srcmap/main.tf", 15, 1);
	model_free(m);
	o.tf_source = "tests/tfplan";
	ck_assert_int_eq(model_load_files_opts(&m, NULL, &plan, 1, &o, &d), 0);
	ck_assert_str_eq(find(m, "aws_instance.admin[0]")->loc.file, SRCMAP);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.v[0].message,
			 "--tf-source: no .tf file here; findings point at the "
			 "plan");
	model_free(m);
	diag_list_free(&d);
	/* A plan with no .tf beside it keeps its own positions. */
	m = load("tests/tfplan/three-tier.plan.json");
	ck_assert_str_eq(m->vpcs[0].obj.loc.file,
			 "tests/tfplan/three-tier.plan.json");
	model_free(m);
}
END_TEST

Suite *tfsource_suite(void)
{
	Suite *s = suite_create("tfsource");
	TCase *tc = tcase_create("hcl");
	tcase_add_test(tc, hcl_blocks);
	tcase_add_test(tc, hcl_not_blocks);
	tcase_add_test(tc, hcl_nested);
	tcase_add_test(tc, hcl_unterminated);
	suite_add_tcase(s, tc);
	tc = tcase_create("plan");
	tcase_add_test(tc, plan_locations);
	tcase_add_test(tc, plan_sarif);
	tcase_add_test(tc, plan_tf_source);
	suite_add_tcase(s, tc);
	return s;
}
