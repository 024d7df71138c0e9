// One colour per strategy, the same in every chart. Known strategies have fixed
// colours (Okabe-Ito, readable by colour-blind readers); anything else (an
// --external label, a strategy added later) takes the next colour of its own list.

const STRATEGY_COLOURS: Record<string, string> = {
  sequential: '#D55E00',
  'thread-per-client': '#0072B2',
  overlapped: '#009E73',
  'completion-routines': '#CC79A7',
  iocp: '#E69F00',
  'node-net': '#56B4E9',
};

const OTHER_COLOURS = ['#000000', '#7F7F7F', '#B8860B', '#2F4F4F', '#8B0000', '#4B0082'];

export type Palette = (name: string) => string;

/** A palette for the names of one run; unknown names get colours in the order given. */
export function paletteFor(names: string[]): Palette {
  const others = new Map<string, string>();
  for (const name of names) {
    if (STRATEGY_COLOURS[name] === undefined && !others.has(name)) others.set(name, OTHER_COLOURS[others.size % OTHER_COLOURS.length]);
  }
  return (name) => STRATEGY_COLOURS[name] ?? others.get(name) ?? OTHER_COLOURS[0];
}

/** `#RRGGBB` with an alpha, for fills. */
export function withAlpha(colour: string, alpha: number): string {
  const value = parseInt(colour.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
