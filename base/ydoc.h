/*
 * YAML and JSON documents within limits (base/ydoc.c).
 *
 * A document is a compact tree of our own, composed from libyaml's
 * events by a bounded composer: anchors found in constant time, recursive
 * aliases refused, and the limits below on what a document and its
 * expanded aliases may hold.  Nodes keep the names libyaml gives the
 * fields walkers read (type, tag, data.scalar.value/.length/.style,
 * data.sequence.items, data.mapping.pairs, start_mark, end_mark) and its
 * numbering (ids from 1; an alias is its anchor's id), but a node is 48
 * bytes in one array, and texts and item lists sit in the document's
 * own chunks, where libyaml's tree spends 96 bytes a node and a heap
 * block for every text, tag and list (docs/benchmarks.md, "Loading").
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
#define YDOC_BYTES_PER_NODE	6
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

/* A position, 0-based as libyaml's (ykit_pos makes it 1-based). */
struct ydoc_mark {
	uint32_t index, line, column;
};

struct ydoc_node {
	/* libyaml's resolved tag: YAML_DEFAULT_*_TAG (static) unless the
	 * node has one of its own (in the document's chunks). */
	const char *tag;
	union {
		struct {
			char *value; /* NUL-terminated; may hold a NUL */
			uint32_t length;
			uint8_t style; /* yaml_scalar_style_t */
		} scalar;
		struct {
			struct {
				yaml_node_item_t *start, *top;
			} items;
		} sequence;
		struct {
			struct {
				yaml_node_pair_t *start, *top;
			} pairs;
		} mapping;
	} data;
	struct ydoc_mark start_mark;
	struct {
		uint32_t index, line;
	} end_mark;
	uint8_t type; /* yaml_node_type_t */
};

struct ydoc_chunk;

/* A document: its nodes (id i is nodes.start[i - 1]) and the chunks
 * holding their texts and lists. */
struct ydoc {
	struct {
		struct ydoc_node *start, *top, *end;
	} nodes;
	struct ydoc_mark start_mark, end_mark;
	struct ydoc_chunk *chunks;
	size_t chunk_used; /* bytes used in chunks (the newest) */
};

/* Node id of doc (from 1), or NULL. */
struct ydoc_node *ydoc_node(const struct ydoc *doc, int id);
/* The root node, or NULL for an empty document. */
struct ydoc_node *ydoc_root(const struct ydoc *doc);
/* Frees what the document holds; it is then empty.  Accepts NULL. */
void ydoc_free(struct ydoc *doc);

/*
 * Parses YAML or JSON text into one document, within the limits above,
 * with libyaml's errors at the right line and column (bad UTF-8,
 * duplicate anchors, a second document).  0, or -1 after diagnostics;
 * on success the document is the caller's (ydoc_free).
 */
int ydoc_parse(struct ydoc *doc, const char *name, const char *buf, size_t len,
	       struct diag_list *diags);

/*
 * A document from the parser's next events (yaml_parser_load's work),
 * within the limits above and lim's node limits (NULL:
 * those of an empty input).  A limit is a composer error (p->problem,
 * p->problem_mark) like libyaml's own, its text in lim (or in static
 * storage when lim is NULL); 0 after any error, and doc is then empty.
 */
int ydoc_compose(yaml_parser_t *p, struct ydoc *doc, struct ydoc_limits *lim);

#endif
