/* Waivers for auditors: .qmslint-waivers.yml names findings the organisation has accepted,
 * with a justification (required), an approver and an expiry date (optional).
 *
 *   waivers:
 *     - rule: structure/placeholder-text      # a rule id or a glob of ids
 *       document: "forms/x-*.md"              # glob on the path relative to the set root
 *       clause: "7.5"                         # optional: only rules serving this clause
 *       justification: Form templates keep placeholders by design.
 *       approver: J. Smith (QA manager)       # optional
 *       expires: 2027-06-30                   # optional, YYYY-MM-DD
 *
 * A waived finding is kept (counted, and a SARIF suppression with the justification); an
 * expired waiver waives nothing and is reported as core/expired-waiver. */
#ifndef QMS_WAIVERS_H
#define QMS_WAIVERS_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "errors.h"

#define QMS_WAIVERS_FILE ".qmslint-waivers.yml"
#define QMS_MAX_WAIVERS 10000

struct qms_waiver {
    const char *rule;
    const char *document;
    const char *clause;            /* or NULL */
    const char *justification;
    const char *approver;          /* or NULL */
    const char *expires;           /* as written, or NULL */
    int32_t expires_day;           /* days since 1970-01-01 (valid when expires) */
    uint32_t line, column;         /* of the entry */
};

struct qms_waivers {
    struct qms_arena *arena;
    const char *file;              /* as given */
    struct qms_waiver *items;
    size_t n;
};

/* Reads and validates a waivers file: every entry needs rule, document and justification;
 * unknown keys and bad dates are QMS_ECONFIG with "file:line:column: reason". */
int qms_waivers_load(struct qms_waivers **out, const char *file, struct qms_err *err);
void qms_waivers_free(struct qms_waivers *w);

/*
 * Waives the active findings a current waiver covers (QMS_SUPPRESS_WAIVER, justification
 * "text (approved by X, expires D)"); reports each expired waiver (core/expired-waiver) and
 * each waiver naming an unknown rule (core/unknown-suppression) at `display_file`.
 * `today` in days since 1970-01-01. Call qms_result_finish afterwards.
 */
int qms_waivers_apply(struct qms_result *r, const struct qms_waivers *w,
                      const struct qms_engine *e, int32_t today, const char *display_file);

/* "YYYY-MM-DD" -> days since 1970-01-01; 0 or -1 for anything but a real date. */
int qms_waivers_parse_date(const char *s, int32_t *out);

#endif
