# A thin front for CMake: the commands a newcomer needs, nothing else.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)

.PHONY: all deps build demo check bench format clean

all: build

deps:
	@packaging/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@packaging/demo.sh $(BUILD)

# Every suite: the normal build, then unit + integration + fuzz under ASan/UBSan (clang).
check: build
	@tests/check.sh $(BUILD) $(ASAN_BUILD)

bench: build
	@bench/run-all.sh $(BUILD)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
