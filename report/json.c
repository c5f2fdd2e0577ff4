/* See json.h.  first[d] is true until depth d has written an element. */
#include "report/json.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static void indent(struct json *j)
{
	/* A new line and two spaces a level, in one write: reports of
	 * estates write hundreds of megabytes of it.  depth stays below
	 * JSON_MAX_DEPTH (open_). */
	static char spaces[1 + 2 * JSON_MAX_DEPTH];
	if (!j->pretty)
		return;
	if (!spaces[0]) {
		spaces[0] = '\n';
		memset(spaces + 1, ' ', sizeof(spaces) - 1);
	}
	fwrite(spaces, 1, 1 + 2 * (size_t)j->depth, j->f);
}

/* Before any value or key: a comma unless first, then a new line. */
static void pre_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->f);
		j->first[j->depth] = false;
		indent(j);
	}
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->depth = 0;
	j->pretty = pretty;
	j->after_key = false;
}

static void open_(struct json *j, char c)
{
	pre_value(j);
	fputc(c, j->f);
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort(); /* a bug in the caller, not bad input */
	j->first[++j->depth] = true;
}

static void close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
}

void json_begin_object(struct json *j)
{
	open_(j, '{');
}

void json_end_object(struct json *j)
{
	close_(j, '}');
}

void json_begin_array(struct json *j)
{
	open_(j, '[');
}

void json_end_array(struct json *j)
{
	close_(j, ']');
}

static void write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', f);
	while (*s) {
		unsigned char c = *s;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			s++;
		} else if (c == '\n') {
			fputs("\\n", f);
			s++;
		} else if (c == '\t') {
			fputs("\\t", f);
			s++;
		} else if (c == '\r') {
			fputs("\\r", f);
			s++;
		} else if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			s++;
		} else {
			/* A run of characters written as they are, in one
			 * write. */
			const unsigned char *run = s;
			int n;
			while (*s >= 0x20 && *s != '"' && *s != '\\' &&
			       (n = util_utf8_len(s)) > 0)
				s += n;
			if (s > run) {
				fwrite(run, 1, (size_t)(s - run), f);
			} else {
				fputs("\\ufffd", f);
				s++;
			}
		}
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	pre_value(j);
	write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	pre_value(j);
	write_string(j->f, s);
}

void json_int(struct json *j, long long v)
{
	pre_value(j);
	fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	pre_value(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	pre_value(j);
	fputs("null", j->f);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
