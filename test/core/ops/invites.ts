// The invite fixtures live in the shared test helpers; this path stays for older imports.
export * from '../../helpers/invites.js';
