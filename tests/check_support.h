/*
 * Helpers the model-level test suites share (no suite of its own): a
 * model loaded or the test fails with its diagnostics, an object checked
 * for its kind, one rule's findings counted, one TCP question answered.
 * Each aborts the calling test on a failure, as ck_assert does.
 */
#ifndef VPCSIM_CHECK_SUPPORT_H
#define VPCSIM_CHECK_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "rules/rules.h"
#include "sim/sim.h"

/* path loaded with the parameters params[0..np); the model is the
 * caller's. */
struct model *tk_load_p(const char *path, const char *const *params, size_t np);
/* path loaded without parameters; the model is the caller's. */
struct model *tk_load(const char *path);
/* The object id of m, which must exist and be of kind. */
const struct model_obj *tk_obj(const struct model *m, const char *id,
			       enum model_kind kind);
/* The findings of one rule on one resource (any, for NULL), and the
 * severity of the last in *sev (may be NULL). */
uint32_t tk_count(const struct model *m, const char *rule, const char *resource,
		  enum severity *sev);
/* The verdict of from -> to on tcp port, and of its forward in *fwd (may
 * be NULL; VERDICT_ALL when there is none). */
void tk_answer(const struct model *m, const char *from, const char *to,
	       uint16_t port, enum sim_verdict *v, enum sim_verdict *fwd);

#endif
