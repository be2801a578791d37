# ltxpipe — build, test, demo and benchmark entry points.
SWIFT ?= swift
APT_PACKAGES := pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev \
                libcurl4-openssl-dev libsqlite3-dev
PKG_MODULES := libavformat libavcodec libavutil libswscale libswresample libcurl sqlite3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/ltxpipe

.PHONY: deps build test demo bench fuzz man clean

## deps: install the Debian -dev packages the build links against, when pkg-config cannot find them, and chromium
## (the archive page's headless test) when it is missing
deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKG_MODULES); then \
	  echo "deps: FFmpeg, libcurl and SQLite development files present"; \
	else \
	  echo "deps: installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@if command -v chromium >/dev/null 2>&1; then \
	  echo "deps: chromium present (headless test of the archive page)"; \
	else \
	  echo "deps: installing chromium (headless test of the archive page; about 1.5 min)"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; } \
	    || echo "deps: chromium could not be installed; the page tests will say so and be skipped"; \
	fi

## build: the package, the ltxpipe binary and every test target (debug)
build: deps
	$(SWIFT) build --build-tests

## test: deps + build + every test, one test process per module: a module whose tests decode and encode video on
## every core (media, the simulator's renders) never starves another's in-process servers of their threads
TEST_MODULES := LTXCoreTests LTXMediaTests LTXAPITests LTXSimulatorTests LTXPipelineTests LTXDashboardTests ltxpipeTests
test: build
	@set -e; for module in $(TEST_MODULES); do echo "== $$module"; $(SWIFT) test --skip-build --filter "^$$module\."; done

## demo: the main job on the sample media in fixtures/ (fixtures are only read, never changed)
demo: deps
	$(SWIFT) build --product ltxpipe
	@bash scripts/demo.sh $(BIN)

## bench: the speed figures of the issues, side by side with the ffmpeg/ffprobe CLIs (installs them)
bench: deps
	@bash Benchmarks/run.sh

## fuzz: libFuzzer over probe, image preflight, sidecars and pipeline files for FUZZ_SECONDS (seeded from fixtures/);
## its own sanitizer build in .build-fuzz (the first one takes several minutes), findings in .build-fuzz/findings/
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product ltxpipe-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DLTXFUZZ
	@FUZZ_RUNS=$(FUZZ_RUNS) bash scripts/fuzz.sh .build-fuzz/debug/ltxpipe-fuzz $(FUZZ_SECONDS)

## man: ltxpipe.1, the manual page, from the argument parser's generate-manual plugin (the local package copy, no
## network). Its date is the last commit that changed the CLI's sources, so the same sources give the same page.
MAN_DATE ?= $(shell git log -1 --format=%cs -- Sources/ltxpipe 2>/dev/null | grep . || date -u +%F)
man: deps
	$(SWIFT) package generate-manual --configuration debug --date $(MAN_DATE)
	cp .build/plugins/GenerateManual/outputs/ltxpipe/ltxpipe.1 ltxpipe.1

clean:
	rm -rf .build .build-fuzz demo bench-out
