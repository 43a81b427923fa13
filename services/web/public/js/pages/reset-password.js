/**
 * Sets a new password with the link a reset mail carries: `#/reset-password?token=<token>` (the
 * token stays in the fragment, so it never reaches a server log or a Referer).
 */
import { ApiError, api } from '../api.js';
import { field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { t } from '../i18n.js';

/** @param {string} id @param {string} describedBy @param {string} name */
const passwordInput = (id, describedBy, name) =>
  h('input', {
    id,
    name,
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: 10,
    'aria-describedby': describedBy,
  });

/** @param {import('../app.js').PageCtx} ctx */
export default function resetPasswordPage({ main, query }) {
  const token = query.get('token') ?? '';
  const askAgain = h('p', null, h('a', { href: '#/forgot-password' }, t('reset.again')));
  if (token.length < 20) {
    mount(main, h('h1', null, t('reset.title')), h('p', { class: 'error' }, t('reset.missing')), askAgain);
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
        const password = String(data.get('password') ?? '');
        if (password !== String(data.get('confirm') ?? '')) {
          showErrors(
            form,
            new ApiError(400, { errors: [{ path: 'confirm', message: t('reset.mismatch') }] }),
          );
          return;
        }
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          const done = await api(`/api/profiles/password-resets/${encodeURIComponent(token)}`, {
            body: { password },
          });
          mount(
            main,
            h('h1', null, t('reset.title')),
            h('p', { class: 'notice', role: 'status', 'data-state': 'done' }, t('reset.done')),
            h(
              'p',
              null,
              h('a', { href: `#/signin?email=${encodeURIComponent(done.email)}` }, t('signin.submit')),
            ),
          );
          announce(t('reset.done'));
        } catch (err) {
          const gone = err instanceof ApiError && (err.status === 404 || err.status === 410);
          showErrors(form, gone ? new ApiError(err.status, { detail: t('reset.gone') }) : err);
          if (gone) form.after(askAgain);
          button.disabled = false;
        }
      },
    },
    field(
      { label: t('reset.password'), path: 'password', hint: t('password.hint'), required: true },
      (id, d) => passwordInput(id, d, 'password'),
    ),
    field({ label: t('reset.confirm'), path: 'confirm', required: true }, (id, d) =>
      passwordInput(id, d, 'confirm'),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('reset.submit')),
  );
  mount(main, h('h1', null, t('reset.title')), h('p', { class: 'lead' }, t('reset.lead')), form);
}
