/*
 * Suppressions as the input formats write them, read into struct
 * model_suppress entries (model_add_suppress), one a rule:
 *   - a mapping {rule or rules, reason, until} of YAML and JSON formats:
 *     a native object's `suppress`, a CloudFormation resource's or
 *     template's Metadata vpcsim.suppress (a mapping or a list of them);
 *   - a Terraform comment `vpcsim:ignore RULE[,RULE...] [until:DATE]
 *     REASON`.
 * Only the shape is checked here (a rule, a reason that is not blank, an
 * `until` that is a real date), with the place of each mistake: what an
 * entry means, and whether its rule exists, is rules/finding.c's, the
 * one owner of suppression semantics, so that the three formats behave
 * alike.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/load_impl.h"

bool load_until_valid(const char *s)
{
	static const int days[] = {31, 29, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(mo == 2 && d == 29 && !leap);
}

/* Whether s holds nothing but spaces and tabs. */
static bool blank(const char *s)
{
	return !s[strspn(s, " \t")];
}

/* The `until` of an entry, or NULL after an error (or when absent). */
static const char *read_until(struct ykit *R, const struct ydoc_node *n)
{
	if (!n)
		return NULL;
	const char *s = ykit_scalar(R, n, "until");
	if (s && !load_until_valid(s)) {
		ykit_err(R, n,
			 "until must be a date YYYY-MM-DD, not '%s' (the "
			 "suppression ends at the start of that day, UTC)",
			 s);
		return NULL;
	}
	return s;
}

static void add(struct model *m, const char *rule, const char *reason,
		const char *until, const char *file, const struct ydoc_node *at,
		const struct model_suppress *scope)
{
	struct model_suppress s = *scope;
	s.rule = rule;
	s.reason = reason;
	s.until = until;
	s.loc.file = file;
	ykit_pos(at, &s.loc.line, &s.loc.col);
	model_add_suppress(m, &s);
}

uint32_t load_last_line(const struct ydoc *doc, const struct ydoc_node *n)
{
	/* The end marks of block collections lie at the next token, often
	 * the next key's line: the last line of a node is its last
	 * scalar's.  A collection's nodes follow it in the document (base/
	 * ydoc.c adds a node when it starts), up to its end mark; an alias
	 * adds no node, so nothing is walked twice. */
	uint32_t last = (uint32_t)n->end_mark.line + 1;
	if (n->type == YAML_SCALAR_NODE)
		return last;
	last = (uint32_t)n->start_mark.line + 1;
	for (const struct ydoc_node *x = n + 1; x < doc->nodes.top; x++) {
		if (x->start_mark.index >= n->end_mark.index)
			break;
		if (x->type == YAML_SCALAR_NODE &&
		    x->end_mark.line + 1 > (size_t)last)
			last = (uint32_t)x->end_mark.line + 1;
	}
	return last;
}

/* One mapping {rule or rules, reason, until}. */
static void read_entry(struct ykit *R, struct model *m,
		       const struct ydoc_node *map,
		       const struct model_suppress *scope, const char *what)
{
	static const char *const keys[] = {"rule", "rules", "reason", "until"};
	struct ydoc_node *v[4];
	if (!ykit_take_keys(R, map, what, keys, 4, v, NULL))
		return;
	struct ydoc_node *rules = v[0] ? v[0] : v[1];
	if (v[0] && v[1])
		ykit_err(R, v[1], "%s: give 'rule' or 'rules', not both", what);
	else if (!rules && !ykit_suggested(R, map, "rule") &&
		 !ykit_suggested(R, map, "rules"))
		ykit_err(R, map,
			 "missing required key 'rule' in %s: which rule is "
			 "suppressed",
			 what);
	if (!v[2] && !ykit_suggested(R, map, "reason"))
		ykit_err(R, map,
			 "missing required key 'reason' in %s: a suppression "
			 "needs a reason",
			 what);
	const char *reason = v[2] ? ykit_scalar(R, v[2], "reason") : NULL;
	if (reason && blank(reason)) {
		ykit_err(R, v[2],
			 "a suppression needs a reason, not an empty "
			 "one");
		reason = NULL;
	}
	const char *until = read_until(R, v[3]);
	if (!rules || !reason || (v[3] && !until))
		return;
	if (rules->type == YAML_SEQUENCE_NODE && rules == v[1]) {
		struct ydoc_node *e;
		YKIT_SEQ_EACH(R->doc, rules, e)
		{
			const char *id = ykit_scalar(R, e, "a rule id");
			if (id)
				add(m, id, reason, until, R->file, e, scope);
		}
		return;
	}
	const char *id = ykit_scalar(R, rules, "a rule id");
	if (id)
		add(m, id, reason, until, R->file, rules, scope);
}

void load_suppress_yaml(struct ykit *R, struct model *m,
			const struct ydoc_node *n,
			const struct model_suppress *scope, const char *what)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		read_entry(R, m, n, scope, what);
		return;
	}
	struct ydoc_node *e;
	YKIT_SEQ_EACH(R->doc, n, e)
	read_entry(R, m, e, scope, what);
}

/* ---- Terraform comments -------------------------------------------------- */

#define IGNORE_MARK "vpcsim:ignore"

const char *load_suppress_mark(const char *text, size_t len)
{
	size_t k = strlen(IGNORE_MARK);
	for (size_t i = 0; i + k <= len; i++)
		if (!memcmp(text + i, IGNORE_MARK, k))
			return text + i;
	return NULL;
}

/* Skips spaces and tabs. */
static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

void load_suppress_comment(struct model *m, const char *text, size_t len,
			   const char *file, uint32_t line, uint32_t col,
			   const struct model_suppress *scope,
			   struct diag_list *diags)
{
	const char *end = text + len, *mark = load_suppress_mark(text, len);
	if (!mark)
		return;
	/* A block comment's closing star-slash is no part of the reason. */
	for (const char *q = mark; q + 1 < end; q++)
		if (q[0] == '*' && q[1] == '/') {
			end = q;
			break;
		}
	while (end > mark &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	col += (uint32_t)(mark - text);
	const char *p = mark + strlen(IGNORE_MARK);
	if (p < end && *p != ' ' && *p != '\t') {
		diag_add(diags, DIAG_ERROR, file, line, col,
			 "'%.*s': write '" IGNORE_MARK " RULE REASON'",
			 (int)(word_end(p, end) - mark), mark);
		return;
	}
	p = skip_sp(p, end);
	const char *rules = p, *rules_end = word_end(p, end);
	uint32_t rules_col = col + (uint32_t)(rules - mark);
	if (rules == rules_end) {
		diag_add(diags, DIAG_ERROR, file, line, col,
			 IGNORE_MARK " names no rule: write '" IGNORE_MARK
				     " RULE REASON'");
		return;
	}
	p = skip_sp(rules_end, end);
	char until[16] = "";
	if ((size_t)(end - p) >= 6 && !memcmp(p, "until:", 6)) {
		const char *d = p + 6, *de = word_end(d, end);
		snprintf(until, sizeof(until), "%.*s",
			 (int)(de - d < 15 ? de - d : 15), d);
		if ((size_t)(de - d) > 10 || !load_until_valid(until)) {
			diag_add(diags, DIAG_ERROR, file, line,
				 col + (uint32_t)(d - mark),
				 "until must be a date YYYY-MM-DD, not "
				 "'%.*s' (the suppression ends at the start "
				 "of that day, UTC)",
				 (int)(de - d), d);
			return;
		}
		p = skip_sp(de, end);
	}
	if (p == end) {
		diag_add(diags, DIAG_ERROR, file, line, col,
			 "a suppression needs a reason: write '" IGNORE_MARK
			 " %.*s REASON'",
			 (int)(rules_end - rules), rules);
		return;
	}
	char *reason = xasprintf("%.*s", (int)(end - p), p);
	/* RULE,RULE: one entry each, at its own column. */
	for (const char *r = rules; r < rules_end;) {
		const char *c = memchr(r, ',', (size_t)(rules_end - r));
		const char *re = c ? c : rules_end;
		if (re > r) {
			char *id = xasprintf("%.*s", (int)(re - r), r);
			struct model_suppress s = *scope;
			s.rule = id;
			s.reason = reason;
			s.until = *until ? until : NULL;
			s.loc = (struct src_loc){
			    file, line, rules_col + (uint32_t)(r - rules)};
			model_add_suppress(m, &s);
			free(id);
		}
		r = re + 1;
	}
	free(reason);
}
