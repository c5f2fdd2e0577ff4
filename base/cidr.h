/*
 * IPv4 and IPv6 addresses and CIDR blocks.
 *
 * A struct cidr is canonical: every host bit below len is zero, so two
 * blocks are equal exactly when their fields are.  Parsing refuses host bits
 * (AWS does, semantics §2) but still reports the canonical block, so a
 * diagnostic can suggest it.  IPv6 is parsed and carried, not routed.
 */
#ifndef VPCSIM_CIDR_H
#define VPCSIM_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cidr {
	uint32_t addr; /* host byte order */
	uint8_t len;   /* 0..32 */
};

struct cidr6 {
	uint8_t addr[16]; /* network byte order */
	uint8_t len;	  /* 0..128 */
};

enum {
	CIDR_EINVAL = -1,   /* not an address or block at all */
	CIDR_EHOSTBITS = -2 /* well-formed, but bits set below the prefix */
};

#define ADDR_STRLEN  16 /* "255.255.255.255" + NUL */
#define CIDR_STRLEN  19 /* "255.255.255.255/32" + NUL */
#define CIDR6_STRLEN 44 /* full IPv6 text + "/128" + NUL */

/* Strict dotted quad: four decimal octets 0..255, no leading zeros, nothing
 * else.  Returns 0 or CIDR_EINVAL. */
int addr_parse(uint32_t *out, const char *s);
void addr_format(char buf[ADDR_STRLEN], uint32_t addr);

/* "a.b.c.d/len".  On CIDR_EHOSTBITS *out holds the canonical block; on
 * CIDR_EINVAL *out is unchanged. */
int cidr_parse(struct cidr *out, const char *s);
void cidr_format(char buf[CIDR_STRLEN], struct cidr c);

/* Netmask of a prefix length 0..32 (0 for /0). */
uint32_t cidr_mask(uint8_t len);
/* Number of addresses in the block, 1..2^32. */
uint64_t cidr_size(struct cidr c);
/* Last address of the block. */
uint32_t cidr_last(struct cidr c);
bool cidr_contains_addr(struct cidr c, uint32_t addr);
/* Whether every address of inner lies in outer. */
bool cidr_contains(struct cidr outer, struct cidr inner);
bool cidr_overlaps(struct cidr a, struct cidr b);
/* Total order: by address, then shorter prefix first. */
int cidr_cmp(struct cidr a, struct cidr b);

/* RFC 4291 text forms, "::" compression and embedded IPv4 tail included;
 * the /0..128 length is required.  Same return codes as cidr_parse. */
int cidr6_parse(struct cidr6 *out, const char *s);
/* RFC 5952 canonical text, always in hex groups: mapped IPv4 addresses
 * print as ::ffff:a00:1, not with a dotted tail. */
void cidr6_format(char buf[CIDR6_STRLEN], struct cidr6 c);
bool cidr6_contains(struct cidr6 outer, struct cidr6 inner);
bool cidr6_overlaps(struct cidr6 a, struct cidr6 b);

#endif
