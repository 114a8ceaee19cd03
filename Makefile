# foil — Markdown to slide decks. `make demo` and `make test` are the whole set-up.

GO       ?= go
BIN      := bin/foil
EXAMPLES := $(shell find examples -name '*.md' ! -name README.md | sort)
PKGS     := ./...
# Debian packages the browser features need.
DEB_PKGS := chromium fonts-noto-color-emoji fonts-noto-core fonts-dejavu-core

.PHONY: all build test demo gallery golden bench fuzz lint deps clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/foil

# deps installs Debian's Chromium and fonts when missing (as root), or prints
# the exact command to run.
deps:
	@.ci/install-deps $(DEB_PKGS)

test: deps
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

demo: build deps
	@mkdir -p out
	@set -e; for f in $(EXAMPLES); do \
		name=$$(echo $${f#examples/} | sed 's,/,-,g; s,\.md$$,,'); \
		./$(BIN) html -q "$$f" -o "out/$$name.html"; \
		./$(BIN) pdf -q "$$f" -o "out/$$name.pdf"; \
		echo "out/$$name.html out/$$name.pdf"; \
	done

# gallery regenerates docs/layouts, the pictures of every layout that the
# README shows, with foil itself. Only the pictures and their Markdown are
# kept: the gallery's HTML pages each carry the whole stylesheet and script.
gallery: build deps
	@tmp=$$(mktemp -d) && ./$(BIN) layouts --gallery -o $$tmp && \
	rm -rf docs/layouts && mkdir -p docs/layouts && \
	cp $$tmp/*.png $$tmp/README.md docs/layouts/ && rm -rf $$tmp

# golden rewrites the golden files after an intended change; review the diff.
golden:
	$(GO) test ./render ./render/parse ./render/highlight -update

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./render/... ./cmd/... ./internal/...

# fuzz runs each fuzz target for FUZZTIME (default 30s).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./render/parse
	$(GO) test -run '^$$' -fuzz '^FuzzHTML$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./render/sanitize

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) mod tidy -diff

clean:
	rm -rf bin out
