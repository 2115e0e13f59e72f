/**
 * Output prefixes: `dashboard | <line>`, names padded to one width, and
 * coloured on a terminal (cyan dashboard, magenta bot).
 */

/** ANSI foreground colours by child name; other names take the palette in order. */
const NAMED_COLOURS: Readonly<Record<string, number>> = Object.freeze({ dashboard: 36, bot: 35 });
const PALETTE: readonly number[] = [33, 32, 34, 31];

/** Turns a child's name and one of its lines into one output line ending in '\n'. */
export type LineFormatter = (name: string, line: string) => string;

/** A formatter for these child names, padding each name to the longest. */
export function createLineFormatter(names: readonly string[], color: boolean): LineFormatter {
  const width = Math.max(0, ...names.map((name) => name.length));
  const prefixes = new Map<string, string>();
  names.forEach((name, index) => {
    const plain = `${name.padEnd(width)} |`;
    const colour = NAMED_COLOURS[name] ?? PALETTE[index % PALETTE.length];
    prefixes.set(name, color ? `\u001b[${colour}m${plain}\u001b[39m` : plain);
  });
  return (name, line) => `${prefixes.get(name) ?? `${name} |`} ${line}\n`;
}
