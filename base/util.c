/* Allocation that aborts on failure, and the edit distance behind hints. */
#include "base/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void die_oom(void)
{
	fputs("vpcsim: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die_oom();
	size_t bytes = n * size;
	void *q = realloc(p, bytes ? bytes : 1);
	if (!q)
		die_oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

unsigned util_edit_distance(const char *a, const char *b, unsigned cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	unsigned row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0], best = (unsigned)i;
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}

const char *util_closest(const char *word, const char *const *cands, size_t n)
{
	unsigned cap = strlen(word) <= 3 ? 1 : 2;
	const char *best = NULL;
	unsigned best_d = cap + 1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = util_edit_distance(word, cands[i], cap);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

const char *util_abbrev(char buf[UTIL_ABBREV_SIZE], const char *s)
{
	size_t n = strlen(s);
	if (n < UTIL_ABBREV_SIZE)
		return s;
	n = 32;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--; /* s[n] continues a sequence: cut before its start */
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

int util_utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	int n = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
		: s[0] >= 0xE0		       ? 3
		: s[0] >= 0xC2 && s[0] <= 0xDF ? 2
					       : 0;
	if (n == 3 && s[0] > 0xEF)
		n = 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* Overlong three-byte forms and surrogates; four-byte forms
	 * overlong or past U+10FFFF. */
	if (n == 3 &&
	    ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;
	if (n == 4 &&
	    ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *p = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(p, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

bool util_port_text(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return false;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = v;
	return true;
}

bool util_port_range_text(const char *s, uint32_t *lo, uint32_t *hi)
{
	char buf[32];
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	char *dash = strchr(buf, '-');
	if (!dash)
		return util_port_text(buf, lo) && util_port_text(buf, hi);
	*dash = '\0';
	return util_port_text(buf, lo) && util_port_text(dash + 1, hi);
}

const char *util_u32_text(char buf[UTIL_U32_TEXT_SIZE], uint32_t v)
{
	char *p = buf + UTIL_U32_TEXT_SIZE;
	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}
