# setevoe — the two commands of the README, and a few more.
#   make demo    install what is missing, build, run the walk-through on a fresh database in demo/
#   make test    install what is missing, build, run every test
#   make bench   build in Release and print the benchmark table (BENCH_PRODUCTS, BENCH_ONLY=catalogue|services|report)
#   make sanitize  build with AddressSanitizer + UBSan and run the tests there
#   make fuzz    build the libFuzzer targets with clang and run them for FUZZ_SECONDS in total
.PHONY: all deps build demo test bench sanitize fuzz clean

BUILD ?= build
JOBS ?= $(shell nproc)

# Debian 12 packages: to build, to test, to benchmark.
BUILD_PACKAGES = cmake ninja-build g++ pkg-config gettext tzdata libcli11-dev libsqlite3-dev libfmt-dev \
  libtomlplusplus-dev libzip-dev libutf8proc-dev libstemmer-dev catch2 libsodium-dev libssl-dev
TEST_PACKAGES = sqlite3 python3 mandoc bash-completion zsh fish poppler-utils libreoffice-writer-nogui python3-icalendar libreoffice-calc-nogui python3-openpyxl
DEMO_PACKAGES = python3 libreoffice-writer-nogui poppler-utils
BENCH_PACKAGES = hyperfine time zip unzip hunspell-ru hunspell-tools
FUZZ_PACKAGES = clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60

all: build

# Installs the missing packages with apt-get when run as root; otherwise
# prints the exact command and stops.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "These Debian packages are missing. Install them, then run make again:"; \
	    echo "  sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PACKAGES))

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@ninja -C $(BUILD) -j $(JOBS)

demo: build
	$(call install_missing,$(DEMO_PACKAGES))
	@bash examples/demo.sh $(BUILD)/setevoe demo

test: build
	$(call install_missing,$(TEST_PACKAGES))
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

sanitize: deps
	$(call install_missing,$(TEST_PACKAGES))
	@cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSETEVOE_SANITIZE=ON >/dev/null
	@ninja -C build-sanitize -j $(JOBS)
	@cd build-sanitize && ctest --output-on-failure -j $(JOBS)

bench: deps
	$(call install_missing,$(BENCH_PACKAGES) sqlite3)
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSETEVOE_TESTS=OFF >/dev/null
	@ninja -C build-release -j $(JOBS)
	@bash bench/run.sh build-release

fuzz: deps
	$(call install_missing,$(FUZZ_PACKAGES))
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DSETEVOE_FUZZ=ON -DSETEVOE_TESTS=OFF >/dev/null
	@ninja -C build-fuzz -j $(JOBS) fuzzers
	@bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-sanitize build-release build-fuzz demo
