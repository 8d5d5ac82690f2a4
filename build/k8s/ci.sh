#!/usr/bin/env bash
# The CI cluster for `dotnet test`: what .ci/run calls around the tests.
#
#   build/k8s/ci.sh start   restore (or build, cold ~14 min) the binaries, build the images the Kubernetes tests deploy,
#                           start the cluster, and write the variables the tests read to $KILLSWITCH_K8S_ENV_FILE
#                           (default /var/lib/killswitch/k8s/ci.env; .ci/run sources it):
#                             KILLSWITCH_KUBECONFIG=<kubeconfig>  KILLSWITCH_KUBE_CONTEXT=killswitch-ci
#   build/k8s/ci.sh stop    stop the cluster this script started and restore the host (build/k8s/stop.sh)
#
# Needs root and a running Docker engine (the kubelet runs pods on it). Images: build/images/all.sh (the shared
# killswitch/aspnet:10 and killswitch/tools:1, the helper pods' image) and build/k8s/testapp-image.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/env.sh"
env_file="${KILLSWITCH_K8S_ENV_FILE:-$k8s_home/ci.env}"

case "${1:-}" in
  start)
    started=$SECONDS
    "$here/build.sh"
    bash "$here/../images/all.sh"
    "$here/testapp-image.sh"
    "$here/start.sh" >/dev/null
    mkdir -p "$(dirname "$env_file")"
    printf 'export %s=%q\nexport %s=%q\n' KILLSWITCH_KUBECONFIG "$k8s_kubeconfig" KILLSWITCH_KUBE_CONTEXT "$k8s_context" >"$env_file"
    k8s_log "CI cluster ready in $((SECONDS - started)) s; variables in $env_file"
    ;;
  stop)
    "$here/stop.sh"
    rm -f "$env_file"
    ;;
  *)
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
