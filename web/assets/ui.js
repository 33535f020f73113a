// Small DOM pieces shared by the pages: the error region, busy buttons, password reveal, the "ready" mark.
import { TEXT } from './text-common.js';

/** The element with this id, or a loud failure: a page whose markup and script disagree should not half-work. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) {
    throw new Error(`missing #${id}`);
  }
  return el;
}

/**
 * Puts a message in the page's live region (role="alert"), which screen readers announce when it changes. When the
 * person was working in the same part of the page (its form, list item or section), or focus was lost (a button is
 * disabled while busy), focus moves to the message, so the keyboard goes on from what went wrong; `refuse` then
 * moves it on to the field to fix.
 */
export function showError(region, message) {
  region.textContent = message;
  const active = document.activeElement;
  const part = region.closest('form, li, section, main');
  if (message && (!active || active === document.body || (part && part.contains(active)))) {
    region.tabIndex = -1;
    region.focus();
  }
}

export function clearError(region) {
  region.textContent = '';
}

function clearInvalid(event) {
  event.currentTarget.removeAttribute('aria-invalid');
}

/**
 * Marks a field as wrong (red, and "invalid" to screen readers) until it is next changed: a corrected field stops
 * looking wrong as soon as the person types in it, not only at the next submit.
 */
export function markInvalid(field) {
  field.setAttribute('aria-invalid', 'true');
  // One listener however often the field is refused: the same function is added only once.
  field.addEventListener('input', clearInvalid);
}

/** Shows `message` in `region` and puts the cursor in the field it is about, marked invalid for screen readers. */
export function refuse(region, field, message) {
  showError(region, message);
  markInvalid(field);
  field.focus();
}

/**
 * The first field that fails the browser's own checks (required, pattern, type), marked aria-invalid, with its
 * message; null when all pass. Forms use `novalidate` so every problem lands in the same announced region.
 */
export function firstInvalidField(form) {
  let first = null;
  for (const field of form.elements) {
    if (!(field instanceof HTMLInputElement)) {
      continue;
    }
    const valid = field.checkValidity();
    if (valid) {
      field.removeAttribute('aria-invalid');
    } else {
      markInvalid(field);
    }
    if (!valid && !first) {
      first = field;
    }
  }
  if (!first) {
    return null;
  }
  const label = first.labels && first.labels[0] ? first.labels[0].textContent.trim() : first.name;
  let message = TEXT.fieldProblem(label, first.validationMessage);
  // The browser only says "match the requested format"; the field's own hint says what that format is.
  const hintId = first.getAttribute('aria-describedby');
  const hint = hintId ? document.getElementById(hintId) : null;
  if (first.validity.patternMismatch && hint) {
    message += ` ${hint.textContent.replace(/\s+/g, ' ').trim()}`;
  }
  return { field: first, message };
}

/**
 * Refuses the first problem of a form that sets a password: a field failing the browser's checks, or a confirmation
 * that differs from `password`. True when it refused, so the caller stops.
 */
export function refuseNewPasswordForm(form, error, password, confirm) {
  const invalid = firstInvalidField(form);
  if (invalid) {
    refuse(error, invalid.field, invalid.message);
    return true;
  }
  if (password.value !== confirm.value) {
    refuse(error, confirm, TEXT.passwordsDiffer);
    return true;
  }
  return false;
}

/** Runs `work` with the button disabled and relabelled, so a double click cannot send a form twice. */
export async function whileBusy(button, busyLabel, work) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

/** Wires every `button[data-reveal]` to show or hide the password input it names. */
export function wirePasswordReveal(root = document) {
  for (const button of root.querySelectorAll('button[data-reveal]')) {
    const input = byId(button.dataset.reveal);
    button.setAttribute('aria-controls', input.id);
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
      button.textContent = show ? TEXT.hide : TEXT.show;
      input.focus();
    });
  }
}

/**
 * Gives every row of a `table.stack` what its narrow layout needs: each cell's data-label, copied from its column's
 * header (so the words live once, in the header; a header only screen readers see labels nothing), and the table
 * roles, which block layout makes some browsers drop. Cells that already have a label keep it.
 */
function labelStackedRows(root) {
  const rows = root.matches('tr') ? [root] : root.querySelectorAll('tr');
  for (const tr of rows) {
    const table = tr.closest('table.stack');
    if (!table || !table.tHead || tr.parentElement === table.tHead) {
      continue;
    }
    const headers = [...table.tHead.rows[0].cells];
    table.setAttribute('role', 'table');
    for (const group of [table.tHead, ...table.tBodies]) {
      group.setAttribute('role', 'rowgroup');
    }
    for (const tableRow of [table.tHead.rows[0], tr]) {
      tableRow.setAttribute('role', 'row');
    }
    headers.forEach((th) => th.setAttribute('role', 'columnheader'));
    [...tr.cells].forEach((td, i) => {
      td.setAttribute('role', 'cell');
      const header = headers[i];
      const seen = header && !header.querySelector('.visually-hidden') ? header.textContent.trim() : '';
      if (seen && !td.dataset.label) {
        td.dataset.label = seen;
      }
    });
  }
}

// Rows are rendered by every page's own script, at load and later: label them as they arrive (before they are drawn).
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node instanceof Element) {
        labelStackedRows(node);
      }
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true });

/**
 * Says, in `output` (a polite live region beside the field), how the length of the password typed in `input` compares
 * with the server's policy, `{ min, max }`, counted in characters as the server counts them: "5 of at least 8".
 */
export function wirePasswordLength(input, output, { min, max }) {
  const say = () => {
    const n = [...input.value].length;
    if (n === 0) {
      output.textContent = TEXT.passwordLength.empty(min);
    } else if (n < min) {
      output.textContent = TEXT.passwordLength.short(n, min);
    } else if (n > max) {
      output.textContent = TEXT.passwordLength.long(n, max);
    } else {
      output.textContent = TEXT.passwordLength.enough(n);
    }
  };
  input.addEventListener('input', say);
  // A form reset empties the field without an input event; the browser clears it just after this one.
  input.form?.addEventListener('reset', () => setTimeout(say, 0));
  say();
}

/**
 * Asks before an action that is hard to take back, in the page's modal `dialog`: its `[data-confirm="question"]` and
 * `[data-confirm="consequence"]` get the words, its `button[value="confirm"]` the action's name. Resolves true only
 * for that button; Cancel, Escape and a second ask while one is open are false. Focus starts on Cancel, so a
 * keystroke made in haste acts on nothing, and returns to the control that asked.
 */
export function askToConfirm(dialog, { question, consequence, confirm }) {
  if (dialog.open) {
    return Promise.resolve(false);
  }
  const asker = document.activeElement;
  dialog.querySelector('[data-confirm="question"]').textContent = question;
  dialog.querySelector('[data-confirm="consequence"]').textContent = consequence;
  dialog.querySelector('button[value="confirm"]').textContent = confirm;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.querySelector('button[value="cancel"]').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (asker instanceof HTMLElement && asker.isConnected) {
        asker.focus();
      }
      resolve(dialog.returnValue === 'confirm');
    }, { once: true });
  });
}

/** Marks the page as initialised; the browser tests wait for this, which also proves the module ran under the CSP. */
export function markReady() {
  document.documentElement.dataset.ready = 'true';
}

/** Puts a success note in a polite live region (role="status"); screen readers read it when they are idle. */
export function showStatus(region, message) {
  region.textContent = message;
}

/**
 * Builds an element without ever parsing HTML: `props.text` goes in as textContent, `props.class`, `props.data`
 * (dataset) and any other prop as an attribute; children are nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'text') {
      node.textContent = value;
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'data') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// Every date and time a page shows is formatted here, in the browser's locale and time zone (undefined = the reader's).
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const HOUR = new Intl.DateTimeFormat(undefined, { hour: 'numeric' });
const TIME_TO_SECOND = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** An instant (Date, milliseconds or ISO text) as a date and a time of day: "3 Mar 2025, 14:05". */
export const formatDateTime = (instant) => DATE_TIME.format(new Date(instant));
/** An instant to the second, for a hover title: what the short forms round away. */
export const formatExact = (instant) => EXACT.format(new Date(instant));
/** An instant's hour alone, for a chart's axis: "14" or "2 PM". */
export const formatHour = (instant) => HOUR.format(new Date(instant));
/** A time of day to the second, for what happens within a minute. */
export const formatTimeToSecond = (instant) => TIME_TO_SECOND.format(new Date(instant));
/** A distance from now in a unit: "in 9 minutes", "in 30 seconds". */
export const formatRelative = (value, unit) => RELATIVE.format(value, unit);

/** A `<time>` showing an ISO instant in the reader's own time zone, the exact instant on hover. */
export function timeEl(iso) {
  if (!iso) {
    return el('span', { class: 'muted', text: '—' });
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return el('span', { text: iso });
  }
  return el('time', { datetime: iso, title: EXACT.format(date), text: DATE_TIME.format(date) });
}

/** Like timeEl, but the date and the hour may take two lines in a narrow table. */
export function dayAndHour(iso) {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return timeEl(iso);
  }
  return el('time', { class: 'two-line', datetime: iso, title: EXACT.format(date) },
    el('span', { text: DAY.format(date) }), ' ', el('span', { text: TIME.format(date) }));
}

/** "Firefox on Windows" from a user agent string; good enough to recognise your own devices, never used for security. */
export function describeAgent(userAgent) {
  const ua = typeof userAgent === 'string' ? userAgent : '';
  if (!ua) {
    return TEXT.unknownDevice;
  }
  const browser = [
    [/Edg(A|iOS)?\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\/|FxiOS\//, 'Firefox'],
    [/Chrom(e|ium)\/|CriOS\//, 'Chrome'], [/Version\/[\d.]+.*Safari\//, 'Safari'],
  ].find(([pattern]) => pattern.test(ua));
  const os = [
    [/Windows/, 'Windows'], [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'], [/CrOS/, 'ChromeOS'],
    [/Mac OS X|Macintosh/, 'macOS'], [/Linux|X11/, 'Linux'],
  ].find(([pattern]) => pattern.test(ua));
  if (!browser) {
    // A program rather than a browser (curl, an SDK): its own first word says most.
    return ua.split(/[\s;(]/)[0].slice(0, 40) || TEXT.unknownDevice;
  }
  return os ? TEXT.browserOn(browser[1], os[1]) : browser[1];
}

/**
 * A destructive button that asks again instead of opening a dialog: the first click relabels it (`question`), a
 * second click within a few seconds runs `work`; moving focus away or waiting cancels.
 */
export function confirmTwice(button, question, work) {
  const label = button.textContent;
  let timer = null;
  const disarm = () => {
    clearTimeout(timer);
    timer = null;
    button.textContent = label;
    button.classList.remove('armed');
  };
  button.addEventListener('click', async () => {
    if (timer === null) {
      button.textContent = question;
      button.classList.add('armed');
      timer = setTimeout(disarm, 6000);
      return;
    }
    disarm();
    await work();
  });
  button.addEventListener('blur', disarm);
}
