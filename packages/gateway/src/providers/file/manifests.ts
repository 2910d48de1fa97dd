/**
 * Parses a YAML manifest file (many documents, `---` separated, `kind: List` expanded) into Kubernetes objects. A
 * document with a syntax error is skipped and reported with the file name, line and column; the other documents of
 * the file still count, so one typo never takes the rest of the configuration down.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../sources/types.js';

/** One problem in one manifest file. `line` and `column` are 1-based. */
export interface ManifestProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedManifests {
  readonly objects: KubernetesObject[];
  readonly problems: ManifestProblem[];
}

export function parseManifests(text: string, file: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const objects: KubernetesObject[] = [];
  const problems: ManifestProblem[] = [];
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  // A stream that is not even a document list (e.g. a stray flow marker) comes back as a single EmptyStream-like value.
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    // The document's own range starts at its `---` marker; its contents start where the object does.
    const start = lineCounter.linePos(document.contents?.range?.[0] ?? document.range?.[0] ?? 0);
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        const position = error.linePos?.[0] ?? start;
        problems.push({ file, line: position.line, column: position.col, message: firstLine(error.message) });
      }
      continue;
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const report = (message: string) => problems.push({ file, line: start.line, column: start.col, message });
    if (!isObject(value)) {
      report('document is not a Kubernetes object (expected a mapping)');
      continue;
    }
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      for (const item of value.items) {
        if (isObject(item) && typeof item.apiVersion === 'string' && typeof item.kind === 'string') objects.push(item);
        else report(`${value.kind} item is not a Kubernetes object (needs apiVersion and kind)`);
      }
      continue;
    }
    if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      report('document is not a Kubernetes object (needs apiVersion and kind)');
      continue;
    }
    objects.push(value);
  }
  return { objects, problems };
}

function isObject(value: unknown): value is KubernetesObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** yaml's pretty errors append a source excerpt after the first line; the excerpt could quote secret data. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:\s*$/, '');
}
