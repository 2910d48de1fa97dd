/**
 * Checks answers against functions/openapi.yaml: the route, method and status must be documented, the content type
 * must be the documented one, and the body must validate against the documented schema (ajv, JSON Schema 2020-12,
 * the dialect of OpenAPI 3.1).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import type { ApiResponse } from './api-harness.js';

const documentPath = fileURLToPath(new URL('../../../functions/openapi.yaml', import.meta.url));

interface MediaType {
  schema: unknown;
}
interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, MediaType> }> }>
  >;
  components: { responses: Record<string, { content: Record<string, MediaType> }>; schemas: Record<string, unknown> };
}

export const openApi = parse(readFileSync(documentPath, 'utf8')) as OpenApi;

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
ajv.addSchema({ $id: 'openapi', components: openApi.components });

/** `$ref: '#/components/...'` → a reference into the registered document. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? `openapi${value}` : rebase(value),
    ]),
  );
}

/** The route template of a concrete path (`/certificates/abc/renew` → `/certificates/{id}/renew`). */
export function templateOf(path: string): string {
  for (const template of Object.keys(openApi.paths)) {
    const pattern = new RegExp(`^${template.replace('{id}', '[^/]+')}$`);
    if (pattern.test(path)) return template;
  }
  return path;
}

/** Problems found, empty when the answer matches the document. */
export function openApiMismatches(method: string, path: string, response: ApiResponse): string[] {
  const template = templateOf(path);
  const operations = openApi.paths[template];
  if (operations === undefined) {
    // Unknown paths never reach a handler behind API Gateway; the router still answers a documented Problem.
    return validate('#/components/schemas/Problem', response);
  }
  const operation = operations[method.toLowerCase()];
  if (operation === undefined) {
    if (response.status !== 405) return [`${method} ${template} is not documented, yet answered ${response.status}`];
    return validate('#/components/schemas/Problem', response);
  }
  const documented = operation.responses[String(response.status)];
  if (documented === undefined) return [`${method} ${template}: status ${response.status} is not documented`];
  const content =
    documented.$ref === undefined
      ? documented.content
      : openApi.components.responses[documented.$ref.split('/').at(-1) ?? '']?.content;
  const contentType = response.headers['content-type'] ?? '';
  const media = content?.[contentType];
  if (media === undefined)
    return [`${method} ${template} ${response.status}: content type ${contentType} is not documented`];
  return validateSchema(media.schema, response);
}

function validate(ref: string, response: ApiResponse): string[] {
  return validateSchema({ $ref: ref }, response);
}

function validateSchema(schema: unknown, response: ApiResponse): string[] {
  const check = ajv.compile(rebase(schema) as object);
  if (check(response.body)) return [];
  return (check.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
