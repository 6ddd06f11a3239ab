# Bindery: build the book in content/ and test the compiler.
#
#   make          build every format of the book into dist/
#   make serve    preview the book in a browser while you write
#   make test     run the tests
#   make check    check the book's links; validate dist/ with EPUBCheck and qpdf
#   make lint     gofmt, go vet, staticcheck, actionlint, shellcheck
#   make bench    benchmark each stage; time bindery (and pandoc) on the corpus
#   make release  the release archives and checksums.txt, into dist/release
#   make fuzz     run each fuzz target briefly
#   make clean    remove dist/

GO      ?= go
BOOK    ?= content
NAME    ?= elixir-in-the-field
DIST    ?= dist
BINDERY := $(DIST)/bindery
EPUBCHECK_JAR ?= /usr/share/java/epubcheck.jar
FUZZTIME ?= 10s
# The version stamped into release binaries: the tag being released.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo v0.0.0-dev)

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.7.0
ACTIONLINT  := github.com/rhysd/actionlint/cmd/actionlint@v1.7.7

.PHONY: all book epub pdf serve test check lint bench fuzz release clean $(BINDERY)

all: book

book: $(BINDERY)
	$(BINDERY) build -o $(DIST) $(BOOK)

epub: $(BINDERY)
	$(BINDERY) epub -o $(DIST)/$(NAME).epub $(BOOK)

pdf: $(BINDERY)
	$(BINDERY) pdf -o $(DIST)/$(NAME).pdf $(BOOK)

serve: $(BINDERY)
	$(BINDERY) serve $(BOOK)

$(BINDERY):
	@mkdir -p $(DIST)
	$(GO) build -trimpath -o $@ ./cmd/bindery

# ./... leaves out .github, which holds the release builder.
test:
	$(GO) test ./... ./.github/release

check: $(BINDERY)
	$(BINDERY) check --strict $(BOOK)
	@test -f $(DIST)/$(NAME).epub || $(MAKE) epub
	java -jar $(EPUBCHECK_JAR) --failonwarnings $(DIST)/$(NAME).epub
	@test -f $(DIST)/$(NAME).pdf || $(MAKE) pdf
	qpdf --check $(DIST)/$(NAME).pdf

# actionlint checks action.yml through the workflows that use it (uses: ./),
# and the workflow bindery new writes; shellcheck checks the scripts
# (actionlint also runs it on the workflows' run: steps).
lint:
	@out=$$(gofmt -l cmd book assets .github); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./... ./.github/release
	$(GO) run $(STATICCHECK) ./... ./.github/release
	@command -v shellcheck >/dev/null || { echo "shellcheck is not installed (apt-get install shellcheck)"; exit 1; }
	shellcheck .github/action/run.sh .ci/run .ci/bench
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		$(GO) run ./cmd/bindery new "$$tmp/book" >/dev/null && \
		echo "actionlint <bindery new>/.github/workflows/book.yml" && \
		$(GO) run $(ACTIONLINT) "$$tmp/book/.github/workflows/book.yml"

# The stages on the golang corpus section, then the commands end to end on
# the corpus's largest section beside pandoc, when it is installed.
bench: $(BINDERY)
	$(GO) test -run '^$$' -bench 'Stages' -benchtime 5x ./book/...
	bash .ci/bench $(BINDERY)

fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "$$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

# Every platform's archive; the release workflow runs this on a tag.
release:
	$(GO) run ./.github/release -version $(VERSION) -o $(DIST)/release

clean:
	rm -rf $(DIST)
