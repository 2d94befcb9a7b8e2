# Thin wrapper over CMake. The real build is CMakeLists.txt; see README.md.
.POSIX:
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLE ?= examples/billing-api.yaml
FUZZ_SECONDS ?= 60
PREFIX ?= /usr/local

.PHONY: all deps build run test asan fuzz bench install package clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	./build/release/vmctr advise $(EXAMPLE)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# The whole suite: release build (warnings are errors), then the same tests
# under AddressSanitizer + UndefinedBehaviorSanitizer, then a clang release
# build and its tests (without the slow compiler-independent ones; skipped
# when clang is missing, except under CI=true). The benchmark is built here
# but not run (timings are not tests).
test: build asan
	@scripts/deps.sh test
	@scripts/test-tools.sh build/tools
	@ctest --preset release -j $(JOBS)
	@ctest --preset asan -j $(JOBS)
	@scripts/clang-test.sh $(JOBS)

# Long mode: every fuzz target for FUZZ_SECONDS each, then the
# allocation-failure test over every N (make test samples them).
fuzz: build
	@scripts/fuzz.sh $(FUZZ_SECONDS)
	@python3 tests/cli/torture.py build/release/vmctr build/release/tests/failmalloc.so --all

bench: build
	@python3 bench/accuracy.py --vmctr build/release/vmctr --doc docs/accuracy.md
	@bench/run.sh build/release

# make install PREFIX=$HOME/.local installs without root (see README.md).
install: build
	@cmake --install build/release --prefix "$(PREFIX)"

# The Debian package build/release/vmctr_<version>_<arch>.deb (CPack DEB,
# cmake/package.cmake): binary, man page, completions, JSON Schemas.
package: build
	@cd build/release && cpack -G DEB

clean:
	rm -rf build
