import type { KubernetesObject } from '@portcullis/gateway';
import { buildEnvoyResources, createSnapshot, encodeResources, translate } from '@portcullis/gateway';
import { testCertificate } from '../packages/gateway/src/model/test-certificates.js';
const { certificatePem, keyPem } = await testCertificate('bench');
const crt = Buffer.from(certificatePem).toString('base64'); const key = Buffer.from(keyPem).toString('base64');
const objects: KubernetesObject[] = [{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'portcullis' }, spec: { controller: 'portcullis.dev/ingress-controller' } }];
for (let i = 0; i < 5000; i++) { const host = `h${i}.b.example.com`; const md = (name: string) => ({ name, namespace: 'bench', generation: 1 });
objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: md(`h${i}`), spec: { ingressClassName: 'portcullis', tls: [{ hosts: [host], secretName: `h${i}-tls` }], rules: [{ host, http: { paths: ['/', '/api', '/static'].map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: `svc${i}`, port: { number: 80 } } } })) } }] } },
 { apiVersion: 'v1', kind: 'Secret', metadata: md(`h${i}-tls`), type: 'kubernetes.io/tls', data: { 'tls.crt': crt, 'tls.key': key } },
 { apiVersion: 'v1', kind: 'Service', metadata: md(`svc${i}`), spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
 { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...md(`svc${i}-1`), labels: { 'kubernetes.io/service-name': `svc${i}` } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }], endpoints: [{ addresses: [`10.0.${(i >> 8) & 255}.${i & 255}`], conditions: { ready: true } }] });
}
const { model } = translate(createSnapshot(objects));
for (let k = 0; k < 6; k++) { const t0 = performance.now(); const r = buildEnvoyResources(model); const t1 = performance.now(); encodeResources(r); const t2 = performance.now(); console.log('build', (t1 - t0).toFixed(0), 'encode', (t2 - t1).toFixed(0)); }
