#!/usr/bin/env bash
# The Bindery action (action.yml at the repository root runs this script):
# install bindery, build the book, set the outputs epub and pdf.
#
# Inputs come only from the environment, so that no value is ever read as
# shell: INPUT_PATH, INPUT_OUTPUT, INPUT_FORMATS, INPUT_STRICT,
# INPUT_VERSION, INPUT_FETCH_REMOTE. Also read:
#
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP   the runner (Linux/macOS/Windows, X64/ARM64)
#   GITHUB_OUTPUT, GITHUB_PATH            where outputs and the PATH addition go
#   GITHUB_ACTION_PATH                    this action's checkout (for version: source)
#   BINDERY_ACTION_REF                    the ref the action is used at (github.action_ref)
#   BINDERY_ACTION_REPOSITORY             owner/name of the action (github.action_repository)
#   GITHUB_WORKSPACE, GITHUB_REPOSITORY   for uses: ./, the action's repository
#   GITHUB_SERVER_URL                     https://github.com unless on GitHub Enterprise
#   BINDERY_RELEASES_URL                  where releases are downloaded from, instead of
#                                         $GITHUB_SERVER_URL/OWNER/NAME/releases (tests, mirrors)
#
# Which bindery runs (version):
#   v1.2.3   that release's archive for the runner, checked against the
#            release's checksums.txt before it is unpacked
#   latest   the same, from the latest release
#   source   built with Go from the action's own checkout
#   (empty)  the ref the action is used at, when it is a release tag like
#            v1.2.3; else (a branch, a commit, uses: ./) source, so this
#            repository's own workflows test the action with the code they
#            check out.
set -euo pipefail

# fail reports an error as a GitHub annotation and stops.
fail() {
	local msg="$*"
	msg=${msg//'%'/'%25'}
	msg=${msg//$'\r'/'%0D'}
	msg=${msg//$'\n'/'%0A'}
	echo "::error title=bindery::$msg"
	exit 1
}

# lower prints its argument in lower case (bash 3.2, macOS's, lacks ${v,,}).
lower() {
	printf '%s' "$1" | tr '[:upper:]' '[:lower:]'
}

# bool sets the variable $1 to true or false from input $2's value $3.
bool() {
	case "$(lower "$3")" in
	true | yes | 1) printf -v "$1" true ;;
	false | no | 0 | "") printf -v "$1" false ;;
	*) fail "input $2: \"$3\": want true or false" ;;
	esac
}

# oneline refuses a value with a line break, which would forge lines in
# GITHUB_OUTPUT.
oneline() {
	case "$2" in
	*$'\n'* | *$'\r'*) fail "input $1: a line break is not allowed" ;;
	esac
}

# Temporary folders, removed however the script ends.
dl='' stage=''
trap 'rm -rf ${dl:+"$dl"} ${stage:+"$stage"}' EXIT

sha256() {
	if command -v sha256sum >/dev/null; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		openssl dgst -sha256 -r "$1" | cut -d' ' -f1
	fi
}

book=${INPUT_PATH:-content}
output=${INPUT_OUTPUT:-dist}
formats=${INPUT_FORMATS:-epub,pdf}
version=${INPUT_VERSION:-}
oneline path "$book"
oneline output "$output"
strict=false fetch_remote=false
bool strict strict "${INPUT_STRICT:-}"
bool fetch_remote fetch-remote "${INPUT_FETCH_REMOTE:-}"

want_epub=false want_pdf=false
IFS=$', \t' read -r -a list <<<"$formats"
for f in ${list[@]+"${list[@]}"}; do
	case "$(lower "$f")" in
	epub) want_epub=true ;;
	pdf) want_pdf=true ;;
	*) fail "input formats: \"$f\": want epub, pdf or both (epub,pdf)" ;;
	esac
done
if [ "$want_epub" = false ] && [ "$want_pdf" = false ]; then
	fail "input formats: \"$formats\": want epub, pdf or both (epub,pdf)"
fi

[ -d "$book" ] || fail "input path: \"$book\": no such folder"

case "${RUNNER_OS:-}" in
Linux) goos=linux ;;
macOS) goos=darwin ;;
Windows) goos=windows ;;
*) fail "runner OS \"${RUNNER_OS:-}\": bindery is released for Linux, macOS and Windows" ;;
esac
case "${RUNNER_ARCH:-}" in
X64) goarch=amd64 ;;
ARM64) goarch=arm64 ;;
*) fail "runner architecture \"${RUNNER_ARCH:-}\": bindery is released for X64 and ARM64" ;;
esac
exe=bindery
[ "$goos" = windows ] && exe=bindery.exe
tmp=${RUNNER_TEMP:?RUNNER_TEMP is not set}

# The action's repository and ref. Composite actions do not always get
# github.action_repository and github.action_ref, so they are also read
# from the action's path, RUNNER/_actions/OWNER/NAME/REF. With uses: ./
# the action is the workflow's own repository.
repo=${BINDERY_ACTION_REPOSITORY:-}
ref=${BINDERY_ACTION_REF:-}
action_path=${GITHUB_ACTION_PATH:-}
action_path=${action_path//\\//}
case "$action_path" in
*/_actions/*/*/*)
	IFS=/ read -r a_owner a_name a_ref _ <<<"${action_path##*/_actions/}"
	repo=${repo:-$a_owner/$a_name}
	ref=${ref:-$a_ref}
	;;
esac
workspace=${GITHUB_WORKSPACE:-}
if [ -z "$repo" ] && [ -n "$workspace" ] && [ "$action_path" = "${workspace//\\//}" ]; then
	repo=${GITHUB_REPOSITORY:-}
fi
repo=${repo:-bindery-books/bindery}

# Which bindery: a release tag, latest, or source.
if [ -z "$version" ]; then
	if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
		version=$ref
	else
		version=source
	fi
elif ! [[ "$version" =~ ^(v[0-9][0-9A-Za-z.+-]*|latest|source)$ ]]; then
	fail "input version: \"$version\": want a release tag such as v1.2.3, latest, or source"
fi

if [ "$version" = source ]; then
	src=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
	command -v go >/dev/null ||
		fail "version source builds bindery with Go, which is not installed: add actions/setup-go, or use a release (version: v1.2.3)"
	bindir="$tmp/bindery/source"
	mkdir -p "$bindir"
	echo "Building bindery from $src"
	(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$bindir/$exe" ./cmd/bindery)
else
	releases=${BINDERY_RELEASES_URL:-${GITHUB_SERVER_URL:-https://github.com}/$repo/releases}
	if [ "$version" = latest ]; then
		base="$releases/latest/download"
	else
		base="$releases/download/$version"
	fi
	archive="bindery_${goos}_${goarch}.tar.gz"
	[ "$goos" = windows ] && archive="bindery_${goos}_${goarch}.zip"
	bindir="$tmp/bindery/$version-$goos-$goarch"
	if [ ! -x "$bindir/$exe" ]; then
		dl=$(mktemp -d "$tmp/bindery-download.XXXXXX")
		echo "Downloading $base/$archive"
		curl -fsSL --retry 3 -o "$dl/$archive" "$base/$archive" ||
			fail "download $base/$archive failed: is $version a release of $repo with binaries?"
		curl -fsSL --retry 3 -o "$dl/checksums.txt" "$base/checksums.txt" ||
			fail "download $base/checksums.txt failed"
		want=$(awk -v name="$archive" '$2 == name { print $1 }' "$dl/checksums.txt")
		[ -n "$want" ] || fail "checksums.txt of $version lists no $archive"
		got=$(sha256 "$dl/$archive")
		[ "$got" = "$want" ] ||
			fail "$archive: SHA-256 $got, but checksums.txt says $want; not installed"
		echo "Checked $archive against checksums.txt: sha256 $got"
		mkdir -p "$dl/x"
		if [ "$goos" = windows ]; then
			if command -v unzip >/dev/null; then
				unzip -q "$dl/$archive" "$exe" -d "$dl/x"
			else
				7z x -bd -y -o"$dl/x" "$dl/$archive" "$exe" >/dev/null
			fi
		else
			tar -xzf "$dl/$archive" -C "$dl/x" "$exe"
		fi
		mkdir -p "$bindir"
		chmod +x "$dl/x/$exe"
		mv -f "$dl/x/$exe" "$bindir/$exe"
	fi
fi
bindery="$bindir/$exe"
got=$("$bindery" version)
echo "$got"
if [[ "$version" =~ ^v[0-9] ]] && [ "$got" != "bindery $version" ]; then
	fail "the binary of release $version says \"$got\""
fi
# Later steps may run bindery too.
if [ -n "${GITHUB_PATH:-}" ]; then
	echo "$bindir" >>"$GITHUB_PATH"
fi

# Build into a fresh folder, so that the outputs are exactly the files this
# build wrote, then move them into the output folder.
abs=$(cd "$book" && pwd)
stage=$(mktemp -d "$tmp/bindery-out.XXXXXX")
flags=()
[ "$strict" = true ] && flags+=(--strict)
[ "$fetch_remote" = true ] && flags+=(--fetch-remote)

# Date the book by its last commit when nothing else does, so that two
# builds of one commit are the same bytes.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	if epoch=$(git -C "$abs" log -1 --format=%ct 2>/dev/null) && [ -n "$epoch" ]; then
		export SOURCE_DATE_EPOCH=$epoch
	fi
fi

if [ "$want_epub" = true ] && [ "$want_pdf" = true ]; then
	cmd=(build ${flags[@]+"${flags[@]}"} -o .)
elif [ "$want_epub" = true ]; then
	cmd=(epub ${flags[@]+"${flags[@]}"})
else
	cmd=(pdf ${flags[@]+"${flags[@]}"})
fi
echo "bindery ${cmd[*]} $book"
if ! (cd "$stage" && "$bindery" "${cmd[@]}" "$abs"); then
	fail "$book: the book was not built; its problems are listed above as file:line: message"
fi

output=${output%/}
mkdir -p "${output:-.}"
for f in epub pdf; do
	want="want_$f"
	path=
	if [ "${!want}" = true ]; then
		files=("$stage"/*."$f")
		if [ ${#files[@]} -ne 1 ] || [ ! -f "${files[0]}" ]; then
			fail "bindery wrote no single .$f file"
		fi
		path="${output:-.}/$(basename "${files[0]}")"
		mv -f "${files[0]}" "$path"
		echo "Wrote $path"
	fi
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		echo "$f=$path" >>"$GITHUB_OUTPUT"
	fi
done
