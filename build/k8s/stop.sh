#!/usr/bin/env bash
# Stops the CI cluster started by start.sh and puts the host back as it was: the recorded processes (by PID, in
# reverse start order), the pods' containers (k8s_* in Docker, created by this kubelet), the kubelet's mounts and
# cgroups and the directories it created (/var/lib/dockershim, /var/log/pods ...), kube-proxy's KUBE-* iptables chains,
# and the sysctls recorded at start. The Docker engine and everything
# else in it are left alone. Idempotent: with nothing running it only checks that nothing is left.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pids="$k8s_home/pids"
if [[ -f "$pids" ]]; then
  tac "$pids" | while read -r name pid; do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    k8s_log "stopped $name ($pid)"
  done
  rm -f "$pids"
fi

# Containers the kubelet created (the dockershim names them k8s_<container>_<pod>_<namespace>_<uid>_<n>).
ids="$(docker ps -aq --filter 'name=^k8s_' 2>/dev/null)"
if [[ -n "$ids" ]]; then
  docker rm -f $ids >/dev/null
  k8s_log "removed $(echo $ids | wc -w) pod container(s)"
fi

# Mounts the kubelet left under its root directory (secrets, service-account tokens), deepest first.
awk -v root="$k8s_home/kubelet" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null

# Pod cgroups (cgroupfs driver, cgroup v1): kubepods/ in every hierarchy, deepest first.
for hierarchy in /sys/fs/cgroup/*/; do
  [[ -d "${hierarchy}kubepods" ]] && find "${hierarchy}kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# kube-proxy's and the kubelet's chains: unhook them from the built-in chains, then flush and delete them.
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in nat filter mangle; do
    "$ipt" -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' | sed 's/^-A/-D/' |
      while read -r rule; do eval "$ipt -t $table $rule"; done
    chains="$("$ipt" -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/ {print $2}')"
    for chain in $chains; do "$ipt" -t "$table" -F "$chain"; done
    for chain in $chains; do "$ipt" -t "$table" -X "$chain"; done
  done
done

if [[ -f "$k8s_home/created-dirs" ]]; then
  sort -u "$k8s_home/created-dirs" | while read -r dir; do rm -rf "$dir"; done
  rm -f "$k8s_home/created-dirs"
fi

if [[ -f "$k8s_home/host-sysctls" ]]; then
  while IFS= read -r setting; do sysctl -q -w "$setting"; done <"$k8s_home/host-sysctls"
  rm -f "$k8s_home/host-sysctls"
  k8s_log "host sysctls restored"
fi
k8s_log "stopped; host restored"
