// The admin overview's text (dashboard.js: figures, the sign-ins chart, alerts), for translators.

/** What each alert means, in the words an admin reads it in. */
const ALERT_LABELS = {
  write_token_replayed: 'A used netplay write token was presented again',
  refresh_token_reused: 'A replaced refresh token was used again (its grant was ended)',
  sign_in_failures_for_account: 'Many wrong passwords for one account',
  sign_in_failures_from_client: 'Many wrong passwords from one address',
  client_token_outside_networks: 'An API token was used from outside its networks',
  new_network: 'A sign-in from a network never seen for this person',
  unknown_issuer: 'A netplay token from an instance this one does not trust',
};

export const TEXT = Object.freeze({
  alertLabels: Object.freeze(ALERT_LABELS),
  chartLabel: (total, failed, max) => `Sign-ins in the last 24 hours: ${total} signed in, ${failed} failed; busiest hour ${max}.`,
  barTitle: (hour, value, ok) => `${hour}: ${value} ${ok ? 'signed in' : 'failed'}`,
  aboutUser: (username) => ` · ${username}`,
  times: (count) => `${count} times, first `,
  from: (source) => `from ${source} · `,
  last: ', last ',
  auditLog: 'Audit log',
  acknowledge: 'Acknowledge',
  acknowledging: 'Acknowledging…',
  acknowledged: 'Alert acknowledged.',
  noOpenAlerts: 'No open alerts.',
  noAcknowledgedAlerts: 'No acknowledged alerts.',
  usersNote: (enabled, admins, adminCount) => `${enabled} enabled, ${admins} admin${adminCount === 1 ? '' : 's'}`,
  signedIn: (n) => `${n} signed in`,
  failed: (n) => `${n} failed`,
});
