import { LANGS } from '@mutirao/reference-data';
import { describe, expect, it } from 'vitest';
import { PREFERENCE_KINDS } from '../domain/kinds';
import { KIND_NAMES } from './pages';
import { webWords } from './web-words';

describe('the names of the kinds', () => {
  // The unsubscribe pages say which kind stops; the web app's settings list the same kinds. A
  // person who unsubscribed from a mail finds the kind under the same words there.
  it.each(LANGS)('are the same in the unsubscribe pages and the web app’s settings (%s)', (lang) => {
    const web = webWords()[lang];
    for (const kind of PREFERENCE_KINDS) {
      const name = KIND_NAMES[lang][kind];
      expect(web[`notifications.kind.${kind}`], `${lang}: ${kind}`).toBe(
        name.charAt(0).toLocaleUpperCase(lang) + name.slice(1),
      );
    }
  });
});
