// The launcher's built-in icons, drawn here as inline SVG so they take the page's colours in light and dark themes.
// The names are the ones Latch accepts for an app's "icon" (AppsService.SYMBOLS); each is a list of path outlines
// on a 24 by 24 grid, stroked, never filled.

const SVG = 'http://www.w3.org/2000/svg';

export const SYMBOLS = {
  film: ['M4 4h16v16H4z', 'M8 4v16', 'M16 4v16', 'M4 8h4', 'M4 12h4', 'M4 16h4', 'M16 8h4', 'M16 12h4', 'M16 16h4'],
  music: ['M9 18V5l11-2v13', 'M9 18a3 3 0 1 1-6 0a3 3 0 1 1 6 0z', 'M20 16a3 3 0 1 1-6 0a3 3 0 1 1 6 0z'],
  photo: ['M3 5h18v14H3z', 'M10 9.5a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0z', 'M21 15l-5-5-9 9'],
  game: ['M7 8h10a5 5 0 0 1 0 10c-1.5 0-2.5-1-3-2h-4c-.5 1-1.5 2-3 2a5 5 0 0 1 0-10z', 'M7 11v4', 'M5 13h4',
    'M15.5 12h.01', 'M17.5 14h.01'],
  book: ['M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3z', 'M21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z'],
  home: ['M3 11l9-8 9 8', 'M5 9.5V20h5v-6h4v6h5V9.5'],
  chart: ['M4 4v16h16', 'M8 16v-5', 'M12 16V8', 'M16 16v-3'],
  files: ['M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z'],
  chat: ['M4 5h16v11H9l-5 4z', 'M8 9h8', 'M8 12h5'],
  link: ['M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1', 'M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1'],
};

/** The symbol `name` as an `<svg>` for decoration (hidden from screen readers: the app's name says what it is). */
export function symbolIcon(name, className = 'symbol') {
  const root = document.createElementNS(SVG, 'svg');
  for (const [key, value] of Object.entries({
    viewBox: '0 0 24 24', class: className, 'aria-hidden': 'true', focusable: 'false', fill: 'none',
    stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })) {
    root.setAttribute(key, value);
  }
  for (const d of SYMBOLS[name] || SYMBOLS.link) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    root.append(path);
  }
  return root;
}
