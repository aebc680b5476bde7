/* Calendar dates as days since 1970-01-01, shared by --today, waivers and the engine's clock. */
#ifndef QMS_DATES_H
#define QMS_DATES_H

#include <stdint.h>

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (Howard Hinnant's days_from_civil).
 * No validation: see qms_date_parse_iso. Thread-safe. */
int32_t qms_date_days(int y, unsigned m, unsigned d);

/* Strict "YYYY-MM-DD" that is a real calendar date -> days since 1970-01-01. 0 on success,
 * -1 otherwise (*out untouched). Thread-safe. */
int qms_date_parse_iso(const char *s, int32_t *out);

#endif
