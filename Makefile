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
#   make plots  the same set-up, then regenerates the README's pictures from
#               the extension's own output (doc/plots/plots.sh, gnuplot)
#
# The ordinary PGXS targets (all, install, installcheck, clean) work as usual
# once the server headers are installed: `make && sudo make install`.

EXTENSION    = addrpolicy addrpolicy_netbox
MODULE_big   = addrpolicy
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA         = $(wildcard addrpolicy--*.sql) $(wildcard addrpolicy_netbox--*.sql)
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=.
PG_CPPFLAGS  = -I$(srcdir)/src
EXTRA_CLEAN  = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
# Debian's postgresql-client-N ships pg_config and pgxs.mk without the server
# headers: what the build needs is postgres.h
SERVER_HEADERS := $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)/postgres.h
ifneq ($(and $(wildcard $(PGXS)),$(wildcard $(SERVER_HEADERS))),)
include $(PGXS)
# every object depends on the shared headers (PGXS tracks no header
# dependencies unless the server was configured with --enable-depend).  This
# rule comes after the include, so that PGXS's `all' stays the default goal.
$(OBJS): $(wildcard src/*.h)
else
all install installcheck:
	@echo "PostgreSQL server headers not found ($(SERVER_HEADERS))." >&2
	@echo "Install postgresql-server-dev-N for your server, or run 'make test' or" >&2
	@echo "'make demo': they install it." >&2
	@exit 1
clean:
	rm -f $(OBJS) $(OBJS:.o=.bc) addrpolicy.so
	rm -rf $(EXTRA_CLEAN)
endif

.PHONY: test test-long demo bench fuzz valgrind plots
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
plots:
	@bash scripts/run.sh plots
