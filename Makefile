# Convenience targets; each is a thin wrapper over a script in scripts/.
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="idx png"]   libFuzzer + ASan over every decoder
#   make asan                                               test suite under address sanitizer
#   make tsan                                               test suite under thread sanitizer
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: test fuzz asan tsan

test:
	scripts/test.sh

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

asan:
	scripts/sanitize.sh address

tsan:
	scripts/sanitize.sh thread
