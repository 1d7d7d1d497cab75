/**
 * The latest expiry read into a JavaScript `Date`. PostgreSQL holds timestamps up to year
 * 294276 and `infinity`; a `Date` stops at year 275760, and postgres.js turns anything
 * beyond into an invalid date that throws when formatted. Such an invite never expires in
 * practice, so reads cap it here (midnight UTC: the 31st in every time zone's calendar
 * too, so the French copy says "31 décembre 9999").
 */
export const EXPIRY_CAP = '9999-12-31T00:00:00Z';
