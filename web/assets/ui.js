// Small DOM pieces shared by the pages: the error region, busy buttons, password reveal, the "ready" mark.

/** The element with this id, or a loud failure: a page whose markup and script disagree should not half-work. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) {
    throw new Error(`missing #${id}`);
  }
  return el;
}

/** Puts a message in the page's live region (role="alert"), which screen readers announce when it changes. */
export function showError(region, message) {
  region.textContent = message;
}

export function clearError(region) {
  region.textContent = '';
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
    field.toggleAttribute('aria-invalid', !valid);
    if (!valid && !first) {
      first = field;
    }
  }
  if (!first) {
    return null;
  }
  const label = first.labels && first.labels[0] ? first.labels[0].textContent.trim() : first.name;
  let message = `${label}: ${first.validationMessage}`;
  // The browser only says "match the requested format"; the field's own hint says what that format is.
  const hintId = first.getAttribute('aria-describedby');
  const hint = hintId ? document.getElementById(hintId) : null;
  if (first.validity.patternMismatch && hint) {
    message += ` ${hint.textContent.replace(/\s+/g, ' ').trim()}`;
  }
  return { field: first, message };
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
      button.textContent = show ? 'Hide' : 'Show';
      input.focus();
    });
  }
}

/** Marks the page as initialised; the browser tests wait for this, which also proves the module ran under the CSP. */
export function markReady() {
  document.documentElement.dataset.ready = 'true';
}
