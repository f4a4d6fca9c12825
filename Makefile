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
# Every command is a new process, so its start counts: a static Swift runtime; a
# position-dependent executable (a PIE's 44,000 relocations copy ~130 pages at each start:
# `swnet version` 4.2 ms -> 3.6 ms); and concrete generic types (swift-argument-parser's
# Option<String?> and the like) instantiated through their metadata accessors rather than by
# mangled name, which makes the runtime check their conformances by scanning all 4,280 of the
# binary's records (connect, endpoint create, join: 0.4-1.3 ms less each).
RELEASE_FLAGS = -c release --static-swift-stdlib --disable-local-rpath -Xswiftc -Xclang-linker -Xswiftc -no-pie \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xclang-linker -Xswiftc -static-libgcc
RELEASE_BIN = .build/release/swnet

# The C libraries are linked statically as well: loading libstdc++.so and libnl's three shared
# objects (their relocations, their constructors) took ~2 ms of every command's start (`swnet
# version` 6.05 -> 4.23 ms, `connect` 15.65 -> 13.02, measured). SwiftPM finds libnl and libyaml
# through their pkg-config files, and the linker takes a shared object over an archive in the
# same directory; so the release build reads copies of those .pc files whose libdir is a
# directory holding only archives (libstdc++.a among them, which swiftc asks for as -lstdc++).
# libgcc's unwinder comes from its archive too (-static-libgcc): loading libgcc_s.so took
# ~0.26 ms of every start (`swnet version` 3.12 -> 2.86 ms, interleaved). Debian ships no
# archive of libip4tc/libip6tc: the commands that change a family's tables open its library
# (Sources/CIPTables). glibc's libm.a does not link against a shared libc: libm stays shared.
STATIC_DIR = $(CURDIR)/.build/static-libs
STATIC_ARCHIVES = libstdc++.a libnl-3.a libnl-route-3.a libnl-nf-3.a libyaml.a
STATIC_PC = libnl-3.0 libnl-route-3.0 libnl-nf-3.0 yaml-0.1

.PHONY: all deps build static-libs release demo test unit-test kernel-test check-generated generate bench install clean

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

static-libs: deps
	@rm -rf $(STATIC_DIR) && mkdir -p $(STATIC_DIR)
	@for archive in $(STATIC_ARCHIVES); do \
	    path=$$(clang -print-file-name=$$archive); \
	    [ -f "$$path" ] || { echo "no $$archive to link statically"; exit 1; }; \
	    ln -s "$$path" $(STATIC_DIR)/$$archive; \
	done
	@for pc in $(STATIC_PC); do \
	    file=$$(dirname $$(readlink $(STATIC_DIR)/libnl-3.a))/pkgconfig/$$pc.pc; \
	    sed 's|^libdir=.*|libdir=$(STATIC_DIR)|' $$file > $(STATIC_DIR)/$$pc.pc || exit 1; \
	done

# `swift package generate-manual` (make generate, check-generated) builds the same path without
# these flags, and SwiftPM then keeps its build plan and its dynamically linked binary: both go.
release: static-libs
	@if [ -f $(RELEASE_BIN) ] && ldd $(RELEASE_BIN) | grep -q 'libswiftCore\|libnl-'; then rm -f $(RELEASE_BIN) .build/release.yaml; fi
	PKG_CONFIG_PATH=$(STATIC_DIR) swift build $(RELEASE_FLAGS)
	@! ldd $(RELEASE_BIN) | grep 'libswiftCore\|libnl-\|libyaml\|libstdc++' || { echo "$(RELEASE_BIN) is not linked statically"; exit 1; }

demo: release
	scripts/private-host scripts/demo $(RELEASE_BIN)

test: deps
	swift build --build-tests
	scripts/private-host swift test --skip-build
	$(MAKE) check-generated

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
BENCH_PACKAGES = containernetworking-plugins netavark time

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
