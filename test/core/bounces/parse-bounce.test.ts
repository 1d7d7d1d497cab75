import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/core/bounces/parse-bounce.js';
import { fixture } from '../../helpers/paths.js';

async function parse(name: string) {
  return parseMessage(fs.readFileSync(fixture(`bounces/${name}`)));
}

/** The fields a test compares, without the delivery addresses. */
async function summary(name: string) {
  const parsed = await parse(name);
  if (parsed.type !== 'bounce') return parsed;
  const { status, kind, action, recipient, inviteIds } = parsed.bounce;
  return { status, kind, action, recipient, inviteIds };
}

describe('parseMessage', () => {
  it('reads each fixture', async () => {
    const names = fs.readdirSync(fixture('bounces')).filter((n) => n.endsWith('.eml'));
    const all: Record<string, unknown> = {};
    for (const name of names.sort()) all[name] = await summary(name);
    expect(all).toMatchInlineSnapshot(`
      {
        "auto-reply.eml": {
          "type": "not-bounce",
        },
        "diagnostic-only.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b09",
          ],
          "kind": "hard",
          "recipient": "ines@example.com",
          "status": "5.7.1",
        },
        "exchange.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b06",
          ],
          "kind": "hard",
          "recipient": "felix.left@corp.example.com",
          "status": "5.1.10",
        },
        "exim-classic.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b03",
          ],
          "kind": "hard",
          "recipient": "chloe.gone@example.net",
          "status": "5.1.1",
        },
        "exim-no-code.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b04",
          ],
          "kind": "unknown",
          "recipient": "dan.slow@example.com",
          "status": null,
        },
        "gmail.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b05",
          ],
          "kind": "hard",
          "recipient": "emma.typo@gmial.example",
          "status": "5.1.1",
        },
        "hostile-broken-mime.eml": {
          "messageId": "<hostile-000f@hostile.example>",
          "reason": "delivery report with no delivery-status part",
          "type": "unreadable",
        },
        "no-invite-id.eml": {
          "action": "failed",
          "inviteIds": [],
          "kind": "hard",
          "recipient": "lea@example.com",
          "status": "5.1.1",
        },
        "no-status.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b08",
          ],
          "kind": "unknown",
          "recipient": "hugo@example.com",
          "status": null,
        },
        "postfix-message.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b02",
          ],
          "kind": "hard",
          "recipient": "bruno.closed@example.com",
          "status": "5.2.1",
        },
        "postfix-rfc822-headers.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b01",
          ],
          "kind": "hard",
          "recipient": "ana.nobody@example.net",
          "status": "5.1.1",
        },
        "soft-mailbox-full.eml": {
          "action": "delayed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5b07",
          ],
          "kind": "soft",
          "recipient": "gina.full@example.net",
          "status": "4.2.2",
        },
        "spam.eml": {
          "type": "not-bounce",
        },
        "unknown-invite.eml": {
          "action": "failed",
          "inviteIds": [
            "0b7f1c9e-2d4a-4c1e-9a6b-1f2e3d4c5bff",
          ],
          "kind": "hard",
          "recipient": "kim@example.com",
          "status": "5.1.1",
        },
        "verp-only.eml": {
          "action": "failed",
          "inviteIds": [],
          "kind": "hard",
          "recipient": "jules@example.com",
          "status": "5.1.1",
        },
      }
    `);
  });
});
