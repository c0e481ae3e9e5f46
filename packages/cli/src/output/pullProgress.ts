import type { PullProgress } from '@signal/runtime';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatBytes } from './formatBytes';

/** Receives a pull's progress events; `finish` is called once, whether the pull worked or not. */
export interface PullProgressReporter {
  report(event: PullProgress): void;
  finish(): void;
}

/** Longest name shown in the name column; longer paths keep their end. */
const NAME_WIDTH = 32;

const column = (name: string, width: number) =>
  (name.length > width ? `…${name.slice(name.length - width + 1)}` : name).padEnd(width);

/**
 * Bars on a terminal (stderr), redrawn in place as huggingface-cli draws them: one line for
 * the whole pull (repository, bytes and files done) and one per file in flight (its path
 * and bytes), each file's line removed once it is verified.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): PullProgressReporter {
  const bars = new MultiBar(
    {
      stream,
      // Name, share and bytes first, so an 80-column terminal shows them whole.
      format: '{name} {percentage}%|{bar}| {bytes} {note}',
      barsize: 20,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    Presets.shades_classic,
  );
  const files = new Map<string, { bar: SingleBar; size: number; received: number }>();
  const sizes = new Map<string, number>();
  const cached = new Set<string>();
  let total: SingleBar | undefined;
  let width = 0;
  let repo = '';
  let done = 0;
  let totalBytes = 0;
  let filesDone = 0;
  let fileCount = 0;
  const totalPayload = () => ({
    name: column(repo, width),
    bytes: `${formatBytes(done)}/${formatBytes(totalBytes)}`,
    note: `${filesDone}/${fileCount} files`,
  });
  const drawTotal = () => total?.update(done, totalPayload());
  const fileBar = (path: string) => {
    let entry = files.get(path);
    if (!entry) {
      const size = sizes.get(path) ?? 0;
      const bar = bars.create(Math.max(size, 1), 0, {
        name: column(path, width),
        bytes: `${formatBytes(0)}/${formatBytes(size)}`,
        note: '',
      });
      entry = { bar, size, received: 0 };
      files.set(path, entry);
    }
    return entry;
  };
  return {
    report(event) {
      if (event.type === 'resolved') {
        repo = `${event.repo}@${event.commit.slice(0, 8)}`;
        width = Math.min(
          NAME_WIDTH,
          Math.max(repo.length, ...event.files.map((f) => f.path.length)),
        );
        totalBytes = event.totalBytes;
        done = event.cachedBytes;
        fileCount = event.files.length;
        filesDone = event.files.filter((f) => f.cached).length;
        for (const f of event.files) {
          sizes.set(f.path, f.size);
          if (f.cached) cached.add(f.path);
        }
        total = bars.create(Math.max(totalBytes, 1), done, totalPayload());
      } else if (!total) {
        return;
      } else if (event.type === 'bytes') {
        const entry = fileBar(event.path);
        entry.received += event.bytes;
        entry.bar.update(entry.received, {
          bytes: `${formatBytes(entry.received)}/${formatBytes(entry.size)}`,
          note: '',
        });
        done += event.bytes;
        drawTotal();
      } else if (event.type === 'waiting') {
        fileBar(event.path).bar.update({ note: 'waiting for another process' });
      } else if (event.type === 'file') {
        // Blobs in the cache at the start were counted then.
        if (cached.has(event.path)) return;
        filesDone++;
        const entry = files.get(event.path);
        if (entry) {
          entry.bar.stop();
          bars.remove(entry.bar);
          files.delete(event.path);
        }
        // A file another process finished was not counted byte by byte here.
        done += event.size - (entry?.received ?? 0);
        drawTotal();
      } else if (event.type === 'done') {
        done = totalBytes;
        filesDone = fileCount;
        drawTotal();
      }
    },
    finish() {
      // Nothing was drawn before the pull resolved: leave the terminal untouched.
      if (total) bars.stop();
    },
  };
}

/** JSON lines on stdout, one per event, for scripts and logs (byte events at most every 250 ms per file). */
export function jsonLinesProgress(write: (line: string) => void): PullProgressReporter {
  const last = new Map<string, number>();
  return {
    report(event) {
      if (event.type === 'bytes') {
        const now = Date.now();
        if (event.received < event.size && now - (last.get(event.path) ?? 0) < 250) return;
        last.set(event.path, now);
      }
      write(`${JSON.stringify(event)}\n`);
    },
    finish() {},
  };
}
