import type { Lang } from '@mutirao/reference-data';
import type { Kind } from '../domain/kinds';

/**
 * The words of every mail and in-app item, in the four languages of the web app.
 *
 * Placeholders: `{name}`, `{organisation}`, `{parties}`, `{type}`, `{modality}`, `{title}`,
 * `{country}`, `{note}`, `{date}`, `{days}`, `{months}`, `{count}`, `{items}`; a plural form is an object of
 * Intl.PluralRules categories (`other` required) chosen by `{days}`, `{months}` (report-due) or `{count}`. `{w:key}` is a
 * word of the web app's catalogue (services/web/public/i18n), so that a mail names a page or a
 * button as the page does.
 */
export type Plural = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
export type Text = string | Plural;

export interface KindText {
  subject: Text;
  /** What happened. */
  happened: Text;
  /** What to do. */
  todo: Text;
  /** The label of the one link. */
  action: Text;
}

export interface CommonText {
  greeting: string;
  greetingNamed: string;
  /** Why this mail came, under it. */
  why: string;
  unsubscribe: string;
  preferences: string;
  /** The note given when a coordinator asked without words. */
  noNote: string;
}

type Catalog = Record<Lang, { common: CommonText; kinds: Record<Kind, KindText> }>;

const PROPOSALS = '{w:nav.proposals}';
const ANSWER_EN = 'Read why it matches, then answer: {w:proposals.accept} or {w:proposals.decline}.';

export const CATALOG: Catalog = {
  en: {
    common: {
      greeting: 'Hello,',
      greetingNamed: 'Hello {name},',
      why: 'You receive this mail from {w:app} because of your notification settings.',
      unsubscribe: 'Stop mails of this kind',
      preferences: 'Choose which mails you receive',
      noNote: '(no question was written)',
    },
    kinds: {
      'organisation-verified': {
        subject: '{organisation} is verified on {w:app}',
        happened: 'A coordinator checked and verified the profile of {organisation}.',
        todo: "Your organisation's needs and offers can now be published and matched.",
        action: '{w:nav.organisation}',
      },
      'organisation-declined': {
        subject: 'The verification of {organisation} was declined',
        happened: 'A coordinator declined the verification of {organisation}.',
        todo: "Read the coordinator's note on your organisation's page; once you correct the details, it is reviewed again.",
        action: '{w:nav.organisation}',
      },
      'organisation-revoked': {
        subject: 'The verification of {organisation} was revoked',
        happened: 'A coordinator revoked the verification of {organisation}.',
        todo: "Its postings are no longer matched. Read the coordinator's note on your organisation's page.",
        action: '{w:nav.organisation}',
      },
      'proposal-approved': {
        subject: 'A partnership proposal awaits your answer',
        happened:
          'A coordinator approved a proposal for your organisation: {type} ({modality}) with {parties}.',
        todo: ANSWER_EN,
        action: PROPOSALS,
      },
      'proposal-reminder': {
        subject: 'Reminder: a partnership proposal awaits your answer',
        happened: {
          one: 'A proposal of {type} ({modality}) with {parties} has awaited your answer for {days} day.',
          other: 'A proposal of {type} ({modality}) with {parties} has awaited your answer for {days} days.',
        },
        todo: ANSWER_EN,
        action: PROPOSALS,
      },
      'proposal-info-requested': {
        subject: 'A coordinator asks about a partnership proposal',
        happened: 'A coordinator reviewing a proposal of {type} ({modality}) with {parties} asks: {note}',
        todo: 'Answer it with the proposal, on the proposals page: the coordinator reads your answer beside the question.',
        action: PROPOSALS,
      },
      'proposal-agreed': {
        subject: 'Partnership agreed with {parties}',
        happened:
          'Every party accepted the proposal of {type} ({modality}) with {parties}: the partnership is agreed.',
        todo: "Your partners' contact details are now shown with the proposal: get in touch.",
        action: PROPOSALS,
      },
      'proposal-declined': {
        subject: 'A partnership proposal was declined',
        happened: 'The proposal of {type} ({modality}) with {parties} was declined.',
        todo: 'Nothing to do: new proposals come as needs and offers are posted.',
        action: PROPOSALS,
      },
      'proposal-expired': {
        subject: 'A partnership proposal expired',
        happened:
          'The proposal of {type} ({modality}) with {parties} expired: a posting it joined is no longer open.',
        todo: 'Nothing to do: new proposals come as needs and offers are posted.',
        action: PROPOSALS,
      },
      'posting-expiring': {
        subject: { one: '“{title}” expires in {days} day', other: '“{title}” expires in {days} days' },
        happened: {
          one: 'Your posting “{title}” expires on {date}, in {days} day.',
          other: 'Your posting “{title}” expires on {date}, in {days} days.',
        },
        todo: 'Renew it if it is still current; otherwise let it expire.',
        action: '{w:nav.postings}',
      },
      'posting-expired': {
        subject: '“{title}” has expired',
        happened: 'Your posting “{title}” expired on {date} and is no longer matched.',
        todo: 'Renew it if it is still current.',
        action: '{w:nav.postings}',
      },
      'proposal-info-provided': {
        subject: '{parties} answered your question on a proposal',
        happened:
          'On the proposal of {type} ({modality}), {parties} answered your question “{note}”: {answer}',
        todo: 'The proposal is back in your review queue, the answer beside the question: approve it, reject it or ask again.',
        action: '{w:nav.review}',
      },
      'need-unanswered': {
        subject: {
          one: 'A need in {country} has no answer after {days} day',
          other: 'A need in {country} has no answer after {days} days',
        },
        happened: {
          one: 'The need “{title}” ({country}) was published {days} day ago and no proposal for it has been approved.',
          other:
            'The need “{title}” ({country}) was published {days} days ago and no proposal for it has been approved.',
        },
        todo: 'Look at the supply and demand of your regions: an offer may be missing, or a proposal waiting for review.',
        action: '{w:nav.dashboard}',
      },
      'coordinator-invitation': {
        subject: 'Invitation to coordinate on {w:app}',
        happened:
          'You are invited to coordinate {w:app}, the exchange for South-South and triangular cooperation in the social and solidarity economy, in your regions: you will verify organisations and review the partnerships it proposes.',
        todo: 'Accept the invitation and choose your password before {date}.',
        action: 'Accept the invitation',
      },
      'report-due': {
        subject: {
          one: 'Your {months}-month report on a partnership is due',
          other: 'Your {months}-month report on a partnership is due',
        },
        happened: {
          one: 'The partnership of {type} ({modality}) with {parties} was agreed {months} month ago: your organisation’s outcome report is due on {date}.',
          other:
            'The partnership of {type} ({modality}) with {parties} was agreed {months} months ago: your organisation’s outcome report is due on {date}.',
        },
        todo: 'Say what was done and what changed: people trained, members reached, jobs, markets, technologies, and the story in your words.',
        action: 'File the report',
      },
      invitation: {
        subject: 'Invitation to join {organisation} on {w:app}',
        happened:
          'You are invited to join {organisation} on {w:app}, the exchange for South-South and triangular cooperation in the social and solidarity economy.',
        todo: 'Accept the invitation and choose your password before {date}.',
        action: 'Accept the invitation',
      },
      'password-reset': {
        subject: 'Reset your {w:app} password',
        happened: 'Someone asked to reset the password of this account.',
        todo: 'Choose a new password before {date}. If it was not you, ignore this mail: your password stays as it is.',
        action: 'Choose a new password',
      },
      digest: {
        subject: { one: '{count} update on {w:app}', other: '{count} updates on {w:app}' },
        happened: {
          one: 'Here is {count} update from the last day:',
          other: 'Here are {count} updates from the last day:',
        },
        todo: 'Open the list to read them and mark them as read.',
        action: 'Notifications',
      },
    },
  },
  fr: {
    common: {
      greeting: 'Bonjour,',
      greetingNamed: 'Bonjour {name},',
      why: 'Vous recevez ce courriel de {w:app} selon vos réglages de notification.',
      unsubscribe: 'Ne plus recevoir ce type de courriel',
      preferences: 'Choisir les courriels que vous recevez',
      noNote: '(aucune question écrite)',
    },
    kinds: {
      'organisation-verified': {
        subject: '{organisation} est vérifiée sur {w:app}',
        happened: 'Un coordinateur a examiné et vérifié le profil de {organisation}.',
        todo: 'Les besoins et offres de votre organisation peuvent désormais être publiés et mis en relation.',
        action: '{w:nav.organisation}',
      },
      'organisation-declined': {
        subject: 'La vérification de {organisation} a été refusée',
        happened: 'Un coordinateur a refusé la vérification de {organisation}.',
        todo: 'Lisez la note du coordinateur sur la page de votre organisation ; une fois les informations corrigées, elle sera examinée à nouveau.',
        action: '{w:nav.organisation}',
      },
      'organisation-revoked': {
        subject: 'La vérification de {organisation} a été révoquée',
        happened: 'Un coordinateur a révoqué la vérification de {organisation}.',
        todo: 'Ses annonces ne sont plus mises en relation. Lisez la note du coordinateur sur la page de votre organisation.',
        action: '{w:nav.organisation}',
      },
      'proposal-approved': {
        subject: 'Une proposition de partenariat attend votre réponse',
        happened:
          'Un coordinateur a approuvé une proposition pour votre organisation : {type} ({modality}) avec {parties}.',
        todo: 'Lisez pourquoi elle correspond, puis répondez : {w:proposals.accept} ou {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-reminder': {
        subject: 'Rappel : une proposition de partenariat attend votre réponse',
        happened: {
          one: 'Une proposition {type} ({modality}) avec {parties} attend votre réponse depuis {days} jour.',
          other:
            'Une proposition {type} ({modality}) avec {parties} attend votre réponse depuis {days} jours.',
        },
        todo: 'Lisez pourquoi elle correspond, puis répondez : {w:proposals.accept} ou {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-info-requested': {
        subject: 'Un coordinateur pose une question sur une proposition de partenariat',
        happened:
          'Un coordinateur qui examine une proposition {type} ({modality}) avec {parties} demande : {note}',
        todo: 'Répondez-y avec la proposition, sur la page des propositions : le coordinateur lira votre réponse à côté de la question.',
        action: PROPOSALS,
      },
      'proposal-agreed': {
        subject: 'Partenariat conclu avec {parties}',
        happened:
          'Toutes les parties ont accepté la proposition {type} ({modality}) avec {parties} : le partenariat est conclu.',
        todo: 'Les coordonnées de vos partenaires figurent désormais avec la proposition : prenez contact.',
        action: PROPOSALS,
      },
      'proposal-declined': {
        subject: 'Une proposition de partenariat a été déclinée',
        happened: 'La proposition {type} ({modality}) avec {parties} a été déclinée.',
        todo: "Rien à faire : d'autres propositions viendront avec les nouveaux besoins et offres.",
        action: PROPOSALS,
      },
      'proposal-expired': {
        subject: 'Une proposition de partenariat a expiré',
        happened:
          "La proposition {type} ({modality}) avec {parties} a expiré : l'une de ses annonces n'est plus ouverte.",
        todo: "Rien à faire : d'autres propositions viendront avec les nouveaux besoins et offres.",
        action: PROPOSALS,
      },
      'posting-expiring': {
        subject: {
          one: '« {title} » expire dans {days} jour',
          other: '« {title} » expire dans {days} jours',
        },
        happened: {
          one: 'Votre annonce « {title} » expire le {date}, dans {days} jour.',
          other: 'Votre annonce « {title} » expire le {date}, dans {days} jours.',
        },
        todo: "Renouvelez-la si elle est toujours d'actualité ; sinon, laissez-la expirer.",
        action: '{w:nav.postings}',
      },
      'posting-expired': {
        subject: '« {title} » a expiré',
        happened: "Votre annonce « {title} » a expiré le {date} et n'est plus mise en relation.",
        todo: "Renouvelez-la si elle est toujours d'actualité.",
        action: '{w:nav.postings}',
      },
      'proposal-info-provided': {
        subject: '{parties} a répondu à votre question sur une proposition',
        happened:
          'Sur la proposition de {type} ({modality}), {parties} a répondu à votre question « {note} » : {answer}',
        todo: 'La proposition est de retour dans votre file de revue, la réponse à côté de la question : approuvez-la, rejetez-la ou posez une autre question.',
        action: '{w:nav.review}',
      },
      'need-unanswered': {
        subject: {
          one: 'Un besoin ({country}) est sans réponse depuis {days} jour',
          other: 'Un besoin ({country}) est sans réponse depuis {days} jours',
        },
        happened: {
          one: "Le besoin « {title} » ({country}) a été publié il y a {days} jour et aucune proposition n'a été approuvée pour lui.",
          other:
            "Le besoin « {title} » ({country}) a été publié il y a {days} jours et aucune proposition n'a été approuvée pour lui.",
        },
        todo: "Regardez l'offre et la demande de vos régions : il manque peut-être une offre, ou une proposition attend d'être examinée.",
        action: '{w:nav.dashboard}',
      },
      'coordinator-invitation': {
        subject: 'Invitation à coordonner sur {w:app}',
        happened:
          "Vous êtes invité·e à coordonner {w:app}, la bourse de la coopération Sud-Sud et triangulaire de l'économie sociale et solidaire, dans vos régions : vous vérifierez les organisations et examinerez les partenariats proposés.",
        todo: "Acceptez l'invitation et choisissez votre mot de passe avant le {date}.",
        action: "Accepter l'invitation",
      },
      'report-due': {
        subject: {
          one: 'Votre rapport à {months} mois sur un partenariat est attendu',
          other: 'Votre rapport à {months} mois sur un partenariat est attendu',
        },
        happened: {
          one: 'Le partenariat {type} ({modality}) avec {parties} a été conclu il y a {months} mois : le rapport de résultats de votre organisation est attendu le {date}.',
          other:
            'Le partenariat {type} ({modality}) avec {parties} a été conclu il y a {months} mois : le rapport de résultats de votre organisation est attendu le {date}.',
        },
        todo: 'Dites ce qui a été fait et ce qui a changé : personnes formées, membres atteints, emplois, marchés, technologies, et le récit avec vos mots.',
        action: 'Remplir le rapport',
      },
      invitation: {
        subject: 'Invitation à rejoindre {organisation} sur {w:app}',
        happened:
          "Vous êtes invité·e à rejoindre {organisation} sur {w:app}, la bourse de la coopération Sud-Sud et triangulaire de l'économie sociale et solidaire.",
        todo: "Acceptez l'invitation et choisissez votre mot de passe avant le {date}.",
        action: "Accepter l'invitation",
      },
      'password-reset': {
        subject: 'Réinitialiser votre mot de passe {w:app}',
        happened: 'Quelqu’un a demandé la réinitialisation du mot de passe de ce compte.',
        todo: 'Choisissez un nouveau mot de passe avant le {date}. Si ce n’était pas vous, ignorez ce courriel : votre mot de passe reste inchangé.',
        action: 'Choisir un nouveau mot de passe',
      },
      digest: {
        subject: { one: '{count} nouveauté sur {w:app}', other: '{count} nouveautés sur {w:app}' },
        happened: {
          one: 'Voici {count} nouveauté de la dernière journée :',
          other: 'Voici {count} nouveautés de la dernière journée :',
        },
        todo: 'Ouvrez la liste pour les lire et les marquer comme lues.',
        action: 'Notifications',
      },
    },
  },
  es: {
    common: {
      greeting: 'Hola:',
      greetingNamed: 'Hola, {name}:',
      why: 'Recibe este correo de {w:app} según su configuración de notificaciones.',
      unsubscribe: 'Dejar de recibir este tipo de correo',
      preferences: 'Elegir qué correos recibe',
      noNote: '(no se escribió ninguna pregunta)',
    },
    kinds: {
      'organisation-verified': {
        subject: '{organisation} está verificada en {w:app}',
        happened: 'Un coordinador revisó y verificó el perfil de {organisation}.',
        todo: 'Las necesidades y ofertas de su organización ya pueden publicarse y emparejarse.',
        action: '{w:nav.organisation}',
      },
      'organisation-declined': {
        subject: 'Se rechazó la verificación de {organisation}',
        happened: 'Un coordinador rechazó la verificación de {organisation}.',
        todo: 'Lea la nota del coordinador en la página de su organización; cuando corrija los datos, se revisará de nuevo.',
        action: '{w:nav.organisation}',
      },
      'organisation-revoked': {
        subject: 'Se revocó la verificación de {organisation}',
        happened: 'Un coordinador revocó la verificación de {organisation}.',
        todo: 'Sus publicaciones ya no se emparejan. Lea la nota del coordinador en la página de su organización.',
        action: '{w:nav.organisation}',
      },
      'proposal-approved': {
        subject: 'Una propuesta de alianza espera su respuesta',
        happened:
          'Un coordinador aprobó una propuesta para su organización: {type} ({modality}) con {parties}.',
        todo: 'Lea por qué encaja y responda: {w:proposals.accept} o {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-reminder': {
        subject: 'Recordatorio: una propuesta de alianza espera su respuesta',
        happened: {
          one: 'Una propuesta de {type} ({modality}) con {parties} espera su respuesta desde hace {days} día.',
          other:
            'Una propuesta de {type} ({modality}) con {parties} espera su respuesta desde hace {days} días.',
        },
        todo: 'Lea por qué encaja y responda: {w:proposals.accept} o {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-info-requested': {
        subject: 'Un coordinador pregunta por una propuesta de alianza',
        happened:
          'Un coordinador que revisa una propuesta de {type} ({modality}) con {parties} pregunta: {note}',
        todo: 'Respóndala junto a la propuesta, en la página de propuestas: el coordinador leerá su respuesta junto a la pregunta.',
        action: PROPOSALS,
      },
      'proposal-agreed': {
        subject: 'Alianza acordada con {parties}',
        happened:
          'Todas las partes aceptaron la propuesta de {type} ({modality}) con {parties}: la alianza está acordada.',
        todo: 'Los datos de contacto de sus socios ya aparecen con la propuesta: póngase en contacto.',
        action: PROPOSALS,
      },
      'proposal-declined': {
        subject: 'Se declinó una propuesta de alianza',
        happened: 'La propuesta de {type} ({modality}) con {parties} fue declinada.',
        todo: 'No hay nada que hacer: llegarán nuevas propuestas con nuevas necesidades y ofertas.',
        action: PROPOSALS,
      },
      'proposal-expired': {
        subject: 'Una propuesta de alianza venció',
        happened:
          'La propuesta de {type} ({modality}) con {parties} venció: una de sus publicaciones ya no está abierta.',
        todo: 'No hay nada que hacer: llegarán nuevas propuestas con nuevas necesidades y ofertas.',
        action: PROPOSALS,
      },
      'posting-expiring': {
        subject: { one: '«{title}» vence en {days} día', other: '«{title}» vence en {days} días' },
        happened: {
          one: 'Su publicación «{title}» vence el {date}, dentro de {days} día.',
          other: 'Su publicación «{title}» vence el {date}, dentro de {days} días.',
        },
        todo: 'Renuévela si sigue vigente; si no, deje que venza.',
        action: '{w:nav.postings}',
      },
      'posting-expired': {
        subject: '«{title}» ha vencido',
        happened: 'Su publicación «{title}» venció el {date} y ya no se empareja.',
        todo: 'Renuévela si sigue vigente.',
        action: '{w:nav.postings}',
      },
      'proposal-info-provided': {
        subject: '{parties} respondió a su pregunta sobre una propuesta',
        happened:
          'En la propuesta de {type} ({modality}), {parties} respondió a su pregunta «{note}»: {answer}',
        todo: 'La propuesta vuelve a su cola de revisión, con la respuesta junto a la pregunta: apruébela, rechácela o pregunte de nuevo.',
        action: '{w:nav.review}',
      },
      'need-unanswered': {
        subject: {
          one: 'Una necesidad ({country}) lleva {days} día sin respuesta',
          other: 'Una necesidad ({country}) lleva {days} días sin respuesta',
        },
        happened: {
          one: 'La necesidad «{title}» ({country}) se publicó hace {days} día y no se ha aprobado ninguna propuesta para ella.',
          other:
            'La necesidad «{title}» ({country}) se publicó hace {days} días y no se ha aprobado ninguna propuesta para ella.',
        },
        todo: 'Revise la oferta y la demanda de sus regiones: quizá falte una oferta o una propuesta espere revisión.',
        action: '{w:nav.dashboard}',
      },
      'coordinator-invitation': {
        subject: 'Invitación a coordinar en {w:app}',
        happened:
          'Le invitan a coordinar {w:app}, la bolsa de cooperación Sur-Sur y triangular de la economía social y solidaria, en sus regiones: verificará organizaciones y revisará las alianzas propuestas.',
        todo: 'Acepte la invitación y elija su contraseña antes del {date}.',
        action: 'Aceptar la invitación',
      },
      'report-due': {
        subject: {
          one: 'Su informe a {months} mes sobre una alianza está pendiente',
          other: 'Su informe a {months} meses sobre una alianza está pendiente',
        },
        happened: {
          one: 'La alianza de {type} ({modality}) con {parties} se acordó hace {months} mes: el informe de resultados de su organización vence el {date}.',
          other:
            'La alianza de {type} ({modality}) con {parties} se acordó hace {months} meses: el informe de resultados de su organización vence el {date}.',
        },
        todo: 'Cuente lo que se hizo y lo que cambió: personas capacitadas, socios alcanzados, empleos, mercados, tecnologías, y el relato con sus palabras.',
        action: 'Presentar el informe',
      },
      invitation: {
        subject: 'Invitación a unirse a {organisation} en {w:app}',
        happened:
          'Le invitan a unirse a {organisation} en {w:app}, la bolsa de cooperación Sur-Sur y triangular de la economía social y solidaria.',
        todo: 'Acepte la invitación y elija su contraseña antes del {date}.',
        action: 'Aceptar la invitación',
      },
      'password-reset': {
        subject: 'Restablecer su contraseña de {w:app}',
        happened: 'Alguien pidió restablecer la contraseña de esta cuenta.',
        todo: 'Elija una nueva contraseña antes del {date}. Si no fue usted, ignore este correo: su contraseña no cambia.',
        action: 'Elegir una nueva contraseña',
      },
      digest: {
        subject: { one: '{count} novedad en {w:app}', other: '{count} novedades en {w:app}' },
        happened: {
          one: 'Esta es {count} novedad del último día:',
          other: 'Estas son {count} novedades del último día:',
        },
        todo: 'Abra la lista para leerlas y marcarlas como leídas.',
        action: 'Notificaciones',
      },
    },
  },
  pt: {
    common: {
      greeting: 'Olá,',
      greetingNamed: 'Olá, {name},',
      why: 'Você recebe este e-mail de {w:app} de acordo com as suas configurações de notificação.',
      unsubscribe: 'Não receber mais este tipo de e-mail',
      preferences: 'Escolher os e-mails que você recebe',
      noNote: '(nenhuma pergunta foi escrita)',
    },
    kinds: {
      'organisation-verified': {
        subject: '{organisation} está verificada em {w:app}',
        happened: 'Um coordenador examinou e verificou o perfil de {organisation}.',
        todo: 'As necessidades e ofertas da sua organização já podem ser publicadas e combinadas.',
        action: '{w:nav.organisation}',
      },
      'organisation-declined': {
        subject: 'A verificação de {organisation} foi recusada',
        happened: 'Um coordenador recusou a verificação de {organisation}.',
        todo: 'Leia a nota do coordenador na página da sua organização; depois de corrigir os dados, ela será analisada de novo.',
        action: '{w:nav.organisation}',
      },
      'organisation-revoked': {
        subject: 'A verificação de {organisation} foi revogada',
        happened: 'Um coordenador revogou a verificação de {organisation}.',
        todo: 'As suas publicações deixam de ser combinadas. Leia a nota do coordenador na página da sua organização.',
        action: '{w:nav.organisation}',
      },
      'proposal-approved': {
        subject: 'Uma proposta de parceria aguarda a sua resposta',
        happened:
          'Um coordenador aprovou uma proposta para a sua organização: {type} ({modality}) com {parties}.',
        todo: 'Leia por que ela combina e responda: {w:proposals.accept} ou {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-reminder': {
        subject: 'Lembrete: uma proposta de parceria aguarda a sua resposta',
        happened: {
          one: 'Uma proposta de {type} ({modality}) com {parties} aguarda a sua resposta há {days} dia.',
          other: 'Uma proposta de {type} ({modality}) com {parties} aguarda a sua resposta há {days} dias.',
        },
        todo: 'Leia por que ela combina e responda: {w:proposals.accept} ou {w:proposals.decline}.',
        action: PROPOSALS,
      },
      'proposal-info-requested': {
        subject: 'Um coordenador pergunta sobre uma proposta de parceria',
        happened:
          'Um coordenador que analisa uma proposta de {type} ({modality}) com {parties} pergunta: {note}',
        todo: 'Responda junto à proposta, na página das propostas: o coordenador vai ler a sua resposta ao lado da pergunta.',
        action: PROPOSALS,
      },
      'proposal-agreed': {
        subject: 'Parceria acordada com {parties}',
        happened:
          'Todas as partes aceitaram a proposta de {type} ({modality}) com {parties}: a parceria está acordada.',
        todo: 'Os contatos dos seus parceiros já aparecem com a proposta: entre em contato.',
        action: PROPOSALS,
      },
      'proposal-declined': {
        subject: 'Uma proposta de parceria foi recusada',
        happened: 'A proposta de {type} ({modality}) com {parties} foi recusada.',
        todo: 'Nada a fazer: novas propostas virão com novas necessidades e ofertas.',
        action: PROPOSALS,
      },
      'proposal-expired': {
        subject: 'Uma proposta de parceria expirou',
        happened:
          'A proposta de {type} ({modality}) com {parties} expirou: uma das suas publicações não está mais aberta.',
        todo: 'Nada a fazer: novas propostas virão com novas necessidades e ofertas.',
        action: PROPOSALS,
      },
      'posting-expiring': {
        subject: { one: '“{title}” expira em {days} dia', other: '“{title}” expira em {days} dias' },
        happened: {
          one: 'A sua publicação “{title}” expira em {date}, daqui a {days} dia.',
          other: 'A sua publicação “{title}” expira em {date}, daqui a {days} dias.',
        },
        todo: 'Renove-a se ainda for atual; caso contrário, deixe-a expirar.',
        action: '{w:nav.postings}',
      },
      'posting-expired': {
        subject: '“{title}” expirou',
        happened: 'A sua publicação “{title}” expirou em {date} e não é mais combinada.',
        todo: 'Renove-a se ainda for atual.',
        action: '{w:nav.postings}',
      },
      'proposal-info-provided': {
        subject: '{parties} respondeu à sua pergunta sobre uma proposta',
        happened: 'Na proposta de {type} ({modality}), {parties} respondeu à sua pergunta «{note}»: {answer}',
        todo: 'A proposta volta à sua fila de revisão, com a resposta ao lado da pergunta: aprove-a, rejeite-a ou pergunte de novo.',
        action: '{w:nav.review}',
      },
      'need-unanswered': {
        subject: {
          one: 'Uma necessidade ({country}) está sem resposta há {days} dia',
          other: 'Uma necessidade ({country}) está sem resposta há {days} dias',
        },
        happened: {
          one: 'A necessidade “{title}” ({country}) foi publicada há {days} dia e nenhuma proposta foi aprovada para ela.',
          other:
            'A necessidade “{title}” ({country}) foi publicada há {days} dias e nenhuma proposta foi aprovada para ela.',
        },
        todo: 'Veja a oferta e a demanda das suas regiões: pode faltar uma oferta, ou uma proposta aguarda análise.',
        action: '{w:nav.dashboard}',
      },
      'coordinator-invitation': {
        subject: 'Convite para coordenar em {w:app}',
        happened:
          'Você foi convidado(a) a coordenar {w:app}, a bolsa de cooperação Sul-Sul e triangular da economia social e solidária, nas suas regiões: vai verificar organizações e analisar as parcerias propostas.',
        todo: 'Aceite o convite e escolha a sua senha antes de {date}.',
        action: 'Aceitar o convite',
      },
      'report-due': {
        subject: {
          one: 'O seu relatório de {months} mês sobre uma parceria está pendente',
          other: 'O seu relatório de {months} meses sobre uma parceria está pendente',
        },
        happened: {
          one: 'A parceria de {type} ({modality}) com {parties} foi acordada há {months} mês: o relatório de resultados da sua organização vence em {date}.',
          other:
            'A parceria de {type} ({modality}) com {parties} foi acordada há {months} meses: o relatório de resultados da sua organização vence em {date}.',
        },
        todo: 'Conte o que foi feito e o que mudou: pessoas formadas, membros alcançados, empregos, mercados, tecnologias, e a história com as suas palavras.',
        action: 'Enviar o relatório',
      },
      invitation: {
        subject: 'Convite para se juntar a {organisation} em {w:app}',
        happened:
          'Você foi convidado(a) a se juntar a {organisation} em {w:app}, a bolsa de cooperação Sul-Sul e triangular da economia social e solidária.',
        todo: 'Aceite o convite e escolha a sua senha antes de {date}.',
        action: 'Aceitar o convite',
      },
      'password-reset': {
        subject: 'Redefinir a sua senha de {w:app}',
        happened: 'Alguém pediu para redefinir a senha desta conta.',
        todo: 'Escolha uma nova senha antes de {date}. Se não foi você, ignore este e-mail: a sua senha continua a mesma.',
        action: 'Escolher uma nova senha',
      },
      digest: {
        subject: { one: '{count} novidade em {w:app}', other: '{count} novidades em {w:app}' },
        happened: {
          one: 'Aqui está {count} novidade do último dia:',
          other: 'Aqui estão {count} novidades do último dia:',
        },
        todo: 'Abra a lista para lê-las e marcá-las como lidas.',
        action: 'Notificações',
      },
    },
  },
};
