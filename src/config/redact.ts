/** Scrubbing secrets out of any text before it leaves the process. */

const TOKEN_SHAPE = /\d{5,20}(?::|%3A)[A-Za-z0-9_-]{30,100}/g;

/** Builds a function that replaces every secret (and anything shaped like a bot token) with `[redacted]`. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)]))]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const needle of needles) {
      if (out.includes(needle)) out = out.split(needle).join('[redacted]');
    }
    return out.replace(TOKEN_SHAPE, '[redacted]');
  };
}
