// The admin page's overview: counts, and the last day's sign-ins as a bar chart drawn here (SVG, no library).
import { fail, getJson } from './api.js';
import { byId, clearError, el } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const HOUR = new Intl.DateTimeFormat(undefined, { hour: 'numeric' });

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, String(value));
  }
  return node;
}

function number(n) {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

/** Two bars an hour (signed in, failed) on a shared scale, labelled every sixth hour. */
function chart(hours) {
  const width = 720;
  const height = 180;
  const top = 10;
  const bottom = 24;
  const slot = width / hours.length;
  const max = Math.max(1, ...hours.map((h) => Math.max(h.succeeded, h.failed)));
  const scale = (n) => ((height - top - bottom) * n) / max;
  const total = hours.reduce((s, h) => s + h.succeeded, 0);
  const failed = hours.reduce((s, h) => s + h.failed, 0);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'bars',
    'aria-label': `Sign-ins in the last 24 hours: ${total} signed in, ${failed} failed; busiest hour ${max}.` });
  root.append(svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  hours.forEach((h, i) => {
    const x = i * slot;
    const barWidth = Math.max(2, slot / 2 - 3);
    for (const [value, kind, offset] of [[h.succeeded, 'ok', 2], [h.failed, 'failed', slot / 2]]) {
      if (value > 0) {
        const bar = svg('rect', { x: x + offset, y: height - bottom - scale(value), width: barWidth, height: scale(value), class: kind });
        const title = svg('title');
        title.textContent = `${HOUR.format(new Date(h.hour))}: ${value} ${kind === 'ok' ? 'signed in' : 'failed'}`;
        bar.append(title);
        root.append(bar);
      }
    }
    if (i % 6 === 0 || i === hours.length - 1) {
      const label = svg('text', { x: x + slot / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' });
      label.textContent = HOUR.format(new Date(h.hour));
      root.append(label);
    }
  });
  return root;
}

export async function loadOverview() {
  const error = byId('overview-error');
  clearError(error);
  let o;
  try {
    o = await getJson('/api/admin/dashboard');
  } catch (e) {
    fail(error, e);
    return;
  }
  byId('figure-users').textContent = number(o.users.total);
  byId('figure-users-note').textContent = `${number(o.users.enabled)} enabled, ${number(o.users.admins)} admin${o.users.admins === 1 ? '' : 's'}`;
  byId('figure-sessions').textContent = number(o.active_sessions);
  byId('figure-tokens').textContent = number(o.active_client_tokens);
  byId('figure-limited').textContent = number(o.rate_limited);
  byId('figure-alerts').textContent = number(o.open_alerts);
  // The summary doubles as the chart's legend: each count in its bars' colour.
  byId('sign-ins-summary').replaceChildren(
    el('span', { class: 'key ok', text: `${number(o.sign_ins_succeeded)} signed in` }), ', ',
    el('span', { class: 'key failed', text: `${number(o.sign_ins_failed)} failed` }), '.');
  byId('sign-ins-chart').replaceChildren(chart(o.sign_ins));
  byId('sign-ins-body').replaceChildren(...o.sign_ins.slice().reverse().map((h) => el('tr', {},
    el('td', {}, el('time', { datetime: h.hour, text: HOUR.format(new Date(h.hour)) })),
    el('td', { text: String(h.succeeded) }), el('td', { text: String(h.failed) }))));
}
