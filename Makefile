# swnet — build, try, test, measure and install.
#
#   make demo     a network with two sandboxes pinging each other (on a private host)
#   make test     every unit and real-kernel test, plus the freshness of completions/ and man/
#   make bench    attach/detach against CNI, netavark and the shell floor (bench/RESULTS.md)
#   make install  binary, completions and man pages under $(PREFIX)

PREFIX ?= /usr/local
DEBIAN_PACKAGES = libnl-3-dev libnl-route-3-dev libnl-nf-3-dev libiptc-dev libyaml-dev iptables nftables iproute2 iputils-ping util-linux man-db
# Man pages carry a date; a fixed one keeps them reproducible so CI can check they are fresh.
MAN_DATE = 2026-11-29
# Every command is a new process, so its start counts. The release binary is one static
# executable: the Swift runtime, libstdc++, libnl, libyaml and glibc itself are linked in, so
# exec has no loader to run, no library to map or relocate and no symbol to look up. Measured
# interleaved against a control copy, each step taking it further: libstdc++.so and libnl's
# shared objects out (`swnet version` 6.05 -> 4.23 ms, `connect` 15.65 -> 13.02), libgcc_s.so
# out (3.12 -> 2.86), and glibc and libm in (`version` 2.86 -> 2.26, `sandbox create` 6.38 ->
# 5.37, `endpoint create` 5.57 -> 4.55, `sandbox rm` 6.12 -> 5.56). A static executable is
# position-dependent, as it was built before (a PIE's 44,000 relocations copied ~130 pages at
# each start: 4.2 -> 3.6 ms). Concrete generic types (swift-argument-parser's Option<String?>
# and the like) are instantiated through their metadata accessors rather than by mangled name,
# which makes the runtime check their conformances by scanning all 4,280 of the binary's
# records (connect, endpoint create, join: 0.4-1.3 ms less each). Debian ships no archive of
# libip4tc/libip6tc: the commands that change a family's tables open its library, which brings
# a C library of its own (Sources/CIPTables says what that means for errno); glibc warns at
# link time that such a library, like the name services FoundationEssentials and libnl can
# reach, must come from the glibc swnet was built with: build swnet where it runs.
#
# A command's text comes in through page faults, each mapping the 64 KB around it, and what a
# fault costs depends on how the page cache holds the binary: a file just written (`make
# install`, a copy) sits in 64 KB folios, but one read back by exec (after a reboot, or once
# the cache let it go) sits in 4 KB pages, and mapping 5 MB of it by faults took 203 us
# against 97. Measured in that second state, as an installed swnet runs (two copies of each
# build dropped from the cache and exec'd once, 60 rounds interleaved): the functions the common
# commands run come first in the text, in the order of HOT_TEXT (from `make hot-text`), and a
# command takes 0.3-0.5 ms less than with no order (`sandbox create` 5.55 -> 5.20 ms, `connect`
# 6.62 -> 6.14, `endpoint create` 4.78 -> 4.31, `sandbox rm` 5.33 -> 4.83). swnet's modules and
# their dependencies get a section per function from -function-sections, as the standard
# library and the runtime ship; a function of an archive object without them
# (FoundationEssentials, glibc) brings its whole object along. The link is lld's, the linker the
# toolchain ships, rather than gold, which swiftc picks by default here: with the same order,
# 0.2-0.35 ms less per command in that state (`version` 2.44 -> 2.19, `sandbox rm` 5.08 -> 4.75,
# `endpoint rm` 4.01 -> 3.68), and within 0.15 ms either way when both are fresh copies.
# Functions renamed since the file was made are left where they fall; a clean build applies new
# flags.
#
# The load segments start on 2 MB boundaries, of the file and of memory alike (max-page-size,
# separate-loadable-segments; ~4 MB of padding in the file): so each 2 MB of the file holds one
# segment's pages, and a 2 MB page-cache folio of the code or constant data is mapped whole by
# one page-table entry. The first command that finds the cache holding swnet in 4 KB pages, as
# exec reads it after a boot, re-reads it into such folios (see KernelOps/ExecutablePages.swift).
HOT_TEXT = hot-text.order
RELEASE_FLAGS = -c release --static-swift-stdlib -Xswiftc -static-executable --disable-local-rpath \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xfrontend -Xswiftc -function-sections \
	-Xswiftc -use-ld=lld -Xlinker --symbol-ordering-file=$(CURDIR)/$(HOT_TEXT) -Xlinker --no-warn-symbol-ordering \
	-Xlinker -z -Xlinker max-page-size=0x200000 -Xlinker -z -Xlinker separate-loadable-segments
RELEASE_BIN = .build/release/swnet

.PHONY: all deps build release demo test check-generated generate hot-text bench install clean

all: release

# Installs whichever of the Debian packages given are missing.
define install-missing
	@missing=""; for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call install-missing,$(DEBIAN_PACKAGES))

build: deps
	swift build

# `swift package generate-manual` (make generate, check-generated) builds the same path without
# these flags, and SwiftPM then keeps its build plan and its dynamically linked binary: both go.
# So does a binary older than HOT_TEXT, which SwiftPM does not know the link reads.
release: deps
	@if [ -f $(RELEASE_BIN) ] && { readelf -lW $(RELEASE_BIN) | grep -q INTERP || [ $(HOT_TEXT) -nt $(RELEASE_BIN) ]; }; then \
	    rm -f $(RELEASE_BIN) .build/release.yaml; \
	fi
	swift build $(RELEASE_FLAGS)
	@! readelf -lW $(RELEASE_BIN) | grep -q INTERP || { echo "$(RELEASE_BIN) is not linked statically"; exit 1; }

demo: release
	scripts/private-host scripts/demo $(RELEASE_BIN)

# The kernel tests run the release binary, the one `make install` installs (SWNET_BIN picks
# another): a static program differs from the debug build where it meets the system's libraries.
test: release
	swift build --build-tests
	SWNET_BIN=$(CURDIR)/$(RELEASE_BIN) scripts/private-host swift test --skip-build
	$(MAKE) check-generated

# Which functions go together in the release binary's text: after changes to what the common
# commands run. Needs valgrind.
hot-text: release
	$(call install-missing,valgrind)
	scripts/private-host scripts/order-hot-text $(RELEASE_BIN) $(HOT_TEXT)

# Completions and man pages are generated from the binary and committed; stale ones fail.
check-generated: release
	@tmp=$$(mktemp -d); \
	scripts/generate-docs $(RELEASE_BIN) $$tmp $(MAN_DATE) >/dev/null; \
	if ! diff -r completions $$tmp/completions >/dev/null || ! diff -r -x '*.5' man $$tmp/man >/dev/null; then \
	    diff -r completions $$tmp/completions; diff -r -x '*.5' man $$tmp/man; \
	    echo "completions/ or man/ are stale: run 'make generate' and commit"; rm -rf $$tmp; exit 1; \
	fi; rm -rf $$tmp; echo "completions/ and man/ are fresh"

generate: release
	scripts/generate-docs $(RELEASE_BIN) . $(MAN_DATE)

# The peers swnet is measured against, installed when missing.
BENCH_PACKAGES = containernetworking-plugins netavark time linux-perf

bench: release
	$(call install-missing,$(BENCH_PACKAGES))
	scripts/private-host python3 bench/run.py $(RELEASE_BIN) $(BENCH_ARGS)

install: release
	install -D -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/swnet
	install -D -m 0644 completions/swnet.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/swnet
	install -D -m 0644 completions/_swnet $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_swnet
	install -D -m 0644 completions/swnet.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/swnet.fish
	for page in man/*.1; do install -D -m 0644 $$page $(DESTDIR)$(PREFIX)/share/man/man1/$$(basename $$page); done
	install -D -m 0644 man/swnet-topology.5 $(DESTDIR)$(PREFIX)/share/man/man5/swnet-topology.5
	install -d $(DESTDIR)$(PREFIX)/share/doc/swnet/examples
	install -m 0644 examples/* $(DESTDIR)$(PREFIX)/share/doc/swnet/examples/
	sed 's|/usr/local/bin/swnet|$(PREFIX)/bin/swnet|' contrib/swnet-restore.service > swnet-restore.service.tmp
	install -D -m 0644 swnet-restore.service.tmp $(DESTDIR)$(PREFIX)/lib/systemd/system/swnet-restore.service
	rm -f swnet-restore.service.tmp

clean:
	rm -rf .build
