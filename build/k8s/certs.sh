#!/usr/bin/env bash
# Creates the CI cluster's PKI in $KILLSWITCH_K8S_HOME/pki (a CA, the API server's serving certificate, client
# certificates per component, the service-account key pair) and one kubeconfig per component. Idempotent: an
# existing PKI for the same node name and address is kept (delete the directory to start over). About 6 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pki="$k8s_home/pki"
identity="$k8s_node $k8s_ip"
if [[ -f "$pki/.identity" && "$(cat "$pki/.identity")" == "$identity" ]]; then
  exit 0
fi

rm -rf "$pki"
mkdir -p "$pki"
cd "$pki"
umask 077
openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -nodes -key ca.key -subj "/CN=killswitch-ci-ca" -days 3650 -out ca.crt 2>/dev/null

printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth' >client.ext
printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
  "subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,DNS:$k8s_node,IP:127.0.0.1,IP:10.0.0.1,IP:$k8s_ip" >apiserver.ext
printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth,serverAuth' \
  "subjectAltName=DNS:$k8s_node,DNS:localhost,IP:127.0.0.1,IP:$k8s_ip" >kubelet.ext

issue() { # name subject extfile
  openssl genrsa -out "$1.key" 2048 2>/dev/null
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile "$3" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr"
}
issue apiserver "/CN=kube-apiserver" apiserver.ext
issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client.ext
issue admin "/O=system:masters/CN=killswitch-admin" client.ext
issue controller-manager "/CN=system:kube-controller-manager" client.ext
issue scheduler "/CN=system:kube-scheduler" client.ext
issue kube-proxy "/CN=system:kube-proxy" client.ext
issue kubelet "/O=system:nodes/CN=system:node:$k8s_node" kubelet.ext
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null

for user in admin controller-manager scheduler kube-proxy kubelet; do
  cat >"$user.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: $k8s_context
  cluster: {certificate-authority: "$pki/ca.crt", server: "https://$k8s_ip:6443"}
users:
- name: $user
  user: {client-certificate: "$pki/$user.crt", client-key: "$pki/$user.key"}
contexts:
- name: $k8s_context
  context: {cluster: $k8s_context, user: $user}
current-context: $k8s_context
KUBECONFIG
done
echo "$identity" >.identity
