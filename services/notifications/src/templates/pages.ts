import type { Lang } from '@mutirao/reference-data';
import escapeHtml from 'escape-html';
import type { Kind } from '../domain/kinds';

/** The names of the kinds, as the unsubscribe pages and the preferences list call them. */
export const KIND_NAMES: Record<Lang, Record<Kind, string>> = {
  en: {
    'organisation-verified': 'organisation verified',
    'organisation-declined': 'verification declined',
    'organisation-revoked': 'verification revoked',
    'proposal-approved': 'proposals awaiting your answer',
    'proposal-reminder': 'reminders of proposals awaiting your answer',
    'proposal-info-requested': 'questions about proposals',
    'proposal-agreed': 'partnerships agreed',
    'proposal-declined': 'proposals declined',
    'proposal-expired': 'proposals expired',
    'posting-expiring': 'postings about to expire',
    'posting-expired': 'postings expired',
    'proposal-info-provided': 'answers to your questions on proposals',
    'need-unanswered': 'needs without an answer in your regions',
    'report-due': 'reports due on your partnerships',
    invitation: 'invitations',
    'coordinator-invitation': 'invitations to coordinate',
    'password-reset': 'password resets',
    digest: 'the daily digest',
  },
  fr: {
    'organisation-verified': 'organisation vérifiée',
    'organisation-declined': 'vérification refusée',
    'organisation-revoked': 'vérification révoquée',
    'proposal-approved': 'propositions en attente de votre réponse',
    'proposal-reminder': 'rappels des propositions en attente de votre réponse',
    'proposal-info-requested': 'questions sur les propositions',
    'proposal-agreed': 'partenariats conclus',
    'proposal-declined': 'propositions déclinées',
    'proposal-expired': 'propositions expirées',
    'posting-expiring': 'annonces sur le point d’expirer',
    'posting-expired': 'annonces expirées',
    'proposal-info-provided': 'réponses à vos questions sur les propositions',
    'need-unanswered': 'besoins sans réponse dans vos régions',
    'report-due': 'rapports attendus sur vos partenariats',
    invitation: 'invitations',
    'coordinator-invitation': 'invitations à coordonner',
    'password-reset': 'réinitialisations de mot de passe',
    digest: 'le résumé quotidien',
  },
  es: {
    'organisation-verified': 'organización verificada',
    'organisation-declined': 'verificación rechazada',
    'organisation-revoked': 'verificación revocada',
    'proposal-approved': 'propuestas que esperan su respuesta',
    'proposal-reminder': 'recordatorios de propuestas que esperan su respuesta',
    'proposal-info-requested': 'preguntas sobre propuestas',
    'proposal-agreed': 'alianzas acordadas',
    'proposal-declined': 'propuestas declinadas',
    'proposal-expired': 'propuestas vencidas',
    'posting-expiring': 'publicaciones a punto de vencer',
    'posting-expired': 'publicaciones vencidas',
    'proposal-info-provided': 'respuestas a sus preguntas sobre propuestas',
    'need-unanswered': 'necesidades sin respuesta en sus regiones',
    'report-due': 'informes pendientes de sus alianzas',
    invitation: 'invitaciones',
    'coordinator-invitation': 'invitaciones a coordinar',
    'password-reset': 'restablecimientos de contraseña',
    digest: 'el resumen diario',
  },
  pt: {
    'organisation-verified': 'organização verificada',
    'organisation-declined': 'verificação recusada',
    'organisation-revoked': 'verificação revogada',
    'proposal-approved': 'propostas que aguardam a sua resposta',
    'proposal-reminder': 'lembretes de propostas que aguardam a sua resposta',
    'proposal-info-requested': 'perguntas sobre propostas',
    'proposal-agreed': 'parcerias acordadas',
    'proposal-declined': 'propostas recusadas',
    'proposal-expired': 'propostas expiradas',
    'posting-expiring': 'publicações prestes a expirar',
    'posting-expired': 'publicações expiradas',
    'proposal-info-provided': 'respostas às suas perguntas sobre propostas',
    'need-unanswered': 'necessidades sem resposta nas suas regiões',
    'report-due': 'relatórios pendentes das suas parcerias',
    invitation: 'convites',
    'coordinator-invitation': 'convites para coordenar',
    'password-reset': 'redefinições de senha',
    digest: 'o resumo diário',
  },
};

const PAGE: Record<Lang, { title: string; ask: string; button: string; done: string }> = {
  en: {
    title: 'Unsubscribe',
    ask: 'Stop mails about {kind}?',
    button: 'Stop these mails',
    done: 'Done: you will no longer receive mails about {kind}. You can change this in the app at any time.',
  },
  fr: {
    title: 'Se désabonner',
    ask: 'Ne plus recevoir de courriels pour : {kind} ?',
    button: 'Ne plus recevoir ces courriels',
    done: 'C’est fait : vous ne recevrez plus de courriels pour : {kind}. Vous pouvez changer cela à tout moment dans l’application.',
  },
  es: {
    title: 'Darse de baja',
    ask: '¿Dejar de recibir correos sobre: {kind}?',
    button: 'Dejar de recibir estos correos',
    done: 'Hecho: ya no recibirá correos sobre: {kind}. Puede cambiarlo en cualquier momento en la aplicación.',
  },
  pt: {
    title: 'Cancelar inscrição',
    ask: 'Não receber mais e-mails sobre: {kind}?',
    button: 'Não receber mais estes e-mails',
    done: 'Pronto: você não receberá mais e-mails sobre: {kind}. Pode mudar isso a qualquer momento no aplicativo.',
  },
};

const page = (lang: Lang, title: string, body: string) => `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · Mutirão</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:600px;margin:2em auto;padding:0 1em">
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;

/**
 * GET: asks before anything changes (a link checker that follows the link switches nothing off).
 * The form posts back to the page's own address, whatever proxy it was reached through.
 */
export function confirmPage(lang: Lang, kind: Kind): string {
  const t = PAGE[lang];
  const ask = escapeHtml(t.ask).replace('{kind}', `<strong>${escapeHtml(KIND_NAMES[lang][kind])}</strong>`);
  return page(
    lang,
    t.title,
    `<p>${ask}</p>
<form method="post"><button type="submit">${escapeHtml(t.button)}</button></form>`,
  );
}

export function donePage(lang: Lang, kind: Kind): string {
  const t = PAGE[lang];
  return page(
    lang,
    t.title,
    `<p>${escapeHtml(t.done).replace('{kind}', `<strong>${escapeHtml(KIND_NAMES[lang][kind])}</strong>`)}</p>`,
  );
}
