#!/usr/bin/env bash
# Builds every program `make e2e` needs from Go modules at the versions pinned in
# versions.env, into a cache outside the repository:
#
#   ${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-service-pair/e2e}/<key>/bin
#
# <key> is a hash of versions.env, so a pin change builds into a new directory and never
# mixes versions (bump BUILD_REVISION there when a recipe below changes). A program
# already in the cache is not rebuilt, except this repository's own Python language
# host, which `go build` refreshes from its source each time (seconds, from Go's cache).
# Prints the bin directory on its last line.
#
# Usage: tests/e2e/toolchain/build.sh [--print-bin | PROGRAM...]
#   --print-bin   only print the bin directory
#   PROGRAM...    build only these (default: all); the e2e suite leaves out what the user
#                 already has (a pulumi on PATH, KUBEBUILDER_ASSETS, E2E_KUBECONFIG)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

key=$(sha256sum <"$here/versions.env" | cut -c1-16)
cache_root=${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-service-pair/e2e}
bin="$cache_root/$key/bin"
if [[ "${1:-}" == "--print-bin" ]]; then
    echo "$bin"
    exit 0
fi
mkdir -p "$bin"
work=$(mktemp -d "${TMPDIR:-/tmp}/ssp-e2e-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=${GOPROXY:-https://proxy.golang.org}

# Not in bin/: the engine prefers a provider found on PATH over the installed plugin, and
# the e2e run puts bin/ on PATH. It is installed with `pulumi plugin install --file`.
PROVIDER=plugins/pulumi-resource-kubernetes

log() { printf '[e2e-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

wanted=" $* "
# build NAME COMMAND...: runs COMMAND (which writes $bin/NAME.partial) unless $bin/NAME exists.
# COMMAND runs in a background subshell so that `set -e` holds inside it.
build() {
    local name=$1
    shift
    if [[ "$wanted" != "  " && "$wanted" != *" $name "* ]]; then
        return
    fi
    if [[ -x "$bin/$name" && "${FORCE:-}" != "$name" ]]; then
        log "$name: cached"
        return
    fi
    log "$name: building"
    local start=$SECONDS
    mkdir -p "$(dirname "$bin/$name")"
    ("$@") >"$work/${name//\//-}.log" 2>&1 &
    if ! wait $!; then
        log "$name: BUILD FAILED after $((SECONDS - start)) s; last lines of its log:"
        tail -n 30 "$work/${name//\//-}.log" >&2
        mkdir -p "${E2E_LOG_DIR:-build/e2e-logs}"
        cp "$work/${name//\//-}.log" "${E2E_LOG_DIR:-build/e2e-logs}/build-${name//\//-}.log" || true
        exit 1
    fi
    mv "$bin/$name.partial" "$bin/$name"
    log "$name: built in $((SECONDS - start)) s"
}

# wrapper DIR: a throwaway module in which `go build` resolves the pinned modules.
wrapper() {
    mkdir -p "$1"
    (cd "$1" && go mod init "e2e.invalid/$(basename "$1")" >/dev/null 2>&1)
}

pulumi_cli() {
    local w=$work/pulumi
    wrapper "$w"
    cd "$w"
    go mod edit -require="github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" \
        -require="github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
    # pkg/v3's own go.mod replaces clipboard with this fork; a wrapper must repeat it.
    local clip
    clip=$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" \
        | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' | xargs grep -o 'github.com/atotto/clipboard => .*' \
        | sed 's/github.com\/atotto\/clipboard => //; s/ /@/')
    [[ -n "$clip" ]] && go mod edit -replace="github.com/atotto/clipboard=$clip"
    go build -trimpath -o "$bin/pulumi.partial" \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

pulumi_language_python_exec() {
    # The host starts this script; it ships in the sdk/v3 module of the same release.
    local dir
    dir=$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
        | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    install -m 0755 "$dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec.partial"
}

pulumi_language_python() {
    cd "$here/langhost"
    go build -trimpath -o "$bin/pulumi-language-python.partial" -ldflags "-s -w" .
}

pulumi_language_yaml() {
    local w=$work/yaml
    wrapper "$w"
    cd "$w"
    go mod edit -require="github.com/pulumi/pulumi-yaml@$PULUMI_YAML_VERSION"
    # Upstream's host plus the Link RPC it lacks (see yamlhost/main.go).
    cp "$here/yamlhost/main.go" .
    go build -trimpath -o "$bin/pulumi-language-yaml.partial" -ldflags "-s -w" .
}

pulumi_resource_kubernetes() {
    local src
    src=$(go mod download -json \
        "github.com/pulumi/pulumi-kubernetes/provider/v4@$PULUMI_KUBERNETES_PROVIDER_MODULE" \
        | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    cp -r "$src" "$work/provider"
    chmod -R u+w "$work/provider"
    cd "$work/provider"
    # Its go.mod points sdk/v4 at a sibling folder that the module download lacks.
    go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4 \
        -require="github.com/pulumi/pulumi-kubernetes/sdk/v4@$PULUMI_KUBERNETES_SDK_MODULE"
    # main.go embeds files that upstream generates from schema.json (go:generate).
    (cd cmd/pulumi-resource-kubernetes && VERSION=$PULUMI_KUBERNETES_VERSION go run generate.go)
    go build -trimpath -o "$bin/$PROVIDER.partial" -ldflags "-s -w \
        -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
        ./cmd/pulumi-resource-kubernetes
}

kube_wrapper() {
    local w=$work/kube
    [[ -f "$w/go.mod" ]] && { cd "$w"; return; }
    wrapper "$w"
    cd "$w"
    local minor_patch=${KUBERNETES_VERSION#v1.}
    go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
    # k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces;
    # point each at its published release instead.
    local gomod
    gomod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" \
        | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    local staging
    for staging in $(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod"); do
        go mod edit -replace="$staging=$staging@v0.$minor_patch"
    done
}

kube_ldflags() {
    local minor=${KUBERNETES_VERSION#v1.}
    minor=${minor%%.*}
    local pkg flags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        flags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
        flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
    done
    echo "$flags"
}

kube_cmd() {
    local name=$1
    kube_wrapper
    go build -trimpath -o "$bin/$name.partial" -ldflags "$(kube_ldflags)" "k8s.io/kubernetes/cmd/$name"
}

etcd() {
    local w=$work/etcd
    wrapper "$w"
    cd "$w"
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    go build -trimpath -o "$bin/etcd.partial" -ldflags "-s -w" go.etcd.io/etcd/server/v3
}

kwok() {
    local w=$work/kwok
    wrapper "$w"
    cd "$w"
    go mod edit -require="sigs.k8s.io/kwok@$KWOK_VERSION"
    go build -trimpath -o "$bin/kwok.partial" -ldflags "-s -w" sigs.k8s.io/kwok/cmd/kwok
    # The stage definitions (what a fake kubelet does) ship in the module, not the binary.
    local dir
    dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    rm -rf "$bin/kwok-stages"
    cp -r "$dir/kustomize/stage" "$bin/kwok-stages"
    chmod -R u+w "$bin/kwok-stages"
}

coredns() {
    local w=$work/coredns
    wrapper "$w"
    cd "$w"
    go mod edit -require="github.com/coredns/coredns@$COREDNS_VERSION"
    go build -trimpath -o "$bin/coredns.partial" -ldflags "-s -w" github.com/coredns/coredns
}

total=$SECONDS
log "cache: $bin"
build pulumi-language-python-exec pulumi_language_python_exec
build etcd etcd
build coredns coredns
build kwok kwok
build pulumi pulumi_cli
build "$PROVIDER" pulumi_resource_kubernetes
build kube-apiserver kube_cmd kube-apiserver
build kube-controller-manager kube_cmd kube-controller-manager
build kube-scheduler kube_cmd kube-scheduler
build kubectl kube_cmd kubectl
# Our wrapper around pulumi-yaml's host: rebuilt when its source changes.
yaml_stamp="$bin/.pulumi-language-yaml.source"
if [[ "$(sha256sum <"$here/yamlhost/main.go")" != "$(cat "$yaml_stamp" 2>/dev/null)" ]]; then
    rm -f "$bin/pulumi-language-yaml"
fi
build pulumi-language-yaml pulumi_language_yaml
sha256sum <"$here/yamlhost/main.go" >"$yaml_stamp"
FORCE=pulumi-language-python build pulumi-language-python pulumi_language_python
log "toolchain ready in $((SECONDS - total)) s"
echo "$bin"
