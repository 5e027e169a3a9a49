/*-------------------------------------------------------------------------
 *
 * module.c
 *	  The one place that marks addrpolicy.so as a PostgreSQL module.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "compat.h"

PG_MODULE_MAGIC;
