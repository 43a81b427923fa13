/** Asks for a link to set a new password; the answer is the same whether or not the address has an account. */
import { ApiError, api } from '../api.js';
import { field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { lang, plural, t } from '../i18n.js';

/**
 * A sentence for a refusal of a reset page's request: too many requests (with the wait), else
 * what the form shows for any error.
 * @param {unknown} err
 */
export function tooManyText(err) {
  if (!(err instanceof ApiError) || err.status !== 429) return null;
  const seconds = Number(/** @type {any} */ (err.problem).retryAfterSeconds ?? 3600);
  return plural('forgot.tooMany', Math.max(1, Math.ceil(seconds / 60)));
}

/** @param {import('../app.js').PageCtx} ctx */
export default function forgotPasswordPage({ main, query }) {
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const email = String(new FormData(/** @type {HTMLFormElement} */ (form)).get('email') ?? '').trim();
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          await api('/api/profiles/password-resets', { body: { email, language: lang() } });
          mount(
            main,
            h('h1', null, t('forgot.title')),
            h('p', { class: 'notice', role: 'status', 'data-state': 'sent' }, t('forgot.sent')),
            h('p', null, h('a', { href: '#/signin' }, t('forgot.back'))),
          );
          announce(t('forgot.sent'));
        } catch (err) {
          const tooMany = tooManyText(err);
          showErrors(form, tooMany ? new ApiError(429, { detail: tooMany }) : err);
          button.disabled = false;
        }
      },
    },
    field({ label: t('signin.email'), path: 'email', required: true }, (id, describedBy) =>
      h('input', {
        id,
        name: 'email',
        type: 'email',
        autocomplete: 'username',
        required: true,
        value: query.get('email') ?? '',
        'aria-describedby': describedBy,
      }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('forgot.submit')),
  );
  mount(
    main,
    h('h1', null, t('forgot.title')),
    h('p', { class: 'lead' }, t('forgot.lead')),
    form,
    h('p', null, h('a', { href: '#/signin' }, t('forgot.back'))),
  );
}
