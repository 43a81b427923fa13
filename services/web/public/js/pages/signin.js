import { session, signIn } from '../api.js';
import { formError, showErrors } from '../forms.js';
import { h, mount, uid } from '../h.js';
import { t } from '../i18n.js';

/** @param {import('../app.js').PageCtx} ctx */
export default function signinPage({ main, query, go }) {
  const emailId = uid('email');
  const passId = uid('pw');
  const s = session();
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
          await signIn(String(data.get('email')), String(data.get('password')));
          const next = query.get('next');
          go(next?.startsWith('#/') && !next.startsWith('#/signin') ? next : '#/');
        } catch (err) {
          showErrors(form, err);
        } finally {
          button.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'field', 'data-path': 'email' },
      h('label', { for: emailId }, t('signin.email')),
      h('input', {
        id: emailId,
        name: 'email',
        type: 'email',
        autocomplete: 'username',
        required: true,
        value: query.get('email') ?? '',
      }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    h(
      'div',
      { class: 'field', 'data-path': 'password' },
      h('label', { for: passId }, t('signin.password')),
      h('input', {
        id: passId,
        name: 'password',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
      }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('signin.submit')),
    h('p', { class: 'forgot' }, h('a', { href: '#/forgot-password', id: 'forgot' }, t('signin.forgot'))),
  );
  const register = h(
    'p',
    { class: 'register' },
    t('account.register.new'),
    ' ',
    h('a', { href: '#/register', id: 'register' }, t('account.register.link')),
  );
  mount(
    main,
    h('h1', null, t('signin.title')),
    h('p', { class: 'lead' }, t('signin.lead')),
    s ? h('p', null, t('signin.already')) : null,
    form,
    register,
  );
}
