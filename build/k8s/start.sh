#!/usr/bin/env bash
# Starts the CI cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, the kubelet (pods on the
# running Docker engine through the dockershim) and kube-proxy (iptables mode: ClusterIP Services reachable from this
# host), each a background process recorded in $KILLSWITCH_K8S_HOME/pids. Waits, with timeouts, for the API server,
# the node to be Ready and the default service account. Writes $KILLSWITCH_K8S_HOME/kubeconfig (context
# $KILLSWITCH_K8S_CONTEXT, cluster-admin) and prints it. Idempotent: a cluster this script started and that still
# runs is left as it is. Records the host settings the components change, so stop.sh puts them back.
#
# Needs: root, a running dockerd, the binaries (build/k8s/build.sh). Fresh cluster state on every start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pids="$k8s_home/pids"
if [[ -f "$pids" ]]; then
  if awk '{print $2}' "$pids" | xargs -r -n1 kill -0 2>/dev/null && \
     "$k8s_bin/kubectl" --kubeconfig "$k8s_kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    k8s_log "cluster already running (kubeconfig $k8s_kubeconfig)"
    echo "$k8s_kubeconfig"
    exit 0
  fi
  k8s_log "a previous cluster did not stop cleanly: stopping what is left of it first"
  "$k8s_scripts/stop.sh"
fi

for b in "${k8s_binaries[@]}" pause; do
  [[ -x "$k8s_bin/$b" ]] || { echo "Missing $k8s_bin/$b: run build/k8s/build.sh first." >&2; exit 1; }
done
docker info >/dev/null 2>&1 || { echo "The Docker engine is not running (the kubelet runs pods on it): start dockerd first." >&2; exit 1; }
missing=()
command -v etcd >/dev/null || missing+=(etcd-server)
command -v conntrack >/dev/null || missing+=(conntrack)
command -v iptables >/dev/null || missing+=(iptables)
command -v openssl >/dev/null || missing+=(openssl)
if [[ ${#missing[@]} -gt 0 ]]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's package starts its own etcd service (user etcd) where an init system runs; this cluster runs its own
  # etcd on the same ports, so that service is stopped (only the one the install just started).
  if [[ " ${missing[*]} " == *" etcd-server "* ]]; then
    systemctl disable --now etcd >/dev/null 2>&1 || true
    for pid in $(pgrep -x -u etcd etcd || true); do kill "$pid" 2>/dev/null || true; done
  fi
fi

"$k8s_scripts/certs.sh"
pki="$k8s_home/pki"

# The sandbox image: cannot be pulled, so it is imported from the pause binary built with the rest.
if ! docker image inspect "$k8s_pause_image" >/dev/null 2>&1; then
  tmp="$(mktemp -d)"
  cp "$k8s_bin/pause" "$tmp/pause"
  tar -C "$tmp" -cf "$tmp/pause.tar" pause
  docker import --change 'ENTRYPOINT ["/pause"]' "$tmp/pause.tar" "$k8s_pause_image" >/dev/null
  rm -rf "$tmp"
  k8s_log "imported $k8s_pause_image"
fi

# Host settings the kubelet and kube-proxy change; stop.sh restores these values.
sysctls=(vm.overcommit_memory kernel.panic kernel.panic_on_oops net.ipv4.conf.all.route_localnet)
: >"$k8s_home/host-sysctls.tmp"
for s in "${sysctls[@]}"; do echo "$s=$(sysctl -n "$s")" >>"$k8s_home/host-sysctls.tmp"; done
[[ -f "$k8s_home/host-sysctls" ]] || mv "$k8s_home/host-sysctls.tmp" "$k8s_home/host-sysctls"
rm -f "$k8s_home/host-sysctls.tmp"

# Directories the kubelet creates outside its root directory; stop.sh removes those that did not exist before.
for dir in /var/lib/dockershim /var/log/pods /var/log/containers; do
  [[ -e "$dir" ]] || echo "$dir" >>"$k8s_home/created-dirs"
done

rm -rf "$k8s_home/etcd" "$k8s_home/kubelet" "$k8s_home/logs"
mkdir -p "$k8s_home/etcd" "$k8s_home/kubelet" "$k8s_home/logs"
sed "s|@PKI@|$pki|g" "$k8s_scripts/kubelet-config.yaml.in" >"$k8s_home/kubelet-config.yaml"
: >"$pids"
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

run() { # name command...: detached from this shell's session, so it outlives the caller (CI steps, SSH sessions)
  local name="$1"; shift
  setsid "$@" >"$k8s_home/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$pids"
}
wait_for() { # seconds description command...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    if [[ $SECONDS -ge $deadline ]]; then
      echo "Timed out after $1 s waiting for $what. Logs: $k8s_home/logs/" >&2
      tail -n 20 "$k8s_home"/logs/*.log >&2
      exit 1
    fi
    sleep 0.25
  done
}
kubectl() { "$k8s_bin/kubectl" --kubeconfig "$pki/admin.kubeconfig" "$@"; }

run etcd etcd --name killswitch-ci --data-dir "$k8s_home/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster killswitch-ci=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
run kube-apiserver "$k8s_bin/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --advertise-address="$k8s_ip" --secure-port=6443 \
  --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true --authorization-mode=Node,RBAC \
  --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
wait_for 90 "the API server (/readyz)" kubectl get --raw /readyz
k8s_log "API server ready after $(elapsed)"

run kube-controller-manager "$k8s_bin/kube-controller-manager" --kubeconfig="$pki/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$pki/controller-manager.kubeconfig" --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key"
run kube-scheduler "$k8s_bin/kube-scheduler" --kubeconfig="$pki/scheduler.kubeconfig" \
  --authentication-kubeconfig="$pki/scheduler.kubeconfig" --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false
run kubelet "$k8s_bin/kubelet" --config="$k8s_home/kubelet-config.yaml" --kubeconfig="$pki/kubelet.kubeconfig" \
  --root-dir="$k8s_home/kubelet" --cert-dir="$k8s_home/kubelet/pki" --hostname-override="$k8s_node" --node-ip="$k8s_ip" \
  --container-runtime=docker --docker-endpoint=unix:///var/run/docker.sock --pod-infra-container-image="$k8s_pause_image"
run kube-proxy "$k8s_bin/kube-proxy" --kubeconfig="$pki/kube-proxy.kubeconfig" --hostname-override="$k8s_node" \
  --cluster-cidr=172.17.0.0/16 --proxy-mode=iptables --oom-score-adj=0 \
  --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256 \
  --conntrack-max-per-core=0 --conntrack-tcp-timeout-established=0 --conntrack-tcp-timeout-close-wait=0

node_ready() { [[ "$(kubectl get node "$k8s_node" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
wait_for 180 "node $k8s_node to be Ready" node_ready
k8s_log "node Ready after $(elapsed)"
# Pods cannot be created in a namespace before its default service account (and, on 1.20, its token) exists.
sa_ready() { [[ -n "$(kubectl -n default get serviceaccount default -o 'jsonpath={.secrets[0].name}')" ]]; }
wait_for 60 "the default service account's token" sa_ready
k8s_log "cluster ready after $(elapsed)"

cp "$pki/admin.kubeconfig" "$k8s_kubeconfig"
echo "$k8s_kubeconfig"
