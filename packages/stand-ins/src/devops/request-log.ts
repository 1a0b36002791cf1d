/** Every request the emulator saw, for tests to assert on. The Authorization header is never kept. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  headers: Record<string, string>;
}

export interface RequestLog {
  entries(): RecordedRequest[];
  clear(): void;
}

export class MemoryRequestLog implements RequestLog {
  private list: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    const headers = Object.fromEntries(Object.entries(entry.headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    this.list.push({ ...entry, headers });
  }

  entries(): RecordedRequest[] {
    return this.list.map((e) => structuredClone(e));
  }

  clear(): void {
    this.list = [];
  }
}
