/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every PostgreSQL version test of addrpolicy, in one place.
 *
 * Supported: PostgreSQL 15 and later.  The floor is set by what the code
 * uses without a fallback:
 *
 *	- InitMaterializedSRF() (funcapi.h, new in 15);
 *	- lib/sort_template.h and numeric_is_inf() (new in 14).
 *
 * Below 15 the build stops here with a message saying so, instead of failing
 * later on a missing symbol.  Above it, the differences between major
 * versions are hidden behind the small wrappers below; no other file tests
 * PG_VERSION_NUM.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ADDRPOLICY_COMPAT_H
#define ADDRPOLICY_COMPAT_H

#include "postgres.h"

#include "lib/stringinfo.h"

#if PG_VERSION_NUM < 150000
#error "addrpolicy needs PostgreSQL 15 or later"
#endif

/*
 * make_range() gained an escontext argument (soft errors) in 16.
 */
#if PG_VERSION_NUM >= 160000
#define ap_make_range(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty), NULL)
#else
#define ap_make_range(typcache, lower, upper, empty) \
	make_range((typcache), (lower), (upper), (empty))
#endif

/*
 * initReadOnlyStringInfo() is new in 17: a StringInfo over an existing
 * buffer, not copied.  Before 17 the same fields are set by hand, as core's
 * own deserialize functions did (maxlen 0 marks a buffer that is not ours;
 * the pq_getmsg* readers only read data, len and cursor).
 */
#if PG_VERSION_NUM < 170000
static inline void
initReadOnlyStringInfo(StringInfo str, char *data, int len)
{
	str->data = data;
	str->len = len;
	str->maxlen = 0;
	str->cursor = 0;
}
#endif

/*
 * The majors whose numeric.c has the short format src/numeric_read.c reads
 * (checked by reading numeric.c, and by its self-test at run time).  Add a
 * major here only after checking numeric.c's NUMERIC_SHORT definitions in
 * it; on any other, the reader is compiled out.  AP_NO_NUMERIC_READER turns
 * it off at build time, to measure what it is worth.
 */
#if PG_VERSION_NUM >= 150000 && PG_VERSION_NUM < 160000 && !defined(AP_NO_NUMERIC_READER)
#define AP_NUMERIC_LAYOUT_CHECKED 1
#endif

#endif							/* ADDRPOLICY_COMPAT_H */
