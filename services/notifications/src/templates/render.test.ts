import { LANGS, type Lang } from '@mutirao/reference-data';
import escapeHtml from 'escape-html';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../domain/decide';
import { Kind } from '../domain/kinds';
import { CATALOG } from './catalog';
import { confirmPage, donePage, KIND_NAMES } from './pages';
import { render, valuesOf } from './render';
import { webWord } from './web-words';

/** Every fact a kind's template says, with values unlike any word of the catalogue. */
const FACTS: Record<Kind, Facts> = {
  'organisation-verified': { organisation: 'Coop Zéta' },
  'organisation-declined': { organisation: 'Coop Zéta' },
  'organisation-revoked': { organisation: 'Coop Zéta' },
  'proposal-approved': {
    parties: ['Solar Kappa', 'Fund Lambda'],
    needType: 'financing',
    modality: 'triangular',
  },
  'proposal-reminder': { parties: ['Solar Kappa'], needType: 'technology', modality: 'south-south', days: 3 },
  'proposal-info-requested': {
    parties: ['Solar Kappa'],
    needType: 'technology',
    modality: 'south-south',
    note: 'Budget Omega?',
  },
  'proposal-info-provided': {
    parties: ['Coop Zéta'],
    needType: 'technology',
    modality: 'south-south',
    note: 'Budget Omega?',
    answer: 'Answer Theta',
  },
  'proposal-agreed': { parties: ['Solar Kappa'], needType: 'financing', modality: 'triangular' },
  'proposal-declined': { parties: ['Solar Kappa'], needType: 'financing', modality: 'triangular' },
  'proposal-expired': { parties: ['Solar Kappa'], needType: 'financing', modality: 'triangular' },
  'posting-expiring': {
    title: 'Mini-grid Sigma',
    postingKind: 'need',
    expiresAt: '2026-07-14T00:00:00Z',
    days: 7,
  },
  'posting-expired': { title: 'Mini-grid Sigma', postingKind: 'offer', expiresAt: '2026-07-14T00:00:00Z' },
  'need-unanswered': { title: 'Mini-grid Sigma', country: 'MZ', days: 30 },
  'report-due': {
    parties: ['Solar Kappa', 'Fund Lambda'],
    needType: 'technology',
    modality: 'triangular',
    months: 6,
    expiresAt: '2026-07-14T00:00:00Z',
  },
  invitation: { organisation: 'Coop Zéta', expiresAt: '2026-07-14T00:00:00Z' },
  'coordinator-invitation': { expiresAt: '2026-07-14T00:00:00Z' },
  'password-reset': { expiresAt: '2026-07-14T00:00:00Z' },
  digest: {
    items: [
      { title: 'Item Alpha', link: 'http://web.example/#/proposals?id=a' },
      { title: 'Item Beta', link: 'http://web.example/#/postings' },
      { title: 'Item Gamma', link: 'http://web.example/#/organisation' },
    ],
  },
};

const LINK = 'http://web.example/#/proposals?id=p-1';
const UNSUB = 'http://web.example/api/notifications/unsubscribe/a.b.c';

const renderOf = (kind: Kind, lang: Lang) =>
  render({
    kind,
    language: lang,
    facts: FACTS[kind],
    link: LINK,
    name: 'Ana Psi',
    ...(kind === 'invitation' || kind === 'coordinator-invitation' || kind === 'password-reset'
      ? {}
      : { unsubscribeUrl: UNSUB, preferencesUrl: 'http://web.example/#/notifications?tab=preferences' }),
  });

describe.each(LANGS)('mails in %s', (lang) => {
  it.each(Kind.options)('%s: every value said, the link, no placeholder or key left', (kind) => {
    const r = renderOf(kind, lang);
    const values = Object.values(valuesOf(FACTS[kind], lang, 'Ana Psi')).filter(
      (v) => v !== CATALOG[lang].common.noNote,
    );
    const said = [...values, ...(FACTS[kind].items ?? []).map((i) => i.title)];
    for (const v of said) {
      expect(r.text, `text: ${v}`).toContain(v);
      expect(r.html, `html: ${v}`).toContain(escapeHtml(v));
    }
    // Placeholders named by the subject's template are in the subject too.
    for (const v of Object.values(valuesOf(FACTS[kind], lang)))
      if (JSON.stringify(CATALOG[lang].kinds[kind].subject).includes(`{${keyOf(FACTS[kind], lang, v)}}`))
        expect(r.subject).toContain(v);
    expect(r.text).toContain(LINK);
    expect(r.html).toContain(`href="${escapeHtml(LINK)}"`);
    for (const part of [r.subject, r.text, r.html]) {
      expect(part).not.toMatch(/\{[a-z:.A-Z-]+\}/);
      expect(part).not.toMatch(/\b(nav|proposals|status)\.[a-z]+/);
    }
    expect(r.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
    if (kind === 'invitation' || kind === 'coordinator-invitation' || kind === 'password-reset')
      expect(r.text).not.toContain(UNSUB);
    else {
      expect(r.text).toContain(UNSUB);
      expect(r.html).toContain(`href="${escapeHtml(UNSUB)}"`);
    }
    expect(r.html).toMatchSnapshot();
  });
});

function keyOf(facts: Facts, lang: Lang, value: string): string {
  return Object.entries(valuesOf(facts, lang)).find(([, v]) => v === value)?.[0] ?? '';
}

describe('what the mails say', () => {
  it('escapes every value in HTML, and keeps it as it is in the text', () => {
    const r = render({
      kind: 'organisation-verified',
      language: 'en',
      facts: { organisation: '<script>alert("x")</script> & Co' },
      link: 'http://web.example/#/organisation?a=1&b=2',
      name: 'Eve <b>',
    });
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(r.html).toContain('Eve &lt;b&gt;');
    expect(r.html).toContain('href="http://web.example/#/organisation?a=1&amp;b=2"');
    expect(r.text).toContain('<script>alert("x")</script> & Co');
    expect(r.subject).toBe('<script>alert("x")</script> & Co is verified on Mutirão');
  });

  it('counts with each language’s plural rules', () => {
    const one = { title: 'T', expiresAt: '2026-07-14T00:00:00Z', days: 1 };
    expect(render({ kind: 'posting-expiring', language: 'en', facts: one, link: LINK }).subject).toBe(
      '“T” expires in 1 day',
    );
    expect(
      render({ kind: 'posting-expiring', language: 'en', facts: { ...one, days: 2 }, link: LINK }).subject,
    ).toBe('“T” expires in 2 days');
    // French says "0 jour" and "1,5 jour": 0 and 1 are singular there, unlike English.
    expect(
      render({ kind: 'posting-expiring', language: 'fr', facts: { ...one, days: 0 }, link: LINK }).subject,
    ).toBe('« T » expire dans 0 jour');
    const digest = (n: number, lang: Lang) =>
      render({
        kind: 'digest',
        language: lang,
        facts: { items: Array.from({ length: n }, (_, i) => ({ title: `i${i}`, link: LINK })) },
        link: LINK,
      }).subject;
    expect(digest(1, 'en')).toBe('1 update on Mutirão');
    expect(digest(3, 'en')).toBe('3 updates on Mutirão');
    expect(digest(3, 'pt')).toBe('3 novidades em Mutirão');
    expect(digest(1, 'es')).toBe('1 novedad en Mutirão');
  });

  it('names pages and buttons with the web app’s own words', () => {
    for (const lang of LANGS) {
      const r = renderOf('proposal-approved', lang);
      expect(r.text).toContain(`${webWord(lang, 'nav.proposals')}: ${LINK}`);
      expect(r.text).toContain(webWord(lang, 'proposals.accept'));
      expect(r.text).toContain(webWord(lang, 'proposals.decline'));
    }
  });

  it('writes dates, countries and lists in the reader’s language', () => {
    expect(renderOf('need-unanswered', 'fr').subject).toContain('Mozambique');
    expect(renderOf('need-unanswered', 'es').text).toContain('Mozambique');
    expect(renderOf('posting-expiring', 'pt').text).toContain('14 de julho de 2026');
    expect(renderOf('proposal-approved', 'en').text).toContain('Solar Kappa and Fund Lambda');
    expect(renderOf('proposal-approved', 'fr').text).toContain('Solar Kappa et Fund Lambda');
  });
});

describe('unsubscribe pages', () => {
  it('ask first, then confirm, in the person’s language, naming the kind', () => {
    for (const lang of LANGS) {
      const ask = confirmPage(lang, 'proposal-approved');
      expect(ask).toContain('<form method="post">');
      expect(ask).toContain(escapeHtml(KIND_NAMES[lang]['proposal-approved']));
      expect(donePage(lang, 'posting-expired')).toContain(escapeHtml(KIND_NAMES[lang]['posting-expired']));
    }
  });
});
