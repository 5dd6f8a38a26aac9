// The peer side of `make bench`: the four objects of N default StatefulServicePairs, built with
// cdk8s-plus and synthesized one YAML file per object, as `make render` writes them.
//
//   node synth.js PAIRS OUT_DIR
//
// The specs follow a default pair (benchmarks/program) as far as cdk8s-plus expresses them:
// headless and client Service, StatefulSet with probes, resources, security context, a scratch
// volume and a data claim template, and a PodDisruptionBudget (an ApiObject: cdk8s-plus has no
// construct for it). cdk8s-plus adds its own selector label and defaults; the objects are the
// same, the bytes are not.
"use strict";

const { App, ApiObject, Chart, Duration, JsonPatch, Size, YamlOutputType } = require("cdk8s");
const kplus = require("cdk8s-plus-31");

const IMAGE = "redis:7.4-alpine";
const PORT = 6379;
const UID = 10001;

function pair(chart, name) {
  const selector = { "stateful-service-pair/statefulset": name };
  const labels = {
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/managed-by": "cdk8s",
    ...selector,
  };
  const ports = [{ name: "redis", port: PORT, targetPort: PORT, protocol: kplus.Protocol.TCP }];
  const headless = new kplus.Service(chart, `${name}-headless`, {
    metadata: { name: `${name}-headless`, labels },
    clusterIP: "None",
    publishNotReadyAddresses: true,
    ports,
  });
  const scratch = kplus.Volume.fromEmptyDir(chart, `${name}-scratch`, "scratch-0");
  const statefulSet = new kplus.StatefulSet(chart, name, {
    metadata: { name, labels },
    service: headless,
    replicas: 1,
    podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
    automountServiceAccountToken: false,
    podMetadata: { labels },
    securityContext: { user: UID, group: UID, fsGroup: UID, ensureNonRoot: true },
    containers: [
      {
        name,
        image: IMAGE,
        imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
        ports: [{ name: "redis", number: PORT }],
        securityContext: { user: UID, group: UID, readOnlyRootFilesystem: true, ensureNonRoot: true },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        },
        liveness: kplus.Probe.fromTcpSocket({
          port: PORT,
          initialDelaySeconds: Duration.seconds(30),
          failureThreshold: 6,
        }),
        readiness: kplus.Probe.fromTcpSocket({ port: PORT }),
        volumeMounts: [{ path: "/tmp", volume: scratch }],
      },
    ],
  });
  ApiObject.of(statefulSet).addJsonPatch(
    JsonPatch.add("/spec/template/spec/containers/0/volumeMounts/-", {
      name: "data",
      mountPath: "/data",
    }),
    JsonPatch.add("/spec/volumeClaimTemplates", [
      {
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    ]),
  );
  new kplus.Service(chart, `${name}-client`, {
    metadata: { name, labels },
    selector: statefulSet,
    ports,
  });
  new ApiObject(chart, `${name}-pdb`, {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
}

const pairs = Number.parseInt(process.argv[2], 10);
const outdir = process.argv[3];
if (!(pairs >= 0) || !outdir) {
  console.error("usage: node synth.js PAIRS OUT_DIR");
  process.exit(2);
}
const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
const chart = new Chart(app, "bench", { namespace: "default" });
for (let index = 0; index < pairs; index += 1) {
  pair(chart, `p${index}`);
}
app.synth();
