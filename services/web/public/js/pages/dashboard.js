/**
 * Supply and demand by region and need type, computed here from the browse APIs: open needs per
 * region against the open offers whose eligibility admits that region. A need type with demand
 * and no supply is where needs go unanswered.
 */
import { all, session } from '../api.js';
import { h, mount } from '../h.js';
import { countryFacts, label, options, plural, t } from '../i18n.js';

const CONTINENTS = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'];

/** @param {import('../app.js').PageCtx} ctx */
export default async function dashboardPage({ main }) {
  const regions = session()?.me.regions.length ? /** @type {string[]} */ (session()?.me.regions) : CONTINENTS;
  const facts = countryFacts();
  const types = options('needType');
  const [offers, ...needsByRegion] = await Promise.all([
    all('/api/exchange/offers', { status: 'open' }),
    ...regions.map((r) => all('/api/exchange/needs', { status: 'open', region: r })),
  ]);
  /** @param {any} offer @param {string} region */
  const serves = (offer, region) => {
    const e = offer.eligibility ?? {};
    const inRegion = (/** @type {string} */ c) => {
      const f = facts.get(c);
      return Boolean(f && (f.region === region || f.subRegion === region));
    };
    const byCountry = e.countries?.length ? e.countries.some(inRegion) : null;
    // Regions overlap when some country lies in both (an offer for Eastern Africa serves Africa in part).
    const byRegion = e.regions?.length
      ? e.regions.some(
          (/** @type {string} */ r) =>
            r === region ||
            [...facts.values()].some(
              (f) => (f.region === r || f.subRegion === r) && (f.region === region || f.subRegion === region),
            ),
        )
      : null;
    if (byCountry === null && byRegion === null) return true;
    return Boolean(byCountry || byRegion);
  };
  const rows = regions.map((region, i) => {
    const needs = needsByRegion[i] ?? [];
    return {
      region,
      cells: types.map((ty) => ({
        type: ty,
        demand: needs.filter((n) => n.type === ty.code).length,
        supply: offers
          .filter((o) => o.types.includes(ty.code) && serves(o, region))
          .reduce((s, o) => s + Math.max(1, o.capacity), 0),
      })),
    };
  });
  const max = Math.max(1, ...rows.flatMap((r) => r.cells.flatMap((c) => [c.demand, c.supply])));
  const gaps = rows.flatMap((r) =>
    r.cells.filter((c) => c.demand > 0 && c.supply === 0).map((c) => ({ region: r.region, type: c.type })),
  );
  mount(
    main,
    h('h1', null, t('dash.title')),
    h('p', { class: 'lead' }, t('dash.lead')),
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'key demand' }),
      ' ',
      t('dash.demand'),
      ' ',
      h('span', { class: 'key supply' }),
      ' ',
      t('dash.supply'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'gaps' },
      h(
        'h2',
        { id: 'gaps' },
        t('dash.gaps'),
        ' ',
        h('span', { class: gaps.length ? 'tag bad' : 'tag good' }, String(gaps.length)),
      ),
      gaps.length
        ? h(
            'ul',
            null,
            gaps.map((g) => h('li', null, label('region', g.region), ' — ', g.type.label)),
          )
        : h('p', { class: 'muted' }, t('dash.noGaps')),
    ),
    rows.map((r) =>
      h(
        'section',
        { class: 'card chart', 'aria-labelledby': `r-${r.region.replace(/\W/g, '')}` },
        h('h2', { id: `r-${r.region.replace(/\W/g, '')}` }, label('region', r.region)),
        h(
          'table',
          { class: 'bars-table' },
          h('caption', { class: 'sr-only' }, t('dash.caption', { r: label('region', r.region) })),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('dash.type')),
              h('th', { scope: 'col' }, t('dash.demandSupply')),
            ),
          ),
          h(
            'tbody',
            null,
            r.cells.map((c) =>
              h(
                'tr',
                { class: c.demand > 0 && c.supply === 0 ? 'gap' : null },
                h(
                  'th',
                  { scope: 'row' },
                  c.type.label,
                  c.demand > 0 && c.supply === 0
                    ? h('span', { class: 'tag bad' }, t('dash.unanswered'))
                    : null,
                ),
                h(
                  'td',
                  null,
                  h('div', { class: 'hbar demand', style: { width: `${(c.demand / max) * 100}%` } }),
                  h('span', { class: 'n' }, plural('dash.needs', c.demand)),
                  h('div', { class: 'hbar supply', style: { width: `${(c.supply / max) * 100}%` } }),
                  h('span', { class: 'n' }, plural('dash.offers', c.supply)),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
