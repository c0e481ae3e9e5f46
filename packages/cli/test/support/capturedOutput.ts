/**
 * The commands print to the real process streams, as the binary does; this records stdout
 * during each test of the calling file (and silences stderr). `text()` returns everything
 * printed since the last read and clears it; `json()` parses that as one JSON document.
 */
export function captureOutput() {
  let printed: string[] = [];
  beforeEach(() => {
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());
  const text = (): string => {
    const all = printed.join('');
    printed = [];
    return all;
  };
  return { text, json: () => JSON.parse(text()) };
}
