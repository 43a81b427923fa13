/**
 * A proposal's explanation laid out to be read in seconds: the parties (three for a triad), the
 * summary, the hard rules as a checklist and the score's parts as bars with their words.
 */
import { organisation } from './api.js';
import { h } from './h.js';
import { date, label, t } from './i18n.js';
import { sentence } from './sentences.js';

/** @typedef {import('./types.js').Proposal} Proposal */

/**
 * The parties as cards; names arrive when the profiles service answers.
 * @param {Proposal} p
 */
export function parties(p) {
  const roles =
    p.offerOrganisationIds.length > 1
      ? [
          ['beneficiary', p.needOrganisationId],
          ['provider', p.offerOrganisationIds[0]],
          ['funder', p.offerOrganisationIds[1]],
        ]
      : [
          ['beneficiary', p.needOrganisationId],
          ['partner', p.offerOrganisationIds[0]],
        ];
  return h(
    'ol',
    { class: `parties n${roles.length}`, 'aria-label': t('proposal.parties') },
    roles.map(([role, id]) => {
      const name = h('span', { class: 'party-name' }, '…');
      const where = h('span', { class: 'party-where' });
      organisation(String(id)).then((o) => {
        name.textContent = o?.name ?? String(id);
        if (o) where.textContent = `${label('country', o.country)} · ${label('organisationKind', o.kind)}`;
      });
      return h(
        'li',
        { class: `party ${role}` },
        h('span', { class: 'party-role' }, t(`role.${role}`)),
        name,
        where,
      );
    }),
  );
}

const RULES = new Set(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'triad-partners', 'not-rejected']);

/** @param {{ rule: string, role?: string }} r */
function ruleName(r) {
  const name = RULES.has(r.rule) ? t(`rule.${r.rule}`) : r.rule;
  return r.role && r.role !== 'offer' ? `${t(`role.${r.role}`)}: ${name}` : name;
}

/** @param {Proposal} p */
export function rules(p) {
  const list = p.explanation.rules;
  const failed = list.filter((r) => !r.ok).length;
  return h(
    'section',
    { class: 'rules', 'aria-label': t('proposal.rules') },
    h(
      'h3',
      null,
      t('proposal.rules'),
      ' ',
      h(
        'span',
        { class: failed ? 'tag bad' : 'tag good' },
        t('proposal.rulesPassed', { ok: list.length - failed, n: list.length }),
      ),
    ),
    h(
      'ul',
      { class: 'checklist' },
      [...list]
        .sort((a, b) => Number(a.ok) - Number(b.ok))
        .map((r) =>
          h(
            'li',
            { class: r.ok ? 'ok' : 'fail' },
            h('span', { class: 'mark', 'aria-hidden': 'true' }, r.ok ? '✓' : '✗'),
            h('span', { class: 'sr-only' }, r.ok ? t('proposal.passed') : t('proposal.failed')),
            h('strong', null, ruleName(r)),
            why('span', r),
          ),
        ),
    ),
  );
}

/** @param {Proposal} p */
export function criteria(p) {
  const groups = new Map();
  for (const c of p.explanation.criteria) {
    const key = c.role ?? 'offer';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return h(
    'section',
    { class: 'criteria', 'aria-label': t('proposal.score') },
    h('h3', null, t('proposal.score'), ' ', h('span', { class: 'score-big' }, pct(p.score))),
    [...groups].map(([role, list]) =>
      h(
        'div',
        { class: 'crit-group' },
        role !== 'offer' ? h('h4', null, t(`role.${role}`)) : null,
        h(
          'ul',
          { class: 'bars' },
          list.map((/** @type {import('./types.js').Criterion} */ c) =>
            h(
              'li',
              null,
              h(
                'div',
                { class: 'bar-head' },
                h('span', null, t(`crit.${c.name}`)),
                h('span', { class: 'muted' }, t('proposal.weight', { v: pct(c.value), w: pct(c.weight) })),
              ),
              h(
                'div',
                {
                  class: 'bar',
                  role: 'meter',
                  'aria-valuemin': 0,
                  'aria-valuemax': 100,
                  'aria-valuenow': Math.round(c.value * 100),
                  'aria-label': t(`crit.${c.name}`),
                },
                h('span', {
                  class: `fill ${c.value >= 0.75 ? 'hi' : c.value < 0.35 ? 'lo' : 'mid'}`,
                  style: { width: `${Math.round(c.value * 100)}%` },
                }),
              ),
              why('p', c),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * A rule's or criterion's words: from the catalogue in the reader's language, else (a proposal
 * stored before explanations were structured) matching's English, marked as such.
 * @param {string} tag
 * @param {{ text: string, sentence?: import('./sentences.js').Sentence }} line
 */
function why(tag, line) {
  const own = sentence(line.sentence);
  return own === null
    ? h(tag, { class: 'why', lang: 'en' }, line.text.replace(/^(Provider|Funder): /, ''))
    : h(tag, { class: 'why' }, own);
}

/**
 * The proposal's summary, in the reader's language when every sentence of it has a code the
 * dictionaries know, else matching's English.
 * @param {Proposal} p
 */
export function summary(p) {
  const parts = (p.explanation.summarySentences ?? []).map(sentence);
  return parts.length > 0 && parts.every((x) => x !== null)
    ? h('p', { class: 'summary' }, parts.join(' '))
    : h('p', { class: 'summary', lang: 'en' }, p.explanation.summary);
}

/** @param {number} x */
export const pct = (x) => `${Math.round(x * 100)} %`;

/** @param {Proposal} p */
export function facts(p) {
  return h(
    'p',
    { class: 'facts' },
    h('span', { class: `tag mod-${p.modality}` }, label('modality', p.modality)),
    h('span', { class: 'tag' }, label('needType', p.needType)),
    h('span', { class: 'tag' }, label('country', p.needCountry)),
    h('span', { class: `tag st-${p.status}` }, t(`status.${p.status}`)),
    h('span', { class: 'muted' }, t('proposal.updated', { d: date(p.updatedAt) })),
  );
}
