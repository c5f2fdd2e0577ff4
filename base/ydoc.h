/*
 * YAML and JSON documents within limits (base/ydoc.c).
 *
 * A document is libyaml's yaml_document_t, composed by our own bounded
 * composer: anchors found in constant time, recursive aliases refused,
 * and the limits below on what a document and its expanded aliases may
 * hold.  Callers see libyaml's node tree as libyaml would build it.
 */
#ifndef VPCSIM_YDOC_H
#define VPCSIM_YDOC_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "base/diag.h"

/*
 * Limits on a document (docs/robustness.md), each refused with a
 * diagnostic.  Plain literals: messages spell them.  The node limits are
 * the least a document gets; a larger file gets more (ydoc_limits_for).
 */
#define YDOC_MAX_DEPTH	  256	   /* nested collections, aliases expanded */
#define YDOC_MAX_NODES	  4000000  /* YAML nodes in one document */
#define YDOC_MAX_EXPANDED 16000000 /* nodes with every alias expanded */
#define YDOC_MAX_SCALAR	  1048576  /* bytes in one scalar */
/* Bytes of input per node, and per node with aliases expanded, above
 * the limits above: a real model spends 8 or more bytes on a node. */
#define YDOC_BYTES_PER_NODE	4
#define YDOC_BYTES_PER_EXPANDED 2

/* The node limits of one document, and room for the text of a limit's
 * error (p->problem points there after one). */
struct ydoc_limits {
	uint64_t nodes, expanded;
	char problem[96];
};

/*
 * The limits of a document read from bytes of input: YDOC_MAX_NODES and
 * YDOC_MAX_EXPANDED, or one node per YDOC_BYTES_PER_NODE bytes and one
 * expanded node per YDOC_BYTES_PER_EXPANDED when that is more, so that
 * what a file may cost follows its size and no real model is refused.
 */
void ydoc_limits_for(struct ydoc_limits *lim, size_t bytes);

/*
 * Parses YAML or JSON text into one document, within the limits above,
 * with libyaml's errors at the right line and column (bad UTF-8,
 * duplicate anchors, a second document).  0, or -1 after diagnostics;
 * on success the document is the caller's (yaml_document_delete).
 */
int ydoc_parse(yaml_document_t *doc, const char *name, const char *buf,
	       size_t len, struct diag_list *diags);

/*
 * yaml_parser_load within the limits above and lim's node limits (NULL:
 * those of an empty input).  A limit is a composer error (p->problem,
 * p->problem_mark) like libyaml's own, its text in lim (or in static
 * storage when lim is NULL); 0 after any error, and doc is then empty.
 */
int ydoc_compose(yaml_parser_t *p, yaml_document_t *doc,
		 struct ydoc_limits *lim);

#endif
