/**
 * A minimal HTTP client for tests that assert the test API server's wire behaviour exactly (status codes, Status
 * bodies, watch lines) — things `@kubernetes/client-node` hides behind exceptions and caches.
 */
export interface RawResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields of Kubernetes responses
  body: any;
}

export function rawClient(baseUrl: string, token?: string) {
  const headers = (contentType?: string): Record<string, string> => ({
    ...(contentType ? { 'Content-Type': contentType } : {}),
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    'User-Agent': 'raw-client/1.0',
  });
  return {
    async request(
      method: string,
      path: string,
      body?: unknown,
      contentType = 'application/json',
    ): Promise<RawResponse> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: headers(body === undefined ? undefined : contentType),
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // plain-text answers (healthz) stay strings
      }
      return { status: response.status, body: parsed };
    },

    /**
     * Opens a watch (resolves once the server answered with headers) and reads its events in the background;
     * `until` waits for the collected events to satisfy a predicate, or for the stream to end.
     */
    async openWatch(path: string): Promise<OpenedWatch> {
      const controller = new AbortController();
      const response = await fetch(`${baseUrl}${path}`, { headers: headers(), signal: controller.signal });
      const events: WatchEvent[] = [];
      let ended = false;
      let wake: () => void = () => {};
      const pump = async () => {
        const decoder = new TextDecoder();
        let buffered = '';
        try {
          for await (const chunk of response.body ?? []) {
            buffered += decoder.decode(chunk, { stream: true });
            for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
              events.push(JSON.parse(buffered.slice(0, i)));
              buffered = buffered.slice(i + 1);
            }
            wake();
          }
        } catch {
          // aborted by close()
        } finally {
          ended = true;
          wake();
        }
      };
      void pump();
      return {
        status: response.status,
        async until(predicate) {
          while (!predicate(events) && !ended) await new Promise<void>((resolve) => (wake = resolve));
          return [...events];
        },
        get ended() {
          return ended;
        },
        close: () => controller.abort(),
      };
    },
  };
}

export interface WatchEvent {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields of Kubernetes objects
  object: any;
}

export interface OpenedWatch {
  status: number;
  until(predicate: (events: readonly WatchEvent[]) => boolean): Promise<WatchEvent[]>;
  readonly ended: boolean;
  close(): void;
}

export type RawClient = ReturnType<typeof rawClient>;
