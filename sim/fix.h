/*
 * Building fixes (sim/fix.c), for the engine's blocking and degraded
 * steps: the edits of the native model that make a step pass.  Internal
 * to sim/; struct sim_fix itself is in sim.h.
 *
 * A fix is built change by change: fix_new makes an empty one, the
 * fix_*_rule and fix_change calls append changes, and a call that cannot
 * write its change (the object is not in the input, no rule number is
 * free) turns the fix into a refusal with the reason (fix->none), after
 * which further changes are ignored.
 */
#ifndef VPCSIM_SIM_FIX_H
#define VPCSIM_SIM_FIX_H

#include "sim/sim.h"

/* An empty fix, the caller's (sim_fix_free, then free). */
struct sim_fix *fix_new(void);
/* A fix that says why there is none. */
struct sim_fix *fix_refuse(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Turns f into a refusal (the first reason wins). */
void fix_refuse_in(struct sim_fix *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Sets f's sentence (once: later calls are ignored). */
void fix_text(struct sim_fix *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Moves g's changes to the end of f (a refusal in g refuses f) and frees
 * g; returns g's sentence, the caller's (free), or NULL. */
char *fix_absorb(struct sim_fix *f, struct sim_fix *g);

/* The native section of an object ("network_acls"), NULL when the native
 * format has none. */
const char *fix_section(const struct model *m, enum model_kind k, uint32_t i);

/*
 * Appends a change of object (k, i): op on key.  NULL, after refusing,
 * when the object is not in the input (the loader made it) or has no
 * native section.
 */
struct sim_fix_change *fix_change(struct sim_fix *f, const struct model *m,
				  enum model_kind k, uint32_t i,
				  enum sim_fix_op op, const char *key);
/* Appends a new object of section named id (FIX_NEW). */
struct sim_fix_change *fix_new_object(struct sim_fix *f, const char *section,
				      const char *id);
void fix_field(struct sim_fix_change *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fix_scalar(struct sim_fix_change *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * What a rule must match: proto, and ports lo-hi for tcp and udp, the
 * type lo for icmp (icmp_any: any type).
 */
struct fix_match {
	enum proto proto;
	uint16_t lo, hi;
	bool icmp_any;
	bool reply; /* it is the replies' (for the sentence) */
};

/* "tcp 1024-65535", "icmp type 0", "all traffic". */
void fix_match_words(char *buf, size_t size, const struct fix_match *mt);

/*
 * Appends a NACL rule allowing mt from (inbound) or to cidr, numbered
 * before every rule of that list numbered `before` or more (32767: after
 * the last rule), so it decides before them.
 */
void fix_nacl_rule(struct sim_fix *f, const struct model *m, uint32_t nacl,
		   bool inbound, const struct fix_match *mt, const char *cidr,
		   uint32_t before);
/* Appends a rule of security group g allowing mt from (ingress) or to
 * (egress) peer: a group id or a CIDR. */
void fix_sg_rule(struct sim_fix *f, const struct model *m, uint32_t g,
		 bool egress, const struct fix_match *mt, const char *peer);
/*
 * For object i of kind k that carries only its VPC's default group, which
 * the file does not write: a new group of its own in the same VPC whose
 * ingress rule allows mt from peer (AWS's default egress, all out, as a
 * group without `egress` gets it), and the object's security_groups set
 * to it.
 */
void fix_own_group(struct sim_fix *f, const struct model *m, enum model_kind k,
		   uint32_t i, uint32_t vpc, const struct fix_match *mt,
		   const char *peer);

#endif
