/** A waiting job as the queue orders it. */
export interface Queued {
  readonly lane: string;
  readonly priority: number;
  readonly seq: number;
}

/**
 * Jobs waiting for a worker, one bounded queue per lane (a model), higher priority first
 * and first come, first served among equals. `next` takes the best head across lanes.
 */
export class LaneQueue<Job extends Queued> {
  private readonly lanes = new Map<string, Job[]>();

  constructor(readonly capacity: number) {}

  get size(): number {
    let size = 0;
    for (const jobs of this.lanes.values()) size += jobs.length;
    return size;
  }

  waiting(lane: string): number {
    return this.lanes.get(lane)?.length ?? 0;
  }

  /** Queued counts by lane, for stats. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.lanes].map(([lane, jobs]) => [lane, jobs.length]));
  }

  /** Adds a job; false when its lane is full. */
  push(job: Job): boolean {
    const jobs = this.lanes.get(job.lane) ?? [];
    if (jobs.length >= this.capacity) return false;
    let at = jobs.length;
    while (at > 0 && before(job, jobs[at - 1]!)) at--;
    jobs.splice(at, 0, job);
    this.lanes.set(job.lane, jobs);
    return true;
  }

  /** Removes a job that no longer wants to run; false if it was not waiting. */
  remove(job: Job): boolean {
    const jobs = this.lanes.get(job.lane);
    const index = jobs?.indexOf(job) ?? -1;
    if (!jobs || index < 0) return false;
    jobs.splice(index, 1);
    if (jobs.length === 0) this.lanes.delete(job.lane);
    return true;
  }

  /** Takes the job that should run next, or undefined when nothing waits. */
  next(): Job | undefined {
    let best: Job | undefined;
    for (const jobs of this.lanes.values()) {
      const head = jobs[0];
      if (head && (!best || before(head, best))) best = head;
    }
    if (best) this.remove(best);
    return best;
  }

  /** Empties every lane and returns what was waiting. */
  drain(): Job[] {
    const all = [...this.lanes.values()].flat();
    this.lanes.clear();
    return all;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}
