import type { Invitation } from '../../src/core/render/compose.js';

/** The sender of the invitation examples: French, with non-ASCII in the From name. */
export const frenchSender = {
  signupUrl: 'https://beta.example.org/inscription',
  feedbackUrl: 'https://forms.example.org/retours',
  from: "L'équipe bêta <beta@example.org>",
  replyTo: 'Support <support@example.org>',
};

/** One invitation with non-ASCII extras, fixed dates and id. */
export const frenchInvitation: Invitation = {
  inviteId: '0b6f3c1e-5d2a-4c9e-8f10-3a7b9c2d4e51',
  code: 'K7M2QX9PRT4WZ8HN',
  email: 'zoe.vezina@example.net',
  cohort: 'listener-jazz-mailing-list',
  expiresAt: new Date('2026-12-26T17:00:00Z'),
  createdAt: new Date('2026-11-26T17:00:00Z'),
  extras: { name: 'Zoë Vézina', locale: 'fr-BE' },
};
