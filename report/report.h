/*
 * Writers that turn models and analysis results into what users read:
 * text for people, JSON for programs.  Writers only read what they are
 * given and print to the stream; they never fail except on I/O, which the
 * caller checks with ferror.
 */
#ifndef VPCSIM_REPORT_H
#define VPCSIM_REPORT_H

#include <stdio.h>

#include "model/model.h"

/* The normalized model, as `vpcsim show` prints it. */
void report_show_text(FILE *f, const struct model *m);
void report_show_json(FILE *f, const struct model *m);

/* "tcp 443", "udp 1024-65535", "all traffic", "icmp type 8 code 0". */
void report_match(char *buf, size_t size, const struct model_match *mt);
/* A security-group rule's peer: a CIDR, "group 'x'" or "prefix list 'x'". */
void report_sg_peer(char *buf, size_t size, const struct model *m,
                    const struct model_sg_rule *r);

#endif
