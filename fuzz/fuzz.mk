# fuzz/fuzz.mk - fuzzing and leak checks; the top Makefile includes it.
#
#   make fuzz         each libFuzzer target for FUZZ_SECONDS (60) seconds
#   make fuzz-smoke   each target for FUZZ_SMOKE_SECONDS (5); make check runs it
#   make fuzz-long    each target for FUZZ_LONG_SECONDS (600); -jN runs N
#                     targets at once (fuzz and fuzz-smoke too)
#   make valgrind     the CLI tests (tests/cli/*.sh) with bwcertcheck under
#                     valgrind --leak-check=full --error-exitcode=1
#   make fuzz-clean   remove fuzz/out (objects, corpora, crashes, logs)
#
# The targets (fuzz/fuzz_*.c) link the library sources compiled again with
# clang and -fsanitize=fuzzer,address,undefined, all under fuzz/out/.  The
# seed corpora are made at run time from the test PKI (testdata/mkpki.sh,
# then fuzz/mkseeds.sh), so nothing committed expires; the corpus each run
# grows stays in fuzz/out/corpus/ for the next.  Inputs that once crashed a
# target live in fuzz/regress/NAME/ and are replayed before every run.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_OUT = fuzz/out
FUZZ_LONG_SECONDS ?= 600
FUZZ_NAMES = load load_parse fqdn config targets report listen
FUZZ_BIN = $(FUZZ_NAMES:%=$(FUZZ_OUT)/fuzz_%)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN)
# The library is built as the project builds it, minus -Werror: clang may
# warn where gcc does not, and a warning must not stop the fuzzing.
FUZZ_LIB_CFLAGS = $(filter-out -Werror,$(WARN)) $(DEFS) $(PKG_CFLAGS) \
	$(FUZZ_CFLAGS) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_LIB_OBJ = $(sort $(LIB_SRC:%.c=$(FUZZ_OUT)/obj/%.o))

# New flags, given on the command line or written here, rebuild every
# fuzz object (as .build-flags does for the tool's own build).
FUZZ_FLAGS = $(subst ','\'',$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) $(PKG_LIBS))
$(FUZZ_OUT)/flags: FORCE
	@mkdir -p $(@D)
	@f='$(FUZZ_FLAGS)'; [ "$$f" = "$$(cat $@ 2>/dev/null)" ] || \
		printf '%s\n' "$$f" > $@
$(FUZZ_LIB_OBJ) $(FUZZ_OUT)/obj/fuzz/util.o $(FUZZ_BIN:$(FUZZ_OUT)/%=$(FUZZ_OUT)/obj/fuzz/%.o) \
		$(FUZZ_BIN): $(FUZZ_OUT)/flags fuzz/fuzz.mk

# The oracles and the byte reader (util.c) without coverage: their
# branches say nothing about the code under test, and would cost each
# input a trace call for every byte of a report and add features that
# steer the fuzzer into the checker instead of the code.
$(FUZZ_OUT)/obj/fuzz/util.o: fuzz/util.c fuzz/fuzz.h
	@mkdir -p $(@D)
	$(call say,CC,$@)$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) \
		-O2 -MMD -MP -c -o $@ $<

$(FUZZ_OUT)/obj/fuzz/%.o: fuzz/%.c fuzz/fuzz.h
	@mkdir -p $(@D)
	$(call say,CC,$@)$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) $(FUZZ_COV) -MMD -MP -c -o $@ $<

# Coverage: what -fsanitize=fuzzer-no-link turns on, but the report
# writers and the escapes without the comparison hooks (trace-cmp):
# they compare each byte they print with a few constants ('<', '"',
# 0x7f...), which byte mutations reach on their own, and the hooks
# took a tenth of fuzz_report's time.  (clang adds trace-cmp back
# after any -fno-sanitize-coverage when fuzzer-no-link is given, hence
# the list.)  The parsers (x509/, probe/, fqdn.c, config.c) keep them.
FUZZ_COV = -fsanitize=fuzzer-no-link
$(FUZZ_OUT)/obj/lib/report/%.o $(FUZZ_OUT)/obj/lib/core/esc.o: FUZZ_COV = \
	-fsanitize-coverage=inline-8bit-counters,indirect-calls,pc-table,stack-depth

$(FUZZ_OUT)/libbwc.a: $(FUZZ_LIB_OBJ)
	$(Q)rm -f $@
	$(call say,AR,$@)ar rcs $@ $(FUZZ_LIB_OBJ)

$(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/obj/fuzz/fuzz_%.o $(FUZZ_OUT)/obj/fuzz/util.o \
		$(FUZZ_OUT)/libbwc.a
	$(call say,LD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.o %.a,$^) \
		$(PKG_LIBS) -lpthread

# The test PKI and the seeds, made fresh when the PKI is missing.
$(FUZZ_OUT)/pki/root.pem: testdata/mkpki.sh tests/mkpki
	@mkdir -p $(FUZZ_OUT)
	$(Q)rm -rf $(FUZZ_OUT)/pki
	$(call say,PKI,$(FUZZ_OUT)/pki)sh testdata/mkpki.sh $(FUZZ_OUT)/pki >$(FUZZ_OUT)/mkpki.log 2>&1 || \
		{ cat $(FUZZ_OUT)/mkpki.log; exit 1; }

fuzz-build: $(FUZZ_BIN) $(FUZZ_OUT)/pki/root.pem
	@sh fuzz/mkseeds.sh $(FUZZ_OUT)/pki $(FUZZ_OUT)/corpus

# One target a job: make -jN runs N fuzzers at once, each on a CPU of
# its own (make check runs fuzz-smoke with every CPU).  Each prints one
# line: executions, corpus and coverage (-print_final_stats=1, run.sh).
FUZZ_RUNS = $(FUZZ_NAMES:%=fuzz-run-%)

fuzz: FUZZ_RUN_SECONDS = $(FUZZ_SECONDS)
fuzz: $(FUZZ_RUNS)

# Ten minutes a target (FUZZ_LONG_SECONDS).
fuzz-long: FUZZ_RUN_SECONDS = $(FUZZ_LONG_SECONDS)
fuzz-long: $(FUZZ_RUNS)

fuzz-smoke: FUZZ_RUN_SECONDS = $(FUZZ_SMOKE_SECONDS)
fuzz-smoke: $(FUZZ_RUNS)

$(FUZZ_RUNS): fuzz-run-%: fuzz-build
	@sh fuzz/run.sh $* $(FUZZ_RUN_SECONDS)

valgrind: bwcertcheck
	@sh fuzz/valgrind.sh

fuzz-clean:
	rm -rf $(FUZZ_OUT)

.PHONY: fuzz fuzz-build fuzz-long fuzz-smoke valgrind fuzz-clean $(FUZZ_RUNS)

-include $(wildcard $(FUZZ_OUT)/obj/*/*.d $(FUZZ_OUT)/obj/*/*/*.d)
