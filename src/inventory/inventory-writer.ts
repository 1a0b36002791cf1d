/**
 * Writes changed projects of the inventory to the Store behind the reads that changed them: a person's `list`
 * never waits on the Store, a burst of changes to one project is one save, and a failed save is logged and tried
 * again with the project's next change (the memory stays right meanwhile). `flush()` waits for what is queued
 * (shutdown, tests).
 */
import type { Logger } from '../logging';
import type { InventoryStore, ProjectSlice, SaveOutcome } from './inventory-store';

export interface WriterSource {
  /** The project as it is now in memory; undefined when it was forgotten (its stored copy goes). */
  slice(projectKey: string): ProjectSlice | undefined;
  /** Another instance stored a newer list of this project: take it. */
  adopt(stored: ProjectSlice): void;
}

export class InventoryWriter {
  private readonly dirty = new Set<string>();
  private writing: Promise<void> | undefined;

  constructor(private readonly stored: InventoryStore, private readonly source: WriterSource, private readonly logger: Logger) {}

  /** Whether a change of this project is waiting to be saved (a stored copy must not replace it). */
  pending(projectKey: string): boolean {
    return this.dirty.has(projectKey);
  }

  changed(projectKey: string): void {
    this.dirty.add(projectKey);
    this.schedule();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private schedule(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.dirty.size > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    // Let the rest of a burst (a refresh lists projects one after another) mark its projects first.
    await Promise.resolve();
    for (const key of this.dirty) {
      this.dirty.delete(key);
      await this.write(key);
    }
  }

  private async write(key: string): Promise<void> {
    const slice = this.source.slice(key);
    try {
      if (!slice) return await this.stored.remove(key);
      const outcome: SaveOutcome = await this.stored.save(slice);
      if (outcome.kind === 'newer' && !this.dirty.has(key)) this.source.adopt(outcome.stored);
    } catch (error) {
      this.logger.warn({ err: error, project: slice?.projectName ?? key }, 'inventory: a project could not be saved; kept in memory, saved again with its next change');
    }
  }
}
