/*
 * Reading a composed YAML document (base/ykit.c): the one set of rules
 * by which the native model loader, the policy loader and the YAML side
 * of the CloudFormation loader read what base/ydoc.h composed.
 *
 * A struct ykit is a reader of one document: it reports problems at
 * file:line:col (1-based, the start of the node they are about), says
 * each once however often aliases and merge keys reach a node, and
 * remembers which keys it took a misspelling for.  What it reads:
 *   - a scalar is text; a tag of its own (!Ref, !!binary) is refused,
 *     YAML's core tags (!!str, !!int, ...) are text as written;
 *   - a mapping with a fixed set of keys: unknown keys are reported with
 *     the closest known one, a repeated key with where it first was,
 *     merge keys (<<) bring in the keys of the mappings they name that
 *     the mapping does not set itself;
 *   - an empty value is nothing, ~ or null written plainly.
 * Tags on mappings and lists are not read (nothing means anything by
 * them).  The helpers without a reader only look.
 */
#ifndef VPCSIM_YKIT_H
#define VPCSIM_YKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "base/diag.h"
#include "base/ydoc.h"

/* ---- looking at nodes ---------------------------------------------------- */

/* Node id of doc (from 1, as libyaml numbers them), or NULL. */
struct ydoc_node *ykit_node(const struct ydoc *doc, int id);
/* Where n starts, 1-based. */
void ykit_pos(const struct ydoc_node *n, uint32_t *line, uint32_t *col);
/* Nothing, ~ or null, written plainly (a quoted "" is a string). */
bool ykit_is_null(const struct ydoc_node *n);
/* An empty value: a null or an empty quoted string. */
bool ykit_is_empty(const struct ydoc_node *n);
/* "a scalar", "an empty value", "a list", "a mapping": for messages. */
const char *ykit_type_name(const struct ydoc_node *n);
/* "a string", "a list", "a mapping": the words of a JSON-shaped format
 * (CloudFormation templates). */
const char *ykit_value_name(const struct ydoc_node *n);
/* A scalar's text as it stands (no tag or NUL check), or NULL when n is
 * NULL or no scalar. */
const char *ykit_text(const struct ydoc_node *n);
/* Items of a list. */
size_t ykit_seq_len(const struct ydoc_node *n);
struct ydoc_node *ykit_seq_item(const struct ydoc *doc,
				const struct ydoc_node *n, size_t i);
/* The value of the first key of map written as key (merge keys not
 * followed), its key node in *keynode when not NULL; NULL when none or
 * map is no mapping. */
struct ydoc_node *ykit_map_get(const struct ydoc *doc,
			       const struct ydoc_node *map, const char *key,
			       struct ydoc_node **keynode);

/* Every item e of list n (a struct ydoc_node *) in doc. */
#define YKIT_SEQ_EACH(doc, n, e)                                               \
	for (yaml_node_item_t *e##_it = (n)->data.sequence.items.start;        \
	     e##_it < (n)->data.sequence.items.top &&                          \
	     ((e) = ykit_node((doc), *e##_it), 1);                             \
	     e##_it++)

/* ---- a reader ------------------------------------------------------------ */

struct ykit_suggestion;

/* A reader of one document; fields past diags are its own. */
struct ykit {
	const struct ydoc *doc;
	const char *file; /* as diagnostics name it */
	struct diag_list *diags;
	/* Open-addressing set of diags->v indexes + 1, by position and text:
	 * a node reached twice (an alias, a merge key) reports once. */
	size_t *seen;
	size_t seen_cap, seen_n;
	/* Keys an unknown key was taken for, by (mapping, key). */
	struct ykit_suggestion *sugg;
	size_t sugg_cap, sugg_n;
};

/* A reader of doc, reporting to diags as file; release with ykit_fini.
 * doc, file and diags are borrowed and must outlive the reader. */
void ykit_init(struct ykit *R, const struct ydoc *doc, const char *file,
	       struct diag_list *diags);
/* Frees what the reader holds (not the document); accepts NULL. */
void ykit_fini(struct ykit *R);

/* An error or a warning about node n (NULL: about no place, 0:0); the
 * same text at the same place is reported once. */
void ykit_err(struct ykit *R, const struct ydoc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ykit_warn(struct ykit *R, const struct ydoc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A scalar's text, or NULL after an error: n is no scalar, holds a NUL
 * byte, or has a tag of its own.  what names it: "a key", "subnet". */
const char *ykit_scalar(struct ykit *R, const struct ydoc_node *n,
			const char *what);

/* The text ykit_scalar would give, without a word said: NULL when it
 * would report a problem (or n is NULL).  For callers that build the
 * name of what they read only when there is something to report. */
const char *ykit_clean_text(const struct ydoc_node *n);

/* A key that belongs elsewhere: said with its note ("'KEY' NOTE")
 * instead of a did-you-mean. */
struct ykit_misplaced {
	const char *key, *note;
};

/* The most keys one mapping can be read for. */
#define YKIT_MAX_KEYS 32

/*
 * Fills vals[i] with the value of keys[i] in map (NULL when absent) and,
 * when keynodes is not NULL, keynodes[i] with its key node.  Reports keys
 * that are not scalars, unknown (misplaced ones with their note, others
 * with the closest known key, which ykit_suggested then knows) or
 * repeated; merge keys (<<: a mapping or a list of them) bring in the
 * keys of those mappings that map does not set itself, in order; their
 * other keys are ignored.  what names map in messages ("subnet 'a'").
 * Returns false, after an error, when map is no mapping.
 */
bool ykit_take_keys(struct ykit *R, const struct ydoc_node *map,
		    const char *what, const char *const *keys, size_t nkeys,
		    struct ydoc_node **vals, struct ydoc_node **keynodes);
bool ykit_take_keys_mis(struct ykit *R, const struct ydoc_node *map,
			const char *what, const char *const *keys, size_t nkeys,
			const struct ykit_misplaced *mis, size_t n_mis,
			struct ydoc_node **vals, struct ydoc_node **keynodes);
/* Whether an unknown key of map was reported as a misspelling of key. */
bool ykit_suggested(const struct ykit *R, const struct ydoc_node *map,
		    const char *key);
/* Reports key missing from map (val is its value, NULL when absent),
 * unless a misspelling of it was reported in map already. */
void ykit_need(struct ykit *R, const struct ydoc_node *map,
	       const struct ydoc_node *val, const char *key, const char *what);
/* The value ykit_take_keys would take for key in map, without a word
 * said: map's own first, then the mappings its merge keys name. */
struct ydoc_node *ykit_peek(const struct ydoc *doc, const struct ydoc_node *map,
			    const char *key);

/* ---- handing a part of a document on ------------------------------------- */

/*
 * A parsed document and one node of it, handed from the reader that
 * parsed it to a reader of that part (a native model's `policies:`
 * section to the policy loader), so that a file is parsed once and read
 * under one set of rules.  Owns the document and the file name.
 */
struct ykit_section {
	struct ydoc doc;
	char *file;
	struct ydoc_node *node; /* in doc */
};

/* Frees the section and its document; accepts NULL. */
void ykit_section_free(struct ykit_section *s);

#endif
