# Shared settings of the CI Kubernetes cluster scripts (sourced, not run). Every path can be overridden by the
# environment, so a developer can keep the cluster anywhere; the defaults are what .ci/run uses.
#
#   KILLSWITCH_K8S_CACHE   built binaries, cached across runs, keyed by source version + patch (default
#                          /var/cache/killswitch/k8s)
#   KILLSWITCH_K8S_HOME    the running cluster's state: bin/, pki/, etcd/, kubelet/, logs/, pids, kubeconfig
#                          (default /var/lib/killswitch/k8s)
#   KILLSWITCH_K8S_NODE    node name (default killswitch-ci-node)
#   KILLSWITCH_K8S_IP      address the API server advertises and the node registers: Docker's docker0 gateway, so
#                          pods (on docker0) and the test host reach it alike (default: docker0's IPv4 address)
#   KILLSWITCH_K8S_CONTEXT the kubeconfig context written for tests (default killswitch-ci)

k8s_cache="${KILLSWITCH_K8S_CACHE:-/var/cache/killswitch/k8s}"
k8s_home="${KILLSWITCH_K8S_HOME:-/var/lib/killswitch/k8s}"
k8s_node="${KILLSWITCH_K8S_NODE:-killswitch-ci-node}"
k8s_context="${KILLSWITCH_K8S_CONTEXT:-killswitch-ci}"
k8s_ip="${KILLSWITCH_K8S_IP:-$(ip -4 -o addr show docker0 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}')}"
k8s_ip="${k8s_ip:-172.17.0.1}"

# Debian bookworm's source package: Kubernetes 1.20.2 with its vendor/ tree, the last release with the dockershim.
k8s_source_package="kubernetes"
k8s_source_version="1.20.5+really1.20.2-1.1+deb12u1"
k8s_binaries=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
k8s_pause_image="k8s.gcr.io/pause:3.2"   # the kubelet's default sandbox image, built locally (nothing can be pulled)

k8s_scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
k8s_bin="$k8s_home/bin"
k8s_kubeconfig="$k8s_home/kubeconfig"

# The cache key: what produced the binaries (source version, the patch, the binary list).
k8s_cache_key() {
  local hash
  hash="$( { cat "$k8s_scripts/oom-score.patch"; printf '%s\n' "${k8s_binaries[@]}"; } | sha256sum | cut -c1-12)"
  echo "${k8s_source_version}-${hash}"
}
k8s_log() { echo "[k8s $(date -u +%H:%M:%S)] $*" >&2; }
