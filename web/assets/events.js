// Security events as a table with "Older" paging: the account page shows your own, the admin page the whole log.
import { getJson, leaveIfSignedOut, messageFor } from './api.js';
import { TEXT } from './text-events.js';
import { clearError, describeAgent, el, showError, timeEl, whileBusy } from './ui.js';

/** Every event type Latch records, in the words the pages show. */
export const EVENT_LABELS = TEXT.eventLabels;

const OUTCOME_BADGES = { failure: [TEXT.failed, 'bad'], refused: [TEXT.refused, 'warn'] };

function who(name, id) {
  if (name) {
    return el('span', { text: name });
  }
  return el('span', { class: 'muted', text: id === null || id === undefined ? '—' : `#${id}` });
}

function row(event, withSubject) {
  const outcome = OUTCOME_BADGES[String(event.outcome || '').toLowerCase()];
  const what = el('td', { class: 'wrap' },
    el('span', { text: EVENT_LABELS[event.type] || event.type }),
    outcome ? ' ' : null,
    outcome ? el('span', { class: `badge ${outcome[1]}`, text: outcome[0] }) : null);
  const from = el('td', { class: 'wrap' },
    el('span', { text: event.ip || '—' }),
    event.user_agent ? el('span', { class: 'sub', title: event.user_agent, text: describeAgent(event.user_agent) }) : null);
  return el('tr', { data: { eventId: String(event.id), type: event.type } },
    el('td', { class: 'nowrap' }, timeEl(event.at)),
    what,
    el('td', { class: 'wrap' }, who(event.actor_name, event.actor_id)),
    withSubject ? el('td', { class: 'wrap' }, who(event.subject_name, event.subject_id)) : null,
    from,
    el('td', { class: 'wrap' }, event.detail ? el('span', { text: event.detail }) : el('span', { class: 'muted', text: '—' })));
}

/**
 * Fills `body` (a tbody) page by page from `path` plus the query `params()` returns; the `older` button fetches the
 * next page and hides when there is none; `empty` shows when nothing matched.
 */
export class EventLog {
  constructor({ path, params = () => new URLSearchParams(), body, older, empty, error, withSubject = false, pageSize = 25 }) {
    Object.assign(this, { path, params, body, older, empty, error, withSubject, pageSize });
    this.cursor = null;
    this.generation = 0;
    older.addEventListener('click', () => whileBusy(older, TEXT.loading, () => this.page()));
  }

  /** Starts again from the newest event. */
  async reload() {
    this.generation += 1;
    this.cursor = null;
    this.body.replaceChildren();
    this.older.hidden = true;
    this.empty.hidden = true;
    await this.page();
  }

  async page() {
    const generation = this.generation;
    clearError(this.error);
    const query = this.params();
    query.set('limit', String(this.pageSize));
    if (this.cursor) {
      query.set('cursor', this.cursor);
    }
    let data;
    try {
      data = await getJson(`${this.path}?${query}`);
    } catch (e) {
      if (!leaveIfSignedOut(e)) {
        showError(this.error, messageFor(e));
      }
      return;
    }
    if (generation !== this.generation) {
      return; // a newer reload started while this page was on its way
    }
    this.body.append(...data.events.map((event) => row(event, this.withSubject)));
    this.cursor = data.next_cursor || null;
    this.older.hidden = !this.cursor;
    this.empty.hidden = this.body.children.length > 0;
  }
}
