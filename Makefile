# bwcertcheck - does a certificate and a SIP/TLS server meet the carrier's
# TLS/SRTP rules?
#
#   make            build ./bwcertcheck
#   make demo       install what is missing, build, lint two example chains
#   make check      install what is missing, build, run every test, then
#                   the whole suite again under ASan+UBSan
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        build-deb/bwcertcheck_VERSION_ARCH.deb (dpkg-buildpackage)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# Shell completion: where bash-completion and zsh look for them.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
DESTDIR ?=

CC ?= cc
# make check builds with every CPU (the tests themselves run as they do).
NPROC := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
PKG_CONFIG ?= pkg-config
PKGS = openssl libcares jansson inih libidn2 libcurl libmicrohttpd
# The version is kept in one place, VERSION; debian/changelog repeats it
# (tests/cli/version.sh checks that the two agree).
VERSION := $(shell cat VERSION)

CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wpointer-arith -Wvla -Werror
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
DEFS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED -Ilib -I. \
	-DBWC_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(HARDEN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS ?= -pie -Wl,-z,relro,-z,now
LIBS = $(PKG_LIBS) -lpthread

# Everything under lib/LAYER/ and rules/ is the library; a new file there
# is built without touching this Makefile.  The layers and the one-way
# rule between them: README.md ("Layout") and scripts/layers.sh.
LAYERS = core x509 probe report app
GEN_SRC = lib/x509/roots_index.c
GEN_TOOLS = scripts/roots-index
LIB_SRC = $(sort $(filter-out $(GEN_SRC),$(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c)) \
	$(wildcard rules/*.c))) $(GEN_SRC)
LIB_OBJ = $(LIB_SRC:.c=.o)
TEST_SRC = $(sort $(wildcard tests/test_*.c))
TEST_BIN = $(TEST_SRC:.c=)
TEST_SUPPORT = tests/pki.o
# Test programs that are not cmocka binaries: the hostile inputs
# (tests/cli/hostile.sh) and the test PKI as files (testdata/mkpki.sh).
TEST_TOOLS = tests/hostile_gen tests/mkpki

# Quiet by default ("CC lib/load.o"); make V=1 shows the commands.
V ?= 0
ifeq ($(V),0)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
say =
endif

all: bwcertcheck

# Say which libraries are missing before the compiler does it in a
# hundred lines (pkg-config's own answers are silenced above).
pkg-check:
	@command -v $(PKG_CONFIG) >/dev/null 2>&1 || \
		{ echo "missing $(PKG_CONFIG): run make deps" >&2; exit 1; }
	@missing=$$(for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || printf ' %s' $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "missing libraries:$$missing (pkg-config); run make deps" >&2; exit 1; fi

$(LIB_OBJ) bwcertcheck.o: | pkg-check

bwcertcheck: bwcertcheck.o libbwc.a
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bwcertcheck.o libbwc.a $(LIBS)

libbwc.a: $(LIB_OBJ)
	$(Q)rm -f $@
	$(call say,AR,$@)ar rcs $@ $(LIB_OBJ)

# A new VERSION reaches every object that may print it.
bwcertcheck.o $(LIB_OBJ): VERSION

# New flags rebuild what the old ones built: "make CFLAGS=-O0" after
# "make" must not link objects of both.  .build-flags holds the compiler
# and its flags, rewritten only when they change.
BUILD_FLAGS = $(subst ','\'',$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(LIBS))
.build-flags: FORCE
	@f='$(BUILD_FLAGS)'; [ "$$f" = "$$(cat $@ 2>/dev/null)" ] || \
		printf '%s\n' "$$f" > $@
bwcertcheck.o $(LIB_OBJ) $(GEN_TOOLS) tests/pki.o $(TEST_SRC:.c=.o) \
	$(TEST_TOOLS:=.o) bwcertcheck $(TEST_BIN) $(TEST_TOOLS): .build-flags
FORCE:

%.o: %.c
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The accepted roots are compiled in, indexed: each root's DER with the
# hashes the store finds it by, so none is parsed before a chain needs it.
lib/x509/roots_index.c: lib/x509/roots_bundle.pem scripts/roots-index Makefile
	$(call say,GEN,$@)scripts/roots-index < lib/x509/roots_bundle.pem > $@.tmp
	$(Q)sed -n 's/^# \([0-9][^ ]*\) (.*/const char root_ders_source[] = "ca-certificates \1";/p' \
		lib/x509/roots_bundle.pem >> $@.tmp
	$(Q)grep -q root_ders_source $@.tmp
	$(Q)mv $@.tmp $@

scripts/roots-index: scripts/roots-index.c | pkg-check
	$(call say,CCLD,$@)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< \
		$$($(PKG_CONFIG) --libs libcrypto)

tests/test_%: tests/test_%.o $(TEST_SUPPORT) libbwc.a
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT) libbwc.a \
		$(LIBS) $$($(PKG_CONFIG) --libs cmocka)

$(TEST_TOOLS): %: %.o $(TEST_SUPPORT)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)

tests/%.o: tests/%.c
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $$($(PKG_CONFIG) --cflags cmocka) -MMD -MP -c -o $@ $<

deps:
	@sh scripts/install-deps.sh

demo: deps
	@$(MAKE) --no-print-directory bwcertcheck tests/mkpki
	@sh scripts/demo.sh

# The unit tests, the CLI tests and the integration tests against real
# servers on 127.0.0.1; the Debian package built, installed and removed;
# a short run of each fuzz target; then every test again with the
# sanitizers.
check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) test
	@$(MAKE) --no-print-directory deb-check
	@$(MAKE) --no-print-directory -j$(NPROC) fuzz-smoke
	@$(MAKE) --no-print-directory -j$(NPROC) test-sanitize

test: layers bwcertcheck $(TEST_BIN) $(TEST_TOOLS)
	@sh tests/run.sh $(TEST_BIN)

# The unit tests alone, several binaries at once: the fast inner loop.
unit: $(TEST_BIN)
	@sh tests/unit.sh $(TEST_BIN)

# The one-way include rule between lib/core, x509, probe, rules, report
# and app (README.md, "Layout").
layers:
	@sh scripts/layers.sh

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
test-sanitize:
	@rm -rf build-san && mkdir -p build-san
	@git ls-files -co --exclude-standard | grep -v '^build-san/' | \
		tar -cf - -T - | tar -xf - -C build-san
	@$(MAKE) --no-print-directory -C build-san clean-objects
	@$(MAKE) --no-print-directory -C build-san CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" HARDEN= \
		BWC_SANITIZE=1 test

# The Debian package, built by dpkg-buildpackage from a copy of the files
# git knows (as a fresh clone would have them) in build-deb/src, so the
# .deb and its .changes land in build-deb/ and this tree stays clean.
# deb-check builds it, runs lintian, installs it, tries the installed
# command and its man page, and removes it again (make check runs it).
DEB_DIR = build-deb
deb:
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	@git ls-files -co --exclude-standard | grep -v '^build-' | \
		tar -cf - -T - | tar -xf - -C $(DEB_DIR)/src
	@cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -n 30 ../build.log; echo "make deb: failed, log in $(DEB_DIR)/build.log" >&2; exit 1; }
	@ls $(DEB_DIR)/*.deb

deb-check:
	@sh tests/package/deb.sh

install: bwcertcheck
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 bwcertcheck $(DESTDIR)$(BINDIR)/bwcertcheck
	install -m 0644 man/bwcertcheck.1 $(DESTDIR)$(MANDIR)/man1/bwcertcheck.1
	install -m 0644 completions/bwcertcheck.bash $(DESTDIR)$(BASHCOMPDIR)/bwcertcheck
	install -m 0644 completions/_bwcertcheck $(DESTDIR)$(ZSHCOMPDIR)/_bwcertcheck

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bwcertcheck $(DESTDIR)$(MANDIR)/man1/bwcertcheck.1 \
		$(DESTDIR)$(BASHCOMPDIR)/bwcertcheck $(DESTDIR)$(ZSHCOMPDIR)/_bwcertcheck

clean-objects:
	rm -f bwcertcheck *.o lib/*/*.o rules/*.o tests/*.o libbwc.a $(TEST_BIN) $(TEST_TOOLS) \
		$(GEN_SRC) $(GEN_TOOLS) *.d lib/*/*.d rules/*.d tests/*.d .build-flags

clean: clean-objects
	rm -rf build-san build-deb tests/out fuzz/out bench/out demo

.SECONDARY:

.PHONY: all pkg-check deps demo check test unit layers test-sanitize deb deb-check install \
	uninstall clean clean-objects FORCE

# Fuzzing and valgrind (fuzz/fuzz.mk: fuzz, fuzz-smoke, valgrind) and the
# benchmark (bench/bench.mk: bench) keep their rules beside their files.
-include fuzz/fuzz.mk
-include bench/bench.mk

-include $(wildcard *.d lib/*/*.d rules/*.d tests/*.d)
