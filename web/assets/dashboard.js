// The admin page's overview: counts, and the last day's sign-ins as a bar chart drawn here (SVG, no library).
import { api, fail, getJson } from './api.js';
import { TEXT } from './text-dashboard.js';
import { byId, clearError, el, formatHour, showStatus, timeEl, whileBusy } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';

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
    'aria-label': TEXT.chartLabel(total, failed, max) });
  root.append(svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  hours.forEach((h, i) => {
    const x = i * slot;
    const barWidth = Math.max(2, slot / 2 - 3);
    for (const [value, kind, offset] of [[h.succeeded, 'ok', 2], [h.failed, 'failed', slot / 2]]) {
      if (value > 0) {
        const bar = svg('rect', { x: x + offset, y: height - bottom - scale(value), width: barWidth, height: scale(value), class: kind });
        const title = svg('title');
        title.textContent = TEXT.barTitle(formatHour(h.hour), value, kind === 'ok');
        bar.append(title);
        root.append(bar);
      }
    }
    if (i % 6 === 0 || i === hours.length - 1) {
      // The last hour's label ends at the right edge: centred, it would be cut off there.
      const last = i === hours.length - 1;
      const label = svg('text', {
        x: last ? width : x + slot / 2, y: height - 6, 'text-anchor': last ? 'end' : 'middle', class: 'tick',
      });
      label.textContent = formatHour(h.hour);
      root.append(label);
    }
  });
  return root;
}

let showAudit = () => {};

/** `audit(username)` opens the audit log filtered to that person: the events around an alert. */
export function wireAlerts(audit) {
  showAudit = audit;
  byId('alerts-acknowledged').addEventListener('change', () => loadAlerts());
}

function alertItem(alert) {
  const what = el('strong', { text: TEXT.alertLabels[alert.kind] || alert.kind });
  const who = alert.username ? el('span', { text: TEXT.aboutUser(alert.username) }) : null;
  const times = alert.count > 1 ? TEXT.times(alert.count) : '';
  const item = el('li', { data: { alert: String(alert.id) } },
    el('div', { class: 'grow' }, what, who,
      el('div', { class: 'muted' }, alert.source ? TEXT.from(alert.source) : '', times, timeEl(alert.first_seen),
        alert.count > 1 ? TEXT.last : '', alert.count > 1 ? timeEl(alert.last_seen) : null),
      alert.detail ? el('div', { class: 'muted', text: alert.detail }) : null));
  if (alert.username) {
    const look = el('button', { type: 'button', class: 'ghost', text: TEXT.auditLog });
    look.addEventListener('click', () => showAudit(alert.username));
    item.append(look);
  }
  if (alert.state === 'open') {
    const ack = el('button', { type: 'button', class: 'secondary', text: TEXT.acknowledge });
    ack.addEventListener('click', async () => {
      await whileBusy(ack, TEXT.acknowledging, async () => {
        try {
          await api('POST', `/api/admin/alerts/${encodeURIComponent(alert.id)}/ack`);
          showStatus(byId('alerts-status'), TEXT.acknowledged);
          await Promise.all([loadAlerts(), loadFigures()]);
        } catch (e) {
          fail(byId('alerts-error'), e);
        }
      });
    });
    item.append(ack);
  }
  return item;
}

async function loadAlerts() {
  const error = byId('alerts-error');
  clearError(error);
  const state = byId('alerts-acknowledged').checked ? 'acknowledged' : 'open';
  try {
    const { alerts } = await getJson(`/api/admin/alerts?state=${state}`);
    byId('alerts-list').replaceChildren(...alerts.map(alertItem));
    byId('alerts-empty').textContent = state === 'open' ? TEXT.noOpenAlerts : TEXT.noAcknowledgedAlerts;
    byId('alerts-empty').hidden = alerts.length > 0;
  } catch (e) {
    fail(error, e);
  }
}

export async function loadOverview() {
  await Promise.all([loadFigures(), loadAlerts()]);
}

async function loadFigures() {
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
  byId('figure-users-note').textContent = TEXT.usersNote(number(o.users.enabled), number(o.users.admins), o.users.admins);
  byId('figure-sessions').textContent = number(o.active_sessions);
  byId('figure-tokens').textContent = number(o.active_client_tokens);
  byId('figure-limited').textContent = number(o.rate_limited);
  byId('figure-alerts').textContent = number(o.open_alerts);
  // The summary doubles as the chart's legend: each count in its bars' colour.
  byId('sign-ins-summary').replaceChildren(
    el('span', { class: 'key ok', text: TEXT.signedIn(number(o.sign_ins_succeeded)) }), ', ',
    el('span', { class: 'key failed', text: TEXT.failed(number(o.sign_ins_failed)) }), '.');
  byId('sign-ins-chart').replaceChildren(chart(o.sign_ins));
  byId('sign-ins-body').replaceChildren(...o.sign_ins.slice().reverse().map((h) => el('tr', {},
    el('td', {}, el('time', { datetime: h.hour, text: formatHour(h.hour) })),
    el('td', { text: String(h.succeeded) }), el('td', { text: String(h.failed) }))));
}
