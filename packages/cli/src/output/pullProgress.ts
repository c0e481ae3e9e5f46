import type { PullProgress } from '@signal/runtime';
import { Presets, SingleBar } from 'cli-progress';

/** Receives a pull's progress events; `finish` is called once, whether the pull worked or not. */
export interface PullProgressReporter {
  report(event: PullProgress): void;
  finish(): void;
}

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** One bar over the pull's bytes on a terminal (stderr), as huggingface-cli draws one. */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): PullProgressReporter {
  const bar = new SingleBar(
    {
      stream,
      format: '{repo} |{bar}| {percentage}% {doneMiB}/{totalMiB} MiB {files}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let done = 0;
  let total = 0;
  let filesDone = 0;
  let files = 0;
  let repo = '';
  let started = false;
  const payload = () => ({
    repo,
    doneMiB: mib(done),
    totalMiB: mib(total),
    files: `${filesDone}/${files} files`,
  });
  return {
    report(event) {
      if (event.type === 'resolved') {
        repo = `${event.repo}@${event.commit.slice(0, 8)}`;
        total = event.totalBytes;
        done = event.cachedBytes;
        files = event.files.length;
        filesDone = event.files.filter((f) => f.cached).length;
        bar.start(Math.max(total, 1), done, payload());
        started = true;
      } else if (started && event.type === 'bytes') {
        done += event.bytes;
        bar.update(done, payload());
      } else if (started && event.type === 'file') {
        if (event.downloaded > 0) filesDone++;
        bar.update(done, payload());
      }
    },
    finish() {
      if (started) bar.stop();
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
