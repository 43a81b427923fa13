/**
 * Where each notice leads in the web app (its hash routes, services/web/public/js/app.js). One
 * link per notice; the base (WEB_URL) is put in front when the mail is rendered.
 */
export const links = {
  organisation: () => '/#/organisation',
  proposal: (id: string) => `/#/proposals?id=${encodeURIComponent(id)}`,
  /** A partnership on the follow-up page (its periods, the report form, the comments). */
  partnership: (id: string) => `/#/partnerships?id=${encodeURIComponent(id)}`,
  postings: () => '/#/postings',
  dashboard: () => '/#/dashboard',
  review: () => '/#/review',
  /** Pages of the invitation and reset flows (profiles' tokens travel in the fragment, never to a server log). */
  invitation: (token: string) => `/#/invitation?token=${encodeURIComponent(token)}`,
  passwordReset: (token: string) => `/#/reset-password?token=${encodeURIComponent(token)}`,
  notifications: () => '/#/notifications',
  preferences: () => '/#/notifications?tab=preferences',
} as const;

/** The absolute address of a link of the web app. */
export const absolute = (webUrl: string, path: string): string => `${webUrl.replace(/\/+$/, '')}${path}`;
