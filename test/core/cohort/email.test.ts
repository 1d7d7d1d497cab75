import { describe, expect, it } from 'vitest';
import {
  canonicalMailbox,
  emailKey,
  emailProblem,
  MAX_EMAIL_LENGTH,
} from '../../../src/core/cohort/email.js';

const label63 = 'b'.repeat(63);

describe('emailProblem', () => {
  it.each([
    'elodie.lefevre@example.org',
    'Elodie.Lefevre@Example.ORG',
    'zoe+beta@example.net',
    "o'brien@example.org",
    'x@sub-domain.example.co.uk',
    'a_b-c!#$%&*/=?^`{|}~@example.org',
    '1234@example.org',
    'elodie@xn--exmple-cua.org',
    `${'a'.repeat(64)}@example.org`,
    `a@${[label63, label63, label63].join('.')}.org`,
  ])('accepts %s', (email) => {
    expect(emailProblem(email)).toBeNull();
  });

  it.each([
    ['', 'email is empty'],
    ['elodie.example.org', 'email has no @'],
    ['@example.org', 'email has nothing before the @'],
    ['elodie@', 'email has no domain'],
    ['elodie@lefevre@example.org', 'email has more than one @'],
    ['.elodie@example.org', 'email local part has a leading, trailing or doubled dot'],
    ['elodie.@example.org', 'email local part has a leading, trailing or doubled dot'],
    ['elo..die@example.org', 'email local part has a leading, trailing or doubled dot'],
    ['elodie lefevre@example.org', 'email contains a space'],
    ['elodie@exa mple.org', 'email contains a space'],
    ['elodie\t@example.org', 'email contains a space'],
    ['"elodie"@example.org', 'email local part has a character that is not allowed (")'],
    ['elo.die(x)@example.org', 'email local part has a character that is not allowed (()'],
    ['<elodie>@example.org', 'email local part has a character that is not allowed (<)'],
    ['élodie@example.org', 'email local part has a character that is not allowed (é)'],
    ['elodie,lefevre@example.org', 'email local part has a character that is not allowed (,)'],
    [`${'a'.repeat(65)}@example.org`, 'email local part is longer than 64 characters'],
    ['elodie@localhost', 'email domain has no dot'],
    ['elodie@-example.org', 'email domain is not a valid host name'],
    ['elodie@example-.org', 'email domain is not a valid host name'],
    ['elodie@exa_mple.org', 'email domain is not a valid host name'],
    ['elodie@example..org', 'email domain is not a valid host name'],
    ['elodie@example.org.', 'email domain is not a valid host name'],
    ['elodie@.example.org', 'email domain is not a valid host name'],
    ['elodie@[192.0.2.1]', 'email domain is not a valid host name'],
    ['elodie@exämple.org', 'email domain is not a valid host name'],
    [`elodie@${'c'.repeat(64)}.org`, 'email domain is not a valid host name'],
    ['elodie@example.123', 'email domain ends in a number'],
    ['elodie@192.0.2.1', 'email domain ends in a number'],
    [
      `a@${[label63, label63, label63, label63].join('.')}.org`,
      'email domain is longer than 253 characters',
    ],
    [
      `${'a'.repeat(64)}@${[label63, label63, label63, label63, label63].join('.')}.org`,
      'email is longer than 320 characters',
    ],
  ])('refuses %j: %s', (email, reason) => {
    expect(emailProblem(email)).toBe(reason);
  });

  it('accepts the longest possible address (64 + 1 + 253 = 318) and refuses over 320', () => {
    const longest = `${'a'.repeat(64)}@${[label63, label63, label63, 'd'.repeat(61)].join('.')}`;
    expect(longest.length).toBe(318);
    expect(emailProblem(longest)).toBeNull();
    expect(emailProblem(longest + '.xyz')).toBe(
      `email is longer than ${MAX_EMAIL_LENGTH} characters`,
    );
  });
});

describe('emailKey', () => {
  it('trims and lower-cases', () => {
    expect(emailKey('  Elodie.Lefevre@Example.ORG \t')).toBe('elodie.lefevre@example.org');
  });
});

describe('canonicalMailbox', () => {
  it.each([
    ['zoe.vezina@gmail.com', 'zoevezina@gmail.com'],
    ['z.o.e.vezina+beta@gmail.com', 'zoevezina@gmail.com'],
    ['zoe.vezina@googlemail.com', 'zoevezina@gmail.com'],
    ['anais.guerin+launch@example.org', 'anais.guerin@example.org'],
    ['anais.guerin@example.org', 'anais.guerin@example.org'],
    ['a+b+c@example.org', 'a@example.org'],
    ['+tag@example.org', '+tag@example.org'],
  ])('%s → %s', (key, canonical) => {
    expect(canonicalMailbox(key)).toBe(canonical);
  });

  it('keeps dots outside Gmail (other providers deliver them to different mailboxes)', () => {
    expect(canonicalMailbox('zoe.vezina@example.org')).not.toBe(
      canonicalMailbox('zoevezina@example.org'),
    );
  });
});
