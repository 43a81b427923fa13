/**
 * Joins an organisation with the link an invitation mail carries: `#/invitation?token=<token>`.
 * The account gets the invited address and the language the page is shown in.
 */
import { ApiError, api } from '../api.js';
import { field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { lang, t } from '../i18n.js';

/** @param {import('../app.js').PageCtx} ctx */
export default function invitationPage({ main, query }) {
  const token = query.get('token') ?? '';
  if (token.length < 20) {
    mount(main, h('h1', null, t('invitation.title')), h('p', { class: 'error' }, t('invitation.missing')));
    return;
  }
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          const joined = await api(`/api/profiles/invitations/${encodeURIComponent(token)}/accept`, {
            body: {
              name: String(data.get('name') ?? ''),
              password: String(data.get('password') ?? ''),
              language: lang(),
            },
          });
          // A member joins an organisation; a coordinator the admin invited starts (same page).
          const email = (joined.member ?? joined.coordinator).email;
          mount(
            main,
            h('h1', null, t('invitation.title')),
            h(
              'p',
              { class: 'notice', role: 'status', 'data-state': 'done' },
              t('invitation.done', { email }),
            ),
            h('p', null, h('a', { href: `#/signin?email=${encodeURIComponent(email)}` }, t('signin.submit'))),
          );
          announce(t('invitation.done', { email }));
        } catch (err) {
          /** @type {Record<number, string>} */
          const refusals = {
            404: t('invitation.unknown'),
            409: t('invitation.taken'),
            410: t('invitation.gone'),
          };
          // A withdrawn invitation is a 410 too: the service's detail says which (issue 15).
          if (err instanceof ApiError && err.status === 410 && /withdrawn/.test(err.message))
            refusals[410] = t('admin.inv.withdrawnLink');
          const known = err instanceof ApiError ? refusals[err.status] : undefined;
          showErrors(
            form,
            known ? new ApiError(/** @type {ApiError} */ (err).status, { detail: known }) : err,
          );
          button.disabled = false;
        }
      },
    },
    field({ label: t('invitation.name'), path: 'name', required: true }, (id, describedBy) =>
      h('input', { id, name: 'name', autocomplete: 'name', required: true, 'aria-describedby': describedBy }),
    ),
    field(
      { label: t('signin.password'), path: 'password', hint: t('password.hint'), required: true },
      (id, d) =>
        h('input', {
          id,
          name: 'password',
          type: 'password',
          autocomplete: 'new-password',
          required: true,
          minlength: 10,
          'aria-describedby': d,
        }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('invitation.submit')),
  );
  mount(main, h('h1', null, t('invitation.title')), h('p', { class: 'lead' }, t('invitation.lead')), form);
}
