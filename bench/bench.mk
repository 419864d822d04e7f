# The benchmark (issue 6): make bench builds the tool and the two helper
# programs, generates its inputs under bench/out/ and prints a table of
# medians and ratios.  Figures go to bench/RESULTS.md by hand.
#
#   make bench                   everything, a few minutes on 2 cores
#   make bench BENCH_ARGS=quick  fewer repetitions, smaller inputs
#
# Included by the top Makefile; only BENCH_* names are defined here.

BENCH_OUT = bench/out
BENCH_BIN = $(BENCH_OUT)/gen $(BENCH_OUT)/floor
BENCH_ARGS ?=

$(BENCH_OUT)/%: bench/%.c .build-flags
	@mkdir -p $(BENCH_OUT)
	$(call say,CCLD,$@)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< \
		$$($(PKG_CONFIG) --libs openssl)

bench: bwcertcheck $(BENCH_BIN)
	@sh bench/run.sh $(BENCH_ARGS)

.PHONY: bench
