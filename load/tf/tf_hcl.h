/*
 * The blocks of a Terraform (HCL native syntax) file, as far as finding
 * where a resource is written needs: the top-level `resource` and `data`
 * blocks with their two labels and position, and the blocks nested
 * directly in their bodies (ingress, egress, route, ...) by name, in
 * order.  Private to load/tf/ (and its tests).
 *
 * The lexer knows what can hide a block keyword or a brace: strings with
 * ${...} and %{...} templates (which nest strings of their own), heredocs
 * (<<EOF, <<-EOF) and comments (#, // and slash-star ones).  Nothing is
 * evaluated: expressions are skipped to the end of their line, brackets
 * balanced.
 */
#ifndef VPCSIM_TF_HCL_H
#define VPCSIM_TF_HCL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A block nested in a resource's body: `ingress {` or, with dynamic set,
 * `dynamic "ingress" {` (whose blocks are made at plan: no order). */
struct hcl_nested {
	char *name;
	uint32_t line, col; /* 1-based, of the block's first token */
	bool dynamic;
};

/* A top-level `resource "TYPE" "NAME" {` or `data "TYPE" "NAME" {`. */
struct hcl_block {
	bool data;
	char *type, *name;
	uint32_t line, col; /* of the `resource` or `data` keyword */
	uint32_t end_line;  /* of its closing brace */
	struct hcl_nested *nested;
	uint32_t n_nested;
};

/* A comment (#, // or slash-star), kept for suppressions (vpcsim:ignore):
 * where it is, whether nothing but blanks comes before it on its line,
 * and its text when it holds `vpcsim:ignore` (NULL otherwise). */
struct hcl_comment {
	uint32_t line, col, end_line;
	bool own_line;
	char *text; /* from its start, to its end */
	size_t len;
};

struct hcl_file {
	struct hcl_block *blocks;
	uint32_t n;
	struct hcl_comment *comments; /* in the order written */
	uint32_t n_comments;
	/* The first thing the lexer could not read (an unterminated
	 * string, comment or heredoc), or line 0: the blocks before it are
	 * the file's, what follows is not scanned. */
	uint32_t bad_line, bad_col;
};

/* Scans text[0..len) (need not be NUL-terminated) into *out, which the
 * caller frees with hcl_file_free.  Returns 0, or -1 when the lexer
 * stopped early (bad_line says where); *out holds what was found. */
int hcl_scan(struct hcl_file *out, const char *text, size_t len);
/* Frees what hcl_scan allocated; *f is empty after.  Accepts NULL. */
void hcl_file_free(struct hcl_file *f);

#endif
