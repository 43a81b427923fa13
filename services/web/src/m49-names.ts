/**
 * UN M49 region names in French, Spanish and Portuguese. The M49 source publishes English names
 * only to the reference data; these follow the UN Statistics Division's French and Spanish
 * versions and common Brazilian usage. Codes stay the English names, as every API uses them.
 */
export const M49_REGION_NAMES: Readonly<Record<string, { fr: string; es: string; pt: string }>> = {
  Africa: { fr: 'Afrique', es: 'África', pt: 'África' },
  Americas: { fr: 'Amériques', es: 'Américas', pt: 'Américas' },
  Asia: { fr: 'Asie', es: 'Asia', pt: 'Ásia' },
  Europe: { fr: 'Europe', es: 'Europa', pt: 'Europa' },
  Oceania: { fr: 'Océanie', es: 'Oceanía', pt: 'Oceania' },
  'Australia and New Zealand': {
    fr: 'Australie et Nouvelle-Zélande',
    es: 'Australia y Nueva Zelandia',
    pt: 'Austrália e Nova Zelândia',
  },
  'Central Asia': { fr: 'Asie centrale', es: 'Asia central', pt: 'Ásia Central' },
  'Eastern Asia': { fr: 'Asie orientale', es: 'Asia oriental', pt: 'Ásia Oriental' },
  'Eastern Europe': { fr: 'Europe orientale', es: 'Europa oriental', pt: 'Europa Oriental' },
  'Latin America and the Caribbean': {
    fr: 'Amérique latine et Caraïbes',
    es: 'América Latina y el Caribe',
    pt: 'América Latina e Caribe',
  },
  Melanesia: { fr: 'Mélanésie', es: 'Melanesia', pt: 'Melanésia' },
  Micronesia: { fr: 'Micronésie', es: 'Micronesia', pt: 'Micronésia' },
  'Northern Africa': { fr: 'Afrique du Nord', es: 'África septentrional', pt: 'Norte da África' },
  'Northern America': {
    fr: 'Amérique septentrionale',
    es: 'América septentrional',
    pt: 'América do Norte',
  },
  'Northern Europe': { fr: 'Europe du Nord', es: 'Europa septentrional', pt: 'Norte da Europa' },
  Polynesia: { fr: 'Polynésie', es: 'Polinesia', pt: 'Polinésia' },
  'South-eastern Asia': { fr: 'Asie du Sud-Est', es: 'Asia sudoriental', pt: 'Sudeste Asiático' },
  'Southern Asia': { fr: 'Asie du Sud', es: 'Asia meridional', pt: 'Sul da Ásia' },
  'Southern Europe': { fr: 'Europe du Sud', es: 'Europa meridional', pt: 'Sul da Europa' },
  'Sub-Saharan Africa': { fr: 'Afrique subsaharienne', es: 'África subsahariana', pt: 'África Subsaariana' },
  'Western Asia': { fr: 'Asie occidentale', es: 'Asia occidental', pt: 'Ásia Ocidental' },
  'Western Europe': { fr: 'Europe occidentale', es: 'Europa occidental', pt: 'Europa Ocidental' },
  Caribbean: { fr: 'Caraïbes', es: 'Caribe', pt: 'Caribe' },
  'Central America': { fr: 'Amérique centrale', es: 'Centroamérica', pt: 'América Central' },
  'Channel Islands': { fr: 'Îles Anglo-Normandes', es: 'Islas del Canal', pt: 'Ilhas do Canal' },
  'Eastern Africa': { fr: 'Afrique de l’Est', es: 'África oriental', pt: 'África Oriental' },
  'Middle Africa': { fr: 'Afrique centrale', es: 'África central', pt: 'África Central' },
  'South America': { fr: 'Amérique du Sud', es: 'América del Sur', pt: 'América do Sul' },
  'Southern Africa': { fr: 'Afrique australe', es: 'África meridional', pt: 'África Austral' },
  'Western Africa': { fr: 'Afrique de l’Ouest', es: 'África occidental', pt: 'África Ocidental' },
};
