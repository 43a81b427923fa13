/**
 * Registers an organisation and its first member (`POST /api/profiles/organisations/register`),
 * then signs the member in and shows where the request stands (`#/organisation`). The member's
 * language is the one the page is shown in.
 */
import { ApiError, api, signIn } from '../api.js';
import { field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { lang, t } from '../i18n.js';
import { organisationFields, organisationValues } from '../org-form.js';

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
export default function registerPage({ main, go }) {
  const form = h(
    'form',
    {
      class: 'card register-form',
      novalidate: true,
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        submit();
      },
    },
    h(
      'fieldset',
      { class: 'group' },
      h('legend', null, t('account.register.organisation')),
      organisationFields({ languages: [lang()] }, { prefix: 'organisation.' }),
    ),
    h(
      'fieldset',
      { class: 'group' },
      h('legend', null, t('account.register.member')),
      field({ label: t('invitation.name'), path: 'member.name', required: true }, (id, d) =>
        h('input', { id, name: 'memberName', autocomplete: 'name', required: true, 'aria-describedby': d }),
      ),
      field({ label: t('signin.email'), path: 'member.email', required: true }, (id, d) =>
        h('input', {
          id,
          name: 'memberEmail',
          type: 'email',
          autocomplete: 'username',
          required: true,
          'aria-describedby': d,
        }),
      ),
      field(
        { label: t('signin.password'), path: 'member.password', hint: t('password.hint'), required: true },
        (id, d) => passwordInput(id, d, 'password'),
      ),
      field({ label: t('account.register.confirm'), path: 'confirm', required: true }, (id, d) =>
        passwordInput(id, d, 'confirm'),
      ),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('account.register.submit')),
  );

  /** @param {string} name */
  const val = (name) =>
    String(/** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${name}"]`))?.value ?? '');

  async function submit() {
    const password = val('password');
    if (password !== val('confirm')) {
      showErrors(form, new ApiError(400, { errors: [{ path: 'confirm', message: t('reset.mismatch') }] }));
      return;
    }
    const email = val('memberEmail').trim();
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      await api('/api/profiles/organisations/register', {
        body: {
          organisation: organisationValues(form),
          member: { name: val('memberName').trim(), email, password, language: lang() },
        },
      });
    } catch (err) {
      // The one refusal without a field: the address has an account already.
      const taken = err instanceof ApiError && err.status === 409;
      showErrors(
        form,
        taken
          ? new ApiError(409, { errors: [{ path: 'member.email', message: t('account.register.taken') }] })
          : err,
      );
      button.disabled = false;
      return;
    }
    announce(t('account.register.done'));
    try {
      await signIn(email, password);
      go('#/organisation?registered=1');
    } catch {
      go(`#/signin?email=${encodeURIComponent(email)}&next=${encodeURIComponent('#/organisation')}`);
    }
  }

  mount(
    main,
    h('h1', null, t('account.register.title')),
    h('p', { class: 'lead' }, t('account.register.lead')),
    form,
    h('p', null, t('account.register.have'), ' ', h('a', { href: '#/signin' }, t('signin.submit'))),
  );
}
