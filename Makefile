# vpcsim build.  `make` builds ./vpcsim; `make check` installs what is
# missing, then runs every test in a normal build and again under
# AddressSanitizer + UndefinedBehaviorSanitizer.

CC      ?= cc
PKGS    := igraph yaml-0.1 libgvc
CFLAGS  ?= -O2 -g
# -Werror only where we own the compiler (make check, CI): a newer
# compiler's new warning must not break a user's plain `make`.
WERROR  ?=
WARN    = -std=c11 -Wall -Wextra $(WERROR) -D_POSIX_C_SOURCE=200809L $(URL_DEF)
# Where SARIF's informationUri points (report/sarif.c): the address of the
# copy of vpcsim a team uses.
VPCSIM_URL ?=
URL_DEF := $(if $(VPCSIM_URL),-DVPCSIM_URL='"$(VPCSIM_URL)"')
# Builds from two folders give the same binary: no absolute path of the
# checkout goes into the objects (debug info, __FILE__).
REPRO   := -ffile-prefix-map=$(CURDIR)=.
INC     := -I.

# pkg-config, loudly: a missing package names itself and stops the build
# (`make deps` installs them).  Each is asked once, when first needed, so
# `make deps` and `make clean` work without the packages.
pkg = $(or $(shell pkg-config $(1) $(2) 2>/dev/null),$(error pkg-config \
      found no $(2): install it (`make deps` installs what the build \
      needs: $(DEBIAN_PKGS))))
once = $(eval $(1) := $(2))$($(1))
PKG_CFLAGS = $(call once,PKG_CFLAGS,$(call pkg,--cflags,$(PKGS)))
PKG_LIBS = $(call once,PKG_LIBS,$(call pkg,--libs,$(PKGS)))
CHECK_CFLAGS = $(call once,CHECK_CFLAGS,$(call pkg,--cflags,check))
CHECK_LIBS = $(call once,CHECK_LIBS,$(call pkg,--libs,check))

BUILD   ?= build
LIB_SRC := $(wildcard base/*.c model/*.c load/*.c load/*/*.c sim/*.c rules/*.c rules/*/*.c \
            report/*.c)
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/check_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all

# man-db and groff-base: a test lints the man page (man --warnings); zsh:
# a test checks the zsh completion's syntax; python3-jsonschema and
# libxml2-utils (xmllint): the tests validate SARIF and JUnit against the
# schemas in tests/schemas; chromium: the HTML report is loaded in a real
# browser (tests/browser/run.sh; about 80 s to install on a fresh Debian
# machine, apt-get update included).
DEBIAN_PKGS := libigraph-dev libyaml-dev check pkg-config gcc make strace \
               libgraphviz-dev graphviz man-db groff-base zsh \
               python3-jsonschema libxml2-utils chromium

.PHONY: all deps check check-plain check-asan test-cli demo clean format bench \
        bench-1m install uninstall check-install regen hostile random browser doctest

all: vpcsim

# Copied then renamed, so a running ./vpcsim does not stop the build.
vpcsim: $(BUILD)/vpcsim
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/vpcsim: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# Every `Suite *NAME_suite(void)` defined in tests/check_*.c is run; the
# list is generated so a new test file needs no registration.
$(BUILD)/tests/suite_list.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void)$$/X(\1)/p' $(TEST_SRC) > $@.tmp
	mv $@.tmp $@

$(BUILD)/tests/check_main.o: $(BUILD)/tests/suite_list.h

$(BUILD)/check_all: $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -lm

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(REPRO) $(INC) -I$(BUILD)/tests $(PKG_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(REPRO) $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs the Debian packages the build needs, only those missing.
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

check: deps
	$(MAKE) WERROR=-Werror check-plain
	$(MAKE) WERROR=-Werror check-asan

check-plain: all $(BUILD)/check_all $(BUILD)/randmodel
	sh tests/layers.sh $(BUILD)
	CK_FORK=yes $(BUILD)/check_all
	VPCSIM=./vpcsim sh tests/cli/run.sh
	VPCSIM=./vpcsim sh tests/hostile/run.sh
	VPCSIM=./vpcsim RANDMODEL=$(BUILD)/randmodel sh tests/random/run.sh $(RANDOM_MODELS)
	VPCSIM=./vpcsim sh tests/browser/run.sh $(BUILD)/browser
	VPCSIM=./vpcsim sh tests/doc/run.sh docs/tutorial.md
	$(MAKE) --no-print-directory check-install

# The HTML report in headless Chromium: loads offline without a console
# message, screenshots in build/browser (skipped without chromium).
browser: all
	VPCSIM=./vpcsim sh tests/browser/run.sh $(BUILD)/browser

# The doc test: every command of the tutorial is run and its output
# compared with the page (tests/doc/run.sh; also in check-plain).
doctest: all
	VPCSIM=./vpcsim sh tests/doc/run.sh docs/tutorial.md

# The hostile inputs of issue 15 for the graph and chains, each under
# timeout 10 s and ulimit -v 1 GiB (a second or two; also in check-plain,
# not under the sanitizers, whose address space the limit would refuse).
hostile: all
	VPCSIM=./vpcsim sh tests/hostile/run.sh

# Random models (tests/random/randmodel.c, seeded) through every command
# under time and memory limits: RANDOM_MODELS of them in check-plain,
# RANDOM_MODELS_ASAN under the sanitizers in check-asan (docs/robustness.md).
RANDOM_MODELS      ?= 200
RANDOM_MODELS_ASAN ?= 60
$(BUILD)/randmodel: tests/random/randmodel.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

random: all $(BUILD)/randmodel
	VPCSIM=./vpcsim RANDMODEL=$(BUILD)/randmodel sh tests/random/run.sh $(RANDOM_MODELS)

check-asan:
	$(MAKE) BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  build-asan/vpcsim build-asan/check_all build-asan/randmodel
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  CK_FORK=no build-asan/check_all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  VPCSIM=build-asan/vpcsim sh tests/cli/run.sh
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  VPCSIM=build-asan/vpcsim RANDMODEL=build-asan/randmodel \
	  sh tests/random/run.sh $(RANDOM_MODELS_ASAN)

# ---- install ---------------------------------------------------------------
# `make install PREFIX=/usr/local` (DESTDIR for staged installs): the
# binary, the man page and the bash and zsh completions.  The last three
# live in share/ as they are installed; they are written by vpcsim itself
# from its option tables (`make regen`), and a CLI test fails when they
# differ from what the binary writes.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share
SHARED   := man/man1/vpcsim.1 bash-completion/completions/vpcsim \
            zsh/site-functions/_vpcsim

install: vpcsim
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 vpcsim $(DESTDIR)$(BINDIR)/vpcsim
	for f in $(SHARED); do \
	  install -d $(DESTDIR)$(SHAREDIR)/$$(dirname $$f) && \
	  install -m 644 share/$$f $(DESTDIR)$(SHAREDIR)/$$f || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vpcsim
	for f in $(SHARED); do rm -f $(DESTDIR)$(SHAREDIR)/$$f; done

# Installs into a scratch prefix, uses what it installed, uninstalls, and
# checks that nothing is left but the directories.
check-install: vpcsim
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/vpcsim-install.XXXXXX") && \
	$(MAKE) --no-print-directory -s install PREFIX=$$d/usr >/dev/null && \
	$$d/usr/bin/vpcsim --version | grep -q '^vpcsim ' && \
	man -l $$d/usr/share/man/man1/vpcsim.1 2>&1 >/dev/null | (! grep .) && \
	man -l $$d/usr/share/man/man1/vpcsim.1 | grep -q 'vpcsim check' && \
	bash -c ". $$d/usr/share/bash-completion/completions/vpcsim && \
	  complete -p vpcsim" >/dev/null && \
	$(MAKE) --no-print-directory -s uninstall PREFIX=$$d/usr && \
	test -z "$$(find $$d -type f)" && rm -rf $$d && \
	echo "install: binary, man page and completions install, work and uninstall" || \
	{ echo "FAIL: make install / uninstall (left in $$d)"; exit 1; }

# The files written from vpcsim's own tables: the man page, the
# completions, the rule table.
regen: vpcsim
	./vpcsim help --format man -o share/man/man1/vpcsim.1
	./vpcsim completion bash -o share/bash-completion/completions/vpcsim
	./vpcsim completion zsh -o share/zsh/site-functions/_vpcsim
	./vpcsim rules --format markdown -o docs/rules.md

# The main job on the canonical scenario: what the internet reaches, then
# every rule (no finding: the intended public ALB is not one).
demo: deps
	$(MAKE) all
	./vpcsim reach scenarios/three-tier.yaml --from internet
	./vpcsim check scenarios/three-tier.yaml

$(BUILD)/bench_trace: $(LIB_OBJ) $(BUILD)/bench/bench_trace.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_scale: $(LIB_OBJ) $(BUILD)/bench/bench_scale.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_graph: $(LIB_OBJ) $(BUILD)/bench/bench_graph.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_rules: $(LIB_OBJ) $(BUILD)/bench/bench_rules.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_cmd: $(BUILD)/bench/bench_cmd.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/gen: $(BUILD)/bench/gen.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/bench_parse: $(BUILD)/bench/bench_parse.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

BENCH_DIR ?= $(BUILD)/estates
BENCH_TOOLS := $(BUILD)/bench_trace $(BUILD)/bench_scale $(BUILD)/bench_graph \
               $(BUILD)/bench_rules $(BUILD)/bench_cmd $(BUILD)/bench_parse \
               $(BUILD)/gen

# Every command (and the bare libyaml parse) on generated estates of
# 10,000, 20,000, 100,000 and 200,000 endpoints, with the CPU time ratio
# of each doubling; then trace timings on the canonical scenario and the
# steps of the engine on 100,000 endpoints (docs/benchmarks.md).  About
# five minutes on an idle 2-core machine.  `make bench-1m` does the same
# at 1,000,000 endpoints.
bench: deps
	$(MAKE) all $(BENCH_TOOLS)
	sh bench/run.sh ./vpcsim $(BUILD) $(BENCH_DIR) 10000 20000 100000 200000
	$(BUILD)/bench_trace scenarios/three-tier.yaml
	$(BUILD)/bench_scale $(BENCH_DIR)/e100000.yaml
	$(BUILD)/bench_rules $(BENCH_DIR)/e100000.yaml
	$(BUILD)/bench_graph $(BENCH_DIR)/e100000.yaml

bench-1m: deps
	$(MAKE) all $(BENCH_TOOLS)
	sh bench/run.sh ./vpcsim $(BUILD) $(BENCH_DIR) 1000000

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(wildcard */*.h */*/*.h)

clean:
	rm -rf build build-asan vpcsim

# ---- fuzzing (docs/robustness.md) -----------------------------------------
# `make fuzz FUZZ_SECONDS=N` builds the libFuzzer targets with clang and runs
# each for N seconds, one after another.  Seed corpora are generated here
# from the scenarios and test inputs; what the fuzzers find stays in
# build-fuzz/corpus.  A crash stops the run and leaves crash-* in
# build-fuzz/; keep it as a test in tests/robust/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT     := build-fuzz
FUZZ_SAN     := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all
FUZZ_TARGETS := load_native load_cfn load_tfplan cidr_ports policy \
                engine_native engine_cfn
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,\
                $(wildcard base/*.c model/*.c load/*.c load/*/*.c))
FUZZ_ARGS    ?= -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1

.PHONY: fuzz fuzz-build

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_OUT)/fuzz_%: $(FUZZ_OUT)/obj/fuzz/%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

# The policy loader and the engine targets (every command's pipeline on
# a fuzzed model, fuzz/fuzz_engine.h) need the whole library.
FUZZ_ALL_OBJ := $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(LIB_SRC))
$(FUZZ_OUT)/fuzz_policy: $(FUZZ_OUT)/obj/fuzz/policy.o $(FUZZ_ALL_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm
$(FUZZ_OUT)/fuzz_engine_%: $(FUZZ_OUT)/obj/fuzz/engine_%.o $(FUZZ_ALL_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lm

.SECONDARY: $(FUZZ_ALL_OBJ) $(FUZZ_TARGETS:%=$(FUZZ_OUT)/obj/fuzz/%.o)

-include $(shell find $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)

fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZ_OUT) $(FUZZ_SECONDS) $(FUZZ_TARGETS) -- $(FUZZ_ARGS)

# The malformed-input corpus alone, through the command line.
.PHONY: robust
robust: all
	VPCSIM=./vpcsim sh tests/robust/run.sh

# Every unit of the real-world examples in ../shared (not part of the
# project), one line each: exit statuses, findings, unknown values.
.PHONY: realworld
realworld: all
	VPCSIM=./vpcsim sh tests/realworld/run.sh
