/* Fingerprints and baselines: adopting qmslint on a legacy set without fixing every old
 * finding first. A fingerprint is rule + path + what the finding is about (its key, else its
 * message with numbers blanked), never a line or paragraph number, so it survives edits
 * elsewhere in the document. */
#ifndef QMS_BASELINE_H
#define QMS_BASELINE_H

#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "errors.h"

#define QMS_FINGERPRINT_LEN 32 /* hex digits */
#define QMS_BASELINE_VERSION 1

/* Writes the fingerprint of f (QMS_FINGERPRINT_LEN hex digits and a NUL) into out. */
void qms_fingerprint(char out[QMS_FINGERPRINT_LEN + 1], const struct qms_finding *f);
/* Sets every finding's fingerprint (strings owned by the result). 0 or QMS_ENOMEM. */
int qms_result_fingerprint(struct qms_result *r);

struct qms_baseline;

/* Writes the baseline of the active findings (fingerprint, rule, path per finding, sorted)
 * as JSON. Fingerprints must be set. 0 or QMS_EIO. */
int qms_baseline_write(FILE *out, const struct qms_result *r, const char *tool_version);
/* Reads a baseline file. QMS_EIO / QMS_EFORMAT with "file: reason" in err. */
int qms_baseline_load(struct qms_baseline **out, const char *file, struct qms_err *err);
void qms_baseline_free(struct qms_baseline *b);
/* Number of fingerprints in the baseline. */
size_t qms_baseline_size(const struct qms_baseline *b);
/* Marks active findings found in the baseline QMS_SUPPRESS_BASELINE (each baseline entry
 * matches one finding, so a second copy of an old defect is new) and sets
 * r->baseline_used. Fingerprints must be set; call qms_result_finish afterwards. */
int qms_baseline_apply(struct qms_result *r, const struct qms_baseline *b, const char *file);

#endif
