#!/usr/bin/env bash
# make run: a local Kubernetes cluster with wido on it, all on 127.0.0.1.
#
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok
# (two simulated nodes) v1.37.2 built by hack/k8s-tools; Debian's
# Prometheus scraping `wido demo-app`; wido's CRDs and the demo workload of
# deploy/samples/demo.yaml; then `wido operator` in the foreground. Ctrl-C
# stops everything. State lives in ${WIDO_CLUSTER_DIR:-~/.cache/wido/cluster}.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$("$root/hack/k8s-tools/build.sh")
wido="$root/bin/wido"
dir=${WIDO_CLUSTER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wido/cluster}
rm -rf "$dir"
mkdir -p "$dir/pki" "$dir/logs"
export KUBECONFIG="$dir/kubeconfig"
kubectl() { "$bin/kubectl" "$@"; }
say() { echo "wido run: $*" >&2; }

pids=()
stop() {
	say "stopping"
	# Order matters: controllers first, etcd last (else the apiserver hangs).
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
}
trap stop EXIT
start() { # name, command...
	local name=$1
	shift
	"$@" >"$dir/logs/$name.log" 2>&1 &
	pids+=($!)
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "certificates"
cd "$dir/pki"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=wido-local-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nbasicConstraints=CA:FALSE\n' >apiserver.ext
openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 2 -extfile apiserver.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=admin" 2>/dev/null
openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 2 2>/dev/null
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
cd "$root"

etcd_port=$(free_port)
peer_port=$(free_port)
api_port=$(free_port)
prom_port=$(free_port)
app_port=$(free_port)

say "etcd"
start etcd "$bin/etcd" --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
	--advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
	--initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "default=http://127.0.0.1:$peer_port"

say "kube-apiserver on https://127.0.0.1:$api_port"
start kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
	--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
	--tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
	--client-ca-file "$dir/pki/ca.crt" --service-account-key-file "$dir/pki/sa.pub" \
	--service-account-signing-key-file "$dir/pki/sa.key" --service-account-issuer https://kubernetes.default.svc \
	--service-cluster-ip-range 10.96.0.0/16 --authorization-mode Node,RBAC --endpoint-reconciler-type none

kubectl config set-cluster local --server "https://127.0.0.1:$api_port" --certificate-authority "$dir/pki/ca.crt" --embed-certs >/dev/null
kubectl config set-credentials admin --client-certificate "$dir/pki/admin.crt" --client-key "$dir/pki/admin.key" --embed-certs >/dev/null
kubectl config set-context local --cluster local --user admin >/dev/null
kubectl config use-context local >/dev/null
for i in $(seq 100); do kubectl get --raw /readyz >/dev/null 2>&1 && break; sleep 0.2; done
kubectl get --raw /readyz >/dev/null || { say "kube-apiserver did not become ready; see $dir/logs"; exit 1; }

say "kube-controller-manager, kube-scheduler, kwok"
start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$KUBECONFIG" --bind-address 127.0.0.1 \
	--secure-port "$(free_port)" --root-ca-file "$dir/pki/ca.crt" --service-account-private-key-file "$dir/pki/sa.key" \
	--use-service-account-credentials --leader-elect=false
start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$KUBECONFIG" --bind-address 127.0.0.1 \
	--secure-port "$(free_port)" --leader-elect=false
kwok_stages=$(cd "$root/hack/k8s-tools" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
start kwok "$bin/kwok" --kubeconfig "$KUBECONFIG" --manage-all-nodes=false \
	--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --node-lease-duration-seconds=40 \
	--server-address "127.0.0.1:$(free_port)" \
	--config "$kwok_stages/node/fast/node-initialize.yaml" \
	--config "$kwok_stages/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
	--config "$kwok_stages/pod/fast/pod-ready.yaml" \
	--config "$kwok_stages/pod/fast/pod-complete.yaml" \
	--config "$kwok_stages/pod/fast/pod-delete.yaml"
for n in 1 2; do
	kubectl apply -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$n}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
NODE
done

say "wido's CRDs and the demo workload"
kubectl apply -k "$root/deploy/crds" >/dev/null
kubectl wait --for condition=Established crd/intents.wido.dev crd/kpiprofiles.wido.dev >/dev/null
for i in $(seq 100); do kubectl get serviceaccount default >/dev/null 2>&1 && break; sleep 0.2; done
kubectl apply -f "$root/deploy/samples/demo.yaml" >/dev/null

say "demo app metrics on 127.0.0.1:$app_port, Prometheus on http://127.0.0.1:$prom_port"
start demo-app "$wido" demo-app --listen "127.0.0.1:$app_port"
cat >"$dir/prometheus.yml" <<PROM
global: {scrape_interval: 2s, evaluation_interval: 2s}
scrape_configs:
  - job_name: demo-app
    static_configs: [{targets: ["127.0.0.1:$app_port"]}]
PROM
start prometheus prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus" \
	--web.listen-address="127.0.0.1:$prom_port" --log.level=warn

cat >&2 <<INFO
wido run: the cluster is up. In another shell:
    export KUBECONFIG=$KUBECONFIG
    $bin/kubectl get intent,deployment,pods -w
  Logs of the control plane: $dir/logs. Ctrl-C stops everything.
wido run: starting wido operator (the demo's p99 is 37 ms against 30 ms: watch it scale out)
INFO
"$wido" operator --prometheus-url "http://127.0.0.1:$prom_port" --models "$root/deploy/samples/models.yaml" \
	--plugins-dir "$root/bin/plugins" --leader-elect=false --interval 10s \
	--metrics-bind-address "127.0.0.1:$(free_port)" --health-probe-bind-address "127.0.0.1:$(free_port)" &
pids+=($!)
wait "${pids[-1]}"
