# shellcheck shell=bash disable=SC2154,SC2016 # here, bin and state are set by cluster/up.sh; envsubst takes the literal
# Sourced by cluster/up.sh: the node agent (packages/node-agent, docs/node-agent.md), our
# stand-in for the kubelet, which registers Node $EDS_NODE_NAME (default eds-local) and runs
# the pods bound to it as local processes. Needs the workspace built (npm run build).
node_agent_name=${EDS_NODE_NAME:-eds-local}
# The agent's service proxy (docs/node-agent.md), on loopback: HTTPS_PROXY for programs that reach
# pods by Service name (Crossplane calling the function).
service_proxy_port=${EDS_SERVICE_PROXY_PORT:-28443}
free_ports "set EDS_SERVICE_PROXY_PORT" "$service_proxy_port"
node_agent_bin=$here/../packages/node-agent/bin/eds-node-agent.js
node_bin=$(command -v node || true)
if [ -z "$node_bin" ]; then
  echo "cluster: node (Node.js 20) is missing" >&2
  exit 2
fi
if [ ! -f "$here/../packages/node-agent/dist/cli.js" ]; then
  echo "cluster: the node agent is not built; run: npm run build" >&2
  exit 2
fi

# Its identity, as a kubelet's: group system:nodes, user system:node:<name>. The API server runs
# RBAC only (no Node authorizer), so the bootstrap ClusterRole system:node is bound to that user,
# plus patching pods, which system:node lacks, for the annotation with each pod's ports.
cert node-agent "/O=system:nodes/CN=system:node:$node_agent_name"
kubeconfig node-agent
"$bin/kubectl" apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "eds:node-agent:system:node" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node" }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:node:$node_agent_name" }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "eds:node-agent" }
rules: [{ apiGroups: [""], resources: [pods], verbs: [patch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "eds:node-agent" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "eds:node-agent" }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:node:$node_agent_name" }]
YAML

# The image map, from the template; EDS_NODE_AGENT_IMAGES names a YAML file of more entries.
node_agent_images=$state/images.yaml
NODE=$node_bin envsubst '${NODE}' <"$here/node-agent/images.yaml" >"$node_agent_images"
if [ -n "${EDS_NODE_AGENT_IMAGES:-}" ]; then cat "$EDS_NODE_AGENT_IMAGES" >>"$node_agent_images"; fi

start node-agent "$node_bin" "$node_agent_bin" --kubeconfig "$state/node-agent.kubeconfig" \
  --state-dir "$state/node-agent" --image-map "$node_agent_images" --node-name "$node_agent_name" \
  --backoff-scale "${EDS_NODE_AGENT_BACKOFF_SCALE:-1}" --service-proxy "127.0.0.1:$service_proxy_port"
TIMEOUT=60 until_ok "node $node_agent_name" bash -c \
  "[ \"\$('$bin/kubectl' get node '$node_agent_name' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" = True ]"
echo "NODE_AGENT_NODE=$node_agent_name" >>"$state/env"
echo "NODE_AGENT_IMAGE_MAP=$node_agent_images" >>"$state/env"
echo "NODE_AGENT_STATE=$state/node-agent" >>"$state/env"
SERVICE_PROXY_URL=http://127.0.0.1:$service_proxy_port
echo "SERVICE_PROXY_URL=$SERVICE_PROXY_URL" >>"$state/env"
