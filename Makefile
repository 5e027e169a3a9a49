# addrpolicy — PostgreSQL extension (PGXS)
#
#   make test   install what is missing, build, install, run every test in a
#               throw-away cluster (pg_virtualenv); see scripts/run.sh
#   make test-long  the same, every test/ harness in its long form (no AP_QUICK)
#   make demo   the same set-up, then the example report
#   make bench  the same set-up, then the benchmarks (test/bench)
#   make fuzz   the same set-up, then the long fuzzing run (test/fuzz)
#   make valgrind  the same set-up, then the suites under Valgrind memcheck
#               (test/valgrind; slow)
#
# The ordinary PGXS targets (all, install, installcheck, clean) work as usual
# once the server headers are installed.

EXTENSION    = addrpolicy
MODULE_big   = addrpolicy
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA         = $(wildcard addrpolicy--*.sql)
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=.
PG_CPPFLAGS  = -I$(srcdir)/src
EXTRA_CLEAN  = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
# every object depends on the shared headers (PGXS tracks no header
# dependencies unless the server was configured with --enable-depend).  This
# rule comes after the include, so that PGXS's `all' stays the default goal.
$(OBJS): $(wildcard src/*.h)
else
all install installcheck:
	@echo "PostgreSQL server headers not found (pg_config --pgxs)." >&2
	@echo "Run 'make test' or 'make demo': they install them." >&2
	@exit 1
endif

.PHONY: test test-long demo bench fuzz valgrind
test:
	@bash scripts/run.sh test
test-long:
	@bash scripts/run.sh test-long
demo:
	@bash scripts/run.sh demo
bench:
	@bash scripts/run.sh bench
fuzz:
	@bash scripts/run.sh fuzz
valgrind:
	@bash scripts/run.sh valgrind
