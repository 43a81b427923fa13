/**
 * Changes the signed-in person's password (`POST /api/profiles/me/password {current, new}`); a
 * wrong current password is a 400 at `current` (and counts as a failed sign-in of the address).
 */
import { ApiError, api } from '../api.js';
import { field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { t } from '../i18n.js';

/** @param {string} id @param {string} describedBy @param {string} name @param {string} autocomplete */
const passwordInput = (id, describedBy, name, autocomplete) =>
  h('input', {
    id,
    name,
    type: 'password',
    autocomplete,
    required: true,
    'aria-describedby': describedBy,
  });

/** @param {import('../app.js').PageCtx} ctx */
export default function passwordPage({ main }) {
  const done = h('p', { class: 'notice', role: 'status', hidden: true, 'data-state': 'done' });
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        done.hidden = true;
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        const next = String(data.get('new') ?? '');
        if (next !== String(data.get('confirm') ?? '')) {
          showErrors(
            form,
            new ApiError(400, { errors: [{ path: 'confirm', message: t('reset.mismatch') }] }),
          );
          return;
        }
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          await api('/api/profiles/me/password', {
            body: { current: String(data.get('current') ?? ''), new: next },
          });
          /** @type {HTMLFormElement} */ (form).reset();
          done.textContent = t('account.password.done');
          done.hidden = false;
          announce(t('account.password.done'));
        } catch (err) {
          const current =
            err instanceof ApiError && err.status === 400 && err.errors.some((x) => x.path === 'current');
          showErrors(
            form,
            current
              ? new ApiError(400, { errors: [{ path: 'current', message: t('account.password.wrong') }] })
              : err,
          );
        } finally {
          button.disabled = false;
        }
      },
    },
    field({ label: t('account.password.current'), path: 'current', required: true }, (id, d) =>
      passwordInput(id, d, 'current', 'current-password'),
    ),
    field(
      { label: t('account.password.new'), path: 'new', hint: t('password.hint'), required: true },
      (id, d) => passwordInput(id, d, 'new', 'new-password'),
    ),
    field({ label: t('reset.confirm'), path: 'confirm', required: true }, (id, d) =>
      passwordInput(id, d, 'confirm', 'new-password'),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, t('account.password.submit')),
  );
  mount(
    main,
    h('h1', null, t('account.password.title')),
    h('p', { class: 'lead' }, t('account.password.lead')),
    done,
    form,
  );
}
