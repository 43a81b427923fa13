/**
 * Edits the member's organisation (`PATCH /api/profiles/organisations/:id`: members of the
 * organisation and the admin). On a verified organisation the fields a verification judged say
 * that changing them sends it back to review, which profiles decides.
 */
import { api, session } from '../api.js';
import { formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { t } from '../i18n.js';
import { organisationFields, organisationValues } from '../org-form.js';

/** @param {import('../app.js').PageCtx} ctx */
export default async function organisationEditPage({ main, go }) {
  const id = session()?.me.org ?? '';
  const o = await api(`/api/profiles/organisations/${encodeURIComponent(id)}`);
  const verified = o.verification === 'verified';
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
    organisationFields(o, { prefix: '', judgedHint: verified }),
    formError(),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('account.edit.save')),
      h('a', { href: '#/organisation', class: 'button' }, t('posting.cancel')),
    ),
  );

  /** The edit: every field as the form holds it; optionals the form dropped are removed (null). */
  function patch() {
    const v = organisationValues(form);
    return {
      ...v,
      sseForm: v.sseForm ?? (o.sseForm !== undefined ? null : undefined),
      informal: v.informal ?? (o.informal !== undefined ? null : undefined),
    };
  }

  async function submit() {
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      const saved = await api(`/api/profiles/organisations/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: patch(),
      });
      const reopened = verified && saved.verification === 'pending';
      announce(t(reopened ? 'account.edit.reopened' : 'account.edit.saved'));
      go(`#/organisation?saved=${reopened ? 'reopened' : '1'}`);
    } catch (err) {
      showErrors(form, err);
      button.disabled = false;
    }
  }

  mount(
    main,
    h('p', null, h('a', { href: '#/organisation' }, '← ', t('nav.organisation'))),
    h('h1', null, t('account.edit.title')),
    h('p', { class: 'lead' }, t(verified ? 'account.edit.leadVerified' : 'account.edit.lead')),
    form,
  );
}
