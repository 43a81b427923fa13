/**
 * What the partnerships achieved: the public figures of the follow-up service (`/api/followup/impact`),
 * by region, resource type, SDG, modality and quarter, as bar tables (a table a screen reader
 * reads row by row; the bars are drawn beside the numbers and hidden from it). The same figures
 * are offered as CSV and JSON. Anyone may see this page: nothing in it names an organisation.
 */
import { api } from '../api.js';
import { h, mount, uid } from '../h.js';
import { label, num, t } from '../i18n.js';

const MEASURES = [
  'partnerships',
  'reports',
  'peopleTrained',
  'membersReached',
  'jobsCreated',
  'marketsGained',
  'technologiesAdopted',
];

/** @type {[string, (key: string) => string][]} */
const DIMENSIONS = [
  ['byRegion', (k) => (k === 'unknown' ? t('impact.unknown') : label('region', k))],
  ['byResourceType', (k) => label('needType', k)],
  ['bySdg', (k) => `${k}. ${label('sdg', k)}`],
  ['byModality', (k) => label('modality', k)],
  ['byQuarter', (k) => k.replace('-', ' ')],
];

let measure = 'partnerships';

/** @param {import('../app.js').PageCtx} ctx */
export default async function impactPage({ main }) {
  const figures = await api('/api/followup/impact');
  const draw = () => mount(main, ...content(figures, draw));
  draw();
}

/**
 * @param {any} f
 * @param {() => void} redraw
 */
function content(f, redraw) {
  const selectId = uid('measure');
  return [
    h('h1', null, t('impact.title')),
    h('p', { class: 'lead' }, t('impact.lead')),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'impact-totals' },
      h('h2', { id: 'impact-totals' }, t('impact.totals')),
      h(
        'dl',
        { class: 'figures' },
        ['partnerships', 'triads', ...MEASURES.slice(1)].map((m) =>
          h('div', null, h('dt', null, t(`impact.m.${m}`)), h('dd', { 'data-figure': m }, num(f.totals[m]))),
        ),
      ),
      h(
        'p',
        { class: 'downloads' },
        t('impact.download'),
        ' ',
        h('a', { href: '/api/followup/impact.csv', download: 'mutirao-impact.csv' }, 'CSV'),
        ' · ',
        h('a', { href: '/api/followup/impact', download: 'mutirao-impact.json' }, 'JSON'),
      ),
    ),
    h(
      'p',
      { class: 'measure' },
      h('label', { for: selectId }, t('impact.show')),
      ' ',
      h(
        'select',
        {
          id: selectId,
          onchange: (/** @type {Event} */ e) => {
            measure = /** @type {HTMLSelectElement} */ (e.target).value;
            redraw();
            /** @type {HTMLElement | null} */ (document.querySelector('.measure select'))?.focus();
          },
        },
        MEASURES.map((m) => h('option', { value: m, selected: m === measure }, t(`impact.m.${m}`))),
      ),
    ),
    f.totals.partnerships === 0 ? h('p', { class: 'muted' }, t('impact.none')) : null,
    DIMENSIONS.map(([dim, name]) => chart(dim, f[dim], name)),
  ];
}

/**
 * @param {string} dim
 * @param {any[]} rows
 * @param {(key: string) => string} name
 */
function chart(dim, rows, name) {
  const max = Math.max(1, ...rows.map((r) => r[measure]));
  const id = `impact-${dim}`;
  return h(
    'section',
    { class: 'card chart', 'aria-labelledby': id },
    h('h2', { id }, t(`impact.${dim}`)),
    rows.length === 0
      ? h('p', { class: 'muted' }, t('impact.none'))
      : h(
          'table',
          { class: 'bars-table', 'data-dimension': dim },
          h(
            'caption',
            { class: 'sr-only' },
            t('impact.caption', { what: t(`impact.m.${measure}`), by: t(`impact.${dim}`) }),
          ),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t(`impact.${dim}.key`)),
              h('th', { scope: 'col' }, t(`impact.m.${measure}`)),
            ),
          ),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                null,
                h('th', { scope: 'row' }, name(r.key)),
                h(
                  'td',
                  null,
                  h('div', {
                    class: 'hbar impact',
                    'aria-hidden': 'true',
                    style: { width: `${(r[measure] / max) * 100}%` },
                  }),
                  h('span', { class: 'n', 'data-key': r.key, 'data-measure': measure }, num(r[measure])),
                ),
              ),
            ),
          ),
        ),
  );
}
