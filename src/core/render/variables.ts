/** The variables every invitation template may use, besides the cohort's extra columns. */
export const BASE_VARIABLES = [
  'code',
  'email',
  'cohort',
  'signup_url',
  'expires_at',
  'feedback_url',
] as const;

export function templateVariables(extraColumns: string[]): string[] {
  return [
    ...BASE_VARIABLES,
    ...extraColumns.filter((c) => !(BASE_VARIABLES as readonly string[]).includes(c)),
  ];
}

/** One formatter per time zone: building one costs more than composing the message. */
const frenchFormats = new Map<string, Intl.DateTimeFormat>();

/** "26 décembre 2026" — the expiry as the French copy says it, in the given time zone. */
export function frenchDate(date: Date, timeZone: string): string {
  let format = frenchFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone });
    frenchFormats.set(timeZone, format);
  }
  return format.format(date);
}

/** The signup URL with the code: `{code}` in the base is replaced, else `?code=` is set. */
export function signupUrl(base: string, code: string): string {
  if (base.includes('{code}')) return base.replaceAll('{code}', encodeURIComponent(code));
  const url = new URL(base);
  url.searchParams.set('code', code);
  return url.toString();
}
