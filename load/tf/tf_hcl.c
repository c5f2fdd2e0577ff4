/*
 * A scanner for the blocks of HCL native syntax (tf_hcl.h): a lexer that
 * turns text into the tokens structure needs (names, strings, heredocs,
 * brackets, `=`, newlines), and a parser of bodies that records the
 * top-level resource and data blocks and the blocks nested directly in
 * them.
 *
 * Invariants: the lexer never reads past end; a string, template,
 * comment or heredoc that does not end stops the scan (T_BAD) with its
 * start recorded, so nothing after it is taken for a block.  A `{` inside
 * an attribute's expression (an object, a for expression) is counted as
 * a bracket and never opens a block: only `NAME LABELS... {` at the start
 * of a statement does.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/load_impl.h"
#include "load/tf/tf_hcl.h"

enum tok_kind {
	T_EOF,
	T_BAD, /* unterminated: the scan stops */
	T_NEWLINE,
	T_IDENT,
	T_STRING,
	T_HEREDOC,
	T_LBRACE,
	T_RBRACE,
	T_OPEN,	 /* ( [ */
	T_CLOSE, /* ) ] */
	T_EQ,
	T_OTHER,
};

struct tok {
	enum tok_kind kind;
	const char *start; /* a name, or a string's body between quotes */
	size_t len;
	uint32_t line, col;
};

struct lexer {
	const char *p, *end;
	uint32_t line, col; /* of p */
	uint32_t bad_line, bad_col;
	uint32_t tok_line;    /* of the last token: a comment on a later
				 line is on a line of its own */
	struct hcl_file *out; /* where comments go */
};

static int peek(const struct lexer *x, size_t ahead)
{
	return x->p + ahead < x->end ? (unsigned char)x->p[ahead] : -1;
}

static void advance(struct lexer *x)
{
	if (x->p >= x->end)
		return;
	if (*x->p++ == '\n') {
		x->line++;
		x->col = 1;
	} else {
		x->col++;
	}
}

static void advance_n(struct lexer *x, size_t n)
{
	while (n--)
		advance(x);
}

static bool name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Records where the scan stops; false, for the caller to return. */
static bool stop(struct lexer *x, uint32_t line, uint32_t col)
{
	if (!x->bad_line) {
		x->bad_line = line;
		x->bad_col = col;
	}
	return false;
}

static bool skip_string(struct lexer *x);

/* After the `${` or `%{` of a template: an expression up to its `}`,
 * which may hold strings (with templates of their own) and braces. */
static bool skip_template(struct lexer *x, uint32_t line, uint32_t col)
{
	int depth = 1;
	for (;;) {
		int c = peek(x, 0);
		if (c < 0)
			return stop(x, line, col);
		if (c == '"') {
			if (!skip_string(x))
				return false;
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && --depth == 0) {
			advance(x);
			return true;
		}
		advance(x);
	}
}

/* A quoted string from its opening quote: escapes, `$${` and `%%{` (a
 * literal `${`), and templates.  A newline ends it too soon (HCL's
 * quoted strings are one line). */
static bool skip_string(struct lexer *x)
{
	uint32_t line = x->line, col = x->col;
	advance(x); /* the quote */
	for (;;) {
		int c = peek(x, 0);
		if (c < 0 || c == '\n')
			return stop(x, line, col);
		if (c == '"') {
			advance(x);
			return true;
		}
		if (c == '\\') {
			advance_n(x, 2);
			continue;
		}
		if ((c == '$' || c == '%') && peek(x, 1) == c &&
		    peek(x, 2) == '{') {
			advance_n(x, 3);
			continue;
		}
		if ((c == '$' || c == '%') && peek(x, 1) == '{') {
			uint32_t tl = x->line, tc = x->col;
			advance_n(x, 2);
			if (!skip_template(x, tl, tc))
				return false;
			continue;
		}
		advance(x);
	}
}

/* At `<<`: a heredoc when an identifier and the end of the line follow
 * (`<<EOF`, `<<-EOF`); it ends at a line holding only the identifier,
 * after optional indentation.  *is is false (nothing read) otherwise. */
static bool skip_heredoc(struct lexer *x, bool *is)
{
	size_t k = 2;
	*is = false;
	if (peek(x, k) == '-')
		k++;
	size_t id = k;
	while (name_char(peek(x, k)))
		k++;
	size_t id_len = k - id;
	while (peek(x, k) == ' ' || peek(x, k) == '\t' || peek(x, k) == '\r')
		k++;
	if (!id_len || !name_start(peek(x, id)) || peek(x, k) != '\n')
		return true;
	*is = true;
	uint32_t line = x->line, col = x->col;
	const char *delim = x->p + id;
	advance_n(x, k + 1);
	for (;;) {
		if (x->p >= x->end)
			return stop(x, line, col);
		size_t i = 0;
		while (peek(x, i) == ' ' || peek(x, i) == '\t')
			i++;
		size_t j = i;
		while (j - i < id_len &&
		       peek(x, j) == (unsigned char)delim[j - i])
			j++;
		size_t e = j;
		while (peek(x, e) == '\r')
			e++;
		if (j - i == id_len && !name_char(peek(x, j)) &&
		    (peek(x, e) == '\n' || peek(x, e) < 0)) {
			advance_n(x, j); /* the newline is a token */
			return true;
		}
		while (peek(x, 0) >= 0 && peek(x, 0) != '\n')
			advance(x);
		advance(x);
	}
}

/* Keeps the comment that started at start (line, col) and ends at x->p:
 * its place always (a suppression may sit in a comment block above a
 * resource), its text when it holds `vpcsim:ignore`. */
static void keep_comment(struct lexer *x, const char *start, uint32_t line,
			 uint32_t col)
{
	struct hcl_file *f = x->out;
	f->comments =
	    xreallocarray(f->comments, f->n_comments + 1, sizeof(*f->comments));
	struct hcl_comment *c = &f->comments[f->n_comments++];
	size_t len = (size_t)(x->p - start);
	*c = (struct hcl_comment){line, col, x->line, x->tok_line != line,
				  NULL, 0};
	if (load_suppress_mark(start, len)) {
		c->text = xmalloc(len + 1);
		memcpy(c->text, start, len);
		c->text[len] = '\0';
		c->len = len;
	}
}

/* Spaces and comments; false when a slash-star comment does not end. */
static bool skip_blank(struct lexer *x)
{
	for (;;) {
		int c = peek(x, 0);
		const char *start = x->p;
		uint32_t line = x->line, col = x->col;
		if (c == ' ' || c == '\t' || c == '\r') {
			advance(x);
		} else if (c == '#' || (c == '/' && peek(x, 1) == '/')) {
			while (peek(x, 0) >= 0 && peek(x, 0) != '\n')
				advance(x);
			keep_comment(x, start, line, col);
		} else if (c == '/' && peek(x, 1) == '*') {
			advance_n(x, 2);
			while (peek(x, 0) >= 0 &&
			       !(peek(x, 0) == '*' && peek(x, 1) == '/'))
				advance(x);
			if (peek(x, 0) < 0)
				return stop(x, line, col);
			advance_n(x, 2);
			keep_comment(x, start, line, col);
		} else {
			return true;
		}
	}
}

static void next_token(struct lexer *x, struct tok *t)
{
	memset(t, 0, sizeof(*t));
	if (!skip_blank(x)) {
		t->kind = T_BAD;
		return;
	}
	t->line = x->line;
	t->col = x->col;
	t->start = x->p;
	x->tok_line = x->line;
	int c = peek(x, 0);
	if (c < 0) {
		t->kind = T_EOF;
		return;
	}
	if (name_start(c)) {
		while (name_char(peek(x, 0)))
			advance(x);
		t->kind = T_IDENT;
		t->len = (size_t)(x->p - t->start);
		return;
	}
	if (c == '"') {
		t->kind = T_STRING;
		t->start = x->p + 1;
		if (!skip_string(x)) {
			t->kind = T_BAD;
			return;
		}
		t->len = (size_t)(x->p - 1 - t->start);
		return;
	}
	if (c == '<' && peek(x, 1) == '<') {
		bool is;
		if (!skip_heredoc(x, &is)) {
			t->kind = T_BAD;
			return;
		}
		if (is) {
			t->kind = T_HEREDOC;
			return;
		}
	}
	advance(x);
	switch (c) {
	case '\n':
		t->kind = T_NEWLINE;
		break;
	case '{':
		t->kind = T_LBRACE;
		break;
	case '}':
		t->kind = T_RBRACE;
		break;
	case '(':
	case '[':
		t->kind = T_OPEN;
		break;
	case ')':
	case ']':
		t->kind = T_CLOSE;
		break;
	case '=':
		/* `==` and `=>` are operators, not an attribute's `=` */
		t->kind = T_EQ;
		if (peek(x, 0) == '=' || peek(x, 0) == '>') {
			advance(x);
			t->kind = T_OTHER;
		}
		break;
	default:
		t->kind = T_OTHER;
		break;
	}
}

/* ---- bodies ------------------------------------------------------------ */

struct parser {
	struct lexer x;
	struct tok t; /* the current token */
	struct hcl_file *f;
	uint32_t rbrace_line; /* of the last `}` that closed a body */
};

static void next(struct parser *P)
{
	next_token(&P->x, &P->t);
}

static bool done(const struct parser *P)
{
	return P->t.kind == T_EOF || P->t.kind == T_BAD;
}

static char *tok_str(const struct tok *t)
{
	char *s = xmalloc(t->len + 1);
	memcpy(s, t->start, t->len);
	s[t->len] = '\0';
	return s;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->kind == T_IDENT && t->len == strlen(word) &&
	       !memcmp(t->start, word, t->len);
}

/* An attribute's expression, up to the end of its line outside brackets,
 * or up to the `}` that closes the block it is in (one-line blocks). */
static void skip_expr(struct parser *P)
{
	int depth = 0;
	while (!done(P)) {
		enum tok_kind k = P->t.kind;
		if (k == T_NEWLINE && depth == 0) {
			next(P);
			return;
		}
		if ((k == T_RBRACE || k == T_CLOSE) && depth == 0)
			return;
		if (k == T_LBRACE || k == T_OPEN)
			depth++;
		else if (k == T_RBRACE || k == T_CLOSE)
			depth--;
		next(P);
	}
}

static void parse_body(struct parser *P, int level, uint32_t owner);

/* Blocks nest at most this deep in the recursion; below, bodies are
 * skipped by counting braces, so no file runs the stack out. */
#define MAX_LEVEL 32

/* After a block's `{`: up to its `}`, brackets balanced, nothing read. */
static void skip_body(struct parser *P)
{
	size_t depth = 1;
	while (!done(P)) {
		enum tok_kind k = P->t.kind;
		next(P);
		if (k == T_LBRACE || k == T_OPEN)
			depth++;
		else if ((k == T_RBRACE || k == T_CLOSE) && --depth == 0)
			return;
	}
}

/* A nested block of resource owner's body: `NAME {` or `dynamic "NAME" {`. */
static void add_nested(struct parser *P, uint32_t owner, const struct tok *head,
		       const struct tok *label, uint32_t n_labels)
{
	bool dynamic = tok_is(head, "dynamic");
	if (n_labels != (dynamic ? 1u : 0u))
		return;
	struct hcl_block *b = &P->f->blocks[owner];
	b->nested =
	    xreallocarray(b->nested, b->n_nested + 1, sizeof(*b->nested));
	struct hcl_nested *n = &b->nested[b->n_nested++];
	n->name = tok_str(dynamic ? label : head);
	n->line = head->line;
	n->col = head->col;
	n->dynamic = dynamic;
}

/* A top-level `resource` or `data` block; its index. */
static uint32_t add_block(struct parser *P, const struct tok *head,
			  const struct tok *labels)
{
	struct hcl_file *f = P->f;
	f->blocks = xreallocarray(f->blocks, f->n + 1, sizeof(*f->blocks));
	struct hcl_block *b = &f->blocks[f->n];
	memset(b, 0, sizeof(*b));
	b->data = tok_is(head, "data");
	b->type = tok_str(&labels[0]);
	b->name = tok_str(&labels[1]);
	b->line = head->line;
	b->col = head->col;
	return f->n++;
}

/* One statement starting at a name: an attribute (NAME = expr) or a
 * block (NAME LABEL... {). */
static void statement(struct parser *P, int level, uint32_t owner)
{
	struct tok head = P->t, labels[2];
	uint32_t n = 0;
	next(P);
	while (P->t.kind == T_STRING || P->t.kind == T_IDENT) {
		if (n < 2)
			labels[n] = P->t;
		n++;
		next(P);
	}
	if (P->t.kind == T_EQ && n == 0) {
		next(P);
		skip_expr(P);
		return;
	}
	if (P->t.kind != T_LBRACE) {
		skip_expr(P); /* not HCL this scanner knows: its line */
		return;
	}
	next(P);
	if (level >= MAX_LEVEL) { /* deeper than any block vpcsim reads */
		skip_body(P);
		return;
	}
	if (level == 0 && n == 2 &&
	    (tok_is(&head, "resource") || tok_is(&head, "data"))) {
		uint32_t b = add_block(P, &head, labels);
		P->rbrace_line = 0;
		parse_body(P, 1, b);
		/* Unclosed at the end of the file: up to its last line. */
		P->f->blocks[b].end_line =
		    P->rbrace_line ? P->rbrace_line : P->x.line;
		return;
	}
	if (level == 1 && owner != UINT32_MAX)
		add_nested(P, owner, &head, &labels[0], n);
	parse_body(P, level + 1, UINT32_MAX);
}

/* The statements of a body up to its `}` (level > 0) or the end; owner
 * is the resource whose body this is at level 1, else UINT32_MAX. */
static void parse_body(struct parser *P, int level, uint32_t owner)
{
	while (!done(P)) {
		switch (P->t.kind) {
		case T_NEWLINE:
			next(P);
			break;
		case T_RBRACE:
			if (level == 1)
				P->rbrace_line = P->t.line;
			next(P);
			if (level > 0)
				return;
			break; /* a stray `}` at the top: skipped */
		case T_IDENT:
			statement(P, level, owner);
			break;
		default:
			skip_expr(P);
			if (P->t.kind == T_CLOSE)
				next(P); /* a stray `)` or `]` */
			break;
		}
	}
}

int hcl_scan(struct hcl_file *out, const char *text, size_t len)
{
	struct parser P;
	memset(out, 0, sizeof(*out));
	memset(&P, 0, sizeof(P));
	P.f = out;
	P.x.out = out;
	P.x.p = text;
	P.x.end = text + len;
	P.x.line = P.x.col = 1;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		P.x.p += 3; /* a byte-order mark */
	next(&P);
	parse_body(&P, 0, UINT32_MAX);
	out->bad_line = P.x.bad_line;
	out->bad_col = P.x.bad_col;
	return out->bad_line ? -1 : 0;
}

void hcl_file_free(struct hcl_file *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n; i++) {
		for (uint32_t k = 0; k < f->blocks[i].n_nested; k++)
			free(f->blocks[i].nested[k].name);
		free(f->blocks[i].nested);
		free(f->blocks[i].type);
		free(f->blocks[i].name);
	}
	free(f->blocks);
	for (uint32_t i = 0; i < f->n_comments; i++)
		free(f->comments[i].text);
	free(f->comments);
	memset(f, 0, sizeof(*f));
}
