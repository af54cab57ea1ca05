// `node scripts/check-kubernetes.mjs FILE…`: validates Kubernetes manifests against the Kubernetes API schemas
// (kubernetes-models, offline). Prints one JSON line: the kinds and names read, and every problem. ESM, as the
// package is; tests/project.test.ts runs it.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';

const MODELS = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Secret': Secret,
  'v1/Service': Service,
};
const read = [];
const problems = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) problems.push(`${file}: ${doc.errors[0].message}`);
    const object = doc.toJS();
    if (!object) continue;
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    read.push({ kind: object.kind, name: object.metadata?.name, object });
    if (!Model) {
      problems.push(`${file}: ${object.apiVersion} ${object.kind} is not a kind this check knows`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${file}: ${object.kind} ${object.metadata?.name}: ${error.message}`);
    }
  }
}
console.log(JSON.stringify({ read, problems }));
