import type { DomainRecord, RecordRead, SystemConnector } from '../connectors/system-connector';

interface QueuedRead {
  readonly read: RecordRead;
  /** How the read is sent when it has the wave to itself. */
  readonly alone: () => Promise<DomainRecord[]>;
  readonly resolve: (records: DomainRecord[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The reads one system's loaders send in one wave, in one statement: the batch functions of a wave
 * are called one after another without yielding (see BatchWaves), so the reads they queue are all
 * there when a microtask runs, and go together (`readTogether`). A read alone goes as it would
 * have without this.
 */
export class WaveReads {
  private queued: QueuedRead[] = [];

  constructor(private readonly connector: SystemConnector) {}

  read(read: RecordRead, alone: () => Promise<DomainRecord[]>): Promise<DomainRecord[]> {
    return new Promise((resolve, reject) => {
      if (this.queued.push({ read, alone, resolve, reject }) === 1) queueMicrotask(() => void this.send());
    });
  }

  private async send(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    try {
      const results = queued.length === 1 ? [await queued[0]!.alone()] : await this.connector.readTogether(queued.map(({ read }) => read));
      queued.forEach(({ resolve }, index) => resolve(results[index]!));
    } catch (error) {
      for (const { reject } of queued) reject(error);
    }
  }
}
