/**
 * A case-insensitive key → the projects it is found in. Names are unique per project, not across projects, so a
 * name may map to several; most map to one, kept as a bare string (no array per key: 9,000 keys stay small).
 */
export class ProjectKeys {
  private readonly map = new Map<string, string | string[]>();

  get size(): number {
    return this.map.size;
  }

  projects(key: string): readonly string[] {
    const found = this.map.get(key.toLowerCase());
    return found === undefined ? [] : typeof found === 'string' ? [found] : found;
  }

  add(key: string, project: string): void {
    const k = key.toLowerCase();
    const found = this.map.get(k);
    if (found === undefined) this.map.set(k, project);
    else if (typeof found === 'string') {
      if (found !== project) this.map.set(k, [found, project]);
    } else if (!found.includes(project)) found.push(project);
  }

  remove(key: string, project: string): void {
    const k = key.toLowerCase();
    const found = this.map.get(k);
    if (found === undefined) return;
    if (typeof found === 'string') {
      if (found === project) this.map.delete(k);
      return;
    }
    const rest = found.filter((p) => p !== project);
    if (rest.length === 0) this.map.delete(k);
    else this.map.set(k, rest.length === 1 ? (rest[0] as string) : rest);
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }
}
